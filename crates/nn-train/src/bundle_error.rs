//! What goes wrong building, saving, loading or predicting with a [`crate::ModelBundle`].

use std::path::PathBuf;

use crate::model_bundle::BUNDLE_VERSION;

/// An error of a [`crate::ModelBundle`]. Each names its file once (or what was being
/// predicted); the underlying error, if any, is its [`std::error::Error::source`].
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The network does not fit the preprocessing or the loss (input features, outputs, or a
    /// loss that does not suit the target).
    #[error("the network does not fit its bundle: {reason}")]
    Mismatch {
        /// What does not match.
        reason: String,
    },
    /// A model file could not be read or written.
    #[error("cannot {action} model file {}", path.display())]
    Io {
        /// The model file.
        path: PathBuf,
        /// `read` or `write`.
        action: &'static str,
        /// The system's error.
        source: std::io::Error,
    },
    /// The network part of a model file is unreadable (not a model file, damaged, of another
    /// format version or scalar type), or the network cannot be encoded.
    #[error("model file {}: cannot {action} the network", path.display())]
    Network {
        /// The model file.
        path: PathBuf,
        /// `read` or `encode`.
        action: &'static str,
        /// nn-core's error.
        source: nn_core::CoreError,
    },
    /// The file is a training checkpoint, not a model file.
    #[error(
        "{} is a training checkpoint, not a model file: a finished run saves its model (`nn \
         train` writes `model.nn` into its --out directory; a program saves a `ModelBundle`), \
         and an unfinished one continues from this checkpoint (`nn train SPEC --resume`)",
        path.display()
    )]
    Checkpoint {
        /// The checkpoint.
        path: PathBuf,
    },
    /// The file holds a network without a bundle (a bare `Sequential::save`).
    #[error(
        "model file {} holds a network but no preprocessing, target or loss: it was saved as \
         a bare network (`Sequential::save`); save it as a `ModelBundle`, or train it with \
         `nn train`",
        path.display()
    )]
    NoMetadata {
        /// The model file.
        path: PathBuf,
    },
    /// The bundle was written by a newer version of the format.
    #[error(
        "model file {} holds bundle version {found}, but this build reads versions 1 to \
         {BUNDLE_VERSION}: use the `nn` (or nn-train) version that wrote it, or retrain the \
         model with this one",
        path.display()
    )]
    Version {
        /// The model file.
        path: PathBuf,
        /// The version in the file.
        found: u64,
    },
    /// The bundle's record in the file is not what its version says.
    #[error("model file {}: damaged bundle record ({reason})", path.display())]
    Damaged {
        /// The model file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The bundle's record in the file is not valid JSON of the expected shape.
    #[error("model file {}: the bundle record does not decode", path.display())]
    Decode {
        /// The model file.
        path: PathBuf,
        /// The decoder's error.
        source: serde_json::Error,
    },
    /// The bundle in the file does not fit its network.
    #[error("model file {}: {reason}", path.display())]
    Inconsistent {
        /// The model file.
        path: PathBuf,
        /// What does not match.
        reason: String,
    },
    /// The bundle cannot be saved as it is.
    #[error("cannot save model file {}: {reason}", path.display())]
    Unsaveable {
        /// The model file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A CSV file to predict on could not be read with the training layout.
    #[error("cannot read the data to predict on")]
    ReadData {
        /// nn-data's error, naming the file, line and column.
        source: Box<nn_data::DataError>,
    },
    /// Rows could not be prepared as the training rows were.
    #[error("cannot prepare the rows of {file} as in training")]
    Prepare {
        /// The data's file name.
        file: String,
        /// nn-data's error, naming the line and column.
        source: Box<nn_data::DataError>,
    },
    /// The network could not predict (wrong feature count, non-finite input or output).
    #[error("the network cannot predict {what}")]
    Predict {
        /// What was predicted (a file name, or "the given features").
        what: String,
        /// nn-core's error.
        source: nn_core::CoreError,
    },
    /// Class probabilities or names were asked of a regressor.
    #[error(
        "{operation} needs a classifier, but this model is a regressor (loss `{loss}`): \
         `predict` gives its values"
    )]
    NotClassifier {
        /// The method called.
        operation: &'static str,
        /// The model's loss.
        loss: &'static str,
    },
    /// The model could not be scored on a data set.
    #[error("cannot score the model on {data}")]
    Score {
        /// The data set's name.
        data: String,
        /// The error.
        source: Box<crate::TrainError>,
    },
}
