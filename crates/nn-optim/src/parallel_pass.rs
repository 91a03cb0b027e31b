//! How an element-wise update walks one parameter: split across the threads of the current
//! rayon pool, each part compiled for the machine's widest vectors.
//!
//! Every optimizer updates each element from that element's value, gradient and state alone,
//! so neither the split nor the vector width can change a bit: the parts are contiguous runs
//! of the same elements, and a plain loop vectorised by the compiler keeps the scalar
//! arithmetic exactly (Rust neither reorders nor fuses floating-point operations).

use pulp::{Arch, Simd, WithSimd};

/// Tensors shorter than this are updated on one thread.
pub(crate) const PARALLEL_MIN_LEN: usize = 1 << 13;

/// The slices of one parameter that an update walks together (its value, its gradient and
/// any optimizer state), all of one length.
pub(crate) trait ParamSlices: Sized + Send {
    /// The common length.
    fn len(&self) -> usize;
    /// The elements before `mid` and those from `mid` on, in every slice.
    fn split_at(self, mid: usize) -> (Self, Self);
}

impl<T: Send + Sync> ParamSlices for (&mut [T], &[T]) {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn split_at(self, mid: usize) -> (Self, Self) {
        let (value_l, value_r) = self.0.split_at_mut(mid);
        let (grad_l, grad_r) = self.1.split_at(mid);
        ((value_l, grad_l), (value_r, grad_r))
    }
}

impl<T: Send + Sync> ParamSlices for (&mut [T], &[T], &mut [T]) {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn split_at(self, mid: usize) -> (Self, Self) {
        let ((value_l, grad_l), (value_r, grad_r)) = (self.0, self.1).split_at(mid);
        let (state_l, state_r) = self.2.split_at_mut(mid);
        ((value_l, grad_l, state_l), (value_r, grad_r, state_r))
    }
}

impl<T: Send + Sync> ParamSlices for (&mut [T], &[T], &mut [T], &mut [T]) {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn split_at(self, mid: usize) -> (Self, Self) {
        let ((value_l, grad_l, first_l), (value_r, grad_r, first_r)) =
            (self.0, self.1, self.2).split_at(mid);
        let (second_l, second_r) = self.3.split_at_mut(mid);
        (
            (value_l, grad_l, first_l, second_l),
            (value_r, grad_r, first_r, second_r),
        )
    }
}

/// Runs `pass` over `slices` split into one contiguous part per thread of the current pool,
/// by halving, as the products split a weight gradient's columns: on two threads each core
/// updates (nearly) the half of a weight matrix whose gradient it computed and whose weights
/// it reads in the next forward pass; exactly that half when the middle falls on a column
/// boundary that is a multiple of 64 values, as for MNIST's 128 × 784 first layer. One part
/// per thread, not more: every extra part is another hand-over between the cores.
pub(crate) fn split_across_threads<S: ParamSlices>(slices: S, pass: &(impl Fn(S) + Sync)) {
    split_in(slices, rayon::current_num_threads(), pass);
}

/// [`split_across_threads`] into `parts` parts.
fn split_in<S: ParamSlices>(slices: S, parts: usize, pass: &(impl Fn(S) + Sync)) {
    let len = slices.len();
    if len < PARALLEL_MIN_LEN || parts < 2 {
        pass(slices);
        return;
    }
    let left_parts = parts / 2;
    // A multiple of 64 so every part's vectors start at the same offsets modulo the widest
    // vector as in a single pass (not needed for the bits, kind to the caches).
    let mid = (len * left_parts / parts).div_ceil(64) * 64;
    let (left, right) = slices.split_at(mid);
    rayon::join(
        || split_in(left, left_parts, pass),
        || split_in(right, parts - left_parts, pass),
    );
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parts_cover_every_element_once_on_any_thread_count() {
        for threads in [1, 2, 3] {
            for len in [0, 5, PARALLEL_MIN_LEN - 1, PARALLEL_MIN_LEN, 100_003] {
                let mut value = vec![0u32; len];
                let grad: Vec<u32> = (0..len as u32).collect();
                let mut state = vec![0u32; len];
                let parts = std::sync::atomic::AtomicUsize::new(0);
                nn_core::threads::thread_pool(threads).unwrap().install(|| {
                    split_across_threads(
                        (&mut value[..], &grad[..], &mut state[..]),
                        &|(v, g, s): (&mut [u32], &[u32], &mut [u32])| {
                            parts.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            for ((v, &g), s) in v.iter_mut().zip(g).zip(s) {
                                *v += g + 1;
                                *s += 1;
                            }
                        },
                    )
                });
                assert!(value.iter().enumerate().all(|(i, &v)| v == i as u32 + 1));
                assert!(state.iter().all(|&s| s == 1));
                // A part shorter than the threshold is not split further.
                let parts = parts.into_inner();
                let expected = if len < PARALLEL_MIN_LEN {
                    1..=1
                } else if len >= 2 * threads * PARALLEL_MIN_LEN {
                    threads..=threads
                } else {
                    threads.min(2)..=threads
                };
                assert!(
                    expected.contains(&parts),
                    "{len} values, {threads} threads: {parts}"
                );
            }
        }
    }
}
