//! Regression metrics: R², mean squared error, its root, and mean absolute error.
//!
//! All functions accept `f32` or `f64` slices (see [`Real`]) and compute in `f64`. NaN or
//! infinite values are refused with [`MetricError::NonFinite`], as scikit-learn refuses them.

use serde::{Deserialize, Serialize};

use crate::MetricError;
use crate::real::{Real, finite_values};

/// Sum with Neumaier's compensation, so long sums stay accurate to the last bits.
fn compensated_sum(values: impl Iterator<Item = f64>) -> f64 {
    let (mut sum, mut compensation) = (0.0f64, 0.0f64);
    for v in values {
        let t = sum + v;
        if sum.abs() >= v.abs() {
            compensation += (sum - t) + v;
        } else {
            compensation += (v - t) + sum;
        }
        sum = t;
    }
    sum + compensation
}

/// Validates a pair of regression inputs and widens them to `f64`.
fn paired_values<T: Real>(y_true: &[T], y_pred: &[T]) -> Result<(Vec<f64>, Vec<f64>), MetricError> {
    MetricError::check_paired("y_true", y_true.len(), "y_pred", y_pred.len())?;
    Ok((
        finite_values("y_true", y_true)?,
        finite_values("y_pred", y_pred)?,
    ))
}

/// Mean of `f(true, pred)` over the samples.
fn mean_of(t: &[f64], p: &[f64], f: impl Fn(f64, f64) -> f64) -> f64 {
    compensated_sum(t.iter().zip(p).map(|(&a, &b)| f(a, b))) / t.len() as f64
}

/// Mean squared error, `Σ (y − ŷ)² / n`, like scikit-learn's `mean_squared_error`.
///
/// # Errors
/// [`MetricError::LengthMismatch`], [`MetricError::Empty`], [`MetricError::NonFinite`].
///
/// # Example
/// ```
/// let mse = nn_metrics::mean_squared_error(&[1.0, 2.0, 3.0], &[1.0, 2.0, 5.0]).unwrap();
/// assert_eq!(mse, 4.0 / 3.0);
/// ```
pub fn mean_squared_error<T: Real>(y_true: &[T], y_pred: &[T]) -> Result<f64, MetricError> {
    let (t, p) = paired_values(y_true, y_pred)?;
    Ok(mean_of(&t, &p, |a, b| (a - b) * (a - b)))
}

/// Root mean squared error, `√MSE`, like scikit-learn's `root_mean_squared_error`.
///
/// # Errors
/// As [`mean_squared_error`].
pub fn root_mean_squared_error<T: Real>(y_true: &[T], y_pred: &[T]) -> Result<f64, MetricError> {
    Ok(mean_squared_error(y_true, y_pred)?.sqrt())
}

/// Mean absolute error, `Σ |y − ŷ| / n`, like scikit-learn's `mean_absolute_error`.
///
/// # Errors
/// As [`mean_squared_error`].
pub fn mean_absolute_error<T: Real>(y_true: &[T], y_pred: &[T]) -> Result<f64, MetricError> {
    let (t, p) = paired_values(y_true, y_pred)?;
    Ok(mean_of(&t, &p, |a, b| (a - b).abs()))
}

/// Coefficient of determination, `R² = 1 − Σ (y − ŷ)² / Σ (y − ȳ)²`, like scikit-learn's
/// `r2_score` with its default `force_finite=True`.
///
/// Edge cases, as scikit-learn defines them:
/// * perfect predictions give exactly 1.0 (also when the target is constant);
/// * a **constant target** (every `y_true` equal) with imperfect predictions gives 0.0 instead
///   of −∞. We test constancy on the values themselves, where scikit-learn tests whether its
///   computed `Σ (y − ȳ)²` is exactly zero; for a constant target whose mean does not round
///   back to the value (e.g. three times 0.1) scikit-learn gets a tiny non-zero denominator
///   and returns a meaningless number such as −4.3e32, while we return the documented 0.0;
/// * fewer than two samples: scikit-learn warns and returns NaN; we return
///   [`MetricError::TooFewSamples`].
///
/// R² is at most 1 and unbounded below.
///
/// # Errors
/// [`MetricError::LengthMismatch`], [`MetricError::Empty`], [`MetricError::NonFinite`],
/// [`MetricError::TooFewSamples`].
///
/// # Example
/// ```
/// let r2 = nn_metrics::r2_score(&[1.0, 2.0, 3.0], &[1.0, 2.0, 4.0]).unwrap();
/// assert_eq!(r2, 0.5); // 1 − 1/2
/// assert_eq!(nn_metrics::r2_score(&[2.0f32, 2.0], &[2.0, 3.0]).unwrap(), 0.0);
/// ```
pub fn r2_score<T: Real>(y_true: &[T], y_pred: &[T]) -> Result<f64, MetricError> {
    let (t, p) = paired_values(y_true, y_pred)?;
    if t.len() < 2 {
        return Err(MetricError::TooFewSamples {
            metric: "R²",
            minimum: 2,
            got: t.len(),
        });
    }
    let residual = compensated_sum(t.iter().zip(&p).map(|(&a, &b)| (a - b) * (a - b)));
    if residual == 0.0 {
        return Ok(1.0);
    }
    let mean = compensated_sum(t.iter().copied()) / t.len() as f64;
    let total = compensated_sum(t.iter().map(|&a| (a - mean) * (a - mean)));
    let constant_target = t.iter().all(|&a| a == t[0]);
    if constant_target || total == 0.0 {
        return Ok(0.0);
    }
    Ok(1.0 - residual / total)
}

/// All regression metrics of one set of predictions, ready to be written as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RegressionReport {
    /// Coefficient of determination; see [`r2_score`].
    pub r2: f64,
    /// Mean squared error.
    pub mse: f64,
    /// Root mean squared error.
    pub rmse: f64,
    /// Mean absolute error.
    pub mae: f64,
    /// Number of samples.
    pub n_samples: usize,
}

/// Computes every regression metric at once.
///
/// # Errors
/// As [`r2_score`] (which needs at least two samples).
pub fn regression_report<T: Real>(
    y_true: &[T],
    y_pred: &[T],
) -> Result<RegressionReport, MetricError> {
    let mse = mean_squared_error(y_true, y_pred)?;
    Ok(RegressionReport {
        r2: r2_score(y_true, y_pred)?,
        mse,
        rmse: mse.sqrt(),
        mae: mean_absolute_error(y_true, y_pred)?,
        n_samples: y_true.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_values() {
        let t = [3.0, -0.5, 2.0, 7.0];
        let p = [2.5, 0.0, 2.0, 8.0];
        // residuals 0.5, -0.5, 0, -1 → squares 0.25, 0.25, 0, 1 → 1.5; abs 2.0
        assert_eq!(mean_squared_error(&t, &p).unwrap(), 1.5 / 4.0);
        assert_eq!(
            root_mean_squared_error(&t, &p).unwrap(),
            (1.5f64 / 4.0).sqrt()
        );
        assert_eq!(mean_absolute_error(&t, &p).unwrap(), 0.5);
        // mean 2.875; Σ(y-ȳ)² = 14.6875+11.390625+0.765625+17.015625 = 29.1875
        approx::assert_relative_eq!(
            r2_score(&t, &p).unwrap(),
            1.0 - 1.5 / 29.1875,
            max_relative = 1e-15
        );
    }

    #[test]
    fn f32_inputs_are_widened() {
        let r = regression_report(&[1.0f32, 2.0, 3.0], &[1.0f32, 2.0, 4.0]).unwrap();
        assert_eq!(
            r,
            RegressionReport {
                r2: 0.5,
                mse: 1.0 / 3.0,
                rmse: (1.0f64 / 3.0).sqrt(),
                mae: 1.0 / 3.0,
                n_samples: 3
            }
        );
    }

    #[test]
    fn constant_targets_follow_force_finite() {
        assert_eq!(r2_score(&[0.1, 0.1, 0.1], &[0.1, 0.1, 0.1]).unwrap(), 1.0);
        // scikit-learn 1.9.1 returns -4.3e32 here (its mean of three 0.1 is not 0.1).
        assert_eq!(r2_score(&[0.1, 0.1, 0.1], &[0.1, 0.1, 0.6]).unwrap(), 0.0);
        assert_eq!(
            r2_score(&[2.0; 5], &[2.0, 2.0, 2.0, 2.0, 2.5]).unwrap(),
            0.0
        );
    }

    #[test]
    fn refuses_bad_input() {
        assert_eq!(
            r2_score(&[1.0], &[1.0]),
            Err(MetricError::TooFewSamples {
                metric: "R²",
                minimum: 2,
                got: 1
            })
        );
        let err = mean_squared_error(&[1.0, f64::NAN], &[1.0, 2.0]).unwrap_err();
        assert!(
            matches!(err, MetricError::NonFinite { argument: "y_true", index: 1, value } if value.is_nan())
        );
        assert_eq!(
            err.to_string(),
            "`y_true[1]` is NaN, but every value must be finite"
        );
        assert!(matches!(
            mean_absolute_error(&[1.0, 2.0], &[f64::INFINITY, 2.0]),
            Err(MetricError::NonFinite {
                argument: "y_pred",
                index: 0,
                ..
            })
        ));
        assert!(matches!(
            mean_squared_error::<f64>(&[], &[]),
            Err(MetricError::Empty { .. })
        ));
        assert!(matches!(
            root_mean_squared_error(&[1.0f32], &[1.0, 2.0]),
            Err(MetricError::LengthMismatch { .. })
        ));
    }
}
