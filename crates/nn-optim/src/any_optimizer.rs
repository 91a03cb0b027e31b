//! [`AnyOptimizer`]: one serialisable type for every optimizer and its state.

use nn_core::{Float, Param};
use serde::{Deserialize, Serialize};

use crate::{
    AdamConfig, AdamWConfig, MomentumConfig, OptimError, Optimizer, OptimizerConfig, RmsPropConfig,
    SgdConfig, Stepper,
};

/// Defines [`AnyOptimizer`] from the list of optimizers, each a variant named as in
/// [`OptimizerConfig`] holding the [`Stepper`] of its configuration: the enum, its conversion
/// from each optimizer, and its [`Optimizer`] implementation, which calls the optimizer it
/// holds directly (no dynamic dispatch).
macro_rules! any_optimizer {
    ($($(#[doc = $doc:literal])* $kind:ident($config:ty),)*) => {
        /// Any of the optimizers of this crate, with its state: what a checkpoint stores so
        /// that a resumed run continues bit for bit.
        ///
        /// Externally tagged, so it round-trips through binary formats (bincode) as well as
        /// JSON. Every optimizer converts into it (`AnyOptimizer::from(Adam::default())`).
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[serde(bound = "")]
        pub enum AnyOptimizer<T: Float> {
            $($(#[doc = $doc])* $kind(Stepper<$config, T>),)*
        }

        impl<T: Float> AnyOptimizer<T> {
            /// Builds a fresh optimizer from `config` (same as [`OptimizerConfig::build_any`]).
            ///
            /// # Errors
            ///
            /// [`OptimError::InvalidHyperParameter`] naming the optimizer and the offending
            /// field.
            pub fn new(config: &OptimizerConfig) -> Result<Self, OptimError> {
                Ok(match *config {
                    $(OptimizerConfig::$kind(c) => Self::$kind(Stepper::new(c)?),)*
                })
            }

            /// The hyper-parameters, with the current learning rate.
            pub fn config(&self) -> OptimizerConfig {
                match self {
                    $(Self::$kind(o) => OptimizerConfig::$kind(*o.config()),)*
                }
            }
        }

        impl<T: Float> Optimizer<T> for AnyOptimizer<T> {
            fn name(&self) -> &'static str {
                match self { $(Self::$kind(o) => o.name(),)* }
            }

            fn learning_rate(&self) -> f64 {
                match self { $(Self::$kind(o) => o.learning_rate(),)* }
            }

            fn set_learning_rate(&mut self, lr: f64) {
                match self { $(Self::$kind(o) => o.set_learning_rate(lr),)* }
            }

            fn step(&mut self, params: &mut [&mut Param<T>]) -> Result<(), OptimError> {
                match self { $(Self::$kind(o) => o.step(params),)* }
            }

            fn steps_taken(&self) -> u64 {
                match self { $(Self::$kind(o) => o.steps_taken(),)* }
            }

            fn reset(&mut self) {
                match self { $(Self::$kind(o) => o.reset(),)* }
            }
        }

        $(
            impl<T: Float> From<Stepper<$config, T>> for AnyOptimizer<T> {
                fn from(optimizer: Stepper<$config, T>) -> Self {
                    Self::$kind(optimizer)
                }
            }
        )*
    };
}

// The order is the serialised variant index of a binary checkpoint: append, never reorder.
any_optimizer! {
    /// Plain gradient descent.
    Sgd(SgdConfig),
    /// Momentum (classic or EMA, optionally Nesterov).
    Momentum(MomentumConfig),
    /// RMSprop.
    RmsProp(RmsPropConfig),
    /// Adam.
    Adam(AdamConfig),
    /// AdamW.
    AdamW(AdamWConfig),
}
