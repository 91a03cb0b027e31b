//! The error type shared by every metric.

use thiserror::Error;

/// Why a metric could not be computed.
///
/// Every variant names the argument at fault (`y_true`, `y_pred`, `scores`, …) and, where it
/// helps, the position of the offending element, so a message can be acted on without a
/// debugger.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum MetricError {
    /// An input slice has no elements; no metric is defined on zero samples.
    #[error("`{argument}` is empty: a metric needs at least one sample")]
    Empty {
        /// Name of the empty argument.
        argument: &'static str,
    },

    /// Two inputs that must describe the same samples have different lengths.
    #[error("length mismatch: `{left}` has {left_len} elements but `{right}` has {right_len}")]
    LengthMismatch {
        /// Name of the first argument.
        left: &'static str,
        /// Its length.
        left_len: usize,
        /// Name of the second argument.
        right: &'static str,
        /// Its length.
        right_len: usize,
    },

    /// The number of classes is too small for the metric (0 for a confusion matrix, fewer than
    /// 2 for a log loss).
    #[error("`n_classes` is {n_classes} but this metric needs at least {minimum} classes")]
    TooFewClasses {
        /// The number of classes that was supplied.
        n_classes: usize,
        /// The smallest number the metric accepts.
        minimum: usize,
    },

    /// A class label is not in `0..n_classes`.
    #[error("`{argument}[{index}]` is class {label}, outside the valid range 0..{n_classes}")]
    LabelOutOfRange {
        /// Name of the argument holding the label.
        argument: &'static str,
        /// Position of the label in that argument.
        index: usize,
        /// The offending label.
        label: usize,
        /// Number of classes, so valid labels are `0..n_classes`.
        n_classes: usize,
    },

    /// A label of a binary problem is neither negative (0 / `false`) nor positive (1 / `true`).
    #[error(
        "`{argument}[{index}]` is {value}, but a binary label must be 0 (negative) or 1 (positive)"
    )]
    NotBinaryLabel {
        /// Name of the argument holding the label.
        argument: &'static str,
        /// Position of the label.
        index: usize,
        /// The offending value, as text.
        value: String,
    },

    /// A value is NaN or infinite where a finite number is required.
    #[error("`{argument}[{index}]` is {value}, but every value must be finite")]
    NonFinite {
        /// Name of the argument.
        argument: &'static str,
        /// Position of the value.
        index: usize,
        /// The offending value.
        value: f64,
    },

    /// A probability lies outside `[0, 1]`.
    #[error("`{argument}[{index}]` is {value}, but a probability must lie in [0, 1]")]
    ProbabilityOutOfRange {
        /// Name of the argument.
        argument: &'static str,
        /// Position of the value (for a matrix, the flat index `row * n_classes + class`).
        index: usize,
        /// The offending value.
        value: f64,
    },

    /// A row of class probabilities does not sum to one (within the tolerance of the input's
    /// floating-point type).
    #[error(
        "the probabilities of sample {row} sum to {sum}, not 1 (tolerance {tolerance:e}); pass probabilities, not scores or logits"
    )]
    ProbabilitiesDoNotSumToOne {
        /// Index of the sample.
        row: usize,
        /// The sum that was found.
        sum: f64,
        /// The accepted absolute deviation from 1.
        tolerance: f64,
    },

    /// A row of a probability matrix has the wrong number of columns.
    #[error("sample {row} has {len} class probabilities, but sample 0 has {expected}")]
    RaggedRows {
        /// Index of the sample.
        row: usize,
        /// Its number of probabilities.
        len: usize,
        /// The number every row must have (that of the first row).
        expected: usize,
    },

    /// A flat probability buffer's length is not a multiple of the number of classes times the
    /// number of samples.
    #[error(
        "`y_prob` has {len} values, but {n_samples} samples × {n_classes} classes need {expected}"
    )]
    FlatLengthMismatch {
        /// Length of the flat buffer.
        len: usize,
        /// Number of samples (length of `y_true`).
        n_samples: usize,
        /// Number of classes.
        n_classes: usize,
        /// The length that was expected.
        expected: usize,
    },

    /// `y_true` contains only one of the two classes, so the metric (ROC, AUC) is undefined.
    #[error(
        "`y_true` contains only {present} samples; the ROC curve and its AUC need both positive and negative samples"
    )]
    SingleClass {
        /// Which class is present: `"positive"` or `"negative"`.
        present: &'static str,
    },

    /// Too few samples for the metric to be defined (R² needs at least two).
    #[error("{metric} needs at least {minimum} samples, got {got}")]
    TooFewSamples {
        /// The metric's name.
        metric: &'static str,
        /// The smallest number of samples it accepts.
        minimum: usize,
        /// The number supplied.
        got: usize,
    },

    /// The number of class names differs from the number of classes.
    #[error("{got} class names were given for {n_classes} classes")]
    ClassNameCount {
        /// Number of classes.
        n_classes: usize,
        /// Number of names supplied.
        got: usize,
    },

    /// A deserialised result is internally inconsistent (e.g. a non-square confusion matrix).
    #[error("invalid {what}: {reason}")]
    Inconsistent {
        /// The kind of result.
        what: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}

impl MetricError {
    /// Checks that two inputs describing the same samples are non-empty and of equal length.
    pub(crate) fn check_paired(
        left: &'static str,
        left_len: usize,
        right: &'static str,
        right_len: usize,
    ) -> Result<(), MetricError> {
        if left_len != right_len {
            return Err(MetricError::LengthMismatch {
                left,
                left_len,
                right,
                right_len,
            });
        }
        if left_len == 0 {
            return Err(MetricError::Empty { argument: left });
        }
        Ok(())
    }
}
