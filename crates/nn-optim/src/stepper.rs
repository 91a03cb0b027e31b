//! [`Stepper`]: an [`UpdateRule`] made into an [`Optimizer`]. Every optimizer of this crate is
//! one (`Adam<T>` is `Stepper<AdamConfig, T>`), so the bookkeeping around the arithmetic is
//! written once, here.

use nn_core::{Float, Param};
use serde::{Deserialize, Serialize};

use crate::{OptimError, Optimizer, StateTensors, UpdateRule};

/// An optimizer built from an update rule `R` for scalars `T`: the rule's hyper-parameters,
/// its per-parameter state and the step count.
///
/// A step validates the hyper-parameters (the learning rate may have been set to anything),
/// checks that every gradient has its value's shape, sizes the state on the first step and
/// checks its count and shapes on every later one, and only then updates the parameters, so
/// a refused step changes nothing. After the first step, a step allocates nothing.
///
/// Serialised as the configuration, the state buffers and the step count, in that order; a
/// deserialised optimizer continues bit for bit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Stepper<R: UpdateRule<T>, T: Float> {
    config: R,
    pub(crate) state: R::State,
    steps: u64,
}

impl<R: UpdateRule<T>, T: Float> Stepper<R, T> {
    /// The optimizer's name, as in [`crate::OptimizerConfig`]'s `kind`.
    pub const NAME: &'static str = R::NAME;

    /// Builds the optimizer after validating `config`.
    ///
    /// # Errors
    ///
    /// [`OptimError::InvalidHyperParameter`] naming the optimizer and the offending field.
    pub fn new(config: R) -> Result<Self, OptimError> {
        config.validate()?;
        Ok(Self::unchecked(config))
    }

    fn unchecked(config: R) -> Self {
        Self {
            config,
            state: R::State::default(),
            steps: 0,
        }
    }

    /// The hyper-parameters (with the current learning rate).
    pub fn config(&self) -> &R {
        &self.config
    }
}

/// The optimizer with its configuration's defaults, which are valid.
impl<R: UpdateRule<T>, T: Float> Default for Stepper<R, T> {
    fn default() -> Self {
        Self::unchecked(R::default())
    }
}

impl<R: UpdateRule<T>, T: Float> Optimizer<T> for Stepper<R, T> {
    fn name(&self) -> &'static str {
        R::NAME
    }

    fn learning_rate(&self) -> f64 {
        self.config.learning_rate()
    }

    fn set_learning_rate(&mut self, lr: f64) {
        self.config.set_learning_rate(lr);
    }

    fn step(&mut self, params: &mut [&mut Param<T>]) -> Result<(), OptimError> {
        self.config.validate()?;
        check_gradients(R::NAME, params)?;
        self.state.prepare(R::NAME, params)?;
        // Saturating: a restored count of u64::MAX must not wrap to 0 (Adam's βᵗ is 0 anyway).
        let t = self.steps.saturating_add(1);
        let step = self.config.begin_step(t);
        for (param, state) in params.iter_mut().zip(self.state.of_params()) {
            R::update(&step, param, state);
        }
        self.steps = t;
        Ok(())
    }

    fn steps_taken(&self) -> u64 {
        self.steps
    }

    fn reset(&mut self) {
        self.state.clear();
        self.steps = 0;
    }
}

/// Checks that every parameter's gradient has the shape of its value, so the flat passes over
/// value and gradient slices line up element by element.
fn check_gradients<T: Float>(
    optimizer: &'static str,
    params: &[&mut Param<T>],
) -> Result<(), OptimError> {
    for (index, param) in params.iter().enumerate() {
        if param.grad.shape() != param.value.shape() {
            return Err(OptimError::GradShapeMismatch {
                optimizer,
                index,
                value: param.value.shape(),
                grad: param.grad.shape(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AdamConfig, AdamWConfig, MomentumConfig, RmsPropConfig, SgdConfig};

    fn default_is_built_from_the_default_config<R: UpdateRule<f32>>() {
        let built = Stepper::<R, f32>::new(R::default());
        assert_eq!(built, Ok(Stepper::default()), "{}", R::NAME);
    }

    #[test]
    fn every_default_optimizer_has_the_valid_default_config() {
        default_is_built_from_the_default_config::<SgdConfig>();
        default_is_built_from_the_default_config::<MomentumConfig>();
        default_is_built_from_the_default_config::<RmsPropConfig>();
        default_is_built_from_the_default_config::<AdamConfig>();
        default_is_built_from_the_default_config::<AdamWConfig>();
    }
}
