//! Accuracy: the fraction of samples whose predicted class is the true class.

use crate::MetricError;

/// Fraction of samples with `y_pred[i] == y_true[i]`, like scikit-learn's `accuracy_score`.
///
/// Labels are compared as they are; no number of classes is needed.
///
/// # Errors
/// [`MetricError::LengthMismatch`] if the slices differ in length, [`MetricError::Empty`] if
/// they are empty.
///
/// # Example
/// ```
/// let acc = nn_metrics::accuracy(&[0, 1, 2, 2], &[0, 2, 2, 2]).unwrap();
/// assert_eq!(acc, 0.75);
/// ```
pub fn accuracy(y_true: &[usize], y_pred: &[usize]) -> Result<f64, MetricError> {
    MetricError::check_paired("y_true", y_true.len(), "y_pred", y_pred.len())?;
    let correct = y_true.iter().zip(y_pred).filter(|(t, p)| t == p).count();
    Ok(correct as f64 / y_true.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_matches_over_samples() {
        assert_eq!(
            accuracy(&[0, 1, 1, 0, 2], &[0, 1, 0, 0, 1]).unwrap(),
            3.0 / 5.0
        );
        assert_eq!(accuracy(&[4], &[4]).unwrap(), 1.0);
        assert_eq!(accuracy(&[4, 4], &[0, 1]).unwrap(), 0.0);
    }

    #[test]
    fn refuses_bad_input() {
        assert_eq!(
            accuracy(&[0, 1], &[0]),
            Err(MetricError::LengthMismatch {
                left: "y_true",
                left_len: 2,
                right: "y_pred",
                right_len: 1
            })
        );
        assert_eq!(
            accuracy(&[], &[]),
            Err(MetricError::Empty { argument: "y_true" })
        );
    }
}
