//! The settings of a training run.

use std::path::PathBuf;

use nn_optim::LrSchedule;
use serde::{Deserialize, Serialize};

use crate::{EarlyStoppingConfig, Monitor, TrainError};

/// Which quality metric the trainer reports per epoch next to the loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricKind {
    /// Classification accuracy: arg-max of the outputs, or a 0.5 threshold on one sigmoid
    /// output, against the arg-max of the targets (or the 0/1 target).
    Accuracy,
    /// Coefficient of determination over all outputs.
    R2,
    /// No metric.
    None,
}

impl MetricKind {
    /// The name used in histories and reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Accuracy => "accuracy",
            Self::R2 => "r2",
            Self::None => "none",
        }
    }
}

/// How a run shows its progress.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgressMode {
    /// A progress bar on a terminal, one log line per epoch otherwise.
    #[default]
    Auto,
    /// One log line per epoch (at `info` level).
    Lines,
    /// Nothing.
    Silent,
}

/// Everything that shapes a training run besides the network, optimizer and loss.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainConfig {
    /// Number of passes over the training data.
    pub epochs: usize,
    /// Samples per mini-batch; the last batch of an epoch may be smaller.
    pub batch_size: usize,
    /// Seed of the per-epoch shuffles. Epoch `e` is shuffled by a generator seeded from
    /// `(seed, e)`, so a resumed run sees exactly the batches an uninterrupted one would.
    pub seed: u64,
    /// Whether to shuffle the training samples each epoch.
    #[serde(default = "default_true")]
    pub shuffle: bool,
    /// L2 strength λ: adds λ/(2m)·Σ‖W‖² to the loss and λ/m·W to weight gradients.
    #[serde(default)]
    pub l2: Option<f64>,
    /// Learning-rate schedule applied at the start of each epoch to the optimizer's base rate.
    #[serde(default)]
    pub schedule: LrSchedule,
    /// Early stopping, if any.
    #[serde(default)]
    pub early_stopping: Option<EarlyStoppingConfig>,
    /// The per-epoch metric.
    #[serde(default = "default_metric")]
    pub metric: MetricKind,
    /// Whether to also compute the metric on the whole training set each epoch (costs one
    /// extra forward pass over the training data).
    #[serde(default)]
    pub train_metric: bool,
    /// Write a checkpoint every this many epochs (into `checkpoint_dir`).
    #[serde(default)]
    pub checkpoint_every: Option<usize>,
    /// Directory for checkpoints (`epoch-NNNN.ckpt` and `last.ckpt`).
    #[serde(default)]
    pub checkpoint_dir: Option<PathBuf>,
    /// How progress is shown.
    #[serde(default)]
    pub progress: ProgressMode,
    /// Worker threads for the run; `None` takes `NN_THREADS`, else the physical cores. The
    /// numbers do not depend on it: large products and optimizer updates are split so every
    /// value is computed the same way on any number of threads.
    #[serde(default)]
    pub threads: Option<usize>,
}

fn default_true() -> bool {
    true
}

fn default_metric() -> MetricKind {
    MetricKind::None
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            epochs: 10,
            batch_size: 32,
            seed: 42,
            shuffle: true,
            l2: None,
            schedule: LrSchedule::Constant,
            early_stopping: None,
            metric: MetricKind::None,
            train_metric: false,
            checkpoint_every: None,
            checkpoint_dir: None,
            progress: ProgressMode::Auto,
            threads: None,
        }
    }
}

impl TrainConfig {
    /// Checks the settings, naming the first invalid one.
    pub fn validate(&self) -> Result<(), TrainError> {
        let invalid = |name, reason: &str| {
            Err(TrainError::InvalidConfig {
                name,
                reason: reason.to_owned(),
            })
        };
        if self.batch_size == 0 {
            return invalid("batch_size", "must be at least 1");
        }
        if let Some(l2) = self.l2
            && nn_core::regularization::validate_l2(l2).is_err()
        {
            return invalid("l2", "must be finite (in f32) and >= 0");
        }
        if let Some(es) = &self.early_stopping {
            if es.patience == 0 {
                return invalid("early_stopping.patience", "must be at least 1");
            }
            if !es.min_delta.is_finite() {
                return invalid("early_stopping.min_delta", "must be finite");
            }
            if es.monitor == Monitor::ValMetric && self.metric == MetricKind::None {
                return invalid(
                    "early_stopping.monitor",
                    "`val_metric` needs a metric: set `metric` to accuracy or r2",
                );
            }
        }
        if self.threads == Some(0) {
            return invalid("threads", "must be at least 1");
        }
        if self.checkpoint_every == Some(0) {
            return invalid("checkpoint_every", "must be at least 1");
        }
        if self.checkpoint_every.is_some() && self.checkpoint_dir.is_none() {
            return invalid("checkpoint_dir", "is needed when checkpoint_every is set");
        }
        self.schedule
            .validate()
            .map_err(|e| TrainError::InvalidConfig {
                name: "schedule",
                reason: e.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid_and_bad_values_are_named() {
        assert!(TrainConfig::default().validate().is_ok());
        let err = TrainConfig {
            batch_size: 0,
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert!(err.to_string().contains("batch_size"), "{err}");
        let err = TrainConfig {
            checkpoint_every: Some(2),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert!(err.to_string().contains("checkpoint_dir"), "{err}");
    }
}
