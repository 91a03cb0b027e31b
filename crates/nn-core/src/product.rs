//! Matrix products for the layers: nalgebra's GEMM kernel, with a plain loop for tiny shapes.

use nalgebra::{DMatrixView, Dyn};

use crate::{Float, Matrix};

/// nalgebra switches to its GEMM kernel only when every dimension exceeds this; below it the
/// fallback mishandles row-major strided views, so tiny products use [`gemm_small`].
const SMALL_DIM: usize = 5;

/// A zero-copy transposed view of a column-major matrix.
pub(crate) fn transposed<T: Float>(m: &Matrix<T>) -> DMatrixView<'_, T, Dyn, Dyn> {
    // Element (i, j) of mᵀ is m(j, i), stored at j + i·nrows(m): row stride nrows, column stride 1.
    DMatrixView::from_slice_with_strides(m.as_slice(), m.ncols(), m.nrows(), m.nrows(), 1)
}

/// `c = alpha·a·b + beta·c` (with `c` not read when `beta = 0`). Shapes are the caller's
/// invariant and only debug-asserted.
pub(crate) fn gemm<T: Float>(
    c: &mut Matrix<T>,
    alpha: T,
    a: &DMatrixView<'_, T, Dyn, Dyn>,
    b: &DMatrixView<'_, T, Dyn, Dyn>,
    beta: T,
) {
    debug_assert_eq!(a.ncols(), b.nrows());
    debug_assert_eq!(c.shape(), (a.nrows(), b.ncols()));
    let large = [c.nrows(), c.ncols(), a.nrows(), a.ncols()]
        .iter()
        .all(|&d| d > SMALL_DIM);
    if large {
        c.gemm(alpha, a, b, beta);
    } else {
        gemm_small(c, alpha, a, b, beta);
    }
}

/// Straightforward triple loop for products with a dimension of at most [`SMALL_DIM`].
fn gemm_small<T: Float>(
    c: &mut Matrix<T>,
    alpha: T,
    a: &DMatrixView<'_, T, Dyn, Dyn>,
    b: &DMatrixView<'_, T, Dyn, Dyn>,
    beta: T,
) {
    let inner = a.ncols();
    for j in 0..c.ncols() {
        for i in 0..c.nrows() {
            let mut acc = T::zero();
            for k in 0..inner {
                acc += a[(i, k)] * b[(k, j)];
            }
            let prior = if beta == T::zero() {
                T::zero()
            } else {
                beta * c[(i, j)]
            };
            c[(i, j)] = alpha * acc + prior;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(m: usize, k: usize, n: usize) {
        let a = Matrix::from_fn(k, m, |i, j| (i as f64 * 0.3 - j as f64 * 0.7).sin());
        let b = Matrix::from_fn(k, n, |i, j| (i as f64 * 1.1 + j as f64 * 0.2).cos());
        let mut c = Matrix::from_element(m, n, 1.0);
        gemm(&mut c, 2.0, &transposed(&a), &b.as_view(), 0.5);
        let expected = a.transpose() * &b * 2.0 + Matrix::from_element(m, n, 0.5);
        assert!((c - expected).abs().max() < 1e-12, "{m}×{k}×{n}");
    }

    #[test]
    fn transposed_products_match_for_small_and_large_shapes() {
        for &(m, k, n) in &[
            (1, 1, 1),
            (2, 3, 1),
            (3, 7, 9),
            (9, 3, 7),
            (8, 9, 10),
            (13, 6, 6),
        ] {
            check(m, k, n);
        }
    }
}
