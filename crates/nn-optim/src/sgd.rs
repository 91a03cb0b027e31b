//! Plain stochastic gradient descent: `W ← W − η·∇`.

use nn_core::{Float, Param};
use serde::{Deserialize, Serialize};

use crate::hyper_parameter;
use crate::parallel_pass::{each_element, split_across_threads};
use crate::param_state::check_gradients;
use crate::{OptimError, Optimizer};

/// Hyper-parameters of [`Sgd`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SgdConfig {
    /// Learning rate η (default 0.01).
    pub lr: f64,
}

impl Default for SgdConfig {
    fn default() -> Self {
        Self { lr: 0.01 }
    }
}

impl SgdConfig {
    /// Checks that `lr` is finite in `f32` and non-negative.
    ///
    /// # Errors
    ///
    /// [`OptimError::InvalidHyperParameter`] naming the offending field.
    pub fn validate(&self) -> Result<(), OptimError> {
        hyper_parameter::non_negative(Sgd::NAME, "lr", self.lr)
    }
}

/// Plain gradient descent (study 001, equations 15–16): `W ← W − η·∇` for every parameter.
///
/// It keeps no state, so it is the same type for every scalar type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sgd {
    config: SgdConfig,
    steps: u64,
}

impl Sgd {
    /// The optimizer's name, as in [`crate::OptimizerConfig`]'s `kind`.
    pub const NAME: &'static str = "sgd";

    /// Builds the optimizer after validating `config`.
    ///
    /// # Errors
    ///
    /// [`OptimError::InvalidHyperParameter`] when the learning rate is negative or non-finite.
    pub fn new(config: SgdConfig) -> Result<Self, OptimError> {
        config.validate()?;
        Ok(Self { config, steps: 0 })
    }

    /// The hyper-parameters (with the current learning rate).
    pub fn config(&self) -> &SgdConfig {
        &self.config
    }
}

impl<T: Float> Optimizer<T> for Sgd {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn learning_rate(&self) -> f64 {
        self.config.lr
    }

    fn set_learning_rate(&mut self, lr: f64) {
        self.config.lr = lr;
    }

    fn step(&mut self, params: &mut [&mut Param<T>]) -> Result<(), OptimError> {
        self.config.validate()?;
        check_gradients(Self::NAME, params)?;
        let lr = T::cast(self.config.lr);
        for param in params.iter_mut() {
            let Param { value, grad, .. } = &mut **param;
            let slices = (value.as_mut_slice(), grad.as_slice());
            split_across_threads(slices, &|part| each_element(part, |w, g| *w -= lr * g));
        }
        self.steps = self.steps.saturating_add(1);
        Ok(())
    }

    fn steps_taken(&self) -> u64 {
        self.steps
    }

    fn reset(&mut self) {
        self.steps = 0;
    }
}
