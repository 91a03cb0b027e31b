//! L2 weight regularisation, as in the course notes: `λ/(2m)·Σ‖W‖²` added to the loss and
//! `λ/m·W` added to each weight gradient, `m` being the batch size. Biases are not penalised.

use pulp::{Arch, Simd, WithSimd};

use crate::{CoreError, Float, Matrix, Param, ParamKind, product};

/// Checks that an L2 strength is non-negative and finite, also once rounded to `f32` (the
/// gradient term `λ/m·W` is computed in the network's scalar type).
///
/// # Errors
/// [`CoreError::InvalidHyperparameter`] otherwise.
pub fn validate_l2(lambda: f64) -> Result<(), CoreError> {
    if (0.0..=f64::from(f32::MAX)).contains(&lambda) {
        Ok(())
    } else {
        Err(CoreError::InvalidHyperparameter {
            name: "l2 lambda",
            value: lambda,
            reason: "must be finite (in f32) and non-negative",
        })
    }
}

/// The penalty `λ/(2m)·Σ‖W‖²_F` over the weight parameters, `m` being the batch size.
///
/// Each weight's `Σw²` is accumulated in `f64` in a fixed order that depends on its shape
/// alone, so the value is the same on any number of threads: the sum of its two halves (cut
/// where the weight gradient's product shares its columns between two threads), each half
/// summed in 32 interleaved sums (element `i` into sum `i mod 32`) then added pairwise.
///
/// # Errors
/// [`CoreError::InvalidHyperparameter`] for a negative or non-finite `λ`,
/// [`CoreError::EmptyBatch`] for a batch of 0.
pub fn l2_penalty<'a, T: Float>(
    params: impl IntoIterator<Item = &'a Param<T>>,
    lambda: f64,
    batch: usize,
) -> Result<f64, CoreError> {
    check_l2(lambda, batch)?;
    Ok(penalty(params, lambda, batch, |p: &Param<T>| {
        let halves = Halves::of(&p.value, batch);
        let (left, right) = p.value.as_slice().split_at(halves.mid);
        halves.join(
            || squares_then_add(left, None, T::zero()),
            || squares_then_add(right, None, T::zero()),
        )
    }))
}

/// Adds `λ/m·W` to the gradient of every weight parameter.
///
/// # Errors
/// As [`l2_penalty`], and [`CoreError::ShapeMismatch`] for a gradient whose shape is not its
/// weight's (gradients before that one have been updated).
pub fn add_l2_gradient<'a, T: Float>(
    params: impl IntoIterator<Item = &'a mut Param<T>>,
    lambda: f64,
    batch: usize,
) -> Result<(), CoreError> {
    check_l2(lambda, batch)?;
    apply_l2(params, lambda, batch).map(|_| ())
}

/// [`add_l2_gradient`] and [`l2_penalty`] in one pass over the weights: adds `λ/m·W` to each
/// weight gradient and returns the penalty. `λ` and `m` must have passed [`check_l2`].
///
/// Every gradient element becomes `g + (λ/m)·w`, one rounding after the product and one after
/// the sum, as the scalar expression; the penalty is summed as [`l2_penalty`] says. On two
/// threads or more, a weight whose gradient product was split has its halves
/// done on two threads, each core the half it computed; the result is the same either way.
///
/// # Errors
/// [`CoreError::ShapeMismatch`] for a gradient whose shape is not its weight's.
pub(crate) fn apply_l2<'a, T: Float>(
    params: impl IntoIterator<Item = &'a mut Param<T>>,
    lambda: f64,
    batch: usize,
) -> Result<f64, CoreError> {
    let k = T::cast(lambda / batch as f64);
    let mut mismatch = None;
    let value = penalty(params, lambda, batch, |p: &mut Param<T>| {
        if p.grad.shape() != p.value.shape() {
            mismatch.get_or_insert((p.value.shape(), p.grad.shape()));
            return 0.0;
        }
        let halves = Halves::of(&p.value, batch);
        let (w_left, w_right) = p.value.as_slice().split_at(halves.mid);
        let (g_left, g_right) = p.grad.as_mut_slice().split_at_mut(halves.mid);
        halves.join(
            || squares_then_add(w_left, Some(g_left), k),
            || squares_then_add(w_right, Some(g_right), k),
        )
    });
    match mismatch {
        None => Ok(value),
        Some((expected, got)) => Err(CoreError::ShapeMismatch {
            what: "gradient of a weight, for the L2 term".into(),
            expected,
            got,
        }),
    }
}

/// Checks an L2 strength and the batch size it is divided by.
pub(crate) fn check_l2(lambda: f64, batch: usize) -> Result<(), CoreError> {
    validate_l2(lambda)?;
    if batch == 0 {
        return Err(CoreError::EmptyBatch {
            context: "an L2 penalty",
        });
    }
    Ok(())
}

/// `λ/(2m)` times the sum over the weight parameters (biases are skipped) of `squares(p)`.
fn penalty<T: Float, P: std::ops::Deref<Target = Param<T>>>(
    params: impl IntoIterator<Item = P>,
    lambda: f64,
    batch: usize,
    squares: impl FnMut(P) -> f64,
) -> f64 {
    let sum: f64 = params
        .into_iter()
        .filter(|p| p.kind == ParamKind::Weight)
        .map(squares)
        .sum();
    lambda / (2.0 * batch as f64) * sum
}

/// A weight matrix cut in two at the column where its gradient's product splits.
struct Halves {
    /// Elements before the cut.
    mid: usize,
    /// Whether to do the two halves on two threads.
    parallel: bool,
}

impl Halves {
    fn of<T: Float>(w: &Matrix<T>, batch: usize) -> Self {
        let (rows, cols) = w.shape();
        Self {
            mid: product::two_way_split(cols) * rows,
            parallel: product::splits_columns(rows, cols, batch),
        }
    }

    /// `left() + right()`, on two threads when `parallel`.
    fn join(&self, left: impl FnOnce() -> f64 + Send, right: impl FnOnce() -> f64 + Send) -> f64 {
        let (l, r) = if self.parallel {
            nn_handover::join(left, right)
        } else {
            (left(), right())
        };
        l + r
    }
}

/// Interleaved partial sums of [`squares_then_add`].
const SUMS: usize = 32;

/// `Σw²` of `w` in [`SUMS`] interleaved `f64` sums added pairwise; with `grad`, also
/// `g ← g + k·w` element by element. In the machine's widest vectors.
fn squares_then_add<T: Float>(w: &[T], grad: Option<&mut [T]>, k: T) -> f64 {
    Arch::new().dispatch(SquaresThenAdd { w, grad, k })
}

struct SquaresThenAdd<'a, T> {
    w: &'a [T],
    grad: Option<&'a mut [T]>,
    k: T,
}

impl<T: Float> WithSimd for SquaresThenAdd<'_, T> {
    type Output = f64;

    #[inline(always)]
    fn with_simd<S: Simd>(self, _: S) -> f64 {
        // Plain loops over fixed-size chunks: inlined into code compiled for the machine's
        // vectors, they vectorise without any change of order (the sums are independent).
        let Self { w, grad, k } = self;
        let mut sums = [0.0f64; SUMS];
        match grad {
            Some(grad) => {
                debug_assert_eq!(grad.len(), w.len());
                let mut w_chunks = w.chunks_exact(SUMS);
                let mut g_chunks = grad.chunks_exact_mut(SUMS);
                for (w, g) in (&mut w_chunks).zip(&mut g_chunks) {
                    for ((s, &w), g) in sums.iter_mut().zip(w).zip(g) {
                        *g += k * w;
                        *s += w.as_f64() * w.as_f64();
                    }
                }
                let (w, g) = (w_chunks.remainder(), g_chunks.into_remainder());
                for ((s, &w), g) in sums.iter_mut().zip(w).zip(g) {
                    *g += k * w;
                    *s += w.as_f64() * w.as_f64();
                }
            }
            None => {
                let mut w_chunks = w.chunks_exact(SUMS);
                for w in &mut w_chunks {
                    for (s, &w) in sums.iter_mut().zip(w) {
                        *s += w.as_f64() * w.as_f64();
                    }
                }
                for (s, &w) in sums.iter_mut().zip(w_chunks.remainder()) {
                    *s += w.as_f64() * w.as_f64();
                }
            }
        }
        let mut n = SUMS;
        while n > 1 {
            n /= 2;
            let (low, high) = sums.split_at_mut(n);
            for (l, h) in low.iter_mut().zip(&*high) {
                *l += h;
            }
        }
        sums[0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn penalty_and_gradient_by_hand() {
        let w = Param::new(
            Matrix::from_row_slice(1, 2, &[3.0f64, 4.0]),
            ParamKind::Weight,
        );
        let b = Param::new(Matrix::from_row_slice(1, 1, &[10.0f64]), ParamKind::Bias);
        let mut ps = [w, b];
        // λ = 0.5, m = 5: 0.5/10 · 25 = 1.25 (bias ignored)
        assert_eq!(l2_penalty(ps.iter(), 0.5, 5).unwrap(), 1.25);
        add_l2_gradient(ps.iter_mut(), 0.5, 5).unwrap();
        assert!((ps[0].grad[0] - 0.3).abs() < 1e-15 && (ps[0].grad[1] - 0.4).abs() < 1e-15);
        assert_eq!(ps[1].grad.as_slice(), &[0.0]);
        assert!(validate_l2(-1.0).is_err());
    }

    #[test]
    fn bad_arguments_are_errors_not_infinities_or_panics() {
        let mut ps = [weight(2, 3)];
        for (lambda, batch) in [(-5.0, 4), (f64::NAN, 4), (1e39, 4), (0.1, 0)] {
            assert!(
                l2_penalty(ps.iter(), lambda, batch).is_err(),
                "{lambda} {batch}"
            );
            assert!(add_l2_gradient(ps.iter_mut(), lambda, batch).is_err());
        }
        assert_eq!(ps[0].grad, weight(2, 3).grad, "nothing added");
        ps[0].grad = Matrix::zeros(1, 1);
        assert!(matches!(
            add_l2_gradient(ps.iter_mut(), 0.1, 4),
            Err(CoreError::ShapeMismatch {
                expected: (2, 3),
                got: (1, 1),
                ..
            })
        ));
    }

    /// A weight of `rows × cols` with varied values (some negative, some tiny), its gradient
    /// filled with other values.
    fn weight(rows: usize, cols: usize) -> Param<f32> {
        let mut p = Param::new(
            Matrix::from_fn(rows, cols, |i, j| {
                let t = (i * cols + j) as f32;
                (t * 0.731).sin() * 10f32.powi((i + j) as i32 % 7 - 4)
            }),
            ParamKind::Weight,
        );
        p.grad = Matrix::from_fn(rows, cols, |i, j| ((i + 3 * j) as f32 * 0.17).cos());
        p
    }

    #[test]
    fn the_gradient_is_the_scalar_expression_bit_for_bit() {
        // Lengths with and without a tail of fewer than 32 elements, and a weight whose
        // product splits on two threads (128 × 784 at batch 32).
        for (rows, cols, batch) in [(1, 1, 1), (3, 11, 5), (10, 64, 32), (128, 784, 32)] {
            let k = (1e-3 / batch as f64) as f32;
            let original = weight(rows, cols);
            let expected: Vec<f32> = original
                .grad
                .iter()
                .zip(original.value.iter())
                .map(|(&g, &w)| g + k * w)
                .collect();
            for threads in [1, 2, 3] {
                let mut p = original.clone();
                crate::threads::thread_pool(threads)
                    .unwrap()
                    .install(|| add_l2_gradient([&mut p], 1e-3, batch))
                    .unwrap();
                assert_eq!(
                    p.grad.as_slice(),
                    &expected[..],
                    "{rows}×{cols} on {threads}"
                );
            }
        }
    }

    #[test]
    fn the_penalty_is_the_same_on_any_thread_count_and_close_to_exact() {
        for (rows, cols, batch) in [(3, 11, 5), (10, 64, 32), (128, 784, 32), (64, 128, 64)] {
            let p = weight(rows, cols);
            // Σw² to within a few roundings: the squares are exact in f64, summed with
            // Neumaier's compensation.
            let (mut sum, mut lost) = (0.0f64, 0.0f64);
            for &w in p.value.iter() {
                let square = f64::from(w).powi(2);
                let t = sum + square;
                lost += if sum >= square {
                    (sum - t) + square
                } else {
                    (square - t) + sum
                };
                sum = t;
            }
            let exact = 0.5 / batch as f64 * (sum + lost);
            let on = |threads: usize| {
                let mut q = p.clone();
                crate::threads::thread_pool(threads).unwrap().install(|| {
                    let alone = l2_penalty([&q], 1.0, batch).unwrap();
                    let fused = apply_l2([&mut q], 1.0, batch).unwrap();
                    assert_eq!(alone.to_bits(), fused.to_bits());
                    fused
                })
            };
            let one = on(1);
            assert_eq!(one.to_bits(), on(2).to_bits(), "{rows}×{cols}");
            assert_eq!(one.to_bits(), on(3).to_bits(), "{rows}×{cols}");
            // The interleaved sums' error bound, (n/32 + 5)·ε relative, is below 1e-12 here;
            // any but the tiniest element left out or counted twice would be off by far more.
            assert!(
                ((one - exact) / exact).abs() < 1e-12,
                "{one} against {exact}"
            );
        }
    }
}
