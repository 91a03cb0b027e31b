//! How an element-wise update walks one parameter: split across the threads of the current
//! rayon pool, each part compiled for the machine's widest vectors.
//!
//! Every optimizer updates each element from that element's value, gradient and state alone,
//! so neither the split nor the vector width can change a bit: the parts are contiguous runs
//! of the same elements, and a plain loop vectorised by the compiler keeps the scalar
//! arithmetic exactly (Rust neither reorders nor fuses floating-point operations).

use nn_core::contiguous_split::{self, SplitSlices};
use pulp::{Arch, Simd, WithSimd};

/// Tensors shorter than this are updated on one thread: the limit under which nn-core keeps a
/// weight's products on one core too, so that each part of a weight's update runs on the core
/// that computed its gradient.
pub(crate) const PARALLEL_MIN_LEN: usize = nn_core::threads::SPLIT_TENSORS_FROM;

/// Runs `pass` over a parameter's slices (value, gradient, state) in one contiguous part per
/// thread of the current pool, by halving, as the products split a weight gradient's
/// columns: on two threads each core updates (nearly) the half of a weight matrix whose
/// gradient it computed and whose weights it reads in the next forward pass; exactly that
/// half when the middle falls on a column boundary that is a multiple of 64 values, as for
/// MNIST's 128 × 784 first layer.
pub(crate) fn split_across_threads<S: SplitSlices>(slices: S, pass: &(impl Fn(S) + Sync)) {
    contiguous_split::split_across_threads(slices, PARALLEL_MIN_LEN, pass);
}

/// `update(w, g)` on every element of a value and its gradient, compiled for the widest
/// vector instructions of the machine (chosen at run time): the loop vectorises with exactly
/// the scalar arithmetic of `update`, which should be a few operations (it is inlined).
pub(crate) fn each_element<T: Copy>((value, grad): (&mut [T], &[T]), update: impl Fn(&mut T, T)) {
    Arch::new().dispatch(EachElement {
        value,
        grad,
        update,
    });
}

/// [`each_element`] with one state slice: `update(w, g, s)`.
pub(crate) fn each_element_with_state<T: Copy>(
    (value, grad, state): (&mut [T], &[T], &mut [T]),
    update: impl Fn(&mut T, T, &mut T),
) {
    Arch::new().dispatch(EachElementWithState {
        value,
        grad,
        state,
        update,
    });
}

/// [`each_element`] with two state slices: `update(w, g, s₁, s₂)`.
pub(crate) fn each_element_with_states<T: Copy>(
    (value, grad, first, second): (&mut [T], &[T], &mut [T], &mut [T]),
    update: impl Fn(&mut T, T, &mut T, &mut T),
) {
    Arch::new().dispatch(EachElementWithStates {
        value,
        grad,
        first,
        second,
        update,
    });
}

/// The loop of [`each_element`], as a type so that it is inlined into the code compiled for
/// the chosen instruction set (a closure there might be compiled for the baseline instead).
struct EachElement<'a, T, F> {
    value: &'a mut [T],
    grad: &'a [T],
    update: F,
}

impl<T: Copy, F: Fn(&mut T, T)> WithSimd for EachElement<'_, T, F> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, _: S) {
        for (w, &g) in self.value.iter_mut().zip(self.grad) {
            (self.update)(w, g);
        }
    }
}

/// The loop of [`each_element_with_state`].
struct EachElementWithState<'a, T, F> {
    value: &'a mut [T],
    grad: &'a [T],
    state: &'a mut [T],
    update: F,
}

impl<T: Copy, F: Fn(&mut T, T, &mut T)> WithSimd for EachElementWithState<'_, T, F> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, _: S) {
        let elements = self.value.iter_mut().zip(self.grad).zip(self.state);
        for ((w, &g), s) in elements {
            (self.update)(w, g, s);
        }
    }
}

/// The loop of [`each_element_with_states`].
struct EachElementWithStates<'a, T, F> {
    value: &'a mut [T],
    grad: &'a [T],
    first: &'a mut [T],
    second: &'a mut [T],
    update: F,
}

impl<T: Copy, F: Fn(&mut T, T, &mut T, &mut T)> WithSimd for EachElementWithStates<'_, T, F> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, _: S) {
        let states = self.first.iter_mut().zip(self.second);
        for ((w, &g), (s1, s2)) in self.value.iter_mut().zip(self.grad).zip(states) {
            (self.update)(w, g, s1, s2);
        }
    }
}
