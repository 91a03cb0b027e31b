//! The moment estimates and the one-pass update kernel shared by Adam and AdamW.

use nn_core::{Float, Param, ParamKind};
use serde::{Deserialize, Serialize};

use crate::adam_pass::AdamPass;
use crate::param_state::{ParamState, check_gradients};
use crate::subnormal::{MIN_EPSILON_FOR_FLUSH, smallest_normal, square_floor, state_floor};
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
        // Saturating: a restored count of u64::MAX (β^t is then 0 anyway) must not wrap to 0.
        let t = self.steps.saturating_add(1);
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
        let flush = Flush::for_step(&c);
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
            let pass = AdamPass {
                lr,
                b1,
                b2,
                one_minus_b1,
                one_minus_b2,
                inv_bc1,
                inv_bc2,
                eps,
                epsilon_placement: c.epsilon_placement,
                flush_grad: flush.grad,
                flush_first: flush.first,
                flush_second: flush.second,
                keep,
            };
            pass.run(value, grad, m, v);
        }
        self.steps = t;
        Ok(())
    }
}

/// Thresholds below which gradients and moments are taken as zero, so that no subnormal number
/// ever enters the update (see [`crate::subnormal`]). A first moment below
/// [`state_floor`] moves a weight by less than `η·10⁻²⁴` when ε ≥ 10⁻¹² (with a smaller ε
/// nothing is flushed, since `m̂/(√v̂ + ε)` could then be large for tiny moments).
#[derive(Clone, Copy)]
struct Flush<T> {
    /// Gradients smaller in magnitude are ignored (`(1 − β₂)·g²` would be subnormal).
    grad: T,
    /// First moments smaller in magnitude are stored as zero.
    first: T,
    /// Second moments smaller than this are stored as zero (`β₂·v` would be subnormal).
    second: T,
}

impl<T: Float> Flush<T> {
    fn for_step(c: &AdamCoefficients) -> Self {
        let tiny = smallest_normal::<T>();
        if c.epsilon < MIN_EPSILON_FOR_FLUSH {
            let zero = T::zero();
            return Self {
                grad: zero,
                first: zero,
                second: zero,
            };
        }
        Self {
            grad: T::cast((tiny / (1.0 - c.beta2)).sqrt()),
            first: state_floor(),
            second: square_floor(c.beta2),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nn_core::Matrix;

    fn coefficients(epsilon: f64) -> AdamCoefficients {
        AdamCoefficients {
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            epsilon,
            epsilon_placement: EpsilonPlacement::OutsideSqrt,
            weight_decay: 0.0,
        }
    }

    /// Runs one step with gradient 1 and then `steps` steps with gradients `tail`, and returns
    /// the first and second moments.
    fn moments_after(tail: f32, steps: usize, epsilon: f64) -> (Vec<f32>, Vec<f32>) {
        let mut p = Param::new(Matrix::from_element(2, 1, 0.5f32), ParamKind::Weight);
        let mut moments = AdamMoments::new();
        p.grad.fill(1.0);
        moments
            .step("adam", &mut [&mut p], coefficients(epsilon))
            .unwrap();
        p.grad.fill(tail);
        for _ in 0..steps {
            moments
                .step("adam", &mut [&mut p], coefficients(epsilon))
                .unwrap();
        }
        let m = moments.first.prepare("adam", &[&mut p]).unwrap()[0]
            .as_slice()
            .to_vec();
        let v = moments.second.prepare("adam", &[&mut p]).unwrap()[0]
            .as_slice()
            .to_vec();
        (m, v)
    }

    #[test]
    fn a_decaying_first_moment_reaches_zero_without_becoming_subnormal() {
        // 0.9^k falls below the smallest normal f32 (1.2e-38) after about 830 steps.
        for steps in [100, 700, 800, 900, 1000] {
            let (m, v) = moments_after(0.0, steps, 1e-8);
            assert!(
                m.iter().chain(&v).all(|x| *x == 0.0 || x.is_normal()),
                "{steps}: {m:?} {v:?}"
            );
        }
        let (m, _) = moments_after(0.0, 1000, 1e-8);
        assert_eq!(m, vec![0.0, 0.0]);
        // Well above the threshold the moment is the exact decay.
        let (m, _) = moments_after(0.0, 100, 1e-8);
        assert!(m[0] > 0.0 && (m[0] / (0.1 * 0.9f32.powi(100)) - 1.0).abs() < 1e-4);
    }

    #[test]
    fn gradients_whose_square_would_be_subnormal_are_ignored() {
        let (_, v) = moments_after(1e-20, 5, 1e-8);
        assert!(v.iter().all(|x| x.is_normal()), "{v:?}");
        // With a tiny ε nothing is flushed: m keeps the tiny gradients' contribution.
        let (m_exact, _) = moments_after(1e-30, 900, 1e-20);
        let (m_flushed, _) = moments_after(1e-30, 900, 1e-8);
        assert!(m_exact[0] > 0.0 && m_flushed[0] == 0.0);
    }
}
