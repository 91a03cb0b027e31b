//! Element-wise work cut into one contiguous part per thread of the current rayon pool.
//!
//! An element-wise pass (an activation, an optimizer's update) computes each element from
//! that element alone, so cutting its slices into parts changes no bit; the parts only decide
//! which core touches which elements.

/// Slices that an element-wise pass walks together, all of one length.
pub trait SplitSlices: Sized + Send {
    /// The common length.
    fn len(&self) -> usize;
    /// Whether the slices are empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The elements before `mid` and those from `mid` on, in every slice.
    fn split_at(self, mid: usize) -> (Self, Self);
}

impl<T: Send + Sync> SplitSlices for (&mut [T], &[T]) {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn split_at(self, mid: usize) -> (Self, Self) {
        let (a_l, a_r) = self.0.split_at_mut(mid);
        let (b_l, b_r) = self.1.split_at(mid);
        ((a_l, b_l), (a_r, b_r))
    }
}

impl<T: Send + Sync> SplitSlices for (&mut [T], &[T], &mut [T]) {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn split_at(self, mid: usize) -> (Self, Self) {
        let ((a_l, b_l), (a_r, b_r)) = (self.0, self.1).split_at(mid);
        let (c_l, c_r) = self.2.split_at_mut(mid);
        ((a_l, b_l, c_l), (a_r, b_r, c_r))
    }
}

impl<T: Send + Sync> SplitSlices for (&mut [T], &[T], &mut [T], &mut [T]) {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn split_at(self, mid: usize) -> (Self, Self) {
        let ((a_l, b_l, c_l), (a_r, b_r, c_r)) = (self.0, self.1, self.2).split_at(mid);
        let (d_l, d_r) = self.3.split_at_mut(mid);
        ((a_l, b_l, c_l, d_l), (a_r, b_r, c_r, d_r))
    }
}

/// Runs `pass` over `slices` cut into one contiguous part per thread of the current rayon
/// pool, by halving (each cut a multiple of 64 elements, so every part's vectors start at the
/// same offsets modulo the widest vector as in a single pass). Slices shorter than `min_len`
/// are not cut, nor are parts that would be: below it, handing work to another thread costs
/// more than it saves. One part per thread, not more: every extra part is another hand-over
/// between the cores.
pub fn split_across_threads<S: SplitSlices>(slices: S, min_len: usize, pass: &(impl Fn(S) + Sync)) {
    split_in(slices, min_len, rayon::current_num_threads(), pass);
}

/// [`split_across_threads`] into `parts` parts.
fn split_in<S: SplitSlices>(slices: S, min_len: usize, parts: usize, pass: &(impl Fn(S) + Sync)) {
    let len = slices.len();
    if len < min_len || parts < 2 {
        pass(slices);
        return;
    }
    let left_parts = parts / 2;
    let mid = (len * left_parts / parts).div_ceil(64) * 64;
    let (left, right) = slices.split_at(mid.min(len));
    nn_handover::join(
        || split_in(left, min_len, left_parts, pass),
        || split_in(right, min_len, parts - left_parts, pass),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn the_parts_cover_every_element_once_on_any_thread_count() {
        const MIN: usize = 1 << 13;
        for threads in [1, 2, 3] {
            for len in [0, 5, MIN - 1, MIN, 100_003] {
                let mut value = vec![0u32; len];
                let grad: Vec<u32> = (0..len as u32).collect();
                let mut state = vec![0u32; len];
                let parts = AtomicUsize::new(0);
                crate::threads::thread_pool(threads).unwrap().install(|| {
                    split_across_threads(
                        (&mut value[..], &grad[..], &mut state[..]),
                        MIN,
                        &|(v, g, s): (&mut [u32], &[u32], &mut [u32])| {
                            parts.fetch_add(1, Ordering::Relaxed);
                            for ((v, &g), s) in v.iter_mut().zip(g).zip(s) {
                                *v += g + 1;
                                *s += 1;
                            }
                        },
                    )
                });
                assert!(value.iter().enumerate().all(|(i, &v)| v == i as u32 + 1));
                assert!(state.iter().all(|&s| s == 1));
                // A part shorter than the threshold is not cut further.
                let parts = parts.into_inner();
                let expected = if len < MIN {
                    1..=1
                } else if len >= 2 * threads * MIN {
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
