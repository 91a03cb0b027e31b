//! Loading MNIST train: read, verify SHA-256, gunzip, parse IDX and scale to f32.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use nn_data::{DataDir, mnist_train};

fn mnist_load(c: &mut Criterion) {
    let dir = DataDir::default_location();
    let mut group = c.benchmark_group("mnist");
    group.sample_size(10);
    group.bench_function("load_train_60k", |b| {
        b.iter(|| black_box(mnist_train(black_box(&dir)).expect("MNIST loads")))
    });
    group.finish();
}

criterion_group!(benches, mnist_load);
criterion_main!(benches);
