//! Log loss (cross-entropy of predicted probabilities), binary and multiclass; see
//! [`log_loss`] for clipping and validation.

use crate::MetricError;
use crate::binary_label::{BinaryLabel, positives};
use crate::confusion::check_class_labels;
use crate::real::Real;

/// Widens a probability, refusing NaN, infinities and values outside `[0, 1]`.
fn probability<T: Real>(value: T, index: usize) -> Result<f64, MetricError> {
    let value = value.to_f64();
    if !value.is_finite() {
        return Err(MetricError::NonFinite {
            argument: "y_prob",
            index,
            value,
        });
    }
    if !(0.0..=1.0).contains(&value) {
        return Err(MetricError::ProbabilityOutOfRange {
            argument: "y_prob",
            index,
            value,
        });
    }
    Ok(value)
}

/// Mean of `−ln clip(p[true class])` over samples, after validating every row.
fn mean_log_loss<'a, T: Real + 'a>(
    y_true: &[usize],
    rows: impl Iterator<Item = &'a [T]>,
    n_classes: usize,
) -> Result<f64, MetricError> {
    let eps = T::EPSILON;
    let tolerance = 1e-8 + eps.sqrt();
    let mut total = 0.0f64;
    for (row_index, (row, &label)) in rows.zip(y_true).enumerate() {
        let mut sum = 0.0;
        let mut p_true = 0.0;
        for (class, &p) in row.iter().enumerate() {
            let p = probability(p, row_index * n_classes + class)?;
            sum += p;
            if class == label {
                p_true = p;
            }
        }
        if (sum - 1.0).abs() > tolerance {
            return Err(MetricError::ProbabilitiesDoNotSumToOne {
                row: row_index,
                sum,
                tolerance,
            });
        }
        total += -p_true.clamp(eps, 1.0 - eps).ln();
    }
    Ok(total / y_true.len() as f64)
}

/// Multiclass log loss of per-sample probability rows (`y_prob[i][c]` = probability that
/// sample `i` is of class `c`). Rows may be `Vec<f64>`, `[f32; K]`, `&[f64]`, …
///
/// # Behaviour
///
/// Following scikit-learn 1.9's `log_loss`:
///
/// * **Clipping.** Every probability is clipped to `[ε, 1 − ε]`, where ε is the machine
///   epsilon of the input's type (`f64::EPSILON` ≈ 2.2e-16 for `f64`, `f32::EPSILON` ≈ 1.2e-7
///   for `f32`), so a confident wrong prediction costs at most `−ln ε` (≈ 36.04 for `f64`)
///   instead of infinity. Rows are **not** renormalised after clipping (scikit-learn stopped
///   doing so in 1.5).
/// * **Range.** A probability below 0 or above 1 is an error
///   ([`MetricError::ProbabilityOutOfRange`]), as in scikit-learn; NaN or infinity is
///   [`MetricError::NonFinite`].
/// * **Rows must sum to one**, within `1e-8 + √ε` (scikit-learn's tolerance). Where
///   scikit-learn only warns and goes on, we return
///   [`MetricError::ProbabilitiesDoNotSumToOne`], since such input is almost always scores
///   or logits passed by mistake.
/// * **Classes** are `0..n_classes` with `n_classes` = the number of probability columns (at
///   least 2) — scikit-learn's `log_loss(y_true, y_prob, labels=range(n_classes))`. A label
///   outside that range is an error.
/// * The result is the mean over samples of `−ln p[true class]`.
///
/// Computation is in `f64`; for `f32` input scikit-learn computes in `f32`, so results agree
/// to `f32` precision there and to `f64` precision for `f64` input.
///
/// # Errors
/// [`MetricError::LengthMismatch`], [`MetricError::Empty`], [`MetricError::TooFewClasses`]
/// (rows of fewer than 2 probabilities), [`MetricError::RaggedRows`],
/// [`MetricError::LabelOutOfRange`], [`MetricError::NonFinite`],
/// [`MetricError::ProbabilityOutOfRange`], [`MetricError::ProbabilitiesDoNotSumToOne`].
///
/// # Example
/// ```
/// let loss = nn_metrics::log_loss(&[0, 2], &[[0.5, 0.25, 0.25], [0.0, 0.5, 0.5]]).unwrap();
/// assert!((loss - (2f64.ln() + 2f64.ln()) / 2.0).abs() < 1e-15);
/// ```
pub fn log_loss<T: Real, R: AsRef<[T]>>(
    y_true: &[usize],
    y_prob: &[R],
) -> Result<f64, MetricError> {
    MetricError::check_paired("y_true", y_true.len(), "y_prob", y_prob.len())?;
    let n_classes = y_prob[0].as_ref().len();
    if n_classes < 2 {
        return Err(MetricError::TooFewClasses {
            n_classes,
            minimum: 2,
        });
    }
    if let Some((row, r)) = y_prob
        .iter()
        .enumerate()
        .find(|(_, r)| r.as_ref().len() != n_classes)
    {
        return Err(MetricError::RaggedRows {
            row,
            len: r.as_ref().len(),
            expected: n_classes,
        });
    }
    check_class_labels("y_true", y_true, n_classes)?;
    mean_log_loss(y_true, y_prob.iter().map(AsRef::as_ref), n_classes)
}

/// Multiclass log loss of probabilities stored flat, sample after sample:
/// `y_prob[i * n_classes + c]` is the probability that sample `i` is of class `c`. This is the
/// layout of a column-major `n_classes × n_samples` matrix (one column per sample).
///
/// # Errors
/// As [`log_loss`], with [`MetricError::FlatLengthMismatch`] when `y_prob.len()` is not
/// `y_true.len() * n_classes`.
///
/// # Example
/// ```
/// let loss = nn_metrics::log_loss_flat(&[1], &[0.5f32, 0.5], 2).unwrap();
/// assert!((loss - 2f64.ln()).abs() < 1e-15);
/// ```
pub fn log_loss_flat<T: Real>(
    y_true: &[usize],
    y_prob: &[T],
    n_classes: usize,
) -> Result<f64, MetricError> {
    if y_true.is_empty() {
        return Err(MetricError::Empty { argument: "y_true" });
    }
    if n_classes < 2 {
        return Err(MetricError::TooFewClasses {
            n_classes,
            minimum: 2,
        });
    }
    let expected = y_true.len().saturating_mul(n_classes);
    if y_prob.len() != expected {
        return Err(MetricError::FlatLengthMismatch {
            len: y_prob.len(),
            n_samples: y_true.len(),
            n_classes,
            expected,
        });
    }
    check_class_labels("y_true", y_true, n_classes)?;
    mean_log_loss(y_true, y_prob.chunks_exact(n_classes), n_classes)
}

/// Binary log loss from the probability of the positive class, like scikit-learn's
/// `log_loss(y_true, p_positive, labels=[0, 1])` with a one-dimensional `y_prob`: each
/// sample's probabilities are `[1 − p, p]`, clipped as described for [`log_loss`]. (Without
/// `labels`, scikit-learn refuses a `y_true` of one class; here both classes always exist.)
///
/// # Errors
/// [`MetricError::LengthMismatch`], [`MetricError::Empty`], [`MetricError::NotBinaryLabel`],
/// [`MetricError::NonFinite`], [`MetricError::ProbabilityOutOfRange`].
///
/// # Example
/// ```
/// let loss = nn_metrics::binary_log_loss(&[true, false], &[0.8, 0.4]).unwrap();
/// assert!((loss - -(0.8f64.ln() + 0.6f64.ln()) / 2.0).abs() < 1e-15);
/// ```
pub fn binary_log_loss<L: BinaryLabel, T: Real>(
    y_true: &[L],
    p_positive: &[T],
) -> Result<f64, MetricError> {
    MetricError::check_paired("y_true", y_true.len(), "y_prob", p_positive.len())?;
    let truth = positives("y_true", y_true)?;
    let eps = T::EPSILON;
    let mut total = 0.0f64;
    for (index, (&positive, &p)) in truth.iter().zip(p_positive).enumerate() {
        let p = probability(p, index)?;
        let p_true = if positive { p } else { 1.0 - p };
        total += -p_true.clamp(eps, 1.0 - eps).ln();
    }
    Ok(total / truth.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certain_mistakes_are_clipped_to_minus_ln_epsilon() {
        let loss = binary_log_loss(&[1u8], &[0.0f64]).unwrap();
        assert_eq!(loss, -f64::EPSILON.ln());
        let loss32 = binary_log_loss(&[0u8], &[1.0f32]).unwrap();
        assert_eq!(loss32, -f64::from(f32::EPSILON).ln());
        // A perfect prediction costs −ln(1 − ε), not 0.
        assert_eq!(
            log_loss(&[0], &[[1.0, 0.0]]).unwrap(),
            -(1.0 - f64::EPSILON).ln()
        );
    }

    #[test]
    fn flat_and_row_layouts_agree() {
        let rows = [[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]];
        let flat = [0.2, 0.3, 0.5, 0.6, 0.3, 0.1];
        let y = [2, 1];
        assert_eq!(
            log_loss(&y, &rows).unwrap(),
            log_loss_flat(&y, &flat, 3).unwrap()
        );
        assert_eq!(
            log_loss(&y, &rows).unwrap(),
            -(0.5f64.ln() + 0.3f64.ln()) / 2.0
        );
    }

    #[test]
    fn refuses_invalid_probabilities() {
        assert_eq!(
            log_loss(&[0], &[[1.2, -0.2]]),
            Err(MetricError::ProbabilityOutOfRange {
                argument: "y_prob",
                index: 0,
                value: 1.2
            })
        );
        assert!(matches!(
            log_loss(&[0, 1], &[[0.5, 0.5], [0.5, 0.4]]),
            Err(MetricError::ProbabilitiesDoNotSumToOne { row: 1, .. })
        ));
        // Within scikit-learn's tolerance (1e-8 + √ε ≈ 2.5e-8) is accepted.
        assert!(log_loss(&[0], &[[0.5 + 2.4e-8, 0.5]]).is_ok());
        assert!(log_loss(&[0], &[[0.5 + 2.6e-8, 0.5]]).is_err());
        // f32 input gets f32's looser tolerance (√ε ≈ 3.5e-4).
        assert!(log_loss(&[0], &[[0.5f32 + 1e-4, 0.5]]).is_ok());
        assert!(matches!(
            binary_log_loss(&[1], &[f64::NAN]),
            Err(MetricError::NonFinite {
                argument: "y_prob",
                index: 0,
                ..
            })
        ));
        assert!(matches!(
            binary_log_loss(&[1], &[1.5]),
            Err(MetricError::ProbabilityOutOfRange { .. })
        ));
    }

    #[test]
    fn refuses_bad_shapes_and_labels() {
        assert_eq!(
            log_loss(&[0, 3], &[[0.5, 0.5], [0.5, 0.5]]),
            Err(MetricError::LabelOutOfRange {
                argument: "y_true",
                index: 1,
                label: 3,
                n_classes: 2
            })
        );
        assert_eq!(
            log_loss(&[0], &[[1.0]]),
            Err(MetricError::TooFewClasses {
                n_classes: 1,
                minimum: 2
            })
        );
        assert_eq!(
            log_loss(&[0, 0], &[vec![0.5, 0.5], vec![1.0]]),
            Err(MetricError::RaggedRows {
                row: 1,
                len: 1,
                expected: 2
            })
        );
        assert!(matches!(
            log_loss_flat(&[0, 1], &[0.5, 0.5, 1.0], 2),
            Err(MetricError::FlatLengthMismatch { expected: 4, .. })
        ));
        // A class count whose product with the samples overflows is a mismatch, not a panic.
        assert!(matches!(
            log_loss_flat(&[0, 1], &[0.5, 0.5], usize::MAX / 2 + 1),
            Err(MetricError::FlatLengthMismatch { .. })
        ));
        assert!(matches!(
            log_loss::<f64, [f64; 2]>(&[], &[]),
            Err(MetricError::Empty { .. })
        ));
        assert!(matches!(
            binary_log_loss(&[2usize], &[0.5]),
            Err(MetricError::NotBinaryLabel { .. })
        ));
    }
}
