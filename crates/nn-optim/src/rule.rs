//! What an optimizer consists of: its hyper-parameters ([`HyperParameters`]) and its
//! arithmetic ([`UpdateRule`]). Everything else, state sizing and checks, the step count, the
//! learning rate, validation before a step and serialisation, is [`crate::Stepper`]'s.

use std::fmt::Debug;

use nn_core::{Float, Param};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{OptimError, StateTensors, hyper_parameter};

/// The configuration of an optimizer: a plain struct of hyper-parameters, with a learning rate.
///
/// Its [`Default`] is valid (the defaults of the literature), so a
/// [`crate::Stepper`]`::default()` needs no check.
pub trait HyperParameters:
    Copy + Debug + Default + PartialEq + Serialize + DeserializeOwned + Send + Sync + 'static
{
    /// Short lower-case name of the optimizer, the `kind` of its [`crate::OptimizerConfig`]
    /// (e.g. `"adam"`); every error of the optimizer starts with it.
    const NAME: &'static str;

    /// The learning rate, to read or to set: the one field every optimizer has.
    fn learning_rate_mut(&mut self) -> &mut f64;

    /// Checks the hyper-parameters other than the learning rate (none by default).
    ///
    /// # Errors
    ///
    /// [`OptimError::InvalidHyperParameter`] naming [`HyperParameters::NAME`] and the first
    /// offending field.
    fn validate_others(&self) -> Result<(), OptimError> {
        Ok(())
    }

    /// Checks every hyper-parameter: the learning rate (reported as `lr`; finite in `f32`
    /// and `>= 0`), then the others with [`HyperParameters::validate_others`].
    ///
    /// # Errors
    ///
    /// [`OptimError::InvalidHyperParameter`] naming [`HyperParameters::NAME`] and the first
    /// offending field.
    fn validate(&self) -> Result<(), OptimError> {
        hyper_parameter::non_negative(Self::NAME, "lr", self.learning_rate())?;
        self.validate_others()
    }

    /// The learning rate.
    fn learning_rate(&self) -> f64 {
        // A configuration is a few plain numbers: reading from a copy is free.
        *{ *self }.learning_rate_mut()
    }

    /// Sets the learning rate (checked by the next step, through [`HyperParameters::validate`]).
    fn set_learning_rate(&mut self, lr: f64) {
        *self.learning_rate_mut() = lr;
    }
}

/// How an optimizer updates one parameter, given the state it keeps for it.
///
/// A rule only computes: [`crate::Stepper`] validates the hyper-parameters, checks the
/// gradients' shapes, sizes and checks the state, counts the steps and then, once per step,
/// calls [`UpdateRule::begin_step`] and [`UpdateRule::update`] for each parameter in order.
///
/// A new optimizer is a configuration with these two traits; for example sign descent,
/// `W ← W − η·sign(∇)`, which keeps no state:
///
/// ```
/// use nn_core::{Float, Matrix, Param, ParamKind};
/// use nn_optim::{HyperParameters, OptimError, Optimizer, Stepper, UpdateRule};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
/// struct SignDescent {
///     lr: f64,
/// }
///
/// impl Default for SignDescent {
///     fn default() -> Self {
///         Self { lr: 0.1 }
///     }
/// }
///
/// impl HyperParameters for SignDescent {
///     const NAME: &'static str = "sign_descent";
///     fn learning_rate_mut(&mut self) -> &mut f64 {
///         &mut self.lr
///     }
/// }
///
/// impl<T: Float> UpdateRule<T> for SignDescent {
///     type State = ();
///     type Step = T;
///     fn begin_step(&self, _t: u64) -> T {
///         T::cast(self.lr)
///     }
///     fn update(&lr: &T, param: &mut Param<T>, (): ()) {
///         for (w, g) in param.value.iter_mut().zip(param.grad.iter()) {
///             *w -= lr * g.signum();
///         }
///     }
/// }
///
/// let mut w = Param::new(Matrix::from_column_slice(2, 1, &[1.0_f64, 2.0]), ParamKind::Weight);
/// w.grad = Matrix::from_column_slice(2, 1, &[0.5, -3.0]);
/// let mut optimizer = Stepper::<SignDescent, f64>::default();
/// optimizer.step(&mut [&mut w])?;
/// assert_eq!(w.value.as_slice(), &[0.9, 2.1]);
/// assert_eq!((optimizer.name(), optimizer.steps_taken()), ("sign_descent", 1));
///
/// // The adaptor checks what the rule leaves to it: here, the learning rate.
/// optimizer.set_learning_rate(-1.0);
/// assert!(optimizer.step(&mut [&mut w]).is_err());
/// assert_eq!(w.value.as_slice(), &[0.9, 2.1]);
/// # Ok::<(), OptimError>(())
/// ```
pub trait UpdateRule<T: Float>: HyperParameters {
    /// The state kept per parameter: `()` for none (SGD), one [`crate::ParamState`]
    /// (a velocity, a mean square) or two (Adam's moments).
    type State: StateTensors<T>;

    /// What one step computes once for all parameters (e.g. Adam's bias corrections), in `T`.
    type Step: Sync;

    /// The loop invariants of step `t` (the first step is `t = 1`), from hyper-parameters
    /// that [`HyperParameters::validate`] accepted.
    fn begin_step(&self, t: u64) -> Self::Step;

    /// Updates one parameter (whose gradient has the shape of its value) and its state (sized
    /// to that shape) in one pass.
    fn update(
        step: &Self::Step,
        param: &mut Param<T>,
        state: <Self::State as StateTensors<T>>::OfParam<'_>,
    );
}
