//! Gradient descent with momentum, in the two forms the studies use, optionally Nesterov.

use nn_core::{Float, Param};
use serde::{Deserialize, Serialize};

use crate::hyper_parameter;
use crate::parallel_pass::{each_element_with_state, split_across_threads};
use crate::param_state::{ParamState, check_gradients};
use crate::subnormal::state_floor;
use crate::{OptimError, Optimizer};

/// Which momentum recurrence to use. Both keep one velocity `v` per parameter, starting at 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MomentumForm {
    /// Study 001 (equations 17–18), Sutskever et al.: `v ← μ·v − η·∇`, `W ← W + v`.
    /// The default.
    #[default]
    Classic,
    /// Study 003, an exponential moving average of gradients:
    /// `v ← β·v + (1 − β)·∇`, `W ← W − α·v`. For the same step size it needs a learning rate
    /// `1/(1 − β)` times larger than the classic form.
    Ema,
}

/// Hyper-parameters of [`Momentum`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MomentumConfig {
    /// Learning rate (η in the classic form, α in the EMA form; default 0.01).
    pub lr: f64,
    /// Momentum coefficient (μ in the classic form, β in the EMA form), in `[0, 1)`
    /// (default 0.9).
    pub momentum: f64,
    /// Which recurrence (default [`MomentumForm::Classic`]).
    pub form: MomentumForm,
    /// Nesterov's accelerated gradient: step along the look-ahead velocity (default `false`).
    ///
    /// Classic form: `v ← μ·v − η·∇`, `W ← W + μ·v − η·∇` (the reformulation of Sutskever et
    /// al. 2013, which evaluates the gradient at the current point). EMA form:
    /// `v ← β·v + (1 − β)·∇`, `W ← W − α·(β·v + (1 − β)·∇)`.
    pub nesterov: bool,
}

impl Default for MomentumConfig {
    fn default() -> Self {
        Self {
            lr: 0.01,
            momentum: 0.9,
            form: MomentumForm::Classic,
            nesterov: false,
        }
    }
}

impl MomentumConfig {
    /// Study 001's classic momentum: `v ← μ·v − η·∇`, `W ← W + v`.
    pub fn classic(lr: f64, momentum: f64) -> Self {
        Self {
            lr,
            momentum,
            form: MomentumForm::Classic,
            nesterov: false,
        }
    }

    /// Study 003's moving-average momentum: `v ← β·v + (1 − β)·∇`, `W ← W − α·v`.
    pub fn ema(lr: f64, beta: f64) -> Self {
        Self {
            lr,
            momentum: beta,
            form: MomentumForm::Ema,
            nesterov: false,
        }
    }

    /// Nesterov momentum in the classic form: `v ← μ·v − η·∇`, `W ← W + μ·v − η·∇`.
    pub fn nesterov(lr: f64, momentum: f64) -> Self {
        Self {
            lr,
            momentum,
            form: MomentumForm::Classic,
            nesterov: true,
        }
    }

    /// Checks `lr` (finite in `f32`, `>= 0`) and `momentum` (in `[0, 1)`).
    ///
    /// # Errors
    ///
    /// [`OptimError::InvalidHyperParameter`] naming the offending field.
    pub fn validate(&self) -> Result<(), OptimError> {
        hyper_parameter::non_negative(Momentum::<f64>::NAME, "lr", self.lr)?;
        hyper_parameter::unit_interval(Momentum::<f64>::NAME, "momentum", self.momentum)
    }
}

/// Gradient descent with momentum ([`MomentumForm::Classic`] or [`MomentumForm::Ema`]),
/// optionally Nesterov. Keeps one velocity matrix per parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Momentum<T: Float> {
    config: MomentumConfig,
    velocity: ParamState<T>,
    steps: u64,
}

impl<T: Float> Momentum<T> {
    /// The optimizer's name, as in [`crate::OptimizerConfig`]'s `kind`.
    pub const NAME: &'static str = "momentum";

    /// Builds the optimizer after validating `config`.
    ///
    /// # Errors
    ///
    /// [`OptimError::InvalidHyperParameter`] for a negative or non-finite learning rate or a
    /// momentum outside `[0, 1)`.
    pub fn new(config: MomentumConfig) -> Result<Self, OptimError> {
        config.validate()?;
        Ok(Self {
            config,
            velocity: ParamState::new(),
            steps: 0,
        })
    }

    /// The hyper-parameters (with the current learning rate).
    pub fn config(&self) -> &MomentumConfig {
        &self.config
    }
}

impl<T: Float> Optimizer<T> for Momentum<T> {
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
        let velocities = self.velocity.prepare(Self::NAME, params)?;
        let lr = T::cast(self.config.lr);
        let mu = T::cast(self.config.momentum);
        let one_minus_mu = T::cast(1.0 - self.config.momentum);
        // Velocities below the floor are stored as zero (see `crate::subnormal`).
        let floor = state_floor::<T>();
        let flushed = move |v: T| if v.abs() < floor { T::zero() } else { v };
        let form = (self.config.form, self.config.nesterov);
        let pass = |part| match form {
            (MomentumForm::Classic, false) => each_element_with_state(part, |w, g, v| {
                *v = flushed(mu * *v - lr * g);
                *w += *v;
            }),
            (MomentumForm::Classic, true) => each_element_with_state(part, |w, g, v| {
                *v = flushed(mu * *v - lr * g);
                *w += mu * *v - lr * g;
            }),
            (MomentumForm::Ema, false) => each_element_with_state(part, |w, g, v| {
                *v = flushed(mu * *v + one_minus_mu * g);
                *w -= lr * *v;
            }),
            (MomentumForm::Ema, true) => each_element_with_state(part, |w, g, v| {
                *v = flushed(mu * *v + one_minus_mu * g);
                *w -= lr * (mu * *v + one_minus_mu * g);
            }),
        };
        for (param, velocity) in params.iter_mut().zip(velocities.iter_mut()) {
            let Param { value, grad, .. } = &mut **param;
            let slices = (
                value.as_mut_slice(),
                grad.as_slice(),
                velocity.as_mut_slice(),
            );
            split_across_threads(slices, &pass);
        }
        self.steps = self.steps.saturating_add(1);
        Ok(())
    }

    fn steps_taken(&self) -> u64 {
        self.steps
    }

    fn reset(&mut self) {
        self.velocity.clear();
        self.steps = 0;
    }
}
