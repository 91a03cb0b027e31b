//! [`OptimizerConfig`]: choose an optimizer and its hyper-parameters by name, from a spec.

use nn_core::Float;
use serde::{Deserialize, Serialize};

use crate::{
    AdamConfig, AdamWConfig, AnyOptimizer, HyperParameters, MomentumConfig, OptimError, Optimizer,
    RmsPropConfig, SgdConfig,
};

/// Which optimizer to build, with its hyper-parameters, as written in an experiment spec.
///
/// Serialised with a `kind` tag; omitted fields take their defaults and unknown fields are
/// refused:
///
/// ```
/// use nn_optim::{AdamConfig, OptimizerConfig};
///
/// let config: OptimizerConfig = serde_json::from_str(r#"{ "kind": "adam", "lr": 0.01 }"#)?;
/// assert_eq!(config, OptimizerConfig::Adam(AdamConfig { lr: 0.01, ..Default::default() }));
/// let optimizer = config.build::<f32>()?;
/// assert_eq!(optimizer.name(), "adam");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// The `kind` tag makes this type suited to self-describing formats (JSON, TOML); a binary
/// checkpoint should store an [`AnyOptimizer`] instead, which also carries the state.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OptimizerConfig {
    /// `{ "kind": "sgd", "lr": … }`
    Sgd(SgdConfig),
    /// `{ "kind": "momentum", "lr": …, "momentum": …, "form": "classic" | "ema", "nesterov": … }`
    Momentum(MomentumConfig),
    /// `{ "kind": "rmsprop", "lr": …, "rho": …, "epsilon": …, "epsilon_placement": … }`
    #[serde(rename = "rmsprop")]
    RmsProp(RmsPropConfig),
    /// `{ "kind": "adam", "lr": …, "beta1": …, "beta2": …, "epsilon": …, "epsilon_placement": … }`
    Adam(AdamConfig),
    /// `{ "kind": "adamw", …Adam's fields…, "weight_decay": … }`
    #[serde(rename = "adamw")]
    AdamW(AdamWConfig),
}

impl OptimizerConfig {
    /// The optimizer's name, the `kind` tag (e.g. `"rmsprop"`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Sgd(_) => SgdConfig::NAME,
            Self::Momentum(_) => MomentumConfig::NAME,
            Self::RmsProp(_) => RmsPropConfig::NAME,
            Self::Adam(_) => AdamConfig::NAME,
            Self::AdamW(_) => AdamWConfig::NAME,
        }
    }

    /// The configured (base) learning rate.
    pub fn lr(&self) -> f64 {
        match self {
            Self::Sgd(c) => c.lr,
            Self::Momentum(c) => c.lr,
            Self::RmsProp(c) => c.lr,
            Self::Adam(c) => c.lr,
            Self::AdamW(c) => c.lr,
        }
    }

    /// Checks every hyper-parameter.
    ///
    /// # Errors
    ///
    /// [`OptimError::InvalidHyperParameter`] naming the optimizer and the offending field.
    pub fn validate(&self) -> Result<(), OptimError> {
        match self {
            Self::Sgd(c) => c.validate(),
            Self::Momentum(c) => c.validate(),
            Self::RmsProp(c) => c.validate(),
            Self::Adam(c) => c.validate(),
            Self::AdamW(c) => c.validate(),
        }
    }

    /// Builds the optimizer as a concrete, serialisable [`AnyOptimizer`].
    ///
    /// # Errors
    ///
    /// [`OptimError::InvalidHyperParameter`] naming the optimizer and the offending field.
    pub fn build_any<T: Float>(&self) -> Result<AnyOptimizer<T>, OptimError> {
        AnyOptimizer::new(self)
    }

    /// Builds the optimizer behind the [`Optimizer`] trait.
    ///
    /// # Errors
    ///
    /// [`OptimError::InvalidHyperParameter`] naming the optimizer and the offending field.
    pub fn build<T: Float>(&self) -> Result<Box<dyn Optimizer<T>>, OptimError> {
        Ok(Box::new(self.build_any::<T>()?))
    }
}
