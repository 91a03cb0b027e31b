//! The fit loop end to end on small synthetic data: learning, reproducibility, resume,
//! early stopping and the errors a user can provoke.

use nn_core::{Init, Loss, Matrix, Sequential};
use nn_optim::{Adam, AdamConfig, AnyOptimizer, OptimizerConfig, SgdConfig};
use nn_train::{
    EarlyStoppingConfig, EpochRecord, MetricKind, Monitor, ProgressMode, TrainConfig, TrainData,
    TrainError, Trainer,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Two Gaussian-ish blobs in 2-D (deterministic), one-hot targets for 2 classes.
fn blobs(n: usize) -> (Matrix<f64>, Matrix<f64>) {
    let x = Matrix::from_fn(2, n, |r, c| {
        let class = (c % 2) as f64;
        let wobble = ((c * 7 + r * 13) % 11) as f64 / 11.0 - 0.5;
        if r == 0 {
            class * 2.0 - 1.0 + wobble
        } else {
            wobble - class
        }
    });
    let y = Matrix::from_fn(2, n, |r, c| f64::from(u8::from(r == c % 2)));
    (x, y)
}

fn network(seed: u64, dropout: bool) -> Sequential<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut net = Sequential::new(2)
        .dense(16, Init::HeNormal, &mut rng)
        .unwrap()
        .relu();
    if dropout {
        net = net.dropout(0.2, seed).unwrap();
    }
    net.dense(2, Init::XavierUniform, &mut rng).unwrap()
}

fn adam() -> AnyOptimizer<f64> {
    AnyOptimizer::new(&OptimizerConfig::Adam(AdamConfig {
        lr: 0.01,
        ..Default::default()
    }))
    .unwrap()
}

fn config(epochs: usize) -> TrainConfig {
    TrainConfig {
        epochs,
        batch_size: 16,
        seed: 3,
        metric: MetricKind::Accuracy,
        train_metric: true,
        progress: ProgressMode::Silent,
        ..Default::default()
    }
}

/// Records with their wall-clock seconds zeroed, for exact comparisons.
fn numbers(trainer: &Trainer<f64>) -> Vec<EpochRecord> {
    trainer
        .history()
        .epochs
        .iter()
        .map(|r| EpochRecord {
            seconds: 0.0,
            ..r.clone()
        })
        .collect()
}

#[test]
fn learns_a_separable_problem() {
    let (x, y) = blobs(200);
    let mut trainer =
        Trainer::new(network(1, false), adam(), Loss::CrossEntropy, config(30)).unwrap();
    let history = trainer
        .fit(&TrainData::new(&x, &y).with_validation(&x, &y))
        .unwrap();
    let first = history.epochs.first().unwrap().train_loss;
    let last = history.last().unwrap();
    assert!(
        last.train_loss < first / 2.0,
        "{first} -> {}",
        last.train_loss
    );
    assert!(last.val_metric.unwrap() > 0.95, "{last:?}");
    assert_eq!(history.epochs.len(), 30);
    assert!(trainer.is_finished());
}

#[test]
fn the_same_seed_gives_the_same_numbers() {
    let (x, y) = blobs(100);
    let run = || {
        let mut t = Trainer::new(network(5, true), adam(), Loss::CrossEntropy, config(5)).unwrap();
        t.fit(&TrainData::new(&x, &y).with_validation(&x, &y))
            .unwrap();
        (numbers(&t), t.network().to_bytes().unwrap())
    };
    assert_eq!(run(), run());
}

#[test]
fn an_optimizer_given_directly_trains_as_the_same_one_built_from_a_spec() {
    let (x, y) = blobs(100);
    let data = TrainData::new(&x, &y).with_validation(&x, &y);
    let direct = Adam::new(AdamConfig {
        lr: 0.01,
        ..Default::default()
    })
    .unwrap();
    let mut given = Trainer::new(network(5, true), direct, Loss::CrossEntropy, config(4)).unwrap();
    let mut built = Trainer::new(network(5, true), adam(), Loss::CrossEntropy, config(4)).unwrap();
    given.fit(&data).unwrap();
    built.fit(&data).unwrap();
    assert_eq!(given.optimizer(), built.optimizer());
    assert_eq!(
        (numbers(&given), given.network().to_bytes().unwrap()),
        (numbers(&built), built.network().to_bytes().unwrap())
    );
}

#[test]
fn a_resumed_run_ends_identical_to_an_uninterrupted_one() {
    let (x, y) = blobs(120);
    let data = TrainData::new(&x, &y).with_validation(&x, &y);
    let es = EarlyStoppingConfig {
        patience: 50,
        ..Default::default()
    };
    let cfg = TrainConfig {
        early_stopping: Some(es),
        ..config(8)
    };

    let mut straight =
        Trainer::new(network(9, true), adam(), Loss::CrossEntropy, cfg.clone()).unwrap();
    straight.fit(&data).unwrap();

    let dir = std::env::temp_dir().join(format!("nn-train-resume-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("half.ckpt");
    let mut first = Trainer::new(network(9, true), adam(), Loss::CrossEntropy, cfg.clone())
        .unwrap()
        .with_origin("blobs, 16 hidden units");
    first.fit_epochs(&data, 3).unwrap();
    assert_eq!(first.epochs_done(), 3);
    first.save_checkpoint(&path).unwrap();
    drop(first);

    let mut resumed = Trainer::<f64>::load_checkpoint(&path).unwrap();
    assert_eq!(resumed.epochs_done(), 3);
    assert_eq!(resumed.origin(), Some("blobs, 16 hidden units"));
    // Output settings may change on resume (and are checked); they change no number.
    let checkpoints = dir.join("resumed");
    let bad = TrainConfig {
        checkpoint_every: Some(2),
        ..cfg.clone()
    };
    assert!(matches!(
        resumed.set_output_settings(&bad),
        Err(TrainError::InvalidConfig {
            name: "checkpoint_dir",
            ..
        })
    ));
    resumed
        .set_output_settings(&TrainConfig {
            checkpoint_dir: Some(checkpoints.clone()),
            threads: Some(1),
            ..bad
        })
        .unwrap();
    resumed.fit(&data).unwrap();
    assert!(checkpoints.join("epoch-0004.ckpt").exists());
    std::fs::remove_dir_all(&dir).ok();

    assert_eq!(numbers(&resumed), numbers(&straight));
    assert_eq!(
        resumed.network().to_bytes().unwrap(),
        straight.network().to_bytes().unwrap()
    );
    assert_eq!(resumed.optimizer(), straight.optimizer());
}

#[test]
fn checkpoints_are_written_every_n_epochs() {
    let (x, y) = blobs(40);
    let dir = std::env::temp_dir().join(format!("nn-train-every-{}", std::process::id()));
    let cfg = TrainConfig {
        checkpoint_every: Some(2),
        checkpoint_dir: Some(dir.clone()),
        ..config(5)
    };
    let mut t = Trainer::new(network(2, false), adam(), Loss::CrossEntropy, cfg).unwrap();
    t.fit(&TrainData::new(&x, &y)).unwrap();
    for name in [
        "epoch-0002.ckpt",
        "epoch-0004.ckpt",
        "epoch-0005.ckpt",
        "last.ckpt",
    ] {
        assert!(dir.join(name).exists(), "{name} missing");
    }
    assert!(!dir.join("epoch-0003.ckpt").exists());
    let last = Trainer::<f64>::load_checkpoint(&dir.join("last.ckpt")).unwrap();
    assert!(last.is_finished());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn corrupted_checkpoints_are_refused_with_a_reason() {
    let (x, y) = blobs(40);
    let mut t = Trainer::new(network(2, false), adam(), Loss::CrossEntropy, config(1)).unwrap();
    t.fit(&TrainData::new(&x, &y)).unwrap();
    let bytes = t.checkpoint_bytes().unwrap();
    let dir = std::env::temp_dir().join(format!("nn-train-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", bytes[..bytes.len() / 2].to_vec()),
        (
            "foreign",
            b"PK\x03\x04 definitely not a checkpoint".to_vec(),
        ),
        ("empty", Vec::new()),
        ("future", {
            let mut b = bytes.clone();
            b[8] = 99;
            b
        }),
        ("trailing", {
            let mut b = bytes.clone();
            b.push(0);
            b
        }),
        // One bit of the last section: the digest is checked before anything is decoded.
        ("damaged", {
            let mut b = bytes.clone();
            let last = b.len() - 9;
            b[last] ^= 1;
            b
        }),
    ];
    // A version 1 file (no digest) is still read.
    let mut v1 = bytes[..8].to_vec();
    v1.extend_from_slice(&1u32.to_le_bytes());
    v1.extend_from_slice(&bytes[8 + 4 + 32..]);
    let path = dir.join("v1.ckpt");
    std::fs::write(&path, v1).unwrap();
    let old = Trainer::<f64>::load_checkpoint(&path).unwrap();
    assert_eq!(
        old.network().to_bytes().unwrap(),
        t.network().to_bytes().unwrap()
    );
    for (name, data) in cases {
        let path = dir.join(format!("{name}.ckpt"));
        std::fs::write(&path, data).unwrap();
        match Trainer::<f64>::load_checkpoint(&path) {
            Err(TrainError::BadCheckpoint {
                path: p, reason, ..
            }) => {
                assert_eq!(p, path);
                assert!(!reason.is_empty());
                if name == "damaged" || name == "trailing" {
                    assert!(reason.contains("SHA-256"), "{name}: {reason}");
                }
            }
            other => panic!("{name}: expected BadCheckpoint, got {other:?}"),
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn early_stopping_stops_and_restores_the_best_weights() {
    let (x, y) = blobs(64);
    // With an impossible min_delta only the first epoch ever counts as an improvement.
    let es = EarlyStoppingConfig {
        patience: 2,
        min_delta: 1e9,
        monitor: Monitor::TrainLoss,
        direction: None,
        restore_best: true,
    };
    let cfg = TrainConfig {
        early_stopping: Some(es),
        ..config(20)
    };
    let mut t = Trainer::new(network(4, false), adam(), Loss::CrossEntropy, cfg).unwrap();
    let history = t.fit(&TrainData::new(&x, &y)).unwrap().clone();
    assert!(history.stopped_early);
    assert_eq!(history.epochs.len(), 3);
    assert_eq!(history.best_epoch, Some(1));

    let mut one = Trainer::new(network(4, false), adam(), Loss::CrossEntropy, config(1)).unwrap();
    one.fit(&TrainData::new(&x, &y)).unwrap();
    assert_eq!(
        t.network().to_bytes().unwrap(),
        one.network().to_bytes().unwrap()
    );
}

#[test]
fn early_stopping_on_the_validation_metric_needs_validation_data_and_a_metric() {
    let (x, y) = blobs(64);
    let es = EarlyStoppingConfig {
        patience: 2,
        monitor: Monitor::ValMetric,
        ..Default::default()
    };
    let cfg = TrainConfig {
        early_stopping: Some(es.clone()),
        ..config(5)
    };
    // Without validation data there is no metric to watch: refused before any epoch.
    let mut t = Trainer::new(network(4, false), adam(), Loss::CrossEntropy, cfg.clone()).unwrap();
    match t.fit(&TrainData::new(&x, &y)) {
        Err(TrainError::InvalidConfig { name, .. }) => assert_eq!(name, "early_stopping.monitor"),
        other => panic!("expected InvalidConfig, got {other:?}"),
    }
    assert_eq!(t.epochs_done(), 0);
    // With validation data it watches the validation accuracy.
    let (vx, vy) = blobs(20);
    let history = t
        .fit(&TrainData::new(&x, &y).with_validation(&vx, &vy))
        .unwrap();
    let best = history.best_epoch.unwrap();
    let best_metric = history.epochs[best - 1].val_metric.unwrap();
    assert!(
        history
            .epochs
            .iter()
            .all(|e| e.val_metric.unwrap() <= best_metric)
    );
    // Without a metric the setting is refused when the trainer is built.
    let no_metric = TrainConfig {
        metric: MetricKind::None,
        ..cfg
    };
    match Trainer::new(network(4, false), adam(), Loss::CrossEntropy, no_metric) {
        Err(TrainError::InvalidConfig { name, .. }) => assert_eq!(name, "early_stopping.monitor"),
        other => panic!("expected InvalidConfig, got {other:?}"),
    }
}

#[test]
fn an_exploding_loss_stops_with_epoch_and_batch() {
    let (x, y) = blobs(64);
    let y = y.map(|v| v * 1e3);
    let sgd = AnyOptimizer::new(&OptimizerConfig::Sgd(SgdConfig { lr: 1e6 })).unwrap();
    let mut t = Trainer::new(network(1, false), sgd, Loss::Mse, config(50)).unwrap();
    match t.fit(&TrainData::new(&x, &y)) {
        Err(TrainError::NonFiniteLoss { epoch, batch }) => {
            assert!(epoch >= 1 && batch >= 1);
        }
        other => panic!("expected NonFiniteLoss, got {other:?}"),
    }
}

#[test]
fn data_that_does_not_fit_is_refused_before_training() {
    let (x, y) = blobs(10);
    let mut t = Trainer::new(network(1, false), adam(), Loss::CrossEntropy, config(1)).unwrap();
    let wrong_x = Matrix::<f64>::zeros(3, 10);
    assert!(matches!(
        t.fit(&TrainData::new(&wrong_x, &y)),
        Err(TrainError::Core(_))
    ));
    let wrong_y = Matrix::<f64>::zeros(2, 9);
    assert!(matches!(
        t.fit(&TrainData::new(&x, &wrong_y)),
        Err(TrainError::Data(_))
    ));
    let mut nan_x = x.clone();
    nan_x[(1, 4)] = f64::NAN;
    let err = t.fit(&TrainData::new(&nan_x, &y)).unwrap_err();
    assert!(err.to_string().contains("sample 4"), "{err}");
    // A target the loss is not defined for is named by its sample in the data.
    let mut negative_y = y.clone();
    negative_y[(1, 7)] = -1.0;
    let err = t.fit(&TrainData::new(&x, &negative_y)).unwrap_err();
    assert!(
        matches!(err, TrainError::Data(_)) && err.to_string().contains("sample 7"),
        "{err}"
    );
    assert_eq!(t.epochs_done(), 0);
}

#[test]
fn fit_with_calls_back_after_every_epoch_and_trains_as_fit() {
    let (x, y) = blobs(100);
    let data = TrainData::new(&x, &y);
    let mut plain = Trainer::new(network(4, false), adam(), Loss::CrossEntropy, config(6)).unwrap();
    plain.fit(&data).unwrap();
    let mut observed =
        Trainer::new(network(4, false), adam(), Loss::CrossEntropy, config(6)).unwrap();
    let mut first_weights = Vec::new();
    observed
        .fit_with(&data, |network| -> Result<(), TrainError> {
            first_weights.push(network.params()[0].value[0]);
            Ok(())
        })
        .unwrap();
    assert_eq!(numbers(&plain), numbers(&observed));
    assert_eq!(plain.network().params(), observed.network().params());
    // One call per epoch, each seeing that epoch's weights.
    assert_eq!(first_weights.len(), 6);
    assert_eq!(first_weights[5], plain.network().params()[0].value[0]);
    assert_ne!(first_weights[0], first_weights[5]);
}

#[test]
fn an_error_after_an_epoch_ends_the_run_there() {
    let (x, y) = blobs(100);
    let mut trainer =
        Trainer::new(network(4, false), adam(), Loss::CrossEntropy, config(6)).unwrap();
    let mut calls = 0;
    let err = trainer
        .fit_with(&TrainData::new(&x, &y), |_| {
            calls += 1;
            if calls == 2 {
                Err(std::io::Error::other("test set unreadable"))
            } else {
                Ok(())
            }
        })
        .unwrap_err();
    let TrainError::AfterEpoch { epoch, source } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*epoch, 2);
    assert_eq!(source.to_string(), "test set unreadable");
    assert!(!err.to_string().contains("test set unreadable"), "{err}");
    assert_eq!(trainer.epochs_done(), 2);
}

#[test]
fn a_batch_too_large_for_memory_is_refused_before_training() {
    // 2 → 4000 → 2 holds 8004 values a sample (the ReLU's too): 150,000 samples in one
    // batch would be 1.2 billion values, past nn-core's limit.
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let net = Sequential::new(2)
        .dense(4000, Init::HeNormal, &mut rng)
        .unwrap()
        .relu()
        .dense(2, Init::XavierUniform, &mut rng)
        .unwrap();
    let (x, y) = blobs(150_000);
    let config = TrainConfig {
        batch_size: 150_000,
        ..config(1)
    };
    let mut trainer = Trainer::new(net, adam(), Loss::CrossEntropy, config).unwrap();
    let err = trainer.fit(&TrainData::new(&x, &y)).unwrap_err();
    assert!(
        matches!(
            err,
            TrainError::Core(nn_core::CoreError::BatchTooLarge { batch: 150_000, .. })
        ),
        "{err:?}"
    );
    assert!(trainer.history().epochs.is_empty());
}
