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
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A checkpoint file is not one this version can read.
    #[error("checkpoint {}: {reason}", path.display())]
    BadCheckpoint {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The function [`crate::Trainer::fit_with`] calls after each epoch failed.
    #[error("after epoch: {0}")]
    AfterEpoch(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Serialising a history or checkpoint failed.
    #[error("could not serialise: {0}")]
    Serialize(String),
}
