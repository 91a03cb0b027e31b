//! The model file the `nn` tool writes: nn-core's network format with, in its opaque `extra`
//! payload, a small versioned JSON record of everything needed to use the network on raw data:
//! the fitted preprocessing (column encodings, imputed fills, scaler, class names), the loss
//! (hence the output link) and the training spec.

use std::path::{Path, PathBuf};

use nn_core::{CoreError, Loss, Sequential};
use nn_data::Preprocessor;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use nn_experiments::spec::ExperimentSpec;

/// The version of [`ModelBundle`] this build writes and reads.
pub const BUNDLE_VERSION: u32 = 1;

/// What goes wrong reading or writing a bundled model.
#[derive(Debug, Error)]
pub enum BundleError {
    /// The network part (file, header, checksum, layers) is unreadable.
    #[error("model file {path}: {source}")]
    Model {
        /// The model file.
        path: PathBuf,
        /// nn-core's error.
        source: CoreError,
    },
    /// The file is a training checkpoint, not a model file.
    #[error(
        "{path} is a training checkpoint, not a model file: a run writes `model.nn` into \
         its --out directory when it ends (continue an unfinished one with \
         `nn train SPEC --resume {path}`)"
    )]
    Checkpoint {
        /// The checkpoint.
        path: PathBuf,
    },
    /// The file holds a network but no `nn` metadata (e.g. a bare `Sequential::save`).
    #[error(
        "model file {path} holds a network but no preprocessing metadata: it was not written by `nn train`"
    )]
    NoMetadata {
        /// The model file.
        path: PathBuf,
    },
    /// The metadata was written by another version of the bundle format.
    #[error(
        "model file {path} has metadata version {found}, but this build reads version {supported}: retrain the model or use a matching `nn`"
    )]
    Version {
        /// The model file.
        path: PathBuf,
        /// Version in the file.
        found: u64,
        /// Version this build reads.
        supported: u32,
    },
    /// The metadata is not valid JSON of the expected shape.
    #[error("model file {path}: corrupted metadata: {reason}")]
    Corrupted {
        /// The model file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The metadata does not fit the network (feature count, outputs).
    #[error("model file {path}: {reason}")]
    Inconsistent {
        /// The model file.
        path: PathBuf,
        /// What does not match.
        reason: String,
    },
}

/// Everything beside the weights that `nn predict`/`nn evaluate` need.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelBundle {
    /// [`BUNDLE_VERSION`] when written.
    pub bundle_version: u32,
    /// The preprocessing fitted on the training rows.
    pub preprocessor: Preprocessor,
    /// The training loss; its link turns raw outputs into probabilities or values.
    pub loss: Loss,
    /// The seed the model was trained with.
    pub seed: u64,
    /// The training spec as it was used.
    pub spec: ExperimentSpec,
}

impl ModelBundle {
    /// A bundle of the current version.
    pub fn new(preprocessor: Preprocessor, loss: Loss, seed: u64, spec: ExperimentSpec) -> Self {
        Self {
            bundle_version: BUNDLE_VERSION,
            preprocessor,
            loss,
            seed,
            spec,
        }
    }

    /// Whether the model is a classifier (its outputs are class probabilities).
    pub fn is_classification(&self) -> bool {
        self.loss != Loss::Mse && self.loss != Loss::Mae
    }

    /// Class names of a classifier, in output order.
    pub fn class_names(&self) -> Option<&[String]> {
        self.preprocessor.class_names()
    }

    /// The raw CSV columns a prediction file needs, in training order.
    pub fn input_columns(&self) -> Vec<String> {
        self.preprocessor
            .columns()
            .iter()
            .map(|c| match c {
                nn_data::ColumnEncoding::Numeric { column, .. }
                | nn_data::ColumnEncoding::Binary { column, .. }
                | nn_data::ColumnEncoding::OneHot { column, .. } => column.clone(),
            })
            .collect()
    }

    /// The target column's name, if the model was trained with one.
    pub fn target_column(&self) -> Option<&str> {
        self.preprocessor.target().map(|t| match t {
            nn_data::TargetEncoding::Classes { column, .. }
            | nn_data::TargetEncoding::Regression { column } => column.as_str(),
        })
    }
}

/// Writes `net` with `bundle` to `path` atomically (a `.partial` file renamed into place).
///
/// # Errors
/// [`BundleError::Corrupted`] if the metadata cannot be encoded, [`BundleError::Model`] if the
/// file cannot be written (the message names the path).
pub fn save_bundle(
    path: &Path,
    net: &Sequential<f32>,
    bundle: &ModelBundle,
) -> Result<(), BundleError> {
    let extra = serde_json::to_vec(bundle).map_err(|e| BundleError::Corrupted {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    nn_core::model_file::save_model(path, net, &extra).map_err(|source| BundleError::Model {
        path: path.to_path_buf(),
        source,
    })
}

/// Reads a model written by [`save_bundle`], checking the metadata version and that the
/// metadata fits the network.
///
/// # Errors
/// Every variant of [`BundleError`], each naming the file.
pub fn load_bundle(path: &Path) -> Result<(Sequential<f32>, ModelBundle), BundleError> {
    let (net, extra) = nn_core::model_file::load_model::<f32>(path).map_err(|source| {
        if nn_train::is_checkpoint_file(path) {
            BundleError::Checkpoint {
                path: path.to_path_buf(),
            }
        } else {
            BundleError::Model {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    let bundle = decode_bundle(path, &extra)?;
    let n_in = bundle.preprocessor.n_features();
    if net.input_size() != n_in {
        return Err(BundleError::Inconsistent {
            path: path.to_path_buf(),
            reason: format!(
                "the network takes {} inputs but the preprocessing makes {n_in} features",
                net.input_size()
            ),
        });
    }
    let expected_out = match (bundle.loss, bundle.class_names()) {
        (Loss::CrossEntropy, Some(names)) => Some(names.len()),
        (Loss::BinaryCrossEntropy, _) => Some(1),
        _ => None,
    };
    if let Some(out) = expected_out
        && out != net.output_size()
    {
        return Err(BundleError::Inconsistent {
            path: path.to_path_buf(),
            reason: format!(
                "the network has {} outputs but the metadata expects {out}",
                net.output_size()
            ),
        });
    }
    Ok((net, bundle))
}

fn decode_bundle(path: &Path, extra: &[u8]) -> Result<ModelBundle, BundleError> {
    if extra.is_empty() {
        return Err(BundleError::NoMetadata {
            path: path.to_path_buf(),
        });
    }
    let corrupted = |reason: String| BundleError::Corrupted {
        path: path.to_path_buf(),
        reason,
    };
    let value: serde_json::Value =
        serde_json::from_slice(extra).map_err(|e| corrupted(e.to_string()))?;
    let version = value
        .get("bundle_version")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| corrupted("no `bundle_version`".into()))?;
    if version != u64::from(BUNDLE_VERSION) {
        return Err(BundleError::Version {
            path: path.to_path_buf(),
            found: version,
            supported: BUNDLE_VERSION,
        });
    }
    serde_json::from_value(value).map_err(|e| corrupted(e.to_string()))
}
