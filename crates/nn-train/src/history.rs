//! What happened in each epoch of a training run, serialisable to JSON and CSV.

use std::{io::Write, path::Path};

use serde::{Deserialize, Serialize};

use crate::TrainError;

/// One epoch's record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpochRecord {
    /// The epoch number, counted from 1.
    pub epoch: usize,
    /// Mean training loss over the epoch's batches (including any L2 term).
    pub train_loss: f64,
    /// Training metric (accuracy for classification, R² for regression), when computed.
    pub train_metric: Option<f64>,
    /// Validation loss, when there is a validation set.
    pub val_loss: Option<f64>,
    /// Validation metric, when there is a validation set.
    pub val_metric: Option<f64>,
    /// The learning rate used during the epoch.
    pub learning_rate: f64,
    /// Wall-clock seconds the epoch took (training and validation).
    pub seconds: f64,
}

/// The per-epoch history of a run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// The name of the metric in `train_metric`/`val_metric` (e.g. `accuracy`, `r2`).
    pub metric_name: String,
    /// One record per completed epoch, in order.
    pub epochs: Vec<EpochRecord>,
    /// The best epoch according to early stopping, if it was used.
    pub best_epoch: Option<usize>,
    /// Whether early stopping ended the run before the last epoch.
    pub stopped_early: bool,
}

impl History {
    /// The last epoch's record, if any epoch ran.
    pub fn last(&self) -> Option<&EpochRecord> {
        self.epochs.last()
    }

    /// The history as pretty JSON.
    pub fn to_json(&self) -> Result<String, TrainError> {
        serde_json::to_string_pretty(self).map_err(|e| TrainError::Serialize {
            what: "history as JSON",
            source: e.into(),
        })
    }

    /// Writes the history as CSV (one row per epoch; empty cells where a value is absent).
    pub fn write_csv<W: Write>(&self, writer: W) -> Result<(), TrainError> {
        let mut w = csv::Writer::from_writer(writer);
        let io = |e: csv::Error| TrainError::Serialize {
            what: "history as CSV",
            source: e.into(),
        };
        w.write_record([
            "epoch",
            "train_loss",
            &format!("train_{}", self.metric_name),
            "val_loss",
            &format!("val_{}", self.metric_name),
            "learning_rate",
            "seconds",
        ])
        .map_err(io)?;
        let opt = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        for r in &self.epochs {
            w.write_record([
                r.epoch.to_string(),
                r.train_loss.to_string(),
                opt(r.train_metric),
                opt(r.val_loss),
                opt(r.val_metric),
                r.learning_rate.to_string(),
                r.seconds.to_string(),
            ])
            .map_err(io)?;
        }
        w.flush().map_err(|e| TrainError::Serialize {
            what: "history as CSV",
            source: e.into(),
        })
    }

    /// Saves JSON or CSV depending on the extension of `path` (`.csv` → CSV, else JSON),
    /// whole or not at all ([`nn_core::atomic_write`]).
    pub fn save(&self, path: &Path) -> Result<(), TrainError> {
        let bytes = if path.extension().is_some_and(|e| e == "csv") {
            let mut buf = Vec::new();
            self.write_csv(&mut buf)?;
            buf
        } else {
            self.to_json()?.into_bytes()
        };
        nn_core::atomic_write::write_atomically(path, &bytes).map_err(|source| TrainError::Io {
            operation: "write",
            path: path.to_path_buf(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> History {
        History {
            metric_name: "accuracy".into(),
            epochs: vec![
                EpochRecord {
                    epoch: 1,
                    train_loss: 0.5,
                    train_metric: Some(0.8),
                    val_loss: Some(0.6),
                    val_metric: Some(0.75),
                    learning_rate: 0.1,
                    seconds: 0.01,
                },
                EpochRecord {
                    epoch: 2,
                    train_loss: 0.25,
                    train_metric: None,
                    val_loss: None,
                    val_metric: None,
                    learning_rate: 0.05,
                    seconds: 0.02,
                },
            ],
            best_epoch: Some(1),
            stopped_early: false,
        }
    }

    #[test]
    fn json_round_trip() {
        let h = sample();
        let back: History = serde_json::from_str(&h.to_json().unwrap()).unwrap();
        assert_eq!(back, h);
    }

    #[test]
    fn csv_has_header_and_one_row_per_epoch() {
        let mut buf = Vec::new();
        sample().write_csv(&mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            lines[0],
            "epoch,train_loss,train_accuracy,val_loss,val_accuracy,learning_rate,seconds"
        );
        assert_eq!(lines[2], "2,0.25,,,,0.05,0.02");
    }
}
