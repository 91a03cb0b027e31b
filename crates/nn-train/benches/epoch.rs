//! One whole epoch of the reference workload through the `Trainer`: MNIST's 60,000 training
//! digits (from `datasets/`), 784-128-64-10 ReLU, softmax cross-entropy, Adam lr 1e-3,
//! batch 64, on the default thread count (`NN_THREADS`, else the physical cores).
//!
//! Run with `cargo bench -p nn-train --bench epoch`. `cargo xtask bench` times the same epoch
//! against PyTorch and NumPy.

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use nn_core::{Init, Loss, Sequential};
use nn_data::{DataDir, mnist_train};
use nn_optim::{AdamConfig, AnyOptimizer, OptimizerConfig};
use nn_train::{ProgressMode, TrainConfig, TrainData, Trainer};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// As in the engine's binaries: large buffers start on a cache line (see `nn-alloc`).
#[global_allocator]
static ALLOCATOR: nn_alloc::CacheLineAllocator = nn_alloc::CacheLineAllocator;

fn epoch(c: &mut Criterion) {
    // Invariant for a bench: the repository's data directory is present and verified.
    let train = mnist_train(&DataDir::default_location()).expect("MNIST in datasets/");
    let y = train.one_hot(10).expect("labelled digits");
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let net = Sequential::<f32>::new(784)
        .dense(128, Init::HeNormal, &mut rng)
        .and_then(|n| n.relu().dense(64, Init::HeNormal, &mut rng))
        .and_then(|n| n.relu().dense(10, Init::XavierUniform, &mut rng))
        .expect("valid sizes");
    let adam = AnyOptimizer::new(&OptimizerConfig::Adam(AdamConfig::default())).expect("valid");
    let config = TrainConfig {
        epochs: usize::MAX,
        batch_size: 64,
        progress: ProgressMode::Silent,
        ..TrainConfig::default()
    };
    let mut trainer = Trainer::new(net, adam, Loss::CrossEntropy, config).expect("valid config");
    let data = TrainData::new(train.features(), &y);
    let mut group = c.benchmark_group("mnist epoch 784-128-64-10 adam batch 64");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(6))
        .throughput(Throughput::Elements(train.features().ncols() as u64));
    group.bench_function("epoch", |b| {
        b.iter(|| {
            trainer
                .fit_epochs(&data, 1)
                .map(|history| history.epochs.len())
                .expect("a finite loss")
        })
    });
    group.finish();
}

criterion_group!(benches, epoch);
criterion_main!(benches);
