//! The element-wise Adam(W) update of one parameter, vectorised and split across threads.
//!
//! [`AdamPass::run`] is the whole update of one parameter tensor: one part per thread, each a
//! loop compiled for the widest vector instructions of the machine (`crate::parallel_pass`),
//! every element computed by [`AdamPass::update`] (separate multiplies and adds, IEEE square
//! root and division), so the result is the same to the last bit whatever the vector width,
//! the split across threads, or whether an element fell in a vector or in the tail.

use nn_core::{Float, Matrix};

use crate::EpsilonPlacement;
use crate::parallel_pass::{each_element_with_states, split_across_threads};

/// Loop-invariant scalars of one Adam(W) step.
#[derive(Clone, Copy)]
pub(crate) struct AdamPass<T> {
    pub(crate) lr: T,
    pub(crate) b1: T,
    pub(crate) b2: T,
    pub(crate) one_minus_b1: T,
    pub(crate) one_minus_b2: T,
    pub(crate) inv_bc1: T,
    pub(crate) inv_bc2: T,
    pub(crate) eps: T,
    pub(crate) epsilon_placement: EpsilonPlacement,
    /// Gradients smaller in magnitude are taken as zero.
    pub(crate) flush_grad: T,
    /// First moments smaller in magnitude are stored as zero.
    pub(crate) flush_first: T,
    /// Second moments smaller than this are stored as zero.
    pub(crate) flush_second: T,
    /// `1 − η·λ` for a weight under AdamW, else 1.
    pub(crate) keep: T,
}

impl<T: Float> AdamPass<T> {
    /// Updates `value` and the moments `m`, `v` from `grad` (all of one shape).
    pub(crate) fn run(
        &self,
        value: &mut Matrix<T>,
        grad: &Matrix<T>,
        m: &mut Matrix<T>,
        v: &mut Matrix<T>,
    ) {
        debug_assert!(value.shape() == grad.shape() && m.shape() == v.shape());
        let slices = (
            value.as_mut_slice(),
            grad.as_slice(),
            m.as_mut_slice(),
            v.as_mut_slice(),
        );
        // One loop per placement of ε, so that no element tests it.
        split_across_threads(slices, &|part| match self.epsilon_placement {
            EpsilonPlacement::OutsideSqrt => each_element_with_states(part, |w, g, m, v| {
                self.update(w, g, m, v, |v_hat| v_hat.sqrt() + self.eps)
            }),
            EpsilonPlacement::InsideSqrt => each_element_with_states(part, |w, g, m, v| {
                self.update(w, g, m, v, |v_hat| (v_hat + self.eps).sqrt())
            }),
        });
    }

    /// The update of one element, `denominator` mapping `v̂` to `√v̂ + ε` or `√(v̂ + ε)`:
    ///
    /// ```text
    /// m ← β₁·m + (1 − β₁)·g          v ← β₂·v + (1 − β₂)·g²
    /// W ← keep·W − η·(m/(1 − β₁ᵗ)) / denominator(v/(1 − β₂ᵗ))
    /// ```
    ///
    /// with the flushes that keep subnormal numbers out (see `crate::subnormal`).
    #[inline(always)]
    fn update(&self, w: &mut T, g: T, m: &mut T, v: &mut T, denominator: impl Fn(T) -> T) {
        let zero = T::zero();
        let g = if g.abs() < self.flush_grad { zero } else { g };
        let m_new = self.b1 * *m + self.one_minus_b1 * g;
        let v_new = self.b2 * *v + self.one_minus_b2 * g * g;
        *m = if m_new.abs() < self.flush_first {
            zero
        } else {
            m_new
        };
        *v = if v_new < self.flush_second {
            zero
        } else {
            v_new
        };
        let m_hat = *m * self.inv_bc1;
        let v_hat = *v * self.inv_bc2;
        *w = self.keep * *w - self.lr * m_hat / denominator(v_hat);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(placement: EpsilonPlacement) -> AdamPass<f32> {
        AdamPass {
            lr: 1e-3,
            b1: 0.9,
            b2: 0.999,
            one_minus_b1: 0.1,
            one_minus_b2: 0.001,
            inv_bc1: 1.0 / 0.19,
            inv_bc2: 1.0 / 0.001999,
            eps: 1e-8,
            epsilon_placement: placement,
            flush_grad: 1e-17,
            flush_first: 1e-32,
            flush_second: 1e-35,
            keep: 0.9999,
        }
    }

    fn data(len: usize, phase: f32) -> Matrix<f32> {
        Matrix::from_fn(len, 1, |i, _| {
            let x = (i as f32 * 0.731 + phase).sin();
            // Some exact zeros and values below every flush threshold.
            match i % 11 {
                0 => 0.0,
                1 => x * 1e-20,
                _ => x,
            }
        })
    }

    #[test]
    fn vectorised_and_threaded_passes_equal_the_scalar_pass_bit_for_bit() {
        for placement in [EpsilonPlacement::OutsideSqrt, EpsilonPlacement::InsideSqrt] {
            let p = pass(placement);
            // Long enough to be split across threads, with a tail that is not a whole vector.
            for len in [1, 15, 17, 100, 70_003] {
                let grad = data(len, 0.1);
                let start = (data(len, 0.2), data(len, 0.3) * 0.01, data(len, 0.4).abs());
                let (mut w_ref, mut m_ref, mut v_ref) = start.clone();
                // The reference: one element at a time, outside any vectorised loop.
                for i in 0..len {
                    let (w, m, v) = (&mut w_ref[i], &mut m_ref[i], &mut v_ref[i]);
                    match placement {
                        EpsilonPlacement::OutsideSqrt => {
                            p.update(w, grad[i], m, v, |v_hat| v_hat.sqrt() + p.eps)
                        }
                        EpsilonPlacement::InsideSqrt => {
                            p.update(w, grad[i], m, v, |v_hat| (v_hat + p.eps).sqrt())
                        }
                    }
                }
                for threads in [1, 2] {
                    let pool = rayon::ThreadPoolBuilder::new()
                        .num_threads(threads)
                        .build()
                        .expect("a small thread pool");
                    let (mut w, mut m, mut v) = start.clone();
                    pool.install(|| p.run(&mut w, &grad, &mut m, &mut v));
                    assert_eq!(w, w_ref, "{placement:?} {len} {threads}");
                    assert_eq!(m, m_ref);
                    assert_eq!(v, v_ref);
                }
            }
        }
    }
}
