//! The [`Optimizer`] trait every optimizer implements.

use std::fmt::Debug;

use nn_core::{Float, Param};

use crate::OptimError;

/// Updates a network's parameters from their gradients.
///
/// The network hands its parameters over in a fixed order on every step; the optimizer keeps
/// its state (velocities, moments) per parameter index. The state is sized on the first step
/// and checked on every later one: a different parameter count or shape is an
/// [`OptimError`], never a silent mix-up. After the first step a step does not allocate, and
/// each parameter is updated in one pass over its value, gradient and state slices.
///
/// The trait is object safe: a trainer can hold a `Box<dyn Optimizer<T>>`.
pub trait Optimizer<T: Float>: Debug + Send {
    /// Short lower-case name, the same as the `kind` of its [`crate::OptimizerConfig`]
    /// (e.g. `"adam"`).
    fn name(&self) -> &'static str;

    /// The current learning rate.
    fn learning_rate(&self) -> f64;

    /// Sets the learning rate used from the next step on (a schedule calls this each epoch).
    ///
    /// A negative or non-finite value is reported by the next [`Optimizer::step`] as
    /// [`OptimError::InvalidHyperParameter`], before any parameter is touched.
    fn set_learning_rate(&mut self, lr: f64);

    /// Applies one update to every parameter from its current gradient.
    ///
    /// # Errors
    ///
    /// [`OptimError::ParamCountMismatch`] or [`OptimError::ParamShapeMismatch`] when the
    /// parameters differ from those of the first step, [`OptimError::GradShapeMismatch`] when a
    /// gradient's shape differs from its value's, and [`OptimError::InvalidHyperParameter`]
    /// when the learning rate was set to an invalid value. On error no parameter is changed.
    fn step(&mut self, params: &mut [&mut Param<T>]) -> Result<(), OptimError>;

    /// Number of successful steps taken since construction or the last [`Optimizer::reset`].
    fn steps_taken(&self) -> u64;

    /// Forgets all state (velocities, moments, step count); the next step sizes it afresh.
    fn reset(&mut self);
}
