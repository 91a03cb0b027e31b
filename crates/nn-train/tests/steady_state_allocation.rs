//! Training in steady state allocates nothing: batch gathering, forward, loss, backward and
//! the Adam update all reuse buffers sized by the first step, on one thread or with the work
//! split across two, and an epoch's last, partial batch shrinks them without giving up their
//! allocations, so the next epoch's full batches fit again.
//!
//! The only test of this binary, so no other test allocates while it counts.

use std::alloc::System;

use nn_core::{Init, Loss, Matrix, Sequential};
use nn_data::{BatchSampler, fill_batch};
use nn_optim::{Adam, AdamConfig, Optimizer};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Allocations made by the second epoch over `full_batches` batches of 64 samples and a last,
/// partial one of 32 (the first epoch is the warm-up).
fn allocations_in_a_warm_epoch(threads: usize, full_batches: usize) -> usize {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    // The MNIST shapes: the first layer's products are split across threads.
    let mut net = Sequential::<f32>::new(784)
        .dense(128, Init::HeNormal, &mut rng)
        .unwrap()
        .relu()
        .dense(64, Init::HeNormal, &mut rng)
        .unwrap()
        .relu()
        .dense(10, Init::XavierUniform, &mut rng)
        .unwrap();
    let samples = 64 * full_batches + 32;
    let x = Matrix::from_fn(784, samples, |r, c| ((r * 7 + c * 13) % 97) as f32 / 97.0);
    let y = Matrix::from_fn(10, samples, |r, c| f32::from(u8::from(r == c % 10)));
    let mut adam = Adam::new(AdamConfig::default()).unwrap();
    let mut sampler = BatchSampler::new(samples, 64, 3).unwrap();
    let mut xb = Matrix::<f32>::zeros(784, 64);
    let mut yb = Matrix::<f32>::zeros(10, 64);
    let pool = nn_core::threads::thread_pool(threads).unwrap();
    pool.install(|| {
        nn_core::threads::keep_workers_spinning(|| {
            let mut step = |indices: &[usize]| {
                fill_batch(&x, indices, &mut xb).unwrap();
                fill_batch(&y, indices, &mut yb).unwrap();
                net.loss_and_backward(&xb, &yb, Loss::CrossEntropy, None)
                    .unwrap();
                net.with_params_mut(|p| adam.step(p)).unwrap();
            };
            for indices in sampler.epoch() {
                step(indices);
            }
            let region = Region::new(GLOBAL);
            let mut last_batch = 0;
            for indices in sampler.epoch() {
                last_batch = indices.len();
                step(indices);
            }
            assert_eq!(last_batch, 32, "the epoch ends with a partial batch");
            region.change().allocations
        })
    })
}

#[test]
fn training_epochs_do_not_allocate_once_warm() {
    for threads in [1, 2] {
        assert_eq!(
            allocations_in_a_warm_epoch(threads, 20),
            0,
            "{threads} thread(s)"
        );
    }
}
