//! Loss functions, each paired with the link that turns raw network outputs into predictions.

use serde::{Deserialize, Serialize};

use crate::activation::{sigmoid, softmax_column};
use crate::layer::ensure_shape;
use crate::{Activation, CoreError, Float, Matrix};

/// `value` rounded to `T`, or [`CoreError::NonFinite`] naming `what` when it is not finite in
/// `f64` or once rounded to `T` (an `f32` overflows long before an `f64`).
pub(crate) fn finite_as<T: Float>(value: f64, what: &str) -> Result<T, CoreError> {
    let rounded = T::cast(value);
    if value.is_finite() && rounded.is_finite() {
        Ok(rounded)
    } else {
        Err(CoreError::NonFinite { what: what.into() })
    }
}

/// The function mapping raw network outputs (logits) to predictions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Link {
    /// Predictions are the raw outputs (regression).
    Identity,
    /// Element-wise logistic function: probabilities of independent binary outcomes.
    Sigmoid,
    /// Column-wise softmax: class probabilities summing to one per sample.
    Softmax,
}

impl Link {
    /// Applies the link to raw outputs (one column per sample).
    pub fn apply<T: Float>(self, raw: &Matrix<T>) -> Matrix<T> {
        let mut out = Matrix::zeros(raw.nrows(), raw.ncols());
        let activation = match self {
            Link::Identity => Activation::Identity,
            Link::Sigmoid => Activation::Sigmoid,
            Link::Softmax => Activation::Softmax,
        };
        activation.apply(raw, &mut out);
        out
    }
}

/// A loss between network outputs `ŷ` (raw: logits for the classification losses) and
/// targets `y` of the same shape (outputs × batch).
///
/// Normalisation, with `B` the batch size (columns) and `N` the number of elements
/// (rows × columns):
///
/// | loss | value | gradient ∂L/∂ŷ |
/// |---|---|---|
/// | `Mse` | `Σ (ŷ − y)² / N` | `2 (ŷ − y) / N` |
/// | `Mae` | `Σ |ŷ − y| / N` | `sign(ŷ − y) / N` (0 where equal) |
/// | `BinaryCrossEntropy` | `Σ [softplus(z) − y·z] / B` | `(σ(z) − y) / B` |
/// | `CrossEntropy` | `−Σ y · log softmax(z) / B` | `(softmax(z)·Σᵢyᵢ − y) / B`, i.e. `(ŷ − y) / B` for one-hot `y` |
///
/// For a single output row the two normalisations agree (`N = B`). The classification losses
/// never form `log(σ(z))` or `log(softmax(z))` directly: they use softplus and log-sum-exp,
/// so logits of ±1000 give finite values and gradients.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Loss {
    /// Mean squared error over all elements (regression).
    Mse,
    /// Mean absolute error over all elements (regression).
    Mae,
    /// Binary cross-entropy on logits with a sigmoid link (targets in `[0, 1]`).
    BinaryCrossEntropy,
    /// Cross-entropy on logits with a softmax link (targets: one-hot columns, or any
    /// non-negative weights).
    CrossEntropy,
}

impl Loss {
    /// The link turning raw outputs into predictions for this loss.
    pub fn link(self) -> Link {
        match self {
            Loss::Mse | Loss::Mae => Link::Identity,
            Loss::BinaryCrossEntropy => Link::Sigmoid,
            Loss::CrossEntropy => Link::Softmax,
        }
    }

    /// Short name, e.g. `mse` or `cross_entropy`.
    pub fn name(self) -> &'static str {
        match self {
            Loss::Mse => "mse",
            Loss::Mae => "mae",
            Loss::BinaryCrossEntropy => "binary_cross_entropy",
            Loss::CrossEntropy => "cross_entropy",
        }
    }

    fn check<T: Float>(output: &Matrix<T>, target: &Matrix<T>) -> Result<(), CoreError> {
        if output.shape() != target.shape() {
            return Err(CoreError::TargetShape {
                rows: output.nrows(),
                cols: output.ncols(),
                target_rows: target.nrows(),
                target_cols: target.ncols(),
            });
        }
        if output.is_empty() {
            return Err(CoreError::EmptyBatch { context: "a loss" });
        }
        Ok(())
    }

    /// Checks that every target is one this loss is defined for: in `[0, 1]` for binary
    /// cross-entropy, `≥ 0` and finite for cross-entropy (class weights, one-hot in the usual
    /// case), not NaN for the regression losses (an infinite one makes the value non-finite).
    /// [`Loss::value`] checks its batch; a trainer can check a whole data set once, so that
    /// the error names the sample in the data rather than in a shuffled batch.
    ///
    /// # Errors
    /// [`CoreError::InvalidTarget`] naming the first bad target's row and column (sample).
    pub fn check_targets<T: Float>(self, target: &Matrix<T>) -> Result<(), CoreError> {
        let y = target.as_slice();
        // One loop per loss, each with its test inlined (a step checks its batch).
        let (first_bad, requirement) = match self {
            Loss::Mse | Loss::Mae => (
                y.iter().position(|&y| y.as_f64().is_nan()),
                "that are numbers",
            ),
            Loss::BinaryCrossEntropy => (
                y.iter().position(|&y| !(y >= T::zero() && y <= T::one())),
                "in [0, 1]",
            ),
            Loss::CrossEntropy => (
                y.iter().position(|&y| !(y >= T::zero() && y.is_finite())),
                "finite and >= 0",
            ),
        };
        let Some(index) = first_bad else {
            return Ok(());
        };
        let rows = target.nrows();
        Err(CoreError::InvalidTarget {
            loss: self.name(),
            row: index % rows,
            sample: index / rows,
            value: y[index].as_f64(),
            requirement,
        })
    }

    /// The loss value (sums accumulated in `f64`).
    ///
    /// # Errors
    /// [`CoreError::TargetShape`] if shapes differ, [`CoreError::EmptyBatch`] for an empty
    /// batch, [`CoreError::InvalidTarget`] for a NaN target or one outside the loss's range
    /// (`[0, 1]` for binary cross-entropy, `≥ 0` for cross-entropy), [`CoreError::NonFinite`]
    /// if the value is NaN or infinite.
    pub fn value<T: Float>(self, output: &Matrix<T>, target: &Matrix<T>) -> Result<T, CoreError> {
        Self::check(output, target)?;
        self.check_targets(target)?;
        let z = output.as_slice();
        let y = target.as_slice();
        let n = z.len() as f64;
        let batch = output.ncols() as f64;
        let v = match self {
            Loss::Mse => {
                z.iter()
                    .zip(y)
                    .map(|(&z, &y)| (z - y).as_f64().powi(2))
                    .sum::<f64>()
                    / n
            }
            Loss::Mae => {
                z.iter()
                    .zip(y)
                    .map(|(&z, &y)| (z - y).as_f64().abs())
                    .sum::<f64>()
                    / n
            }
            Loss::BinaryCrossEntropy => {
                z.iter()
                    .zip(y)
                    .map(|(&z, &y)| bce_term(z.as_f64(), y.as_f64()))
                    .sum::<f64>()
                    / batch
            }
            Loss::CrossEntropy => {
                let rows = output.nrows();
                z.chunks_exact(rows)
                    .zip(y.chunks_exact(rows))
                    .map(|(zc, yc)| ce_column(zc, yc))
                    .sum::<f64>()
                    / batch
            }
        };
        finite_as(v, "loss value")
    }

    /// The loss value, with ∂L/∂output written into `grad` (resized only if its shape differs).
    ///
    /// # Errors
    /// As [`Loss::value`].
    pub fn value_and_gradient<T: Float>(
        self,
        output: &Matrix<T>,
        target: &Matrix<T>,
        grad: &mut Matrix<T>,
    ) -> Result<T, CoreError> {
        let value = self.value(output, target)?;
        let (rows, cols) = output.shape();
        ensure_shape(grad, rows, cols);
        let z = output.as_slice();
        let y = target.as_slice();
        let g = grad.as_mut_slice();
        match self {
            Loss::Mse => {
                let k = T::cast(2.0 / z.len() as f64);
                for ((g, &z), &y) in g.iter_mut().zip(z).zip(y) {
                    *g = k * (z - y);
                }
            }
            Loss::Mae => {
                let k = T::cast(1.0 / z.len() as f64);
                for ((g, &z), &y) in g.iter_mut().zip(z).zip(y) {
                    *g = if z > y {
                        k
                    } else if z < y {
                        -k
                    } else {
                        T::zero()
                    };
                }
            }
            Loss::BinaryCrossEntropy => {
                let k = T::cast(1.0 / cols as f64);
                for ((g, &z), &y) in g.iter_mut().zip(z).zip(y) {
                    *g = k * (sigmoid(z) - y);
                }
            }
            Loss::CrossEntropy => {
                let k = T::cast(1.0 / cols as f64);
                for ((gc, zc), yc) in g
                    .chunks_exact_mut(rows)
                    .zip(z.chunks_exact(rows))
                    .zip(y.chunks_exact(rows))
                {
                    softmax_column(zc, gc);
                    let mass = yc.iter().fold(T::zero(), |a, &v| a + v);
                    for (g, &y) in gc.iter_mut().zip(yc) {
                        *g = k * (*g * mass - y);
                    }
                }
            }
        }
        Ok(value)
    }
}

/// `softplus(z) − y·z = max(z, 0) − y·z + ln(1 + e^{−|z|})`: the binary cross-entropy of
/// target `y` and probability `σ(z)`, without overflow.
fn bce_term(z: f64, y: f64) -> f64 {
    z.max(0.0) - y * z + (-z.abs()).exp().ln_1p()
}

/// `−Σ yᵢ log softmax(z)ᵢ = Σ yᵢ (lse(z) − zᵢ)` with a stable log-sum-exp.
fn ce_column<T: Float>(z: &[T], y: &[T]) -> f64 {
    let max = z
        .iter()
        .map(|v| v.as_f64())
        .fold(f64::NEG_INFINITY, f64::max);
    let lse = max + z.iter().map(|v| (v.as_f64() - max).exp()).sum::<f64>().ln();
    z.iter()
        .zip(y)
        .map(|(&z, &y)| y.as_f64() * (lse - z.as_f64()))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_outside_the_loss_range_are_named() {
        let z = Matrix::from_element(2, 3, 0.5f32);
        let mut y = Matrix::from_element(2, 3, 0.5f32);
        y[(1, 2)] = 5.0;
        match Loss::BinaryCrossEntropy.value(&z, &y) {
            Err(CoreError::InvalidTarget {
                row: 1, sample: 2, ..
            }) => {}
            other => panic!("{other:?}"),
        }
        assert!(
            Loss::CrossEntropy.value(&z, &y).is_ok(),
            "a weight of 5 is valid"
        );
        y[(1, 2)] = -1.0;
        let err = Loss::CrossEntropy.value(&z, &y).unwrap_err();
        assert!(err.to_string().contains("sample 2"), "{err}");
        assert!(Loss::Mse.value(&z, &y).is_ok());
        y[(0, 1)] = f32::NAN;
        for loss in [Loss::Mse, Loss::Mae] {
            let mut g = Matrix::zeros(2, 3);
            assert!(matches!(
                loss.value_and_gradient(&z, &y, &mut g),
                Err(CoreError::InvalidTarget {
                    row: 0,
                    sample: 1,
                    ..
                })
            ));
        }
    }

    #[test]
    fn an_f32_loss_beyond_f32_max_is_an_error_not_infinity() {
        // (1e20)² = 1e40 is finite in f64 but not in f32.
        let z = Matrix::from_element(1, 2, 1e20f32);
        let y = Matrix::zeros(1, 2);
        let mut g = Matrix::zeros(1, 2);
        assert!(matches!(
            Loss::Mse.value(&z, &y),
            Err(CoreError::NonFinite { .. })
        ));
        assert!(matches!(
            Loss::Mse.value_and_gradient(&z, &y, &mut g),
            Err(CoreError::NonFinite { .. })
        ));
        assert!(
            Loss::Mse
                .value(&z.map(f64::from), &y.map(f64::from))
                .is_ok()
        );
    }

    #[test]
    fn mse_and_mae_by_hand() {
        let z = Matrix::from_column_slice(2, 2, &[1.0f64, 2.0, 3.0, 4.0]);
        let y = Matrix::from_column_slice(2, 2, &[0.0f64, 2.0, 5.0, 3.0]);
        // squared errors 1, 0, 4, 1 → 6/4; absolute 1, 0, 2, 1 → 4/4
        assert_eq!(Loss::Mse.value(&z, &y).unwrap(), 1.5);
        assert_eq!(Loss::Mae.value(&z, &y).unwrap(), 1.0);
        let mut g = Matrix::zeros(0, 0);
        Loss::Mse.value_and_gradient(&z, &y, &mut g).unwrap();
        assert_eq!(g.as_slice(), &[0.5, 0.0, -1.0, 0.5]);
        Loss::Mae.value_and_gradient(&z, &y, &mut g).unwrap();
        assert_eq!(g.as_slice(), &[0.25, 0.0, -0.25, 0.25]);
    }

    #[test]
    fn cross_entropy_of_known_logits() {
        // logits (1, 2, 3), class 2: −log(e³ / (e + e² + e³)) = log(1 + e⁻¹ + e⁻²) ≈ 0.40760596
        let z = Matrix::from_column_slice(3, 1, &[1.0f64, 2.0, 3.0]);
        let y = Matrix::from_column_slice(3, 1, &[0.0f64, 0.0, 1.0]);
        let v = Loss::CrossEntropy.value(&z, &y).unwrap();
        let expected = (1.0 + (-1.0f64).exp() + (-2.0f64).exp()).ln();
        assert!((v - expected).abs() < 1e-15);
        assert!((v - 0.407_605_96).abs() < 1e-8);
        // uniform logits over 4 classes: ln 4
        let z = Matrix::from_element(4, 1, 0.3f64);
        let y = Matrix::from_column_slice(4, 1, &[0.0, 1.0, 0.0, 0.0]);
        assert!((Loss::CrossEntropy.value(&z, &y).unwrap() - 4.0f64.ln()).abs() < 1e-15);
    }

    #[test]
    fn binary_cross_entropy_of_known_logits() {
        // z = 0 → ln 2 for either target; z = 2, y = 1 → ln(1 + e⁻²)
        let z = Matrix::from_column_slice(1, 2, &[0.0f64, 2.0]);
        let y = Matrix::from_column_slice(1, 2, &[1.0f64, 1.0]);
        let expected = (2.0f64.ln() + (1.0 + (-2.0f64).exp()).ln()) / 2.0;
        assert!((Loss::BinaryCrossEntropy.value(&z, &y).unwrap() - expected).abs() < 1e-15);
    }

    #[test]
    fn huge_logits_stay_finite() {
        let z = Matrix::from_column_slice(3, 2, &[1000.0f32, -1000.0, 0.0, -1000.0, 1000.0, 999.0]);
        let y = Matrix::from_column_slice(3, 2, &[0.0f32, 1.0, 0.0, 0.0, 1.0, 0.0]);
        let mut g = Matrix::zeros(0, 0);
        let v = Loss::CrossEntropy
            .value_and_gradient(&z, &y, &mut g)
            .unwrap();
        // column 0 is wrong by 2000 nats; column 1 right: (2000 + ln(1+e⁻¹)) / 2 ≈ 1000.16
        assert!(v.is_finite() && (v - 1_000.156_6).abs() < 1e-2, "{v}");
        assert!(g.iter().all(|x| x.is_finite()));
        let mut gb = Matrix::zeros(0, 0);
        let vb = Loss::BinaryCrossEntropy
            .value_and_gradient(&z, &y, &mut gb)
            .unwrap();
        assert!(vb.is_finite());
        assert!(gb.iter().all(|x| x.is_finite()));
    }

    #[test]
    fn shape_mismatch_and_empty_batch_are_errors() {
        let z = Matrix::<f64>::zeros(3, 2);
        let y = Matrix::<f64>::zeros(2, 3);
        assert!(matches!(
            Loss::Mse.value(&z, &y),
            Err(CoreError::TargetShape { .. })
        ));
        let e = Matrix::<f64>::zeros(3, 0);
        assert!(matches!(
            Loss::Mse.value(&e, &e),
            Err(CoreError::EmptyBatch { .. })
        ));
    }

    #[test]
    fn non_finite_loss_is_an_error() {
        let z = Matrix::from_element(1, 1, f64::NAN);
        let y = Matrix::from_element(1, 1, 0.0);
        assert!(matches!(
            Loss::Mse.value(&z, &y),
            Err(CoreError::NonFinite { .. })
        ));
    }

    #[test]
    fn links_match_losses() {
        assert_eq!(Loss::CrossEntropy.link(), Link::Softmax);
        let p = Link::Softmax.apply(&Matrix::from_column_slice(2, 1, &[0.0f64, 0.0]));
        assert_eq!(p.as_slice(), &[0.5, 0.5]);
        let s = Link::Sigmoid.apply(&Matrix::from_column_slice(1, 1, &[0.0f64]));
        assert_eq!(s[(0, 0)], 0.5);
    }
}
