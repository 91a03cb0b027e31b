//! Gradient descent with momentum, in the two forms the studies use, optionally Nesterov.

use nn_core::{Float, Matrix, Param};
use serde::{Deserialize, Serialize};

use crate::hyper_parameter;
use crate::parallel_pass::{each_element_with_state, split_across_threads};
use crate::subnormal::state_floor;
use crate::{HyperParameters, OptimError, ParamState, Stepper, UpdateRule};

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
}

impl HyperParameters for MomentumConfig {
    const NAME: &'static str = "momentum";

    fn learning_rate_mut(&mut self) -> &mut f64 {
        &mut self.lr
    }

    /// Checks `momentum` (in `[0, 1)`).
    fn validate_others(&self) -> Result<(), OptimError> {
        hyper_parameter::unit_interval(Self::NAME, "momentum", self.momentum)
    }
}

/// Gradient descent with momentum ([`MomentumForm::Classic`] or [`MomentumForm::Ema`]),
/// optionally Nesterov. Keeps one velocity matrix per parameter.
pub type Momentum<T> = Stepper<MomentumConfig, T>;

/// The loop invariants of one momentum step, in `T`.
#[derive(Clone, Copy)]
pub struct MomentumStep<T> {
    lr: T,
    mu: T,
    one_minus_mu: T,
    /// Velocities below it are stored as zero (see `crate::subnormal`).
    floor: T,
    form: MomentumForm,
    nesterov: bool,
}

impl<T: Float> UpdateRule<T> for MomentumConfig {
    /// The velocity.
    type State = ParamState<T>;
    type Step = MomentumStep<T>;

    fn begin_step(&self, _: u64) -> MomentumStep<T> {
        MomentumStep {
            lr: T::cast(self.lr),
            mu: T::cast(self.momentum),
            one_minus_mu: T::cast(1.0 - self.momentum),
            floor: state_floor::<T>(),
            form: self.form,
            nesterov: self.nesterov,
        }
    }

    fn update(step: &MomentumStep<T>, param: &mut Param<T>, velocity: &mut Matrix<T>) {
        let MomentumStep {
            lr,
            mu,
            one_minus_mu,
            floor,
            ..
        } = *step;
        let flushed = move |v: T| if v.abs() < floor { T::zero() } else { v };
        let form = (step.form, step.nesterov);
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
        let Param { value, grad, .. } = param;
        let slices = (
            value.as_mut_slice(),
            grad.as_slice(),
            velocity.as_mut_slice(),
        );
        split_across_threads(slices, &pass);
    }
}
