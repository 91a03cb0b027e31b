//! Early stopping as a small value object: feed it one monitored value per epoch and it says
//! when to stop and which epoch was best.

use serde::{Deserialize, Serialize};

/// Whether a smaller or a larger monitored value is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Smaller is better (a loss).
    Minimize,
    /// Larger is better (an accuracy or R²).
    Maximize,
}

/// What to monitor for early stopping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Monitor {
    /// The validation loss (falls back to the training loss when there is no validation set).
    ValLoss,
    /// The training loss (what scikit-learn's `MLPClassifier` watches by default).
    TrainLoss,
    /// The validation metric (accuracy for classification, R² for regression). It needs a
    /// validation set and a metric: training without either is refused.
    ValMetric,
}

/// Early-stopping settings: stop after `patience` epochs without an improvement larger than
/// `min_delta`, optionally restoring the weights of the best epoch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EarlyStoppingConfig {
    /// Epochs without improvement tolerated before stopping.
    pub patience: usize,
    /// The smallest change that counts as an improvement.
    #[serde(default)]
    pub min_delta: f64,
    /// The quantity watched.
    #[serde(default = "default_monitor")]
    pub monitor: Monitor,
    /// Whether smaller or larger is better (defaults to the natural one for `monitor`).
    #[serde(default)]
    pub direction: Option<Direction>,
    /// Whether to put back the best epoch's weights when training ends.
    #[serde(default = "default_true")]
    pub restore_best: bool,
}

fn default_monitor() -> Monitor {
    Monitor::ValLoss
}

fn default_true() -> bool {
    true
}

impl Default for EarlyStoppingConfig {
    fn default() -> Self {
        Self {
            patience: 10,
            min_delta: 0.0,
            monitor: Monitor::ValLoss,
            direction: None,
            restore_best: true,
        }
    }
}

impl EarlyStoppingConfig {
    /// The direction in force: the configured one, or the natural one for the monitor.
    pub fn effective_direction(&self) -> Direction {
        self.direction.unwrap_or(match self.monitor {
            Monitor::ValLoss | Monitor::TrainLoss => Direction::Minimize,
            Monitor::ValMetric => Direction::Maximize,
        })
    }
}

/// The running state of early stopping.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EarlyStopping {
    patience: usize,
    min_delta: f64,
    direction: Direction,
    best: Option<(usize, f64)>,
    epochs_without_improvement: usize,
}

impl EarlyStopping {
    /// Starts tracking with the given settings.
    pub fn new(config: &EarlyStoppingConfig) -> Self {
        Self {
            patience: config.patience,
            min_delta: config.min_delta.abs(),
            direction: config.effective_direction(),
            best: None,
            epochs_without_improvement: 0,
        }
    }

    /// Records `value` for `epoch` and returns whether it is a new best.
    ///
    /// A NaN value never improves.
    pub fn record(&mut self, epoch: usize, value: f64) -> bool {
        let improved = match self.best {
            None => !value.is_nan(),
            Some((_, best)) => match self.direction {
                Direction::Minimize => value < best - self.min_delta,
                Direction::Maximize => value > best + self.min_delta,
            },
        };
        if improved {
            self.best = Some((epoch, value));
            self.epochs_without_improvement = 0;
        } else {
            self.epochs_without_improvement += 1;
        }
        improved
    }

    /// Whether training should stop now: `patience` epochs have passed without improvement.
    pub fn should_stop(&self) -> bool {
        self.epochs_without_improvement >= self.patience
    }

    /// The best epoch and its value so far.
    pub fn best(&self) -> Option<(usize, f64)> {
        self.best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stopper(patience: usize, min_delta: f64, monitor: Monitor) -> EarlyStopping {
        EarlyStopping::new(&EarlyStoppingConfig {
            patience,
            min_delta,
            monitor,
            direction: None,
            restore_best: true,
        })
    }

    #[test]
    fn stops_after_patience_epochs_without_improvement() {
        let mut es = stopper(2, 0.0, Monitor::ValLoss);
        assert!(es.record(0, 1.0));
        assert!(es.record(1, 0.5));
        assert!(!es.record(2, 0.6));
        assert!(!es.should_stop());
        assert!(!es.record(3, 0.5));
        assert!(es.should_stop());
        assert_eq!(es.best(), Some((1, 0.5)));
    }

    #[test]
    fn min_delta_ignores_tiny_improvements() {
        let mut es = stopper(1, 0.1, Monitor::ValLoss);
        es.record(0, 1.0);
        assert!(!es.record(1, 0.95));
        assert!(es.should_stop());
        assert_eq!(es.best(), Some((0, 1.0)));
    }

    #[test]
    fn maximizes_metrics() {
        let mut es = stopper(1, 0.0, Monitor::ValMetric);
        es.record(0, 0.5);
        assert!(es.record(1, 0.7));
        assert!(!es.record(2, 0.6));
        assert!(es.should_stop());
    }

    #[test]
    fn nan_never_improves() {
        let mut es = stopper(1, 0.0, Monitor::ValLoss);
        assert!(!es.record(0, f64::NAN));
        assert_eq!(es.best(), None);
    }
}
