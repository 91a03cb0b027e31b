//! The element-wise Adam(W) update of one parameter, vectorised and split across threads.
//!
//! [`AdamPass::run`] is the whole update of one parameter tensor. It runs the widest SIMD
//! instruction set of the machine (chosen at run time through `pulp`), with each lane doing
//! exactly the scalar arithmetic of [`AdamPass::scalar`] (separate multiplies and adds, IEEE
//! square root and division), so the result is the same to the last bit whatever the vector
//! width, the split across threads, or whether an element fell in a vector or in the tail.

use std::any::Any;

use nn_core::{Float, Matrix};
use pulp::{Arch, Simd, WithSimd};

use crate::EpsilonPlacement;
use crate::parallel_pass::{ParamSlices, split_across_threads};

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

/// One parameter's slices: value, gradient, first and second moments (equal lengths).
struct Slices<'a, T> {
    value: &'a mut [T],
    grad: &'a [T],
    m: &'a mut [T],
    v: &'a mut [T],
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
        // `Float` is sealed to f32 and f64: one of the two downcasts succeeds.
        if let Some(pass) = as_f32(self, value, grad, m, v) {
            pass.0.split(pass.1);
        } else if let Some(pass) = as_f64(self, value, grad, m, v) {
            pass.0.split(pass.1);
        } else {
            self.scalar(Slices {
                value: value.as_mut_slice(),
                grad: grad.as_slice(),
                m: m.as_mut_slice(),
                v: v.as_mut_slice(),
            });
        }
    }

    /// The reference update, one element at a time:
    ///
    /// ```text
    /// m ← β₁·m + (1 − β₁)·g          v ← β₂·v + (1 − β₂)·g²
    /// W ← keep·W − η·(m/(1 − β₁ᵗ)) / (√(v/(1 − β₂ᵗ)) + ε)   (or √(v̂ + ε))
    /// ```
    ///
    /// with the flushes that keep subnormal numbers out (see `crate::subnormal`).
    fn scalar(&self, s: Slices<'_, T>) {
        let zero = T::zero();
        for (((w, &g), m), v) in s.value.iter_mut().zip(s.grad).zip(s.m).zip(s.v) {
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
            let denominator = match self.epsilon_placement {
                EpsilonPlacement::OutsideSqrt => v_hat.sqrt() + self.eps,
                EpsilonPlacement::InsideSqrt => (v_hat + self.eps).sqrt(),
            };
            *w = self.keep * *w - self.lr * m_hat / denominator;
        }
    }
}

impl<T: Float + Lanes> AdamPass<T> {
    /// Splits a long tensor into one contiguous part per thread of the current rayon pool,
    /// then runs the SIMD pass on each.
    fn split(&self, s: Slices<'_, T>) {
        split_across_threads(s, &|part| {
            Arch::new().dispatch(Vectorised {
                pass: self,
                s: part,
            })
        });
    }
}

impl<T: Send + Sync> ParamSlices for Slices<'_, T> {
    fn len(&self) -> usize {
        self.value.len()
    }
    fn split_at(self, mid: usize) -> (Self, Self) {
        let ((value_l, grad_l, m_l), (value_r, grad_r, m_r)) =
            (self.value, self.grad, self.m).split_at(mid);
        let (v_l, v_r) = self.v.split_at_mut(mid);
        let part = |value, grad, m, v| Slices { value, grad, m, v };
        (
            part(value_l, grad_l, m_l, v_l),
            part(value_r, grad_r, m_r, v_r),
        )
    }
}

/// The pass over whole vectors, then [`AdamPass::scalar`] over the tail.
struct Vectorised<'p, 's, T> {
    pass: &'p AdamPass<T>,
    s: Slices<'s, T>,
}

impl<T: Float + Lanes> WithSimd for Vectorised<'_, '_, T> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) {
        let p = self.pass;
        let (value, value_tail) = T::split_mut::<S>(self.s.value);
        let (grad, grad_tail) = T::split::<S>(self.s.grad);
        let (m, m_tail) = T::split_mut::<S>(self.s.m);
        let (v, v_tail) = T::split_mut::<S>(self.s.v);
        let splat = |x: T| T::vsplat(simd, x);
        let (lr, b1, b2, one_minus_b1, one_minus_b2) = (
            splat(p.lr),
            splat(p.b1),
            splat(p.b2),
            splat(p.one_minus_b1),
            splat(p.one_minus_b2),
        );
        let (inv_bc1, inv_bc2, eps, keep, zero) = (
            splat(p.inv_bc1),
            splat(p.inv_bc2),
            splat(p.eps),
            splat(p.keep),
            splat(T::zero()),
        );
        let (flush_grad, flush_first, flush_second) = (
            splat(p.flush_grad),
            splat(p.flush_first),
            splat(p.flush_second),
        );
        let inside = p.epsilon_placement == EpsilonPlacement::InsideSqrt;
        for (((w, &g), m), v) in value.iter_mut().zip(grad).zip(m).zip(v) {
            let g = T::zero_if_less(simd, T::vabs(simd, g), flush_grad, zero, g);
            let m_new = T::vadd(simd, T::vmul(simd, b1, *m), T::vmul(simd, one_minus_b1, g));
            let v_new = T::vadd(
                simd,
                T::vmul(simd, b2, *v),
                T::vmul(simd, T::vmul(simd, one_minus_b2, g), g),
            );
            *m = T::zero_if_less(simd, T::vabs(simd, m_new), flush_first, zero, m_new);
            *v = T::zero_if_less(simd, v_new, flush_second, zero, v_new);
            let m_hat = T::vmul(simd, *m, inv_bc1);
            let v_hat = T::vmul(simd, *v, inv_bc2);
            let denominator = if inside {
                T::vsqrt(simd, T::vadd(simd, v_hat, eps))
            } else {
                T::vadd(simd, T::vsqrt(simd, v_hat), eps)
            };
            let step = T::vdiv(simd, T::vmul(simd, lr, m_hat), denominator);
            *w = T::vsub(simd, T::vmul(simd, keep, *w), step);
        }
        p.scalar(Slices {
            value: value_tail,
            grad: grad_tail,
            m: m_tail,
            v: v_tail,
        });
    }
}

/// The SIMD operations of the pass, for `f32` and `f64`.
pub(crate) trait Lanes: Copy + 'static {
    /// The vector of this scalar for instruction set `S`.
    type V<S: Simd>: Copy;
    /// Whole vectors, then the scalar tail.
    fn split<S: Simd>(x: &[Self]) -> (&[Self::V<S>], &[Self]);
    /// Whole vectors, then the scalar tail.
    fn split_mut<S: Simd>(x: &mut [Self]) -> (&mut [Self::V<S>], &mut [Self]);
    /// Every lane `x`.
    fn vsplat<S: Simd>(s: S, x: Self) -> Self::V<S>;
    /// `a + b`.
    fn vadd<S: Simd>(s: S, a: Self::V<S>, b: Self::V<S>) -> Self::V<S>;
    /// `a − b`.
    fn vsub<S: Simd>(s: S, a: Self::V<S>, b: Self::V<S>) -> Self::V<S>;
    /// `a·b`.
    fn vmul<S: Simd>(s: S, a: Self::V<S>, b: Self::V<S>) -> Self::V<S>;
    /// `a / b`.
    fn vdiv<S: Simd>(s: S, a: Self::V<S>, b: Self::V<S>) -> Self::V<S>;
    /// `√a`.
    fn vsqrt<S: Simd>(s: S, a: Self::V<S>) -> Self::V<S>;
    /// `|a|`.
    fn vabs<S: Simd>(s: S, a: Self::V<S>) -> Self::V<S>;
    /// Per lane: `zero` where `a < limit`, else `x` (a NaN `a` keeps `x`).
    fn zero_if_less<S: Simd>(
        s: S,
        a: Self::V<S>,
        limit: Self::V<S>,
        zero: Self::V<S>,
        x: Self::V<S>,
    ) -> Self::V<S>;
}

macro_rules! lanes {
    ($t:ty, $v:ident, $split:ident, $split_mut:ident, $splat:ident, $add:ident, $sub:ident,
     $mul:ident, $div:ident, $sqrt:ident, $abs:ident, $less:ident, $select:ident) => {
        impl Lanes for $t {
            type V<S: Simd> = S::$v;
            #[inline(always)]
            fn split<S: Simd>(x: &[Self]) -> (&[Self::V<S>], &[Self]) {
                S::$split(x)
            }
            #[inline(always)]
            fn split_mut<S: Simd>(x: &mut [Self]) -> (&mut [Self::V<S>], &mut [Self]) {
                S::$split_mut(x)
            }
            #[inline(always)]
            fn vsplat<S: Simd>(s: S, x: Self) -> Self::V<S> {
                s.$splat(x)
            }
            #[inline(always)]
            fn vadd<S: Simd>(s: S, a: Self::V<S>, b: Self::V<S>) -> Self::V<S> {
                s.$add(a, b)
            }
            #[inline(always)]
            fn vsub<S: Simd>(s: S, a: Self::V<S>, b: Self::V<S>) -> Self::V<S> {
                s.$sub(a, b)
            }
            #[inline(always)]
            fn vmul<S: Simd>(s: S, a: Self::V<S>, b: Self::V<S>) -> Self::V<S> {
                s.$mul(a, b)
            }
            #[inline(always)]
            fn vdiv<S: Simd>(s: S, a: Self::V<S>, b: Self::V<S>) -> Self::V<S> {
                s.$div(a, b)
            }
            #[inline(always)]
            fn vsqrt<S: Simd>(s: S, a: Self::V<S>) -> Self::V<S> {
                s.$sqrt(a)
            }
            #[inline(always)]
            fn vabs<S: Simd>(s: S, a: Self::V<S>) -> Self::V<S> {
                s.$abs(a)
            }
            #[inline(always)]
            fn zero_if_less<S: Simd>(
                s: S,
                a: Self::V<S>,
                limit: Self::V<S>,
                zero: Self::V<S>,
                x: Self::V<S>,
            ) -> Self::V<S> {
                s.$select(s.$less(a, limit), zero, x)
            }
        }
    };
}

lanes!(
    f32,
    f32s,
    as_simd_f32s,
    as_mut_simd_f32s,
    splat_f32s,
    add_f32s,
    sub_f32s,
    mul_f32s,
    div_f32s,
    sqrt_f32s,
    abs_f32s,
    less_than_f32s,
    select_f32s
);
lanes!(
    f64,
    f64s,
    as_simd_f64s,
    as_mut_simd_f64s,
    splat_f64s,
    add_f64s,
    sub_f64s,
    mul_f64s,
    div_f64s,
    sqrt_f64s,
    abs_f64s,
    less_than_f64s,
    select_f64s
);

macro_rules! downcast {
    ($name:ident, $t:ty) => {
        /// The pass and slices as concrete `
        #[doc = stringify!($t)]
        /// `, when `T` is that type.
        fn $name<'a, T: Float>(
            pass: &AdamPass<T>,
            value: &'a mut Matrix<T>,
            grad: &'a Matrix<T>,
            m: &'a mut Matrix<T>,
            v: &'a mut Matrix<T>,
        ) -> Option<(AdamPass<$t>, Slices<'a, $t>)> {
            let pass = *(pass as &dyn Any).downcast_ref::<AdamPass<$t>>()?;
            let value = (value as &mut dyn Any).downcast_mut::<Matrix<$t>>()?;
            let grad = (grad as &dyn Any).downcast_ref::<Matrix<$t>>()?;
            let m = (m as &mut dyn Any).downcast_mut::<Matrix<$t>>()?;
            let v = (v as &mut dyn Any).downcast_mut::<Matrix<$t>>()?;
            Some((
                pass,
                Slices {
                    value: value.as_mut_slice(),
                    grad: grad.as_slice(),
                    m: m.as_mut_slice(),
                    v: v.as_mut_slice(),
                },
            ))
        }
    };
}

downcast!(as_f32, f32);
downcast!(as_f64, f64);

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
                p.scalar(Slices {
                    value: w_ref.as_mut_slice(),
                    grad: grad.as_slice(),
                    m: m_ref.as_mut_slice(),
                    v: v_ref.as_mut_slice(),
                });
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
