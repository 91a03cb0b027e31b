//! Times one optimizer step over the parameters of a 784-128-64-10 network (f32):
//! weights 128×784, 64×128, 10×64 and their biases, about 109 k scalars.
//!
//! Also Adam over 4,096 values that stay in cache, its cost per value without memory traffic.
//!
//! Run with `cargo bench -p nn-optim --bench step`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use nn_core::{Matrix, Param, ParamKind};
use nn_optim::{
    AdamConfig, AdamWConfig, EpsilonPlacement, MomentumConfig, MomentumForm, OptimizerConfig,
    RmsPropConfig, SgdConfig,
};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// As in the engine's binaries: large buffers start on a cache line (see `nn-alloc`).
#[global_allocator]
static ALLOCATOR: nn_alloc::CacheLineAllocator = nn_alloc::CacheLineAllocator;

const LAYERS: [usize; 4] = [784, 128, 64, 10];

fn network() -> Vec<Param<f32>> {
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let mut params = Vec::new();
    for pair in LAYERS.windows(2) {
        let (inputs, outputs) = (pair[0], pair[1]);
        for (rows, cols, kind) in [
            (outputs, inputs, ParamKind::Weight),
            (outputs, 1, ParamKind::Bias),
        ] {
            let mut p = Param::new(
                Matrix::from_fn(rows, cols, |_, _| rng.random_range(-0.1..0.1)),
                kind,
            );
            p.grad = Matrix::from_fn(rows, cols, |_, _| rng.random_range(-0.01..0.01));
            params.push(p);
        }
    }
    params
}

fn bench_steps(c: &mut Criterion) {
    // One thread: these benches time the kernels on one core (criterion's CPU-time
    // measurement sees only the calling thread); `cargo xtask bench` times whole epochs on
    // all threads.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global();
    let optimizers = [
        ("sgd", OptimizerConfig::Sgd(SgdConfig::default())),
        (
            "momentum_classic",
            OptimizerConfig::Momentum(MomentumConfig::default()),
        ),
        (
            "momentum_ema",
            OptimizerConfig::Momentum(MomentumConfig {
                form: MomentumForm::Ema,
                ..Default::default()
            }),
        ),
        (
            "nesterov",
            OptimizerConfig::Momentum(MomentumConfig::nesterov(0.01, 0.9)),
        ),
        (
            "rmsprop",
            OptimizerConfig::RmsProp(RmsPropConfig::default()),
        ),
        ("adam", OptimizerConfig::Adam(AdamConfig::default())),
        (
            "adam_eps_inside",
            OptimizerConfig::Adam(AdamConfig {
                epsilon_placement: EpsilonPlacement::InsideSqrt,
                ..Default::default()
            }),
        ),
        ("adamw", OptimizerConfig::AdamW(AdamWConfig::default())),
    ];
    let mut group = c.benchmark_group("step_784_128_64_10");
    let scalars: usize = network().iter().map(Param::len).sum();
    group.throughput(Throughput::Elements(scalars as u64));
    for (name, config) in optimizers {
        let mut params = network();
        let mut refs: Vec<&mut Param<f32>> = params.iter_mut().collect();
        // Infallible here: the configs above are the validated defaults.
        let mut optimizer = config.build::<f32>().expect("valid config");
        group.bench_function(name, |b| {
            b.iter(|| {
                optimizer
                    .step(black_box(&mut refs))
                    .expect("same network every step");
            })
        });
    }
    group.finish();
}

/// Adam over 4,096 values, whose four arrays (64 KB) stay in L1/L2: the time per value is
/// then that of the arithmetic alone (one IEEE square root and one division per value, both
/// on the divider), the floor under the network step above.
fn bench_adam_in_cache(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let len = 4096;
    let mut param = Param::new(
        Matrix::from_fn(len, 1, |_, _| rng.random_range(-0.1..0.1)),
        ParamKind::Weight,
    );
    param.grad = Matrix::from_fn(len, 1, |_, _| rng.random_range(-0.01..0.01));
    // Infallible here: the default config is valid.
    let mut adam = OptimizerConfig::Adam(AdamConfig::default())
        .build::<f32>()
        .expect("valid config");
    let mut group = c.benchmark_group("adam_in_cache");
    group.throughput(Throughput::Elements(len as u64));
    group.bench_function("4096 values", |b| {
        b.iter(|| {
            adam.step(black_box(&mut [&mut param]))
                .expect("same parameter every step");
        })
    });
    group.finish();
}

criterion_group!(benches, bench_steps, bench_adam_in_cache);
criterion_main!(benches);
