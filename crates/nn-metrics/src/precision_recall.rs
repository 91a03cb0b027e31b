//! Precision, recall, F1 and support, per class and for binary problems.
//!
//! **Zero division.** Like scikit-learn's default `zero_division="warn"` (which returns 0.0
//! after warning), a ratio whose denominator is zero is **0.0**: precision of a class that is
//! never predicted, recall of a class that never occurs, and F1 when both are so. F1 is
//! computed as `2·tp / (2·tp + fp + fn)`, which is what scikit-learn computes (and equals the
//! harmonic mean of precision and recall whenever that is defined).

use serde::{Deserialize, Serialize};

use crate::binary_label::{BinaryLabel, positives};
use crate::{ConfusionMatrix, MetricError};

/// Precision, recall, F1 score and support of one class (or an average over classes).
///
/// Serialises with scikit-learn's `output_dict` keys: `precision`, `recall`, `f1-score`,
/// `support`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClassScores {
    /// `tp / (tp + fp)`; 0 when the class is never predicted.
    pub precision: f64,
    /// `tp / (tp + fn)`; 0 when the class never occurs.
    pub recall: f64,
    /// `2·tp / (2·tp + fp + fn)`; 0 when the class neither occurs nor is predicted.
    #[serde(rename = "f1-score")]
    pub f1: f64,
    /// Number of samples whose true class is this class (for an average: all samples).
    pub support: usize,
}

/// `numerator / denominator`, or 0 when the denominator is 0 (scikit-learn's default).
fn ratio_or_zero(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

impl ClassScores {
    /// Scores from the counts of true positives, false positives and false negatives.
    pub fn from_counts(
        true_positives: usize,
        false_positives: usize,
        false_negatives: usize,
    ) -> Self {
        let (tp, fp, fn_) = (true_positives, false_positives, false_negatives);
        ClassScores {
            precision: ratio_or_zero(tp, tp + fp),
            recall: ratio_or_zero(tp, tp + fn_),
            f1: ratio_or_zero(2 * tp, 2 * tp + fp + fn_),
            support: tp + fn_,
        }
    }

    /// Scores of every class of a confusion matrix, in class order.
    pub fn per_class(matrix: &ConfusionMatrix) -> Vec<ClassScores> {
        let support = matrix.support();
        let predicted = matrix.predicted_totals();
        (0..matrix.n_classes())
            .map(|c| {
                let tp = matrix.counts()[c][c];
                ClassScores::from_counts(tp, predicted[c] - tp, support[c] - tp)
            })
            .collect()
    }
}

/// Precision, recall, F1 and support of each class `0..n_classes`, like scikit-learn's
/// `precision_recall_fscore_support(y_true, y_pred, labels=range(n_classes))`.
///
/// Classes that occur in neither input are included, with all scores 0 and support 0.
///
/// # Errors
/// As [`ConfusionMatrix::new`].
///
/// # Example
/// ```
/// let scores = nn_metrics::precision_recall_fscore_support(&[0, 1, 1], &[0, 1, 0], 2).unwrap();
/// assert_eq!(scores[0].precision, 0.5);
/// assert_eq!(scores[1].recall, 0.5);
/// ```
pub fn precision_recall_fscore_support(
    y_true: &[usize],
    y_pred: &[usize],
    n_classes: usize,
) -> Result<Vec<ClassScores>, MetricError> {
    Ok(ClassScores::per_class(&ConfusionMatrix::new(
        y_true, y_pred, n_classes,
    )?))
}

/// Scores of the positive class (label 1 / `true`) of a binary problem, like scikit-learn's
/// `precision_recall_fscore_support(..., average="binary", pos_label=1)`.
///
/// # Errors
/// [`MetricError::LengthMismatch`], [`MetricError::Empty`], [`MetricError::NotBinaryLabel`]
/// for an integer label other than 0 or 1.
pub fn binary_scores<L: BinaryLabel>(
    y_true: &[L],
    y_pred: &[L],
) -> Result<ClassScores, MetricError> {
    MetricError::check_paired("y_true", y_true.len(), "y_pred", y_pred.len())?;
    let truth = positives("y_true", y_true)?;
    let predicted = positives("y_pred", y_pred)?;
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for (&t, &p) in truth.iter().zip(&predicted) {
        match (t, p) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fn_ += 1,
            (false, false) => {}
        }
    }
    Ok(ClassScores::from_counts(tp, fp, fn_))
}

/// Precision of the positive class, `tp / (tp + fp)`; 0 when nothing is predicted positive
/// (scikit-learn's default `zero_division`).
///
/// # Errors
/// As [`binary_scores`].
///
/// # Example
/// ```
/// let p = nn_metrics::binary_precision(&[true, false, true], &[true, true, false]).unwrap();
/// assert_eq!(p, 0.5);
/// ```
pub fn binary_precision<L: BinaryLabel>(y_true: &[L], y_pred: &[L]) -> Result<f64, MetricError> {
    Ok(binary_scores(y_true, y_pred)?.precision)
}

/// Recall of the positive class, `tp / (tp + fn)`; 0 when there are no positive samples.
///
/// # Errors
/// As [`binary_scores`].
pub fn binary_recall<L: BinaryLabel>(y_true: &[L], y_pred: &[L]) -> Result<f64, MetricError> {
    Ok(binary_scores(y_true, y_pred)?.recall)
}

/// F1 score of the positive class, `2·tp / (2·tp + fp + fn)`; 0 when there are neither
/// positive samples nor positive predictions.
///
/// # Errors
/// As [`binary_scores`].
pub fn binary_f1<L: BinaryLabel>(y_true: &[L], y_pred: &[L]) -> Result<f64, MetricError> {
    Ok(binary_scores(y_true, y_pred)?.f1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_per_class_scores() {
        // true 0 0 0 1 1 2 ; pred 0 0 1 1 2 2
        // class 0: tp 2 fp 0 fn 1 ; class 1: tp 1 fp 1 fn 1 ; class 2: tp 1 fp 1 fn 0
        let s =
            precision_recall_fscore_support(&[0, 0, 0, 1, 1, 2], &[0, 0, 1, 1, 2, 2], 3).unwrap();
        assert_eq!(
            s[0],
            ClassScores {
                precision: 1.0,
                recall: 2.0 / 3.0,
                f1: 4.0 / 5.0,
                support: 3
            }
        );
        assert_eq!(
            s[1],
            ClassScores {
                precision: 0.5,
                recall: 0.5,
                f1: 0.5,
                support: 2
            }
        );
        assert_eq!(
            s[2],
            ClassScores {
                precision: 0.5,
                recall: 1.0,
                f1: 2.0 / 3.0,
                support: 1
            }
        );
    }

    #[test]
    fn zero_division_gives_zero() {
        // Class 1 is never predicted, class 2 never occurs and is never predicted.
        let s = precision_recall_fscore_support(&[0, 1], &[0, 0], 3).unwrap();
        assert_eq!(
            s[1],
            ClassScores {
                precision: 0.0,
                recall: 0.0,
                f1: 0.0,
                support: 1
            }
        );
        assert_eq!(
            s[2],
            ClassScores {
                precision: 0.0,
                recall: 0.0,
                f1: 0.0,
                support: 0
            }
        );
        assert_eq!(binary_precision(&[1u8, 0], &[0, 0]).unwrap(), 0.0);
        assert_eq!(binary_recall(&[0u8, 0], &[1, 0]).unwrap(), 0.0);
        assert_eq!(binary_f1(&[false, false], &[false, false]).unwrap(), 0.0);
    }

    #[test]
    fn binary_scores_by_hand() {
        // tp 2 (idx 0, 3), fp 1 (idx 1), fn 1 (idx 4), tn 1 (idx 2)
        let t = [1usize, 0, 0, 1, 1];
        let p = [1usize, 1, 0, 1, 0];
        assert_eq!(binary_precision(&t, &p).unwrap(), 2.0 / 3.0);
        assert_eq!(binary_recall(&t, &p).unwrap(), 2.0 / 3.0);
        assert_eq!(binary_f1(&t, &p).unwrap(), 2.0 / 3.0);
        assert_eq!(binary_scores(&t, &p).unwrap().support, 3);
    }

    #[test]
    fn binary_refuses_labels_other_than_zero_and_one() {
        let err = binary_precision(&[0i32, 2], &[0, 1]).unwrap_err();
        assert_eq!(
            err,
            MetricError::NotBinaryLabel {
                argument: "y_true",
                index: 1,
                value: "2".into()
            }
        );
        assert!(matches!(
            binary_recall::<bool>(&[], &[]),
            Err(MetricError::Empty { .. })
        ));
    }
}
