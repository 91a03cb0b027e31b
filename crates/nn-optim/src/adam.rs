//! Adam: momentum on the gradient and RMSprop scaling, with bias correction.

use nn_core::{Float, Param};
use serde::{Deserialize, Serialize};

use crate::adam_moments::{AdamCoefficients, AdamMoments};
use crate::hyper_parameter;
use crate::{EpsilonPlacement, OptimError, Optimizer};

/// Hyper-parameters of [`Adam`]; the defaults are those of Kingma & Ba (2015).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AdamConfig {
    /// Learning rate η (default 0.001).
    pub lr: f64,
    /// Decay rate β₁ of the first moment, in `[0, 1)` (default 0.9).
    pub beta1: f64,
    /// Decay rate β₂ of the second moment, in `[0, 1)` (default 0.999).
    pub beta2: f64,
    /// Stabiliser ε, `> 0` and a normal `f32` (default 1e-8).
    pub epsilon: f64,
    /// `√v̂ + ε` (the paper, default) or `√(v̂ + ε)` (the studies).
    pub epsilon_placement: EpsilonPlacement,
}

impl Default for AdamConfig {
    fn default() -> Self {
        Self {
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
            epsilon_placement: EpsilonPlacement::OutsideSqrt,
        }
    }
}

impl AdamConfig {
    /// Checks `lr` (finite in `f32`, `>= 0`), `beta1` and `beta2` (in `[0, 1)`) and `epsilon`
    /// (`> 0`, a normal `f32`).
    ///
    /// # Errors
    ///
    /// [`OptimError::InvalidHyperParameter`] naming the offending field.
    pub fn validate(&self) -> Result<(), OptimError> {
        validate_adam_fields(Adam::<f64>::NAME, self)
    }
}

/// Checks the fields Adam and AdamW share, reporting them under `optimizer`.
pub(crate) fn validate_adam_fields(
    optimizer: &'static str,
    c: &AdamConfig,
) -> Result<(), OptimError> {
    hyper_parameter::non_negative(optimizer, "lr", c.lr)?;
    hyper_parameter::unit_interval(optimizer, "beta1", c.beta1)?;
    hyper_parameter::unit_interval(optimizer, "beta2", c.beta2)?;
    hyper_parameter::positive(optimizer, "epsilon", c.epsilon)
}

/// Adam with bias correction (study 001, equations 21–25; Kingma & Ba 2015):
///
/// ```text
/// m ← β₁·m + (1 − β₁)·∇,   v ← β₂·v + (1 − β₂)·∇²
/// m̂ = m / (1 − β₁ᵗ),       v̂ = v / (1 − β₂ᵗ)
/// W ← W − η·m̂ / (√v̂ + ε)   (or √(v̂ + ε) with EpsilonPlacement::InsideSqrt)
/// ```
///
/// `t` counts steps from 1 and is shared by all parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Adam<T: Float> {
    config: AdamConfig,
    moments: AdamMoments<T>,
}

impl<T: Float> Adam<T> {
    /// The optimizer's name, as in [`crate::OptimizerConfig`]'s `kind`.
    pub const NAME: &'static str = "adam";

    /// Builds the optimizer after validating `config`.
    ///
    /// # Errors
    ///
    /// [`OptimError::InvalidHyperParameter`] naming the offending field.
    pub fn new(config: AdamConfig) -> Result<Self, OptimError> {
        config.validate()?;
        Ok(Self {
            config,
            moments: AdamMoments::new(),
        })
    }

    /// The hyper-parameters (with the current learning rate).
    pub fn config(&self) -> &AdamConfig {
        &self.config
    }
}

impl<T: Float> Optimizer<T> for Adam<T> {
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
        let c = self.config;
        self.moments.step(
            Self::NAME,
            params,
            AdamCoefficients {
                lr: c.lr,
                beta1: c.beta1,
                beta2: c.beta2,
                epsilon: c.epsilon,
                epsilon_placement: c.epsilon_placement,
                weight_decay: 0.0,
            },
        )
    }

    fn steps_taken(&self) -> u64 {
        self.moments.steps()
    }

    fn reset(&mut self) {
        self.moments.clear();
    }
}
