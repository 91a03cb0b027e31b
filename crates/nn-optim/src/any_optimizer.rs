//! [`AnyOptimizer`]: one serialisable type for every optimizer and its state.

use nn_core::{Float, Param};
use serde::{Deserialize, Serialize};

use crate::{Adam, AdamW, Momentum, OptimError, Optimizer, OptimizerConfig, RmsProp, Sgd};

/// Any of the optimizers of this crate, with its state: what a checkpoint stores so that a
/// resumed run continues bit for bit.
///
/// Externally tagged, so it round-trips through binary formats (bincode) as well as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub enum AnyOptimizer<T: Float> {
    /// Plain gradient descent.
    Sgd(Sgd),
    /// Momentum (classic or EMA, optionally Nesterov).
    Momentum(Momentum<T>),
    /// RMSprop.
    RmsProp(RmsProp<T>),
    /// Adam.
    Adam(Adam<T>),
    /// AdamW.
    AdamW(AdamW<T>),
}

impl<T: Float> AnyOptimizer<T> {
    /// Builds a fresh optimizer from `config` (same as [`OptimizerConfig::build_any`]).
    ///
    /// # Errors
    ///
    /// [`OptimError::InvalidHyperParameter`] naming the optimizer and the offending field.
    pub fn new(config: &OptimizerConfig) -> Result<Self, OptimError> {
        config.build_any()
    }

    /// The hyper-parameters, with the current learning rate.
    pub fn config(&self) -> OptimizerConfig {
        match self {
            Self::Sgd(o) => OptimizerConfig::Sgd(*o.config()),
            Self::Momentum(o) => OptimizerConfig::Momentum(*o.config()),
            Self::RmsProp(o) => OptimizerConfig::RmsProp(*o.config()),
            Self::Adam(o) => OptimizerConfig::Adam(*o.config()),
            Self::AdamW(o) => OptimizerConfig::AdamW(*o.config()),
        }
    }

    fn inner(&self) -> &dyn Optimizer<T> {
        match self {
            Self::Sgd(o) => o,
            Self::Momentum(o) => o,
            Self::RmsProp(o) => o,
            Self::Adam(o) => o,
            Self::AdamW(o) => o,
        }
    }

    fn inner_mut(&mut self) -> &mut dyn Optimizer<T> {
        match self {
            Self::Sgd(o) => o,
            Self::Momentum(o) => o,
            Self::RmsProp(o) => o,
            Self::Adam(o) => o,
            Self::AdamW(o) => o,
        }
    }
}

impl<T: Float> Optimizer<T> for AnyOptimizer<T> {
    fn name(&self) -> &'static str {
        self.inner().name()
    }

    fn learning_rate(&self) -> f64 {
        self.inner().learning_rate()
    }

    fn set_learning_rate(&mut self, lr: f64) {
        self.inner_mut().set_learning_rate(lr);
    }

    fn step(&mut self, params: &mut [&mut Param<T>]) -> Result<(), OptimError> {
        self.inner_mut().step(params)
    }

    fn steps_taken(&self) -> u64 {
        self.inner().steps_taken()
    }

    fn reset(&mut self) {
        self.inner_mut().reset();
    }
}

impl<T: Float> From<Sgd> for AnyOptimizer<T> {
    fn from(o: Sgd) -> Self {
        Self::Sgd(o)
    }
}

impl<T: Float> From<Momentum<T>> for AnyOptimizer<T> {
    fn from(o: Momentum<T>) -> Self {
        Self::Momentum(o)
    }
}

impl<T: Float> From<RmsProp<T>> for AnyOptimizer<T> {
    fn from(o: RmsProp<T>) -> Self {
        Self::RmsProp(o)
    }
}

impl<T: Float> From<Adam<T>> for AnyOptimizer<T> {
    fn from(o: Adam<T>) -> Self {
        Self::Adam(o)
    }
}

impl<T: Float> From<AdamW<T>> for AnyOptimizer<T> {
    fn from(o: AdamW<T>) -> Self {
        Self::AdamW(o)
    }
}
