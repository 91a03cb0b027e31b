//! AdamW: Adam with weight decay decoupled from the gradient, applied to weights only.

use nn_core::{Float, Param};
use serde::{Deserialize, Serialize};

use crate::adam::validate_adam_fields;
use crate::adam_moments::{AdamCoefficients, AdamMoments};
use crate::hyper_parameter;
use crate::{AdamConfig, EpsilonPlacement, OptimError, Optimizer};

/// Hyper-parameters of [`AdamW`]: those of [`AdamConfig`] plus the decay λ.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AdamWConfig {
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
    /// Decoupled weight decay λ, finite in `f32` and `>= 0` (default 0.01), applied to
    /// [`nn_core::ParamKind::Weight`] parameters only.
    pub weight_decay: f64,
}

impl Default for AdamWConfig {
    fn default() -> Self {
        let adam = AdamConfig::default();
        Self {
            lr: adam.lr,
            beta1: adam.beta1,
            beta2: adam.beta2,
            epsilon: adam.epsilon,
            epsilon_placement: adam.epsilon_placement,
            weight_decay: 0.01,
        }
    }
}

impl AdamWConfig {
    /// The Adam part of the configuration.
    pub fn adam(&self) -> AdamConfig {
        AdamConfig {
            lr: self.lr,
            beta1: self.beta1,
            beta2: self.beta2,
            epsilon: self.epsilon,
            epsilon_placement: self.epsilon_placement,
        }
    }

    /// Checks the Adam fields as [`AdamConfig::validate`] does, and `weight_decay`
    /// (finite in `f32`, `>= 0`).
    ///
    /// # Errors
    ///
    /// [`OptimError::InvalidHyperParameter`] naming the offending field.
    pub fn validate(&self) -> Result<(), OptimError> {
        let name = AdamW::<f64>::NAME;
        validate_adam_fields(name, &self.adam())?;
        hyper_parameter::non_negative(name, "weight_decay", self.weight_decay)
    }
}

/// AdamW (Loshchilov & Hutter 2019): Adam whose weight decay is applied to the weights
/// directly instead of being added to the gradient, so it is not rescaled by `√v̂`:
///
/// ```text
/// W ← W − η·(m̂ / (√v̂ + ε) + λ·W)    for weights
/// b ← b − η·m̂ / (√v̂ + ε)            for biases (no decay)
/// ```
///
/// With `weight_decay = 0` it computes exactly what [`crate::Adam`] computes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct AdamW<T: Float> {
    config: AdamWConfig,
    moments: AdamMoments<T>,
}

impl<T: Float> AdamW<T> {
    /// The optimizer's name, as in [`crate::OptimizerConfig`]'s `kind`.
    pub const NAME: &'static str = "adamw";

    /// Builds the optimizer after validating `config`.
    ///
    /// # Errors
    ///
    /// [`OptimError::InvalidHyperParameter`] naming the offending field.
    pub fn new(config: AdamWConfig) -> Result<Self, OptimError> {
        config.validate()?;
        Ok(Self {
            config,
            moments: AdamMoments::new(),
        })
    }

    /// The hyper-parameters (with the current learning rate).
    pub fn config(&self) -> &AdamWConfig {
        &self.config
    }
}

impl<T: Float> Optimizer<T> for AdamW<T> {
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
                weight_decay: c.weight_decay,
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
