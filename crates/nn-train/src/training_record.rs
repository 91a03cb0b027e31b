//! How a saved model was trained: seed, epochs, best epoch, final metrics, optimizer, batch
//! size and the spec, when there is one.

use std::collections::BTreeMap;

use nn_core::Float;
use nn_optim::OptimizerConfig;

use crate::Trainer;

/// How the network of a [`crate::ModelBundle`] was trained. Fields the trainer did not know
/// (a model file of version 1 records neither epochs run nor metrics) are `None` or empty.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrainingRecord {
    /// The seed of the run (initialisation, splits, shuffles, dropout).
    pub seed: u64,
    /// The configured number of epochs (the most the run could have trained).
    pub max_epochs: Option<usize>,
    /// The epochs the run trained.
    pub epochs_run: Option<usize>,
    /// The best epoch according to early stopping, if it was used.
    pub best_epoch: Option<usize>,
    /// Metrics of the network as saved, by name (`train_loss`, `val_loss`, `val_accuracy`,
    /// `test_accuracy`...): all finite, since a model file stores them as JSON numbers.
    pub final_metrics: BTreeMap<String, f64>,
    /// The optimizer with its base learning rate (before any schedule).
    pub optimizer: Option<OptimizerConfig>,
    /// Samples per mini-batch.
    pub batch_size: Option<usize>,
    /// The name of the spec the model was trained from.
    pub spec_name: Option<String>,
    /// The spec's text (TOML for the `nn` tool; the JSON of the old spec in a model file of
    /// version 1).
    pub spec: Option<String>,
}

impl TrainingRecord {
    /// The record of `trainer`'s run so far: its seed, epochs, batch size, optimizer (with
    /// the base learning rate) and the metrics of the epoch whose weights the network holds
    /// (early stopping's best epoch when the run put its weights back, else the last
    /// epoch): `train_loss`, `val_loss` and the configured metric as `train_<metric>` and
    /// `val_<metric>`, those that were computed and are finite.
    pub fn from_trainer<T: Float>(trainer: &Trainer<T>) -> Self {
        let history = trainer.history();
        let config = trainer.config();
        let restored = trainer.is_finished()
            && config
                .early_stopping
                .as_ref()
                .is_some_and(|c| c.restore_best);
        let held = match (restored, history.best_epoch) {
            (true, Some(best)) => history.epochs.iter().find(|r| r.epoch == best),
            _ => history.last(),
        };
        let mut final_metrics = BTreeMap::new();
        if let Some(record) = held {
            let metric = &history.metric_name;
            let values = [
                ("train_loss".to_owned(), Some(record.train_loss)),
                ("val_loss".to_owned(), record.val_loss),
                (format!("train_{metric}"), record.train_metric),
                (format!("val_{metric}"), record.val_metric),
            ];
            for (name, value) in values {
                if let Some(value) = value.filter(|v| v.is_finite()) {
                    final_metrics.insert(name, value);
                }
            }
        }
        Self {
            seed: config.seed,
            max_epochs: Some(config.epochs),
            epochs_run: Some(history.epochs.len()),
            best_epoch: history.best_epoch,
            final_metrics,
            optimizer: Some(with_learning_rate(
                trainer.optimizer().config(),
                trainer.state.base_lr,
            )),
            batch_size: Some(config.batch_size),
            spec_name: None,
            spec: None,
        }
    }

    /// Adds (or replaces) a metric, e.g. the test accuracy measured after training.
    pub fn with_metric(mut self, name: impl Into<String>, value: f64) -> Self {
        self.final_metrics.insert(name.into(), value);
        self
    }

    /// Records the spec the model was trained from: its name and text.
    pub fn with_spec(mut self, name: impl Into<String>, text: impl Into<String>) -> Self {
        self.spec_name = Some(name.into());
        self.spec = Some(text.into());
        self
    }
}

/// `config` with the learning rate `lr` (an optimizer reports its current, scheduled rate).
fn with_learning_rate(mut config: OptimizerConfig, lr: f64) -> OptimizerConfig {
    match &mut config {
        OptimizerConfig::Sgd(c) => c.lr = lr,
        OptimizerConfig::Momentum(c) => c.lr = lr,
        OptimizerConfig::RmsProp(c) => c.lr = lr,
        OptimizerConfig::Adam(c) => c.lr = lr,
        OptimizerConfig::AdamW(c) => c.lr = lr,
    }
    config
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EarlyStoppingConfig, MetricKind, ProgressMode, TrainConfig, TrainData};
    use nn_core::{Init, Loss, Matrix, Sequential};
    use nn_optim::{AnyOptimizer, LrSchedule, SgdConfig};
    use rand::SeedableRng;

    /// A run on y = x with a decaying rate, where early stopping counts only improvements of
    /// 0.5 or more: the validation loss keeps falling, but the run stops at epoch 3 with
    /// epoch 2 as the best, so the last epoch and the best one differ.
    fn run(lr: f64, restore_best: bool) -> Trainer<f64> {
        let x = Matrix::from_fn(1, 16, |_, j| j as f64 / 15.0);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let net = Sequential::new(1)
            .dense(1, Init::XavierUniform, &mut rng)
            .unwrap();
        let optimizer = AnyOptimizer::new(&OptimizerConfig::Sgd(SgdConfig { lr })).unwrap();
        let config = TrainConfig {
            epochs: 30,
            batch_size: 4,
            seed: 9,
            schedule: LrSchedule::StepDecay {
                every: 1,
                gamma: 0.5,
            },
            early_stopping: Some(EarlyStoppingConfig {
                patience: 1,
                min_delta: 0.5,
                restore_best,
                ..EarlyStoppingConfig::default()
            }),
            metric: MetricKind::R2,
            progress: ProgressMode::Silent,
            threads: Some(1),
            ..TrainConfig::default()
        };
        let mut trainer = Trainer::new(net, optimizer, Loss::Mse, config).unwrap();
        trainer
            .fit(&TrainData::new(&x, &x).with_validation(&x, &x))
            .unwrap();
        trainer
    }

    #[test]
    fn the_record_holds_the_base_rate_and_the_metrics_of_the_weights_kept() {
        for restore_best in [true, false] {
            let trainer = run(0.9, restore_best);
            let history = trainer.history();
            let record = TrainingRecord::from_trainer(&trainer);
            assert_eq!(record.seed, 9);
            assert_eq!(record.max_epochs, Some(30));
            assert_eq!(record.batch_size, Some(4));
            assert_eq!(record.epochs_run, Some(history.epochs.len()));
            // The schedule lowered the optimizer's rate; the record keeps the base one.
            assert!(trainer.optimizer().config().lr() < 0.9);
            assert_eq!(
                record.optimizer,
                Some(OptimizerConfig::Sgd(SgdConfig { lr: 0.9 }))
            );
            let best = history.best_epoch.unwrap();
            assert_eq!((best, history.epochs.len()), (2, 3));
            let held = if restore_best {
                best
            } else {
                history.epochs.len()
            };
            let epoch = &history.epochs[held - 1];
            assert_eq!(record.final_metrics["val_loss"], epoch.val_loss.unwrap());
            assert_eq!(record.final_metrics["train_loss"], epoch.train_loss);
            assert_eq!(record.final_metrics["val_r2"], epoch.val_metric.unwrap());
            assert!(!record.final_metrics.contains_key("train_r2"));
        }
    }
}
