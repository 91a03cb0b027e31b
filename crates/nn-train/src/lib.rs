//! nn-train: the training loop for `nn-core` networks.
//!
//! A [`Trainer`] owns a network, an optimizer (any of `nn-optim`'s, with its state) and a
//! loss, and runs epochs of seeded, shuffled mini-batches: forward, loss, backward, optimizer
//! step. The learning-rate schedule sets each epoch's rate before its first batch; after
//! each epoch the trainer evaluates the validation set, applies early stopping, records a
//! [`History`] row and, if asked, writes a checkpoint from which
//! [`Trainer::load_checkpoint`] continues bit for bit.
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

pub use batch_pair::BatchPair;
pub use bundle_error::BundleError;
pub use checkpoint::is_checkpoint_file;
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
