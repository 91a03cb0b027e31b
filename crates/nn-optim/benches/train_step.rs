//! The reference workload's training step and its parts on one core: a 784-128-64-10 ReLU
//! network with softmax cross-entropy (f32, random data). `loss_and_backward` alone (also
//! with L2 at batch 32) and followed by an Adam step (lr 1e-3), at batch 32, 64 and 128, and
//! forward-only inference on 10,000 samples.
//!
//! Run with `cargo bench -p nn-optim --bench train_step`.

use std::hint::black_box;
use std::time::Duration;

mod cpu_time;

use cpu_time::CpuTime;
use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use nn_core::{Init, Loss, Matrix, Mode, Sequential};
use nn_optim::{Adam, AdamConfig, Optimizer};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// As in the engine's binaries: large buffers start on a cache line (see `nn-alloc`).
#[global_allocator]
static ALLOCATOR: nn_alloc::CacheLineAllocator = nn_alloc::CacheLineAllocator;

const SIZES: [usize; 4] = [784, 128, 64, 10];
const POOL: usize = 8192;

fn network(rng: &mut ChaCha8Rng) -> Sequential<f32> {
    Sequential::<f32>::new(SIZES[0])
        .dense(SIZES[1], Init::HeNormal, rng)
        .and_then(|n| n.relu().dense(SIZES[2], Init::HeNormal, rng))
        .and_then(|n| n.relu().dense(SIZES[3], Init::XavierUniform, rng))
        .expect("valid sizes")
}

/// Random inputs in `[0, 1)`, one column per sample.
fn inputs(rng: &mut ChaCha8Rng, cols: usize) -> Matrix<f32> {
    Matrix::from_fn(SIZES[0], cols, |_, _| rng.random_range(0.0f32..1.0))
}

/// Random one-hot targets, one column per sample.
fn one_hot(rng: &mut ChaCha8Rng, cols: usize) -> Matrix<f32> {
    let mut y = Matrix::zeros(SIZES[3], cols);
    for j in 0..cols {
        y[(rng.random_range(0..SIZES[3]), j)] = 1.0f32;
    }
    y
}

/// A benchmark group on one thread: these benches time the kernels on one core (criterion's
/// CPU-time measurement sees only the calling thread); `cargo xtask bench` times whole epochs
/// on all threads. Few, long samples, as the CPU-time figure moves at scheduler ticks.
fn one_core_group<'a>(
    c: &'a mut Criterion<CpuTime>,
    name: &str,
    seconds: u64,
) -> BenchmarkGroup<'a, CpuTime> {
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global();
    let mut group = c.benchmark_group(name);
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(seconds))
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10);
    group
}

fn loss_and_backward(c: &mut Criterion<CpuTime>) {
    let mut group = one_core_group(c, "784-128-64-10 loss_and_backward", 3);
    // With L2 at batch 32 too, as studies 002-004 train: the penalty and its gradient are a
    // pass over every weight on top of the products.
    for (batch, l2) in [(32usize, None), (64, None), (128, None), (32, Some(1e-4))] {
        let mut rng = ChaCha8Rng::seed_from_u64(batch as u64);
        let mut net = network(&mut rng);
        // No update between iterations, so one batch serves them all.
        let x = inputs(&mut rng, batch);
        let y = one_hot(&mut rng, batch);
        group.throughput(Throughput::Elements(batch as u64));
        let name = match l2 {
            None => format!("batch {batch}"),
            Some(lambda) => format!("batch {batch}, L2 {lambda:e}"),
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                black_box(
                    net.loss_and_backward(black_box(&x), black_box(&y), Loss::CrossEntropy, l2)
                        .expect("finite loss"),
                )
            })
        });
    }
    group.finish();
}

fn train_step(c: &mut Criterion<CpuTime>) {
    let mut group = one_core_group(c, "784-128-64-10 train step (adam)", 3);
    for batch in [32usize, 64, 128] {
        let mut rng = ChaCha8Rng::seed_from_u64(batch as u64);
        let mut net = network(&mut rng);
        // A pool of 8192 random samples with random labels, cycled batch by batch: one fixed
        // batch would be fitted within a few hundred steps, after which gradients underflow
        // into subnormals and the timing no longer reflects training.
        let batches: Vec<(Matrix<f32>, Matrix<f32>)> = (0..POOL / batch)
            .map(|_| (inputs(&mut rng, batch), one_hot(&mut rng, batch)))
            .collect();
        let mut next = batches.iter().cycle();
        let mut adam = Adam::<f32>::new(AdamConfig::default()).expect("default config");
        group.throughput(Throughput::Elements(batch as u64));
        group.bench_function(format!("batch {batch}"), |b| {
            b.iter(|| {
                // Invariant: cycling a non-empty pool never ends.
                let (x, y) = next.next().expect("endless cycle");
                let loss = net
                    .loss_and_backward(black_box(x), black_box(y), Loss::CrossEntropy, None)
                    .expect("finite loss");
                net.with_params_mut(|p| adam.step(p))
                    .expect("same network every step");
                black_box(loss)
            })
        });
    }
    group.finish();
}

fn inference(c: &mut Criterion<CpuTime>) {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut net = network(&mut rng);
    let x = inputs(&mut rng, 10_000);
    let mut group = one_core_group(c, "784-128-64-10 inference", 4);
    group.throughput(Throughput::Elements(10_000));
    group.bench_function("forward 10000 samples", |b| {
        b.iter(|| {
            black_box(
                net.forward(black_box(&x), Mode::Eval)
                    .expect("valid input")
                    .ncols(),
            )
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(CpuTime);
    targets = loss_and_backward, train_step, inference
}
criterion_main!(benches);
