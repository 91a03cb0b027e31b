//! RMSprop: divide each gradient by a running root-mean-square of its recent values.

use nn_core::{Float, Matrix, Param};
use serde::{Deserialize, Serialize};

use crate::hyper_parameter;
use crate::parallel_pass::{each_element_with_state, split_across_threads};
use crate::subnormal::{MIN_EPSILON_FOR_FLUSH, square_floor};
use crate::{EpsilonPlacement, HyperParameters, OptimError, ParamState, Stepper, UpdateRule};

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

impl HyperParameters for RmsPropConfig {
    const NAME: &'static str = "rmsprop";

    fn learning_rate_mut(&mut self) -> &mut f64 {
        &mut self.lr
    }

    /// Checks `rho` (in `[0, 1)`) and `epsilon` (`> 0`, a normal `f32`).
    fn validate_others(&self) -> Result<(), OptimError> {
        hyper_parameter::unit_interval(Self::NAME, "rho", self.rho)?;
        hyper_parameter::positive(Self::NAME, "epsilon", self.epsilon)
    }
}

/// RMSprop (study 001, equations 19–20):
/// `s ← ρ·s + (1 − ρ)·∇²`, `W ← W − η·∇ / (√s + ε)` — or `√(s + ε)` with
/// [`EpsilonPlacement::InsideSqrt`], as the study writes it. Keeps one `s` per parameter.
pub type RmsProp<T> = Stepper<RmsPropConfig, T>;

/// The loop invariants of one RMSprop step, in `T`.
#[derive(Clone, Copy)]
pub struct RmsPropStep<T> {
    lr: T,
    rho: T,
    one_minus_rho: T,
    eps: T,
    /// Mean squares below it are stored as zero (see `crate::subnormal`).
    floor: T,
    epsilon_placement: EpsilonPlacement,
}

impl<T: Float> UpdateRule<T> for RmsPropConfig {
    /// The running mean of squared gradients `s`.
    type State = ParamState<T>;
    type Step = RmsPropStep<T>;

    fn begin_step(&self, _: u64) -> RmsPropStep<T> {
        RmsPropStep {
            lr: T::cast(self.lr),
            rho: T::cast(self.rho),
            one_minus_rho: T::cast(1.0 - self.rho),
            eps: T::cast(self.epsilon),
            floor: if self.epsilon < MIN_EPSILON_FOR_FLUSH {
                T::zero()
            } else {
                square_floor::<T>(self.rho)
            },
            epsilon_placement: self.epsilon_placement,
        }
    }

    fn update(step: &RmsPropStep<T>, param: &mut Param<T>, mean_square: &mut Matrix<T>) {
        let RmsPropStep {
            lr,
            rho,
            one_minus_rho,
            eps,
            floor,
            epsilon_placement,
        } = *step;
        let new_mean_square = move |s: T, g: T| {
            let s_new = rho * s + one_minus_rho * g * g;
            if s_new < floor { T::zero() } else { s_new }
        };
        let pass = |part| match epsilon_placement {
            EpsilonPlacement::OutsideSqrt => each_element_with_state(part, |w, g, s| {
                *s = new_mean_square(*s, g);
                *w -= lr * g / (s.sqrt() + eps);
            }),
            EpsilonPlacement::InsideSqrt => each_element_with_state(part, |w, g, s| {
                *s = new_mean_square(*s, g);
                *w -= lr * g / (*s + eps).sqrt();
            }),
        };
        let Param { value, grad, .. } = param;
        let slices = (
            value.as_mut_slice(),
            grad.as_slice(),
            mean_square.as_mut_slice(),
        );
        split_across_threads(slices, &pass);
    }
}
