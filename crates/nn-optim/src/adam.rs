//! Adam: momentum on the gradient and RMSprop scaling, with bias correction.

use serde::{Deserialize, Serialize};

use crate::adam_step::AdamVariant;
use crate::hyper_parameter;
use crate::{EpsilonPlacement, HyperParameters, OptimError, Stepper};

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

impl HyperParameters for AdamConfig {
    const NAME: &'static str = "adam";

    fn learning_rate_mut(&mut self) -> &mut f64 {
        &mut self.lr
    }

    /// Checks `beta1` and `beta2` (in `[0, 1)`) and `epsilon` (`> 0`, a normal `f32`).
    fn validate_others(&self) -> Result<(), OptimError> {
        validate_adam_fields(Self::NAME, self)
    }
}

impl AdamVariant for AdamConfig {
    fn adam_and_weight_decay(&self) -> (AdamConfig, f64) {
        (*self, 0.0)
    }
}

/// Checks the fields other than the learning rate that Adam and AdamW share, reporting them
/// under `optimizer`.
pub(crate) fn validate_adam_fields(
    optimizer: &'static str,
    c: &AdamConfig,
) -> Result<(), OptimError> {
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
pub type Adam<T> = Stepper<AdamConfig, T>;
