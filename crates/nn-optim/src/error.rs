//! The errors an optimizer or a learning-rate schedule can report.

use thiserror::Error;

/// Why an optimizer could not be built or could not take a step.
///
/// Every variant names the optimizer and, where it applies, the parameter index and the
/// shapes involved, so a mismatch between an optimizer's state and the network it is applied
/// to is reported instead of silently corrupting the update.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum OptimError {
    /// A hyper-parameter is non-finite or outside its allowed range.
    #[error(
        "{optimizer}: hyper-parameter `{name}` = {value:?} is invalid: it must be {requirement}"
    )]
    InvalidHyperParameter {
        /// Which optimizer or schedule refused the value (e.g. `"adam"`).
        optimizer: &'static str,
        /// The hyper-parameter's name as it appears in the config (e.g. `"beta2"`).
        name: &'static str,
        /// The offending value.
        value: f64,
        /// The rule it broke, in words (e.g. `"finite (in f32) and >= 0"`).
        requirement: &'static str,
    },
    /// A step received a different number of parameters than the step that sized the state.
    #[error(
        "{optimizer}: got {actual} parameters, but its state was sized for {expected} on the first step"
    )]
    ParamCountMismatch {
        /// The optimizer's name.
        optimizer: &'static str,
        /// The number of parameters the state holds.
        expected: usize,
        /// The number of parameters passed to this step.
        actual: usize,
    },
    /// A parameter's shape differs from the shape its state was sized for.
    #[error(
        "{optimizer}: parameter {index} has shape {actual:?}, but its state was sized for {expected:?} on the first step"
    )]
    ParamShapeMismatch {
        /// The optimizer's name.
        optimizer: &'static str,
        /// Position of the parameter in the list passed to `step`.
        index: usize,
        /// `(rows, columns)` of the state.
        expected: (usize, usize),
        /// `(rows, columns)` of the parameter.
        actual: (usize, usize),
    },
    /// A parameter's gradient does not have the shape of its value.
    #[error("{optimizer}: parameter {index} has value shape {value:?} but gradient shape {grad:?}")]
    GradShapeMismatch {
        /// The optimizer's name.
        optimizer: &'static str,
        /// Position of the parameter in the list passed to `step`.
        index: usize,
        /// `(rows, columns)` of the value.
        value: (usize, usize),
        /// `(rows, columns)` of the gradient.
        grad: (usize, usize),
    },
}
