//! The SIMD micro-kernel under every product: `C = A·B` or `C += A·B` for an `A` whose rows are
//! contiguous (unit row stride), a `B` whose columns or rows are contiguous, column-major `C`.
//!
//! The kernel packs nothing: a tile of `MV` vectors of rows × `NR` columns of `C` is
//! accumulated in registers, loading each column segment of `A` once per step and broadcasting
//! the entries of `B` straight from memory. The inner dimension is cut into blocks so the
//! slice of `A` a row tile reads stays in L1 while every column tile uses it. At the engine's
//! shapes (a weight matrix that fits in L2, a batch of at most a few hundred columns) packing
//! would cost more than it saves; without it a product needs no workspace and never allocates.
//!
//! Every element of `C` is one sequential fused multiply-add chain over the inner dimension,
//! in order, starting from zero (`C = A·B`) or from the old value (`C += A·B`), whatever tile,
//! edge path or thread computed it: results do not depend on how the columns were split
//! across threads. (Between blocks of the inner dimension the chain's value is parked in `C`,
//! which is exact.)
//!
//! The instruction set is chosen at run time (`pulp`: AVX-512, AVX2+FMA, SSE, or scalar), so a
//! portable build runs the widest kernel the machine has.

use pulp::{Arch, Simd, WithSimd};

/// A scalar the SIMD kernels know how to vectorise (`f32` and `f64`).
pub trait Element: Copy + Send + Sync + PartialEq + 'static {
    /// The SIMD vector of this scalar for instruction set `S`.
    type V<S: Simd>: Copy;
    /// The zero of the type.
    const ZERO: Self;
    /// Lanes per vector for `S`.
    fn lanes<S: Simd>() -> usize;
    /// A vector with every lane `x`.
    fn splat<S: Simd>(s: S, x: Self) -> Self::V<S>;
    /// `a·b + c`, fused where the instruction set has FMA.
    fn mul_add<S: Simd>(s: S, a: Self::V<S>, b: Self::V<S>, c: Self::V<S>) -> Self::V<S>;
    /// Loads the first `lanes` values of `x` (`x.len() >= lanes`).
    fn load<S: Simd>(s: S, x: &[Self]) -> Self::V<S>;
    /// Stores into the first `lanes` values of `x` (`x.len() >= lanes`).
    fn store<S: Simd>(s: S, x: &mut [Self], v: Self::V<S>);
    /// Loads `x.len() < lanes` values, the other lanes zero.
    fn load_partial<S: Simd>(s: S, x: &[Self]) -> Self::V<S>;
    /// Stores the first `x.len() < lanes` lanes of `v`.
    fn store_partial<S: Simd>(s: S, x: &mut [Self], v: Self::V<S>);
    /// Interleaves four vectors `a, b, c, d` into quads `(a[r], b[r], c[r], d[r])`, one
    /// per lane `r`, in an order of `r` that depends on the instruction set.
    fn interleave4<S: Simd>(s: S, v: [Self::V<S>; 4]) -> [Self::V<S>; 4];
    /// The lanes of `v`, in order.
    fn scalars<S: Simd>(v: &[Self::V<S>]) -> &[Self];
    /// Per lane: `+0` where `test ≤ 0`, else `x` (so a NaN `test` keeps `x`).
    fn zero_where_nonpositive<S: Simd>(s: S, test: Self::V<S>, x: Self::V<S>) -> Self::V<S>;
    /// `x` as a scalar of this type (exact for the small lane indices it is used for).
    fn from_index(x: usize) -> Self;
    /// `self` as an index (the inverse of [`Element::from_index`]).
    fn to_index(self) -> usize;
}

macro_rules! element {
    ($t:ty, $lanes:ident, $v:ident, $splat:ident, $fma:ident, $simd:ident,
     $simd_mut:ident, $pload:ident, $pstore:ident, $interleave:ident, $at_most:ident,
     $select:ident) => {
        impl Element for $t {
            type V<S: Simd> = S::$v;
            const ZERO: Self = 0.0;
            #[inline(always)]
            fn lanes<S: Simd>() -> usize {
                S::$lanes
            }
            #[inline(always)]
            fn splat<S: Simd>(s: S, x: Self) -> Self::V<S> {
                s.$splat(x)
            }
            #[inline(always)]
            fn mul_add<S: Simd>(s: S, a: Self::V<S>, b: Self::V<S>, c: Self::V<S>) -> Self::V<S> {
                s.$fma(a, b, c)
            }
            #[inline(always)]
            fn load<S: Simd>(_: S, x: &[Self]) -> Self::V<S> {
                S::$simd(&x[..S::$lanes]).0[0]
            }
            #[inline(always)]
            fn store<S: Simd>(_: S, x: &mut [Self], v: Self::V<S>) {
                S::$simd_mut(&mut x[..S::$lanes]).0[0] = v;
            }
            #[inline(always)]
            fn load_partial<S: Simd>(s: S, x: &[Self]) -> Self::V<S> {
                s.$pload(x)
            }
            #[inline(always)]
            fn store_partial<S: Simd>(s: S, x: &mut [Self], v: Self::V<S>) {
                s.$pstore(x, v)
            }
            #[inline(always)]
            fn interleave4<S: Simd>(s: S, v: [Self::V<S>; 4]) -> [Self::V<S>; 4] {
                s.$interleave(v)
            }
            #[inline(always)]
            fn scalars<S: Simd>(v: &[Self::V<S>]) -> &[Self] {
                pulp::bytemuck::cast_slice(v)
            }
            #[inline(always)]
            fn zero_where_nonpositive<S: Simd>(
                s: S,
                test: Self::V<S>,
                x: Self::V<S>,
            ) -> Self::V<S> {
                let zero = s.$splat(0.0);
                s.$select(s.$at_most(test, zero), zero, x)
            }
            #[inline(always)]
            fn from_index(x: usize) -> Self {
                x as $t
            }
            #[inline(always)]
            fn to_index(self) -> usize {
                self as usize
            }
        }
    };
}

element!(
    f32,
    F32_LANES,
    f32s,
    splat_f32s,
    mul_add_e_f32s,
    as_simd_f32s,
    as_mut_simd_f32s,
    partial_load_f32s,
    partial_store_f32s,
    interleave_shfl_f32s,
    less_than_or_equal_f32s,
    select_f32s
);
element!(
    f64,
    F64_LANES,
    f64s,
    splat_f64s,
    mul_add_e_f64s,
    as_simd_f64s,
    as_mut_simd_f64s,
    partial_load_f64s,
    partial_store_f64s,
    interleave_shfl_f64s,
    less_than_or_equal_f64s,
    select_f64s
);

/// One product `C = A·B` or `C += A·B`, all operands as slices that start at their (0, 0)
/// element.
pub(crate) struct Product<'a, T> {
    /// Rows of `A` and `C`.
    pub m: usize,
    /// Columns of `B` and `C`.
    pub n: usize,
    /// Inner dimension.
    pub k: usize,
    /// `A` with unit row stride: element (i, p) at `a[i + p·lda]`.
    pub a: &'a [T],
    pub lda: usize,
    /// `B`, element (p, j) at `b[p·rs_b + j·cs_b]`, with `rs_b = 1` or `cs_b = 1`.
    pub b: &'a [T],
    pub rs_b: usize,
    pub cs_b: usize,
    /// `C`, column-major: element (i, j) at `c[i + j·ldc]`.
    pub c: &'a mut [T],
    pub ldc: usize,
    /// `C += A·B` rather than `C = A·B`.
    pub accumulate: bool,
}

/// Widest tile (columns) the kernels use; column splits across threads are multiples of it so
/// every thread's tiles line up with the single-threaded ones.
pub(crate) const MAX_TILE_COLUMNS: usize = 4;

/// Bytes of `A` one row tile reads per block of the inner dimension: a third of a typical
/// 48 KB L1 data cache. Not more: a weight matrix with 128 rows puts its columns 512 bytes
/// apart, so a row tile's lines fall in only half of the cache's sets.
const A_BLOCK_BYTES: usize = 16 * 1024;

/// Runs `product` with the widest instruction set of this machine.
pub(crate) fn run<T: Element>(product: Product<'_, T>) {
    debug_assert!(product.rs_b == 1 || product.cs_b == 1);
    Arch::new().dispatch(product);
}

impl<T: Element> WithSimd for Product<'_, T> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, s: S) {
        // 32 registers (AVX-512): tiles of 4 vectors × 4 columns (16 accumulators, 8 loads
        // per 16 multiply-adds); 16 registers: 2 × 4.
        if S::REGISTER_COUNT >= 32 {
            tiles::<T, S, 4>(s, self);
        } else {
            tiles::<T, S, 2>(s, self);
        }
    }
}

/// Columns of `C` computed together: their slice of `B` (784 rows: 800 KB in `f32`) and of `C`
/// stay in L2 while every block of the inner dimension passes over them. Without it a wide
/// product (inference on 10,000 samples) would stream all of `C` through memory once per block.
const PANEL_COLUMNS: usize = 256;

/// Walks panels of [`PANEL_COLUMNS`] columns; in each, blocks of the inner dimension; within
/// each, row tiles of `MV` vectors (then fewer for the leftover rows, the last one possibly
/// partial) and, for each row tile, every column tile of the panel.
#[inline(always)]
fn tiles<T: Element, S: Simd, const MV: usize>(s: S, p: Product<'_, T>) {
    let lanes = T::lanes::<S>();
    let block = (A_BLOCK_BYTES / (MV * lanes * size_of::<T>())).max(16);
    let mut panel = 0;
    while panel < p.n {
        let panel_end = (panel + PANEL_COLUMNS).min(p.n);
        let mut p0 = 0;
        while p0 < p.k {
            let depth = block.min(p.k - p0);
            let accumulate = p.accumulate || p0 > 0;
            let mut i0 = 0;
            while i0 < p.m {
                let left = p.m - i0;
                let vectors = if left >= MV * lanes {
                    MV
                } else if left >= 2 * lanes {
                    2
                } else {
                    1
                };
                let rows = left.min(vectors * lanes);
                let mut j0 = panel;
                while j0 < panel_end {
                    let nr = MAX_TILE_COLUMNS.min(panel_end - j0);
                    let tile = Tile {
                        depth,
                        a: &p.a[i0 + p0 * p.lda..],
                        lda: p.lda,
                        b: &p.b[p0 * p.rs_b + j0 * p.cs_b..],
                        rs_b: p.rs_b,
                        cs_b: p.cs_b,
                        c_offset: i0 + j0 * p.ldc,
                        ldc: p.ldc,
                        rows,
                        accumulate,
                    };
                    match vectors {
                        v if v == MV => by_columns::<T, S, MV>(s, nr, &tile, p.c),
                        2 => by_columns::<T, S, 2>(s, nr, &tile, p.c),
                        _ => by_columns::<T, S, 1>(s, nr, &tile, p.c),
                    }
                    j0 += nr;
                }
                i0 += rows;
            }
            p0 += depth;
        }
        panel = panel_end;
    }
}

/// One tile's operands: `rows` rows of `A` from `a` (column `p` at `p·lda`), the tile's first
/// column of `B` at `b`, its (0, 0) element of `C` at `c_offset`, `depth` steps of the inner
/// dimension.
struct Tile<'a, T> {
    depth: usize,
    a: &'a [T],
    lda: usize,
    b: &'a [T],
    rs_b: usize,
    cs_b: usize,
    c_offset: usize,
    ldc: usize,
    rows: usize,
    accumulate: bool,
}

/// Picks the tile kernel for `nr ≤ 4` columns (a compile-time width for each) and whether the
/// one row vector is partial.
#[inline(always)]
fn by_columns<T: Element, S: Simd, const MV: usize>(
    s: S,
    nr: usize,
    tile: &Tile<'_, T>,
    c: &mut [T],
) {
    if tile.rows == MV * T::lanes::<S>() {
        match nr {
            4 => tile_kernel::<T, S, MV, 4, false>(s, tile, c),
            3 => tile_kernel::<T, S, MV, 3, false>(s, tile, c),
            2 => tile_kernel::<T, S, MV, 2, false>(s, tile, c),
            _ => tile_kernel::<T, S, MV, 1, false>(s, tile, c),
        }
    } else {
        match nr {
            4 => tile_kernel::<T, S, 1, 4, true>(s, tile, c),
            3 => tile_kernel::<T, S, 1, 3, true>(s, tile, c),
            2 => tile_kernel::<T, S, 1, 2, true>(s, tile, c),
            _ => tile_kernel::<T, S, 1, 1, true>(s, tile, c),
        }
    }
}

/// `MV` vectors of rows × `NR` columns of `C`, accumulated in registers over `tile.depth`
/// steps; with `PARTIAL` (and `MV = 1`) the one vector holds fewer than `lanes` rows.
///
/// The loop comes in two forms, for `B` with contiguous columns (the forward pass and `Wᵀ·δ`)
/// and with contiguous rows (`δ·Xᵀ`), so every entry of `B` is read without a bounds check.
#[inline(always)]
fn tile_kernel<T: Element, S: Simd, const MV: usize, const NR: usize, const PARTIAL: bool>(
    s: S,
    tile: &Tile<'_, T>,
    c: &mut [T],
) {
    let lanes = T::lanes::<S>();
    let load = |x: &[T], v: usize| {
        if PARTIAL {
            T::load_partial(s, x)
        } else {
            T::load(s, &x[v * lanes..])
        }
    };
    let mut acc: [[T::V<S>; NR]; MV] = std::array::from_fn(|v| {
        std::array::from_fn(|q| {
            if tile.accumulate {
                load(&c[tile.c_offset + q * tile.ldc..][..tile.rows], v)
            } else {
                T::splat(s, T::ZERO)
            }
        })
    });
    // Column `p` of the tile's rows of `A` (`a_column`, from `tile.a.chunks(lda)`), as vectors.
    let a_vectors = |p: usize, a_column: &[T]| -> [T::V<S>; MV] {
        if PARTIAL {
            // A whole vector wherever one fits in `A`: the lanes past `rows` take the values
            // that follow (the next column), are multiplied along and never stored. The
            // partial load (an indirect call in `pulp`) is left for the last columns.
            let rest = &tile.a[p * tile.lda..];
            std::array::from_fn(|_| {
                if rest.len() >= lanes {
                    T::load(s, rest)
                } else {
                    T::load_partial(s, &rest[..tile.rows])
                }
            })
        } else {
            let a_column = &a_column[..tile.rows];
            std::array::from_fn(|v| T::load(s, &a_column[v * lanes..]))
        }
    };
    let depth = tile.depth;
    let a_columns = tile.a.chunks(tile.lda).take(depth);
    if tile.rs_b == 1 {
        let b_columns: [&[T]; NR] = std::array::from_fn(|q| &tile.b[q * tile.cs_b..][..depth]);
        for (p, a_column) in a_columns.enumerate() {
            let a = a_vectors(p, a_column);
            for q in 0..NR {
                let b = T::splat(s, b_columns[q][p]);
                for v in 0..MV {
                    acc[v][q] = T::mul_add(s, a[v], b, acc[v][q]);
                }
            }
        }
    } else {
        for (p, (b_row, a_column)) in tile.b.chunks(tile.rs_b).zip(a_columns).enumerate() {
            let b_row = &b_row[..NR];
            let a = a_vectors(p, a_column);
            for q in 0..NR {
                let b = T::splat(s, b_row[q]);
                for v in 0..MV {
                    acc[v][q] = T::mul_add(s, a[v], b, acc[v][q]);
                }
            }
        }
    }
    for q in 0..NR {
        let column = &mut c[tile.c_offset + q * tile.ldc..][..tile.rows];
        for (v, acc_v) in acc.iter().enumerate() {
            if PARTIAL {
                T::store_partial(s, column, acc_v[q]);
            } else {
                T::store(s, &mut column[v * lanes..], acc_v[q]);
            }
        }
    }
}
