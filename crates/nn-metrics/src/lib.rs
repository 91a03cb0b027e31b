//! Evaluation metrics that agree with scikit-learn.
//!
//! `nn-metrics` computes classification and regression metrics on plain slices — it knows
//! nothing of networks or matrices — and returns the numbers scikit-learn returns, edge cases
//! included, so results can be checked against a Python reference:
//!
//! | family | items |
//! |---|---|
//! | accuracy | [`accuracy`] |
//! | confusion matrix | [`confusion_matrix`], [`ConfusionMatrix`] (`Display`: aligned table) |
//! | precision / recall / F1 | [`precision_recall_fscore_support`], [`ClassScores`], [`binary_precision`], [`binary_recall`], [`binary_f1`], [`binary_scores`] |
//! | report | [`classification_report`], [`ClassificationReport`] (`Display`: scikit-learn's text) |
//! | regression | [`r2_score`], [`mean_squared_error`], [`root_mean_squared_error`], [`mean_absolute_error`], [`regression_report`] |
//! | ranking | [`roc_curve`], [`RocCurve`], [`roc_auc`] |
//! | probabilities | [`log_loss`], [`log_loss_flat`], [`binary_log_loss`] |
//!
//! Conventions:
//! * Multiclass labels are `usize` in `0..n_classes`; functions taking `n_classes` behave like
//!   scikit-learn called with `labels=range(n_classes)`, and a label outside the range is an
//!   error.
//! * Binary labels are `bool` or an integer 0/1 ([`BinaryLabel`]); 1 / `true` is the positive
//!   class.
//! * Real-valued inputs may be `f32` or `f64` ([`Real`]); results are `f64`.
//! * Every function returns `Result<_, `[`MetricError`]`>`: empty input, length mismatch, a
//!   label out of range, NaN or infinite values, and undefined metrics (AUC with one class,
//!   R² of one sample) are errors, never panics. Ill-defined ratios follow scikit-learn's
//!   default `zero_division` and give 0.0.
//! * Every result type implements `serde::Serialize` and `Deserialize`, so reports can be
//!   written as JSON.
//!
//! # Example
//!
//! ```
//! use nn_metrics::{accuracy, classification_report, confusion_matrix, r2_score, roc_auc};
//!
//! # fn main() -> Result<(), nn_metrics::MetricError> {
//! let y_true = [0, 0, 1, 1, 2, 2];
//! let y_pred = [0, 1, 1, 1, 2, 0];
//! assert_eq!(accuracy(&y_true, &y_pred)?, 4.0 / 6.0);
//!
//! let cm = confusion_matrix(&y_true, &y_pred, 3)?.with_class_names(["cat", "dog", "fox"])?;
//! assert_eq!(cm.count(2, 0), Some(1)); // one fox taken for a cat
//! println!("{cm}");
//!
//! let report = classification_report(&y_true, &y_pred, 3)?.with_class_names(["cat", "dog", "fox"])?;
//! assert_eq!(report.classes[1].scores.precision, 2.0 / 3.0);
//! println!("{report:.3}"); // like sklearn's classification_report(..., digits=3)
//!
//! let auc = roc_auc(&[false, false, true, true], &[0.1, 0.4, 0.35, 0.8])?;
//! assert_eq!(auc, 0.75);
//!
//! assert_eq!(r2_score(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0])?, 1.0);
//! # Ok(())
//! # }
//! ```

mod accuracy;
mod binary_label;
mod classification_report;
mod confusion;
mod error;
mod log_loss;
mod precision_recall;
mod real;
mod regression;
mod roc;
mod table_name;

pub use accuracy::accuracy;
pub use binary_label::BinaryLabel;
pub use classification_report::{
    ClassificationReport, MAX_REPORT_DIGITS, NamedClassScores, classification_report,
};
pub use confusion::{ConfusionMatrix, confusion_matrix};
pub use error::MetricError;
pub use log_loss::{binary_log_loss, log_loss, log_loss_flat};
pub use precision_recall::{
    ClassScores, binary_f1, binary_precision, binary_recall, binary_scores,
    precision_recall_fscore_support,
};
pub use real::Real;
pub use regression::{
    RegressionReport, mean_absolute_error, mean_squared_error, r2_score, regression_report,
    root_mean_squared_error,
};
pub use roc::{RocCurve, roc_auc, roc_curve};
pub use table_name::MAX_TABLE_NAME_CHARS;
