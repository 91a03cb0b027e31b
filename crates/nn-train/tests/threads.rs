//! The thread count is a setting that changes speed, never numbers.

use nn_core::{Init, Loss, Matrix, Sequential};
use nn_optim::{AdamConfig, AnyOptimizer, OptimizerConfig};
use nn_train::{MetricKind, ProgressMode, TrainConfig, TrainData, TrainError, Trainer};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Layers large enough that products and Adam updates are split across threads
/// (300·128·64 multiply-adds per product, 38,400 weights), the first one wide enough to sum
/// its inputs in two halves.
fn trained(threads: usize) -> (Vec<f64>, Vec<Vec<f32>>) {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let net = Sequential::<f32>::new(300)
        .dense(128, Init::HeNormal, &mut rng)
        .unwrap()
        .relu()
        .dense(10, Init::XavierUniform, &mut rng)
        .unwrap();
    let x = Matrix::from_fn(300, 256, |r, c| ((r * 31 + c * 17) % 101) as f32 / 101.0);
    let y = Matrix::from_fn(10, 256, |r, c| f32::from(u8::from(r == c % 10)));
    let optimizer = AnyOptimizer::new(&OptimizerConfig::Adam(AdamConfig::default())).unwrap();
    let config = TrainConfig {
        epochs: 2,
        batch_size: 64,
        seed: 9,
        metric: MetricKind::Accuracy,
        progress: ProgressMode::Silent,
        threads: Some(threads),
        ..Default::default()
    };
    let mut trainer = Trainer::new(net, optimizer, Loss::CrossEntropy, config).unwrap();
    assert_eq!(trainer.threads().unwrap(), threads);
    trainer.fit(&TrainData::new(&x, &y)).unwrap();
    let losses = trainer
        .history()
        .epochs
        .iter()
        .map(|e| e.train_loss)
        .collect();
    let weights = trainer
        .network()
        .params()
        .into_iter()
        .map(|p| p.value.as_slice().to_vec())
        .collect();
    (losses, weights)
}

#[test]
fn one_two_and_three_threads_give_identical_runs() {
    let one = trained(1);
    assert_eq!(one, trained(2));
    assert_eq!(one, trained(3));
}

#[test]
fn zero_threads_is_refused_by_name() {
    let config = TrainConfig {
        threads: Some(0),
        ..Default::default()
    };
    let err = config.validate().unwrap_err();
    assert!(matches!(
        err,
        TrainError::InvalidConfig {
            name: "threads",
            ..
        }
    ));
}
