//! AdamW: Adam with weight decay decoupled from the gradient, applied to weights only.

use serde::{Deserialize, Serialize};

use crate::adam::validate_adam_fields;
use crate::adam_step::AdamVariant;
use crate::hyper_parameter;
use crate::{AdamConfig, EpsilonPlacement, HyperParameters, OptimError, Stepper};

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
}

impl HyperParameters for AdamWConfig {
    const NAME: &'static str = "adamw";

    fn learning_rate_mut(&mut self) -> &mut f64 {
        &mut self.lr
    }

    /// Checks the Adam fields as Adam does, and `weight_decay` (finite in `f32`, `>= 0`).
    fn validate_others(&self) -> Result<(), OptimError> {
        validate_adam_fields(Self::NAME, &self.adam())?;
        hyper_parameter::non_negative(Self::NAME, "weight_decay", self.weight_decay)
    }
}

impl AdamVariant for AdamWConfig {
    fn adam_and_weight_decay(&self) -> (AdamConfig, f64) {
        (self.adam(), self.weight_decay)
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
pub type AdamW<T> = Stepper<AdamWConfig, T>;
