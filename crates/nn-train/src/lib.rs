//! nn-train: the training loop for `nn-core` networks.
//!
//! A [`Trainer`] owns a network, an optimizer (any of `nn-optim`'s, with its state) and a
//! loss, and runs epochs of seeded, shuffled mini-batches: forward, loss, backward, optimizer
//! step. The learning-rate schedule sets each epoch's rate before its first batch; after
//! each epoch the trainer evaluates the validation set, applies early stopping, records a
//! [`History`] row and, if asked, writes a checkpoint from which
//! [`Trainer::load_checkpoint`] continues bit for bit.
//!
//! A trained network is saved with its preprocessing, target and training record as one
//! [`ModelBundle`] (the model file the `nn` tool reads and writes), which predicts values,
//! class probabilities or class names on raw CSV rows through a shared reference.
//! [`Trainer::fit_datasets`] trains on nn-data data sets directly ([`loss_targets`] encodes
//! their class labels for the loss), so from a CSV file to a saved model is a few calls:
//!
//! ```
//! use nn_core::{Init, Loss, Sequential};
//! use nn_data::{CsvOptions, CsvTable, Scaling, Task};
//! use nn_optim::{Adam, AdamConfig};
//! use nn_train::{EarlyStoppingConfig, MetricKind, ModelBundle, TrainConfig, Trainer};
//! use rand::SeedableRng;
//!
//! # let iris = "../../examples/iris-csv/iris.csv";
//! # let saved = std::env::temp_dir().join(format!("nn-train-doc-{}.nn", std::process::id()));
//! let options = CsvOptions::new("species", Task::Classification).scaling(Scaling::Standard);
//! let table = CsvTable::from_path(iris, &options)?;
//! // Stratified 60/20/20 split; the scaler is fitted on the training rows.
//! let data = table.train_val_test_split(0.2, 0.2, 42)?.prepare(&table)?;
//!
//! let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(42);
//! let net = Sequential::new(data.preprocessor.n_features())
//!     .dense(16, Init::HeNormal, &mut rng)?
//!     .relu()
//!     .dense(3, Init::XavierUniform, &mut rng)?;
//! let adam = Adam::new(AdamConfig { lr: 0.01, ..Default::default() })?;
//! let config = TrainConfig {
//!     epochs: 200,
//!     batch_size: 16,
//!     metric: MetricKind::Accuracy,
//!     early_stopping: Some(EarlyStoppingConfig { patience: 20, ..Default::default() }),
//!     ..Default::default()
//! };
//! let mut trainer = Trainer::new(net, adam, Loss::CrossEntropy, config)?;
//! trainer.fit_datasets(&data.train, Some(&data.val))?; // class labels: no one-hot by hand
//!
//! let model = ModelBundle::from_trainer(trainer, data.preprocessor)?;
//! let accuracy = model.score(&data.test)?;
//! assert!(accuracy > 0.85, "test accuracy {accuracy}");
//! model.save(&saved)?;
//!
//! let model = ModelBundle::load(&saved)?;
//! let rows = model.read_csv(iris)?; // the target column may be absent
//! let classes = model.predict_classes(&rows)?;
//! assert_eq!(classes.len(), 150);
//! # std::fs::remove_file(&saved)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ```
//! use nn_core::{Init, Loss, Matrix, Sequential};
//! use nn_optim::{AnyOptimizer, OptimizerConfig, SgdConfig};
//! use nn_train::{MetricKind, ProgressMode, TrainConfig, TrainData, Trainer};
//! use rand::SeedableRng;
//!
//! // y = 2x - 1 on 32 points, one column per sample.
//! let x = Matrix::<f64>::from_fn(1, 32, |_, j| j as f64 / 31.0);
//! let y = x.map(|v| 2.0 * v - 1.0);
//! let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
//! let net = Sequential::new(1).dense(1, Init::XavierUniform, &mut rng)?;
//! let optimizer = AnyOptimizer::new(&OptimizerConfig::Sgd(SgdConfig { lr: 0.5 }))?;
//! let config = TrainConfig {
//!     epochs: 200,
//!     batch_size: 8,
//!     metric: MetricKind::R2,
//!     progress: ProgressMode::Silent,
//!     ..Default::default()
//! };
//! let mut trainer = Trainer::new(net, optimizer, Loss::Mse, config)?;
//! let history = trainer.fit(&TrainData::new(&x, &y).with_validation(&x, &y))?;
//! assert!(history.last().unwrap().val_metric.unwrap() > 0.999);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod batch_pair;
mod bundle_error;
mod bundle_prediction;
mod checkpoint;
mod config;
mod early_stopping;
mod error;
mod evaluation;
mod history;
mod loss_targets;
mod model_bundle;
mod progress;
mod trainer;
mod training_record;

/// The README's Rust example, compiled and run with this crate's doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeExample;

pub use batch_pair::BatchPair;
pub use bundle_error::BundleError;
pub use checkpoint::{MAX_CHECKPOINT_BYTES, is_checkpoint_file};
pub use config::{MetricKind, ProgressMode, TrainConfig};
pub use early_stopping::{Direction, EarlyStopping, EarlyStoppingConfig, Monitor};
pub use error::TrainError;
pub use evaluation::{metric_value, predicted_labels, target_labels};
pub use history::{EpochRecord, History};
pub use loss_targets::{label_targets, loss_targets};
pub use model_bundle::{BUNDLE_VERSION, ModelBundle};
pub use trainer::{TrainData, Trainer};
pub use training_record::TrainingRecord;

pub(crate) use progress::Progress;
