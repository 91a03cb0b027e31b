//! The typed errors of the training loop.

use std::path::PathBuf;

/// Everything that can stop a training run, each naming its cause.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// The loss became NaN or infinite.
    #[error(
        "the training loss became NaN or infinite at epoch {epoch}, batch {batch}; \
         lower the learning rate or check the data for extreme values"
    )]
    NonFiniteLoss {
        /// Epoch (from 1).
        epoch: usize,
        /// Batch within the epoch (from 1).
        batch: usize,
    },
    /// The validation loss or metric became NaN or infinite.
    #[error("the validation loss became NaN or infinite at epoch {epoch}")]
    NonFiniteValidation {
        /// Epoch (from 1).
        epoch: usize,
    },
    /// A setting of the run is invalid.
    #[error("invalid training setting `{name}`: {reason}")]
    InvalidConfig {
        /// The setting.
        name: &'static str,
        /// Why it is refused.
        reason: String,
    },
    /// The data does not fit the network or itself.
    #[error("data: {0}")]
    Data(String),
    /// An error from the network.
    #[error(transparent)]
    Core(#[from] nn_core::CoreError),
    /// An error from the optimizer.
    #[error(transparent)]
    Optim(#[from] nn_optim::OptimError),
    /// An error from the data crate.
    #[error(transparent)]
    DataSet(#[from] nn_data::DataError),
    /// An error computing a metric.
    #[error(transparent)]
    Metric(#[from] nn_metrics::MetricError),
    /// A file or directory could not be read, written or created.
    #[error("cannot {operation} {}", path.display())]
    Io {
        /// What was being done: `read`, `write` or `create the directory`.
        operation: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A checkpoint file is not one this version can read.
    #[error("checkpoint {}: {reason}", path.display())]
    BadCheckpoint {
        /// The file.
        path: PathBuf,
        /// What is wrong with it, e.g. which section cannot be decoded.
        reason: String,
        /// The decoder's error, when a section could not be decoded.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// The function [`crate::Trainer::fit_with`] calls after each epoch failed; the run
    /// stopped there.
    #[error("the function called after epoch {epoch} failed")]
    AfterEpoch {
        /// The epoch (from 1) after which it failed.
        epoch: usize,
        /// Its error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Serialising a history or checkpoint failed.
    #[error("cannot serialise the {what}")]
    Serialize {
        /// What was being serialised, e.g. `history as JSON`.
        what: &'static str,
        /// The serialiser's error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}
