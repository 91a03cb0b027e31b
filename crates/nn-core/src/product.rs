//! Matrix products for the layers: `C = A·B` or `C += A·B` on column-major buffers, through
//! the SIMD kernel in [`kernel`], with the columns of `C` split across threads for large
//! products.
//!
//! Operands are [`Operand`]s (a slice plus strides), so `Xᵀ` is a zero-copy view. The kernel
//! needs `A` with contiguous rows; a layer that multiplies by `Wᵀ` keeps a transposed copy.

mod kernel;
mod transpose;

pub use kernel::Element;
pub(crate) use transpose::transpose_into;

use crate::{Float, Matrix};

/// Products with fewer multiply-adds than this run on one thread: below it, handing half of
/// the columns to another thread costs more than it saves.
pub(crate) const PARALLEL_MIN_MULTIPLY_ADDS: usize = 1 << 18;

/// [`PARALLEL_MIN_MULTIPLY_ADDS`] for a layer's input gradient `Wᵀ·δ`. Its `Wᵀ` was just
/// written by the calling thread (a transposed copy made each step), so the other core would
/// first have to fetch half of it: in a training-step loop, the 128→64 layer's `Wᵀ·δ` at batch 32
/// (262,144 multiply-adds) was about 4 % of a step faster on one thread than split in two.
pub(crate) const PARALLEL_MIN_INPUT_GRADIENT: usize = 1 << 20;

/// A read-only matrix operand: element (i, j) at `data[i·row_stride + j·col_stride]`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Operand<'a, T> {
    data: &'a [T],
    rows: usize,
    cols: usize,
    row_stride: usize,
    col_stride: usize,
}

impl<'a, T> Operand<'a, T> {
    /// The matrix as it is.
    pub(crate) fn of(m: &'a Matrix<T>) -> Self {
        Self {
            data: m.as_slice(),
            rows: m.nrows(),
            cols: m.ncols(),
            row_stride: 1,
            col_stride: m.nrows(),
        }
    }

    /// The transpose of `m`, without copying: element (i, j) of `mᵀ` is `m(j, i)`.
    pub(crate) fn transposed(m: &'a Matrix<T>) -> Self {
        Self::of(m).t()
    }

    /// The same elements read as the transpose (strides swapped, nothing copied).
    fn t(self) -> Self {
        Self {
            data: self.data,
            rows: self.cols,
            cols: self.rows,
            row_stride: self.col_stride,
            col_stride: self.row_stride,
        }
    }

    /// Columns `from..from + count` of the operand.
    fn columns(self, from: usize, count: usize) -> Self {
        Self {
            cols: count,
            ..self.columns_from(from)
        }
    }

    /// Rows `from..` of the operand: columns `from..` of its transpose.
    fn rows_from(self, from: usize) -> Self {
        self.t().columns_from(from).t()
    }

    /// Columns `from..` of the operand.
    fn columns_from(self, from: usize) -> Self {
        let data = if from == self.cols {
            &self.data[..0]
        } else {
            &self.data[from * self.col_stride..]
        };
        Self {
            data,
            cols: self.cols - from,
            ..self
        }
    }
}

/// Whether a product replaces `C` or adds to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Update {
    /// `C = A·B`; the old `C` is not read.
    Overwrite,
    /// `C += A·B`: every element's sum starts from its old value.
    Accumulate,
}

/// `c = a·b` or `c += a·b`.
///
/// Shapes are the caller's invariant (debug-asserted; a mismatch in release is an index panic,
/// never a wrong result). Large products split the columns of `c` between the threads of the
/// current rayon pool; every element is computed the same way whatever the split, so results
/// are bit-identical for any number of threads.
pub(crate) fn gemm<T: Float>(
    c: &mut Matrix<T>,
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    update: Update,
) {
    gemm_split_from(c, a, b, update, PARALLEL_MIN_MULTIPLY_ADDS);
}

/// [`gemm`], split across threads only from `parallel_min` multiply-adds up.
pub(crate) fn gemm_split_from<T: Float>(
    c: &mut Matrix<T>,
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    update: Update,
    parallel_min: usize,
) {
    gemm_cut(c, a, b, update, parallel_min, None);
}

/// [`gemm_split_from`], whose columns on two threads are cut where `cut` says (see
/// [`ColumnCut`]) instead of at the middle.
pub(crate) fn gemm_cut<T: Float>(
    c: &mut Matrix<T>,
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    update: Update,
    parallel_min: usize,
    cut: Option<&mut ColumnCut>,
) {
    debug_assert_eq!(a.cols, b.rows, "inner dimensions");
    debug_assert_eq!(c.shape(), (a.rows, b.cols), "output shape");
    let (m, n, k) = (a.rows, b.cols, a.cols);
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        // An empty sum.
        if update == Update::Overwrite {
            c.fill(T::zero());
        }
        return;
    }
    let threads = if m * n * k >= parallel_min {
        rayon::current_num_threads()
    } else {
        1
    };
    match cut {
        Some(cut) if threads == 2 && n >= 2 * kernel::MAX_TILE_COLUMNS => {
            let ((c_left, b_left), (c_right, b_right)) =
                cut_columns(c.as_mut_slice(), m, b, cut.columns(n));
            let (_, _, finish) = nn_handover::join_reporting(
                || multiply(c_left, m, a, b_left, update),
                || multiply(c_right, m, a, b_right, update),
            );
            cut.follow(finish, n);
        }
        _ => split_columns(c.as_mut_slice(), m, a, b, update, threads),
    }
}

/// Where a product on two threads cuts the columns of `c` (the calling thread takes those
/// before the cut): at first the middle, then one kernel tile per call towards the thread
/// that finished first, so that a core slower than the other (on the benchmark machine the
/// second one, by about 10 % on memory-heavy work) gets fewer columns. Every column is
/// computed the same way wherever the cut falls, so results keep their bits.
#[derive(Clone, Debug, Default)]
pub(crate) struct ColumnCut {
    /// The current cut; 0 until the first product (or for another width).
    at: usize,
    /// The number of columns `at` is for.
    of: usize,
}

impl ColumnCut {
    /// The cut for a product with `n` columns: the current one, or the middle when `n` is
    /// new.
    fn columns(&mut self, n: usize) -> usize {
        if self.of != n {
            self.at = split_point(n, 1, 2);
            self.of = n;
        }
        self.at
    }

    /// Moves the cut one tile towards the thread that finished first, within the middle half
    /// of the columns.
    fn follow(&mut self, finish: nn_handover::Finish, n: usize) {
        let tile = kernel::MAX_TILE_COLUMNS;
        let lowest = split_point(n, 1, 4).max(tile);
        let highest = split_point(n, 3, 4).min(n - tile);
        self.at = match finish {
            nn_handover::Finish::CallerWaited => (self.at + tile).min(highest),
            nn_handover::Finish::WorkerWaited => self.at.saturating_sub(tile).max(lowest),
            nn_handover::Finish::Alone => self.at,
        };
    }
}

/// Splits the columns of `c` into `parts` runs (multiples of the kernel's tile width) computed
/// in parallel.
fn split_columns<T: Float>(
    c: &mut [T],
    ldc: usize,
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    update: Update,
    parts: usize,
) {
    let n = b.cols;
    if parts < 2 || n < 2 * kernel::MAX_TILE_COLUMNS {
        multiply(c, ldc, a, b, update);
        return;
    }
    let left_parts = parts / 2;
    let mid = split_point(n, left_parts, parts);
    let ((c_left, b_left), (c_right, b_right)) = cut_columns(c, ldc, b, mid);
    nn_handover::join(
        || split_columns(c_left, ldc, a, b_left, update, left_parts),
        || split_columns(c_right, ldc, a, b_right, update, parts - left_parts),
    );
}

/// A run of columns of a product's output and the columns of `B` that produce them.
type ColumnRun<'c, 'b, T> = (&'c mut [T], Operand<'b, T>);

/// The columns of `c` (columns `ldc` apart) and of `b` before `mid`, and those from `mid` on.
fn cut_columns<'c, 'b, T>(
    c: &'c mut [T],
    ldc: usize,
    b: Operand<'b, T>,
    mid: usize,
) -> (ColumnRun<'c, 'b, T>, ColumnRun<'c, 'b, T>) {
    let (c_left, c_right) = c.split_at_mut(mid * ldc);
    (
        (c_left, Operand { cols: mid, ..b }),
        (c_right, b.columns_from(mid)),
    )
}

/// Where a product with `n` columns in its output cuts them between two threads (the calling
/// thread takes the columns before it); `n` when it would not cut them. Element-wise passes
/// over a weight gradient cut there too, so that each core touches the half it computed.
pub(crate) fn two_way_split(n: usize) -> usize {
    if n < 2 * kernel::MAX_TILE_COLUMNS {
        return n;
    }
    split_point(n, 1, 2)
}

/// Whether a weight gradient `C = A·B` with `C` of `m × n` (the weight's shape) and an inner
/// dimension `k` (the batch) splits its columns across the threads of the current pool, as
/// [`crate::Dense`] computes it.
pub(crate) fn splits_columns(m: usize, n: usize, k: usize) -> bool {
    m * n >= crate::threads::SPLIT_TENSORS_FROM
        && m * n * k >= PARALLEL_MIN_MULTIPLY_ADDS
        && n >= 2 * kernel::MAX_TILE_COLUMNS
        && rayon::current_num_threads() >= 2
}

/// Where [`split_columns`] cuts `n` columns when `left_parts` of `parts` threads take the
/// left side: a multiple of the kernel's tile width.
fn split_point(n: usize, left_parts: usize, parts: usize) -> usize {
    let tile = kernel::MAX_TILE_COLUMNS;
    (n * left_parts / parts).div_ceil(tile) * tile
}

/// How [`gemm_in_two_halves`] shares its work between threads. Both give the same bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HalvesSplit {
    /// One thread per half of the inner dimension (then by columns of `c` within a half): in
    /// training, where each core owns the half of `W`'s columns that it differentiates and
    /// updates.
    ByInputs,
    /// Columns of `c` per thread, each thread summing both halves of its own columns: in
    /// inference, where `W` is only read and every core may keep all of it.
    ByColumns,
}

/// `c += a·b` summed in two halves of the inner dimension: every element of `c` becomes
///
/// ```text
/// (c + Σ_{p < mid} a(i,p)·b(p,j)) + Σ_{p ≥ mid} a(i,p)·b(p,j)
/// ```
///
/// each sum one fused multiply-add chain in order (the first starting from `c`, the second
/// from zero into `second_half`, a workspace resized as needed), then one addition. `mid` is
/// where [`gemm`] splits `k` columns, so with [`HalvesSplit::ByInputs`] on two threads the
/// calling thread's half of `a`'s columns is the half of the weight gradient's columns it
/// computes (and the optimizer updates): each core reads only its own half of a weight
/// matrix, and only the `m × n` second half crosses between the cores.
///
/// The work is shared between threads only from `parallel_min` multiply-adds up. The result
/// depends on `mid` alone, never on the number of threads or on `split`. An inner dimension
/// shorter than two kernel tiles is not split: that is [`gemm`]'s `c += a·b`.
pub(crate) fn gemm_in_two_halves<T: Float>(
    c: &mut Matrix<T>,
    second_half: &mut Matrix<T>,
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    split: HalvesSplit,
    parallel_min: usize,
) {
    debug_assert_eq!(a.cols, b.rows, "inner dimensions");
    debug_assert_eq!(c.shape(), (a.rows, b.cols), "output shape");
    let (m, n, k) = (a.rows, b.cols, a.cols);
    if k < 2 * kernel::MAX_TILE_COLUMNS {
        gemm(c, a, b, Update::Accumulate);
        return;
    }
    crate::layer::ensure_shape(second_half, m, n);
    if m == 0 || n == 0 {
        return;
    }
    // Strictly inside 1..k for k ≥ 2 tiles: both halves are non-empty.
    let mid = split_point(k, 1, 2);
    let halves = Halves {
        rows: m,
        a_first: a.columns(0, mid),
        b_first: Operand { rows: mid, ..b },
        a_second: a.columns_from(mid),
        b_second: b.rows_from(mid),
    };
    let threads = if m * n * k >= parallel_min {
        rayon::current_num_threads()
    } else {
        1
    };
    let (c, second_half) = (c.as_mut_slice(), second_half.as_mut_slice());
    match split {
        HalvesSplit::ByInputs if threads >= 2 => {
            let left = threads / 2;
            nn_handover::join(
                || halves.first(c, 0, left),
                || halves.second(second_half, 0, threads - left),
            );
            add_assign(c, second_half, m, threads);
        }
        _ => halves.by_columns(c, second_half, 0, threads),
    }
}

/// The operands of [`gemm_in_two_halves`], cut at the middle of the inner dimension.
#[derive(Clone, Copy)]
struct Halves<'a, T> {
    rows: usize,
    a_first: Operand<'a, T>,
    b_first: Operand<'a, T>,
    a_second: Operand<'a, T>,
    b_second: Operand<'a, T>,
}

impl<T: Float> Halves<'_, T> {
    /// `c += A₁·B₁` for the columns `from..` of `B` that `c` holds, over `parts` threads.
    fn first(&self, c: &mut [T], from: usize, parts: usize) {
        let b = self.b_first.columns(from, c.len() / self.rows);
        split_columns(c, self.rows, self.a_first, b, Update::Accumulate, parts);
    }

    /// `half = A₂·B₂` for the columns `from..` of `B` that `half` holds, over `parts` threads.
    fn second(&self, half: &mut [T], from: usize, parts: usize) {
        let b = self.b_second.columns(from, half.len() / self.rows);
        split_columns(half, self.rows, self.a_second, b, Update::Overwrite, parts);
    }

    /// Both halves and their sum for the columns `from..` held by `c` and `half`, the columns
    /// shared out between `parts` threads, each summing its own in panels that stay in cache.
    fn by_columns(&self, c: &mut [T], half: &mut [T], from: usize, parts: usize) {
        let n = c.len() / self.rows;
        if parts >= 2 && n >= 2 * kernel::MAX_TILE_COLUMNS {
            let left = parts / 2;
            let mid = split_point(n, left, parts);
            let (c_left, c_right) = c.split_at_mut(mid * self.rows);
            let (half_left, half_right) = half.split_at_mut(mid * self.rows);
            nn_handover::join(
                || self.by_columns(c_left, half_left, from, left),
                || self.by_columns(c_right, half_right, from + mid, parts - left),
            );
            return;
        }
        let panel = PANEL_COLUMNS * self.rows;
        for (j, (c, half)) in c.chunks_mut(panel).zip(half.chunks_mut(panel)).enumerate() {
            let at = from + j * PANEL_COLUMNS;
            self.first(c, at, 1);
            self.second(half, at, 1);
            add_assign(c, half, self.rows, 1);
        }
    }
}

/// Columns of `C` a thread sums both halves of at a time in [`HalvesSplit::ByColumns`]: the
/// second half's panel is added while it is still in cache.
const PANEL_COLUMNS: usize = 256;

/// Outputs below this many elements are added up on one thread.
const PARALLEL_MIN_ADD: usize = 1 << 16;

/// `c += x` element by element, in runs of whole columns (of `rows` elements) split across
/// `threads` when long.
fn add_assign<T: Float>(c: &mut [T], x: &[T], rows: usize, threads: usize) {
    if threads < 2 || c.len() < PARALLEL_MIN_ADD {
        for (z, &p) in c.iter_mut().zip(x) {
            *z += p;
        }
        return;
    }
    let mid = (c.len() / rows / 2) * rows;
    let (c_left, c_right) = c.split_at_mut(mid);
    let (x_left, x_right) = x.split_at(mid);
    let left = threads / 2;
    nn_handover::join(
        || add_assign(c_left, x_left, rows, left),
        || add_assign(c_right, x_right, rows, threads - left),
    );
}

/// One thread's share: the SIMD kernel when `A`'s rows and `B`'s rows or columns are
/// contiguous (every product the layers make), else the reference loop.
fn multiply<T: Float>(
    c: &mut [T],
    ldc: usize,
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    update: Update,
) {
    // A stride along a dimension of length 1 is never used; give it the value that makes the
    // operand look contiguous to the kernel.
    let lda = if a.cols == 1 { a.rows } else { a.col_stride };
    let rs_b = if b.rows == 1 { b.cols } else { b.row_stride };
    let cs_b = if b.cols == 1 { 1 } else { b.col_stride };
    let a_rows_contiguous = a.row_stride == 1 || a.rows == 1;
    if a_rows_contiguous && lda >= a.rows && (rs_b == 1 || cs_b == 1) {
        kernel::run(kernel::Product {
            m: a.rows,
            n: b.cols,
            k: a.cols,
            a: a.data,
            lda,
            b: b.data,
            rs_b,
            cs_b,
            c,
            ldc,
            accumulate: update == Update::Accumulate,
        });
    } else {
        reference_loop(c, ldc, a, b, update);
    }
}

/// The plain triple loop with the kernel's arithmetic: per element, one fused multiply-add
/// chain over the inner dimension in order.
fn reference_loop<T: Float>(
    c: &mut [T],
    ldc: usize,
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    update: Update,
) {
    for j in 0..b.cols {
        for i in 0..a.rows {
            let out = &mut c[i + j * ldc];
            let mut acc = match update {
                Update::Overwrite => T::zero(),
                Update::Accumulate => *out,
            };
            for p in 0..a.cols {
                acc = a.data[i * a.row_stride + p * a.col_stride]
                    .mul_add(b.data[p * b.row_stride + j * b.col_stride], acc);
            }
            *out = acc;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(rows: usize, cols: usize, phase: f64) -> Matrix<f64> {
        Matrix::from_fn(rows, cols, |i, j| {
            (i as f64 * 0.37 + j as f64 * 0.71 + phase).sin()
        })
    }

    fn check(m: usize, k: usize, n: usize) {
        let a = sample(m, k, 0.1);
        let at = a.transpose();
        let b = sample(k, n, 0.5);
        let bt = b.transpose();
        let c0 = sample(m, n, 0.9);
        for (a_op, b_op) in [
            (Operand::of(&a), Operand::of(&b)),
            (Operand::of(&a), Operand::transposed(&bt)),
            (Operand::transposed(&at), Operand::of(&b)),
            (Operand::transposed(&at), Operand::transposed(&bt)),
        ] {
            let mut c = c0.clone();
            gemm(&mut c, a_op, b_op, Update::Accumulate);
            assert!((&c - (&a * &b + &c0)).abs().max() < 1e-12, "{m}×{k}×{n}");
            let mut c = Matrix::from_element(m, n, f64::NAN);
            gemm(&mut c, a_op, b_op, Update::Overwrite);
            assert!(
                (&c - &a * &b).abs().max() < 1e-12,
                "overwrite must not read C"
            );
        }
    }

    #[test]
    fn products_match_nalgebra_for_every_edge_shape() {
        for m in [1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40, 64, 65, 100] {
            for n in [1, 3, 4, 5, 8, 9, 13, 17] {
                for k in [1, 2, 9] {
                    check(m, k, n);
                }
            }
        }
        // Inner dimensions longer than one cache block.
        for k in [200, 700] {
            check(70, k, 6);
        }
    }

    #[test]
    fn f32_products_match_the_reference_loop_exactly() {
        // Both compute each element as the same chain of fused multiply-adds. (On a CPU
        // without FMA the kernel rounds each product, so the check only runs with FMA.)
        #[cfg(target_arch = "x86_64")]
        if !std::arch::is_x86_feature_detected!("fma") {
            return;
        }
        // 77 rows end in a partial vector whose loads run into the next column of `A`; 10
        // rows (the MNIST output layer) are one partial vector, with `B` read both ways.
        for (m, k, n) in [(77, 500, 21), (10, 64, 32), (10, 32, 64)] {
            let a = sample(m, k, 0.2).map(|x| x as f32);
            let b = sample(k, n, 0.4).map(|x| x as f32);
            let bt = b.transpose();
            let c0 = sample(m, n, 0.7).map(|x| x as f32);
            for b_op in [Operand::of(&b), Operand::transposed(&bt)] {
                for update in [Update::Overwrite, Update::Accumulate] {
                    let mut fast = c0.clone();
                    gemm(&mut fast, Operand::of(&a), b_op, update);
                    let mut reference = c0.clone();
                    reference_loop(reference.as_mut_slice(), m, Operand::of(&a), b_op, update);
                    assert_eq!(fast, reference, "{m}×{k}×{n} {update:?}");
                }
            }
        }
    }

    /// The two-halves sum written out with the reference loop: `(c + A₁·B₁) + A₂·B₂`.
    fn two_halves_reference(
        c0: &Matrix<f32>,
        a: &Matrix<f32>,
        b: &Matrix<f32>,
        mid: usize,
    ) -> Matrix<f32> {
        let k = a.ncols();
        let (m, n) = c0.shape();
        let mut first = c0.clone();
        let a1 = Operand::of(a).columns(0, mid);
        let b1 = Operand {
            rows: mid,
            ..Operand::of(b)
        };
        reference_loop(first.as_mut_slice(), m, a1, b1, Update::Accumulate);
        let mut second = Matrix::zeros(m, n);
        let a2 = Operand::of(a).columns(mid, k - mid);
        let b2 = Operand::of(b).rows_from(mid);
        reference_loop(second.as_mut_slice(), m, a2, b2, Update::Overwrite);
        first + second
    }

    #[test]
    fn two_halves_are_summed_in_the_documented_order_on_any_thread_count() {
        #[cfg(target_arch = "x86_64")]
        if !std::arch::is_x86_feature_detected!("fma") {
            return;
        }
        // (m, k, n): an odd inner dimension, a middle that is not half of it (k = 790 gives
        // 396), and sizes above and below the thread threshold.
        // 600 columns: more than two panels per thread when split by columns.
        for (m, k, n) in [(128, 784, 64), (70, 790, 33), (5, 9, 3), (40, 300, 600)] {
            let a = sample(m, k, 0.2).map(|x| x as f32);
            let b = sample(k, n, 0.4).map(|x| x as f32);
            let c0 = sample(m, n, 0.7).map(|x| x as f32);
            let expected = two_halves_reference(&c0, &a, &b, split_point(k, 1, 2));
            for threads in [1, 2, 3] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .expect("a small thread pool");
                for split in [HalvesSplit::ByInputs, HalvesSplit::ByColumns] {
                    let mut c = c0.clone();
                    // A stale workspace of another shape must not leak into the result.
                    let mut half = Matrix::from_element(3, 2, f32::NAN);
                    let (a, b) = (Operand::of(&a), Operand::of(&b));
                    pool.install(|| {
                        gemm_in_two_halves(
                            &mut c,
                            &mut half,
                            a,
                            b,
                            split,
                            PARALLEL_MIN_MULTIPLY_ADDS,
                        )
                    });
                    assert_eq!(c, expected, "{m}×{k}×{n}, {threads} threads, {split:?}");
                }
            }
        }
    }

    #[test]
    fn two_halves_compute_the_product() {
        for (m, k, n) in [(9, 8, 5), (33, 257, 17), (64, 40, 1)] {
            let a = sample(m, k, 0.1);
            let b = sample(k, n, 0.5);
            let c0 = sample(m, n, 0.9);
            let mut c = c0.clone();
            let mut half = Matrix::zeros(0, 0);
            let split = HalvesSplit::ByInputs;
            let (oa, ob) = (Operand::of(&a), Operand::of(&b));
            gemm_in_two_halves(&mut c, &mut half, oa, ob, split, PARALLEL_MIN_MULTIPLY_ADDS);
            assert!((&c - (&a * &b + &c0)).abs().max() < 1e-12, "{m}×{k}×{n}");
        }
        // Too short to split: one chain, like `gemm`.
        let a = sample(4, 7, 0.3);
        let b = sample(7, 6, 0.6);
        let mut split = Matrix::zeros(4, 6);
        let mut half = Matrix::zeros(0, 0);
        let (a, b) = (Operand::of(&a), Operand::of(&b));
        let by_columns = HalvesSplit::ByColumns;
        gemm_in_two_halves(
            &mut split,
            &mut half,
            a,
            b,
            by_columns,
            PARALLEL_MIN_MULTIPLY_ADDS,
        );
        let mut single = Matrix::zeros(4, 6);
        gemm(&mut single, a, b, Update::Accumulate);
        assert_eq!(split, single);
    }

    #[test]
    fn transpose_into_matches_nalgebra() {
        for (rows, cols) in [(1, 1), (3, 40), (40, 3), (17, 33), (64, 128)] {
            let m = sample(rows, cols, 0.4);
            let mut t = Matrix::zeros(0, 0);
            transpose_into(&m, &mut t);
            assert_eq!(t, m.transpose(), "{rows}×{cols}");
        }
    }

    #[test]
    fn empty_inner_dimension_is_an_empty_sum() {
        let a = Matrix::<f64>::zeros(3, 0);
        let b = Matrix::<f64>::zeros(0, 2);
        let mut c = Matrix::from_element(3, 2, 4.0);
        gemm(&mut c, Operand::of(&a), Operand::of(&b), Update::Accumulate);
        assert_eq!(c, Matrix::from_element(3, 2, 4.0));
        gemm(&mut c, Operand::of(&a), Operand::of(&b), Update::Overwrite);
        assert_eq!(c, Matrix::zeros(3, 2));
    }

    #[test]
    fn the_cut_follows_the_thread_that_waited_within_the_middle_half() {
        use nn_handover::Finish;
        let mut cut = ColumnCut::default();
        assert_eq!(cut.columns(784), 392);
        cut.follow(Finish::CallerWaited, 784);
        cut.follow(Finish::CallerWaited, 784);
        assert_eq!(cut.columns(784), 400);
        cut.follow(Finish::WorkerWaited, 784);
        cut.follow(Finish::Alone, 784);
        assert_eq!(cut.columns(784), 396);
        for _ in 0..1000 {
            cut.follow(Finish::CallerWaited, 784);
        }
        assert_eq!(cut.columns(784), 588);
        for _ in 0..1000 {
            cut.follow(Finish::WorkerWaited, 784);
        }
        assert_eq!(cut.columns(784), 196);
        // Another width starts again from its middle.
        assert_eq!(cut.columns(100), 52);
    }

    #[test]
    fn any_cut_gives_the_same_bits() {
        let a = sample(128, 32, 0.3).map(|x| x as f32);
        let b = sample(32, 300, 0.6).map(|x| x as f32);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("a small thread pool");
        let mut one = Matrix::<f32>::zeros(128, 300);
        gemm_split_from(
            &mut one,
            Operand::of(&a),
            Operand::of(&b),
            Update::Overwrite,
            1,
        );
        for at in [8, 100, 152, 200, 292] {
            let mut cut = ColumnCut { at, of: 300 };
            let mut c = Matrix::<f32>::from_element(128, 300, f32::NAN);
            pool.install(|| {
                crate::threads::keep_workers_spinning(|| {
                    let (oa, ob) = (Operand::of(&a), Operand::of(&b));
                    gemm_cut(&mut c, oa, ob, Update::Overwrite, 1, Some(&mut cut));
                })
            });
            assert_eq!(c, one, "cut at {at}");
        }
    }

    #[test]
    fn thread_count_does_not_change_a_single_bit() {
        let a = sample(128, 300, 0.3).map(|x| x as f32);
        let b = sample(300, 100, 0.6).map(|x| x as f32);
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a small thread pool");
            let mut c = Matrix::<f32>::zeros(128, 100);
            pool.install(|| gemm(&mut c, Operand::of(&a), Operand::of(&b), Update::Overwrite));
            c
        };
        let one = run(1);
        assert_eq!(one, run(2));
        assert_eq!(one, run(3));
    }
}
