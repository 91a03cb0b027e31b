//! `dst = srcᵀ` for column-major matrices: four source columns at a time, interleaved in
//! SIMD registers into quads that are stored as four consecutive values of a row.

use pulp::{Arch, Simd, WithSimd};

use super::kernel::Element;
use crate::{Float, Matrix};

/// More lanes than any instruction set has for `f32` (AVX-512: 16).
const MAX_LANES: usize = 64;

/// Writes `src`ᵀ into `dst` (resized only when its shape differs).
///
/// A plain copy, so the values are exactly `src`'s. Used once per training step for each
/// dense layer whose input gradient `Wᵀ·δ` is needed.
pub(crate) fn transpose_into<T: Float>(src: &Matrix<T>, dst: &mut Matrix<T>) {
    let (rows, cols) = src.shape();
    crate::layer::ensure_shape(dst, cols, rows);
    Arch::new().dispatch(Transpose {
        from: src.as_slice(),
        rows,
        cols,
        to: dst.as_mut_slice(),
    });
}

/// One transpose: `from` is `rows × cols`, `to` is `cols × rows`, both column-major.
struct Transpose<'a, T> {
    from: &'a [T],
    rows: usize,
    cols: usize,
    to: &'a mut [T],
}

impl<T: Element> WithSimd for Transpose<'_, T> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) {
        let Self {
            from,
            rows,
            cols,
            to,
        } = self;
        let lanes = T::lanes::<S>();
        // Which row each quad of an interleave comes from (the order depends on the
        // instruction set): read it off by interleaving the lane indices once.
        let mut index = [T::ZERO; MAX_LANES];
        for (lane, x) in index[..lanes].iter_mut().enumerate() {
            *x = T::from_index(lane);
        }
        let lane_index = T::load(simd, &index);
        let probe = T::interleave4(simd, [lane_index; 4]);
        let mut order = [0usize; MAX_LANES];
        for (row, quad) in order
            .iter_mut()
            .zip(T::scalars::<S>(&probe).chunks_exact(4))
        {
            *row = quad[0].to_index();
        }
        let order = &order[..lanes];

        let full_rows = rows - rows % lanes;
        let full_cols = cols - cols % 4;
        let column = |j: usize| &from[j * rows..(j + 1) * rows];
        for j in (0..full_cols).step_by(4) {
            let columns = [column(j), column(j + 1), column(j + 2), column(j + 3)];
            for i0 in (0..full_rows).step_by(lanes) {
                let quads = T::interleave4(simd, columns.map(|c| T::load(simd, &c[i0..])));
                for (quad, &r) in T::scalars::<S>(&quads).chunks_exact(4).zip(order) {
                    // src(i, j..j + 4) is dst(j..j + 4, i), four consecutive values.
                    let at = (i0 + r) * cols + j;
                    to[at..at + 4].copy_from_slice(quad);
                }
            }
            for i in full_rows..rows {
                for (offset, c) in columns.iter().enumerate() {
                    to[i * cols + j + offset] = c[i];
                }
            }
        }
        for j in full_cols..cols {
            for (i, &x) in column(j).iter().enumerate() {
                to[i * cols + j] = x;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample<T: Float>(rows: usize, cols: usize) -> Matrix<T> {
        Matrix::from_fn(rows, cols, |i, j| T::cast((i * 1000 + j) as f64 + 0.5))
    }

    /// `m`ᵀ through the instruction set `simd`.
    fn with<S: Simd>(simd: S, m: &Matrix<f32>) -> Vec<f32> {
        let (rows, cols) = m.shape();
        let mut to = vec![0.0; rows * cols];
        Transpose {
            from: m.as_slice(),
            rows,
            cols,
            to: &mut to,
        }
        .with_simd(simd);
        to
    }

    #[test]
    fn transpose_into_matches_nalgebra_for_every_tail() {
        // Rows around the vector widths (8 and 16 lanes of f32, 4 and 8 of f64) and columns
        // around the quads, plus the layer shapes of the MNIST network.
        for rows in [1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 33, 64, 128] {
            for cols in [1, 2, 3, 4, 5, 8, 10, 13, 64] {
                let m = sample::<f32>(rows, cols);
                let mut t = Matrix::zeros(0, 0);
                transpose_into(&m, &mut t);
                assert_eq!(t, m.transpose(), "f32 {rows}×{cols}");
                let m = sample::<f64>(rows, cols);
                let mut t = Matrix::from_element(2, 2, 7.0);
                transpose_into(&m, &mut t);
                assert_eq!(t, m.transpose(), "f64 {rows}×{cols}");
            }
        }
        for (rows, cols) in [(64, 128), (10, 64), (128, 784), (0, 5), (5, 0)] {
            // The portable fallback (one lane) as well as the machine's widest set.
            let m = sample::<f32>(rows, cols);
            let expected = m.transpose();
            assert_eq!(with(pulp::Scalar::new(), &m), expected.as_slice(), "scalar");
            #[cfg(target_arch = "x86_64")]
            if let Some(avx2) = pulp::x86::V3::try_new() {
                assert_eq!(with(avx2, &m), expected.as_slice(), "AVX2 {rows}×{cols}");
            }
            let m = sample::<f32>(rows, cols);
            let mut t = Matrix::zeros(0, 0);
            transpose_into(&m, &mut t);
            assert_eq!(t, m.transpose(), "{rows}×{cols}");
        }
    }
}
