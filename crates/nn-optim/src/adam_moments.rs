//! The moment estimates and the one-pass update kernel shared by Adam and AdamW.

use nn_core::{Float, Param, ParamKind};
use serde::{Deserialize, Serialize};

use crate::param_state::{ParamState, check_gradients};
use crate::{EpsilonPlacement, OptimError};

/// The hyper-parameters of one Adam(W) step, in `f64` as configured.
#[derive(Clone, Copy)]
pub(crate) struct AdamCoefficients {
    /// Learning rate η.
    pub(crate) lr: f64,
    /// Decay of the first moment β₁.
    pub(crate) beta1: f64,
    /// Decay of the second moment β₂.
    pub(crate) beta2: f64,
    /// Stabiliser ε.
    pub(crate) epsilon: f64,
    /// Where ε goes.
    pub(crate) epsilon_placement: EpsilonPlacement,
    /// Decoupled weight decay λ applied to weights (0 for plain Adam).
    pub(crate) weight_decay: f64,
}

/// First and second moments per parameter and the step count `t` for bias correction.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub(crate) struct AdamMoments<T: Float> {
    first: ParamState<T>,
    second: ParamState<T>,
    steps: u64,
}

impl<T: Float> AdamMoments<T> {
    /// Empty moments, sized on the first step.
    pub(crate) fn new() -> Self {
        Self {
            first: ParamState::new(),
            second: ParamState::new(),
            steps: 0,
        }
    }

    /// Number of steps taken (`t` of the last step).
    pub(crate) fn steps(&self) -> u64 {
        self.steps
    }

    /// Forgets moments and step count.
    pub(crate) fn clear(&mut self) {
        self.first.clear();
        self.second.clear();
        self.steps = 0;
    }

    /// One Adam(W) step over all parameters, each in one flat pass:
    ///
    /// ```text
    /// t ← t + 1
    /// m ← β₁·m + (1 − β₁)·∇          v ← β₂·v + (1 − β₂)·∇²
    /// m̂ = m / (1 − β₁ᵗ)              v̂ = v / (1 − β₂ᵗ)
    /// W ← (1 − η·λ)·W − η·m̂ / (√v̂ + ε)     (λ = 0 for biases and for plain Adam)
    /// ```
    pub(crate) fn step(
        &mut self,
        optimizer: &'static str,
        params: &mut [&mut Param<T>],
        c: AdamCoefficients,
    ) -> Result<(), OptimError> {
        check_gradients(optimizer, params)?;
        let firsts = self.first.prepare(optimizer, params)?;
        let seconds = self.second.prepare(optimizer, params)?;
        let t = self.steps + 1;
        // Bias corrections in f64, then cast once: 1 − βᵗ is never 0 because β < 1.
        let inv_bc1 = T::cast(1.0 / (1.0 - c.beta1.powf(t as f64)));
        let inv_bc2 = T::cast(1.0 / (1.0 - c.beta2.powf(t as f64)));
        let lr = T::cast(c.lr);
        let b1 = T::cast(c.beta1);
        let b2 = T::cast(c.beta2);
        let one_minus_b1 = T::cast(1.0 - c.beta1);
        let one_minus_b2 = T::cast(1.0 - c.beta2);
        let eps = T::cast(c.epsilon);
        let weight_keep = T::cast(1.0 - c.lr * c.weight_decay);
        let kernel = AdamKernel {
            lr,
            b1,
            b2,
            one_minus_b1,
            one_minus_b2,
            inv_bc1,
            inv_bc2,
        };
        for ((param, m), v) in params
            .iter_mut()
            .zip(firsts.iter_mut())
            .zip(seconds.iter_mut())
        {
            let Param { value, grad, kind } = &mut **param;
            let keep = match kind {
                ParamKind::Weight => weight_keep,
                ParamKind::Bias => T::one(),
            };
            let slices = (
                value.as_mut_slice(),
                grad.as_slice(),
                m.as_mut_slice(),
                v.as_mut_slice(),
            );
            match c.epsilon_placement {
                EpsilonPlacement::OutsideSqrt => kernel.pass(slices, keep, |v| v.sqrt() + eps),
                EpsilonPlacement::InsideSqrt => kernel.pass(slices, keep, |v| (v + eps).sqrt()),
            }
        }
        self.steps = t;
        Ok(())
    }
}

/// Loop-invariant scalars of one step.
struct AdamKernel<T> {
    lr: T,
    b1: T,
    b2: T,
    one_minus_b1: T,
    one_minus_b2: T,
    inv_bc1: T,
    inv_bc2: T,
}

impl<T: Float> AdamKernel<T> {
    /// Updates one parameter; `keep` is `1 − η·λ` (or 1), `denominator` maps `v̂` to
    /// `√v̂ + ε` or `√(v̂ + ε)`.
    #[inline(always)]
    fn pass(
        &self,
        (value, grad, m, v): (&mut [T], &[T], &mut [T], &mut [T]),
        keep: T,
        denominator: impl Fn(T) -> T,
    ) {
        for (((w, &g), m), v) in value.iter_mut().zip(grad).zip(m).zip(v) {
            *m = self.b1 * *m + self.one_minus_b1 * g;
            *v = self.b2 * *v + self.one_minus_b2 * g * g;
            let m_hat = *m * self.inv_bc1;
            let v_hat = *v * self.inv_bc2;
            *w = keep * *w - self.lr * m_hat / denominator(v_hat);
        }
    }
}
