//! RMSprop: divide each gradient by a running root-mean-square of its recent values.

use nn_core::{Float, Param};
use serde::{Deserialize, Serialize};

use crate::hyper_parameter;
use crate::parallel_pass::{each_element_with_state, split_across_threads};
use crate::param_state::{ParamState, check_gradients};
use crate::subnormal::{MIN_EPSILON_FOR_FLUSH, square_floor};
use crate::{EpsilonPlacement, OptimError, Optimizer};

/// Hyper-parameters of [`RmsProp`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RmsPropConfig {
    /// Learning rate η (default 0.001).
    pub lr: f64,
    /// Decay rate ρ of the moving average of squared gradients, in `[0, 1)` (default 0.9).
    pub rho: f64,
    /// Stabiliser ε, `> 0` and a normal `f32` (default 1e-8).
    pub epsilon: f64,
    /// Whether ε goes outside (default) or inside the square root.
    pub epsilon_placement: EpsilonPlacement,
}

impl Default for RmsPropConfig {
    fn default() -> Self {
        Self {
            lr: 1e-3,
            rho: 0.9,
            epsilon: 1e-8,
            epsilon_placement: EpsilonPlacement::OutsideSqrt,
        }
    }
}

impl RmsPropConfig {
    /// Checks `lr` (finite in `f32`, `>= 0`), `rho` (in `[0, 1)`) and `epsilon` (`> 0`, a normal `f32`).
    ///
    /// # Errors
    ///
    /// [`OptimError::InvalidHyperParameter`] naming the offending field.
    pub fn validate(&self) -> Result<(), OptimError> {
        let name = RmsProp::<f64>::NAME;
        hyper_parameter::non_negative(name, "lr", self.lr)?;
        hyper_parameter::unit_interval(name, "rho", self.rho)?;
        hyper_parameter::positive(name, "epsilon", self.epsilon)
    }
}

/// RMSprop (study 001, equations 19–20):
/// `s ← ρ·s + (1 − ρ)·∇²`, `W ← W − η·∇ / (√s + ε)` — or `√(s + ε)` with
/// [`EpsilonPlacement::InsideSqrt`], as the study writes it. Keeps one `s` per parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct RmsProp<T: Float> {
    config: RmsPropConfig,
    mean_square: ParamState<T>,
    steps: u64,
}

impl<T: Float> RmsProp<T> {
    /// The optimizer's name, as in [`crate::OptimizerConfig`]'s `kind`.
    pub const NAME: &'static str = "rmsprop";

    /// Builds the optimizer after validating `config`.
    ///
    /// # Errors
    ///
    /// [`OptimError::InvalidHyperParameter`] naming the offending field.
    pub fn new(config: RmsPropConfig) -> Result<Self, OptimError> {
        config.validate()?;
        Ok(Self {
            config,
            mean_square: ParamState::new(),
            steps: 0,
        })
    }

    /// The hyper-parameters (with the current learning rate).
    pub fn config(&self) -> &RmsPropConfig {
        &self.config
    }
}

impl<T: Float> Optimizer<T> for RmsProp<T> {
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
        let mean_squares = self.mean_square.prepare(Self::NAME, params)?;
        let lr = T::cast(self.config.lr);
        let rho = T::cast(self.config.rho);
        let one_minus_rho = T::cast(1.0 - self.config.rho);
        let eps = T::cast(self.config.epsilon);
        // Mean squares below the floor are stored as zero (see `crate::subnormal`).
        let floor = if self.config.epsilon < MIN_EPSILON_FOR_FLUSH {
            T::zero()
        } else {
            square_floor::<T>(self.config.rho)
        };
        let new_mean_square = move |s: T, g: T| {
            let s_new = rho * s + one_minus_rho * g * g;
            if s_new < floor { T::zero() } else { s_new }
        };
        let placement = self.config.epsilon_placement;
        let pass = |part| match placement {
            EpsilonPlacement::OutsideSqrt => each_element_with_state(part, |w, g, s| {
                *s = new_mean_square(*s, g);
                *w -= lr * g / (s.sqrt() + eps);
            }),
            EpsilonPlacement::InsideSqrt => each_element_with_state(part, |w, g, s| {
                *s = new_mean_square(*s, g);
                *w -= lr * g / (*s + eps).sqrt();
            }),
        };
        for (param, s) in params.iter_mut().zip(mean_squares.iter_mut()) {
            let Param { value, grad, .. } = &mut **param;
            let slices = (value.as_mut_slice(), grad.as_slice(), s.as_mut_slice());
            split_across_threads(slices, &pass);
        }
        self.steps = self.steps.saturating_add(1);
        Ok(())
    }

    fn steps_taken(&self) -> u64 {
        self.steps
    }

    fn reset(&mut self) {
        self.mean_square.clear();
        self.steps = 0;
    }
}
