//! The rule Adam and AdamW share: the bias-corrected step set up once per step, then one pass
//! per parameter ([`AdamPass`]).

use nn_core::{Float, Matrix, Param, ParamKind};

use crate::adam_pass::AdamPass;
use crate::subnormal::{MIN_EPSILON_FOR_FLUSH, smallest_normal, square_floor, state_floor};
use crate::{AdamConfig, HyperParameters, ParamState, UpdateRule};

/// Adam or AdamW: the configurations that are the Adam rule with a decoupled weight decay.
pub(crate) trait AdamVariant: HyperParameters {
    /// The Adam hyper-parameters and the decoupled weight decay λ (0 for plain Adam).
    fn adam_and_weight_decay(&self) -> (AdamConfig, f64);
}

/// One Adam(W) step over all parameters, each in one flat pass:
///
/// ```text
/// m ← β₁·m + (1 − β₁)·∇          v ← β₂·v + (1 − β₂)·∇²
/// m̂ = m / (1 − β₁ᵗ)              v̂ = v / (1 − β₂ᵗ)
/// W ← (1 − η·λ)·W − η·m̂ / (√v̂ + ε)     (λ = 0 for biases and for plain Adam)
/// ```
impl<T: Float, C: AdamVariant> UpdateRule<T> for C {
    /// The first and second moments `m` and `v`.
    type State = (ParamState<T>, ParamState<T>);
    type Step = AdamStep<T>;

    fn begin_step(&self, t: u64) -> AdamStep<T> {
        let (c, weight_decay) = self.adam_and_weight_decay();
        // Bias corrections in f64, then cast once: 1 − βᵗ is never 0 because β < 1.
        let inv_bc1 = T::cast(1.0 / (1.0 - c.beta1.powf(t as f64)));
        let inv_bc2 = T::cast(1.0 / (1.0 - c.beta2.powf(t as f64)));
        let flush = Flush::for_step(&c);
        AdamStep {
            pass: AdamPass {
                lr: T::cast(c.lr),
                b1: T::cast(c.beta1),
                b2: T::cast(c.beta2),
                one_minus_b1: T::cast(1.0 - c.beta1),
                one_minus_b2: T::cast(1.0 - c.beta2),
                inv_bc1,
                inv_bc2,
                eps: T::cast(c.epsilon),
                epsilon_placement: c.epsilon_placement,
                flush_grad: flush.grad,
                flush_first: flush.first,
                flush_second: flush.second,
                keep: T::one(),
            },
            weight_keep: T::cast(1.0 - c.lr * weight_decay),
        }
    }

    fn update(step: &AdamStep<T>, param: &mut Param<T>, (m, v): (&mut Matrix<T>, &mut Matrix<T>)) {
        let Param { value, grad, kind } = param;
        let keep = match kind {
            ParamKind::Weight => step.weight_keep,
            ParamKind::Bias => T::one(),
        };
        AdamPass { keep, ..step.pass }.run(value, grad, m, v);
    }
}

/// The loop invariants of one Adam(W) step, in `T`.
#[derive(Clone, Copy)]
pub struct AdamStep<T> {
    /// The pass of a bias (no decay).
    pass: AdamPass<T>,
    /// `1 − η·λ`, the factor a weight keeps.
    weight_keep: T,
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
    fn for_step(c: &AdamConfig) -> Self {
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
    use crate::{Adam, Optimizer, StateTensors};

    /// Runs one step with gradient 1 and then `steps` steps with gradients `tail`, and returns
    /// the first and second moments.
    fn moments_after(tail: f32, steps: usize, epsilon: f64) -> (Vec<f32>, Vec<f32>) {
        let mut p = Param::new(Matrix::from_element(2, 1, 0.5f32), ParamKind::Weight);
        let mut adam = Adam::new(AdamConfig {
            epsilon,
            ..AdamConfig::default()
        })
        .unwrap();
        p.grad.fill(1.0);
        adam.step(&mut [&mut p]).unwrap();
        p.grad.fill(tail);
        for _ in 0..steps {
            adam.step(&mut [&mut p]).unwrap();
        }
        let (m, v) = adam.state.of_params().next().unwrap();
        (m.as_slice().to_vec(), v.as_slice().to_vec())
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
