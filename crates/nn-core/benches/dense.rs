//! Dense layer forward and backward at the MNIST shapes (784 → 128, batch 64), and one
//! forward + loss + backward pass of the 784-128-64-10 network.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use nn_core::{Dense, Init, Layer, Loss, Matrix, Mode, Sequential};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// As in the engine's binaries: large buffers start on a cache line (see `nn-alloc`).
#[global_allocator]
static ALLOCATOR: nn_alloc::CacheLineAllocator = nn_alloc::CacheLineAllocator;

const INPUTS: usize = 784;
const OUTPUTS: usize = 128;
const BATCH: usize = 64;

fn batch(rows: usize, cols: usize) -> Matrix<f32> {
    Matrix::from_fn(rows, cols, |i, j| ((i * 7 + j * 13) % 97) as f32 / 97.0)
}

fn dense(c: &mut Criterion) {
    // One thread: these benches time the kernels on one core (criterion's CPU-time
    // measurement sees only the calling thread); `cargo xtask bench` times whole epochs on
    // all threads.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global();
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let mut layer = Dense::<f32>::new(INPUTS, OUTPUTS, Init::HeNormal, &mut rng).unwrap();
    let x = batch(INPUTS, BATCH);
    let g = batch(OUTPUTS, BATCH);
    let flops = 2 * INPUTS * OUTPUTS * BATCH;

    let mut group = c.benchmark_group("dense 784x128 batch 64");
    group.throughput(Throughput::Elements(flops as u64));
    group.bench_function("forward", |b| {
        b.iter(|| {
            black_box(layer.forward(black_box(&x), Mode::Train));
        })
    });
    layer.forward(&x, Mode::Train);
    group.bench_function("backward (dW, db, dX)", |b| {
        b.iter(|| {
            black_box(layer.backward(black_box(&x), black_box(&g)));
        })
    });
    group.bench_function("backward params only (dW, db)", |b| {
        b.iter(|| layer.backward_params_only(black_box(&x), black_box(&g)))
    });
    group.finish();
}

fn mlp_step(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let mut net = Sequential::<f32>::new(INPUTS)
        .dense(128, Init::HeNormal, &mut rng)
        .unwrap()
        .relu()
        .dense(64, Init::HeNormal, &mut rng)
        .unwrap()
        .relu()
        .dense(10, Init::XavierUniform, &mut rng)
        .unwrap();
    let x = batch(INPUTS, BATCH);
    let y = Matrix::from_fn(10, BATCH, |i, j| f32::from(u8::from(i == j % 10)));
    c.bench_function("784-128-64-10 forward+loss+backward batch 64", |b| {
        b.iter(|| {
            black_box(
                net.loss_and_backward(black_box(&x), black_box(&y), Loss::CrossEntropy, None)
                    .unwrap(),
            )
        })
    });
}

criterion_group!(benches, dense, mlp_step);
criterion_main!(benches);
