//! The machine's f32 multiply-add peak, measured in the same run as the benchmark so the
//! achieved GFLOP/s can be read as a fraction of what the cores can do right now (on a shared
//! virtual machine that moves from minute to minute).
//!
//! Each thread runs twelve independent chains of fused multiply-adds on the widest vectors
//! the machine has (the instruction set `pulp` picks at run time, as the product kernel does):
//! enough chains to cover the FMA latency on two FMA units, and nothing else in the loop.

use std::hint::black_box;
use std::time::Instant;

use pulp::{Arch, Simd, WithSimd};

/// Independent accumulator chains per thread.
const CHAINS: usize = 12;

/// Loop iterations per thread: about 0.1 s of work on one core at 200 GFLOP/s with 16-lane
/// vectors.
const ITERATIONS: u64 = 50_000_000;

/// The chains of one thread; returns the sum of the final values so none can be removed.
struct FmaChains {
    seed: f32,
    iterations: u64,
}

impl WithSimd for FmaChains {
    type Output = (f32, usize);

    #[inline(always)]
    fn with_simd<S: Simd>(self, s: S) -> (f32, usize) {
        let factor = s.splat_f32s(0.999_999);
        let addend = s.splat_f32s(1e-7);
        // Distinct starting values, so the compiler cannot merge identical chains.
        let mut chains: [S::f32s; CHAINS] =
            std::array::from_fn(|i| s.splat_f32s(self.seed + i as f32 * 1e-3));
        for _ in 0..self.iterations {
            for chain in &mut chains {
                *chain = s.mul_add_e_f32s(*chain, factor, addend);
            }
        }
        let total = chains
            .iter()
            .fold(s.splat_f32s(0.0), |a, &b| s.add_f32s(a, b));
        (s.reduce_sum_f32s(total), S::F32_LANES)
    }
}

/// Measured f32 FMA throughput in GFLOP/s (two FLOP per multiply-add) of `threads` threads
/// running at once.
pub fn fma_peak_gflops(threads: usize) -> f64 {
    gflops_over(threads, ITERATIONS)
}

/// [`fma_peak_gflops`] with `iterations` loop turns per thread.
fn gflops_over(threads: usize, iterations: u64) -> f64 {
    let arch = Arch::new();
    let start = Instant::now();
    let lanes = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads.max(1))
            .map(|t| {
                scope.spawn(move || {
                    arch.dispatch(FmaChains {
                        seed: 1.0 + t as f32,
                        iterations,
                    })
                })
            })
            .collect();
        let results: Vec<(f32, usize)> = handles
            .into_iter()
            // A panic in the measuring thread is a bug here, not a user error.
            .map(|h| h.join().expect("FMA probe thread"))
            .collect();
        black_box(results.iter().map(|r| r.0).sum::<f32>());
        results[0].1
    });
    let seconds = start.elapsed().as_secs_f64();
    let flop = 2.0 * (CHAINS * lanes) as f64 * iterations as f64 * threads.max(1) as f64;
    flop / seconds / 1e9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_reports_a_finite_positive_rate_on_one_and_two_threads() {
        for threads in [1, 2] {
            let gflops = gflops_over(threads, 10_000);
            assert!(gflops.is_finite() && gflops > 0.0, "{threads}: {gflops}");
        }
    }
}
