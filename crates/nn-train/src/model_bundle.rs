//! A trained model in one file: the network, the preprocessing fitted on its training rows,
//! the target (kind, class names), the loss (hence the output link) and how it was trained.
//!
//! The file is an nn-core model file (`nn_core::model_file` knows its layout) whose `extra`
//! payload is a JSON record, and this module is the only one that knows that record:
//!
//! * version 2 (written): `{"bundle_version": 2, "preprocessor": …, "loss": …, "training":
//!   {"seed", "max_epochs", "epochs_run", "best_epoch", "final_metrics", "optimizer",
//!   "batch_size", "spec_name", "spec"} or null}`;
//! * version 1 (read; what `nn train` wrote before): `{"bundle_version": 1, "preprocessor",
//!   "loss", "seed", "spec": <the nn tool's spec as JSON>}`. Its seed, and the spec's
//!   `name`, `training.epochs`, `training.batch_size` and `training.optimizer`, go into the
//!   [`TrainingRecord`]; the spec is kept as its JSON text.
//!
//! A later version is refused with a message that says how to convert the model.

use std::collections::BTreeMap;
use std::path::Path;

use nn_core::{CoreError, Link, Loss, Sequential};
use nn_data::{Preprocessor, TargetEncoding};
use nn_optim::OptimizerConfig;
use serde::{Deserialize, Serialize};

use crate::{BundleError, Trainer, TrainingRecord};

/// The version of the bundle record this build writes; it reads this one and version 1.
pub const BUNDLE_VERSION: u32 = 2;

/// A trained network with everything needed to use it on raw CSV rows: the fitted
/// [`Preprocessor`] (column encodings, fills, scaler, class names), the [`Loss`] it was trained
/// with (whose [`Link`] turns outputs into probabilities or values) and, when known, a
/// [`TrainingRecord`]. A bundle that exists is consistent: the network takes the
/// preprocessor's features and gives one output per class (one for binary cross-entropy and
/// for regression).
///
/// Saved with [`ModelBundle::save`] into a model file that `nn predict`, `nn evaluate`,
/// `nn summary` and `nn export` read; [`ModelBundle::load`] reads those `nn train` writes.
/// Prediction goes through a shared reference (see [`ModelBundle::predict`]).
#[derive(Clone, Debug)]
pub struct ModelBundle {
    network: Sequential<f32>,
    preprocessor: Preprocessor,
    loss: Loss,
    training: Option<TrainingRecord>,
}

impl ModelBundle {
    /// Bundles a network with the preprocessing of its inputs and the loss it was trained
    /// with.
    ///
    /// # Errors
    /// [`BundleError::Mismatch`] when the network's inputs are not the preprocessor's
    /// features, its outputs not one per class (one for binary cross-entropy or regression),
    /// or the loss does not suit the target (cross-entropy needs classes, binary
    /// cross-entropy two of them, `mse` and `mae` numbers).
    pub fn new(
        network: Sequential<f32>,
        preprocessor: Preprocessor,
        loss: Loss,
    ) -> Result<Self, BundleError> {
        if let Some(reason) = misfit(&network, &preprocessor, loss) {
            return Err(BundleError::Mismatch { reason });
        }
        Ok(Self {
            network,
            preprocessor,
            loss,
            training: None,
        })
    }

    /// The network a trainer ends with (early stopping's best weights when it put them back),
    /// its loss and its [`TrainingRecord`], bundled with the preprocessing of its inputs.
    ///
    /// # Errors
    /// As [`ModelBundle::new`].
    pub fn from_trainer(
        trainer: Trainer<f32>,
        preprocessor: Preprocessor,
    ) -> Result<Self, BundleError> {
        let record = TrainingRecord::from_trainer(&trainer);
        let loss = trainer.loss();
        Ok(Self::new(trainer.into_network(), preprocessor, loss)?.with_training(record))
    }

    /// The same bundle with a record of how it was trained.
    pub fn with_training(mut self, record: TrainingRecord) -> Self {
        self.training = Some(record);
        self
    }

    /// The network.
    pub fn network(&self) -> &Sequential<f32> {
        &self.network
    }

    /// The network by value, dropping the rest.
    pub fn into_network(self) -> Sequential<f32> {
        self.network
    }

    /// The preprocessing fitted on the training rows.
    pub fn preprocessor(&self) -> &Preprocessor {
        &self.preprocessor
    }

    /// The loss the network was trained with.
    pub fn loss(&self) -> Loss {
        self.loss
    }

    /// The link from raw outputs to predictions (the loss's).
    pub fn link(&self) -> Link {
        self.loss.link()
    }

    /// Whether the model is a classifier (trained with a cross-entropy).
    pub fn is_classification(&self) -> bool {
        is_classification_loss(self.loss)
    }

    /// Class names of a classifier, in output order (for binary cross-entropy the single
    /// output is the probability of the second).
    pub fn class_names(&self) -> Option<&[String]> {
        self.preprocessor.class_names()
    }

    /// The raw CSV columns a file to predict on needs, in training order.
    pub fn input_columns(&self) -> Vec<&str> {
        self.preprocessor
            .columns()
            .iter()
            .map(|c| match c {
                nn_data::ColumnEncoding::Numeric { column, .. }
                | nn_data::ColumnEncoding::Binary { column, .. }
                | nn_data::ColumnEncoding::OneHot { column, .. } => column.as_str(),
            })
            .collect()
    }

    /// The target column's name, if the preprocessing was fitted with one.
    pub fn target_column(&self) -> Option<&str> {
        self.preprocessor.target().map(|t| match t {
            TargetEncoding::Classes { column, .. } | TargetEncoding::Regression { column } => {
                column.as_str()
            }
        })
    }

    /// How the network was trained, when recorded.
    pub fn training(&self) -> Option<&TrainingRecord> {
        self.training.as_ref()
    }

    /// Writes the bundle to `path` atomically (a `.partial` file flushed and renamed into
    /// place, see [`nn_core::atomic_write`]), in version [`BUNDLE_VERSION`].
    ///
    /// # Errors
    /// [`BundleError::Unsaveable`] for a non-finite metric in the training record,
    /// [`BundleError::Network`] if the network cannot be encoded, [`BundleError::Io`] if the
    /// file cannot be written.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), BundleError> {
        let path = path.as_ref();
        let extra = self
            .record_bytes()
            .map_err(|reason| BundleError::Unsaveable {
                path: path.to_path_buf(),
                reason,
            })?;
        nn_core::model_file::save_model(path, &self.network, &extra).map_err(|e| match e {
            CoreError::Io { source, .. } => BundleError::Io {
                path: path.to_path_buf(),
                action: "write",
                source,
            },
            other => BundleError::Network {
                path: path.to_path_buf(),
                action: "encode",
                source: other,
            },
        })
    }

    /// Reads a bundle written by [`ModelBundle::save`] or by `nn train` (version 1), checking
    /// the version and that the record fits the network.
    ///
    /// # Errors
    /// [`BundleError::Io`], [`BundleError::Network`] (not a model file, damaged),
    /// [`BundleError::Checkpoint`] (a training checkpoint given as a model),
    /// [`BundleError::NoMetadata`] (a bare network), [`BundleError::Version`] (a newer
    /// format), [`BundleError::Damaged`] or [`BundleError::Decode`] (a bad record), or
    /// [`BundleError::Inconsistent`] (a record that does not fit the network); each names
    /// the file.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, BundleError> {
        let path = path.as_ref();
        let decoded = nn_core::model_file::load_model::<f32>(path);
        Self::from_decoded(path, decoded, || crate::is_checkpoint_file(path))
    }

    /// Reads a bundle from the bytes of a model file, as [`ModelBundle::load`] reads one from
    /// disk; `path` only names the file in errors.
    ///
    /// # Errors
    /// As [`ModelBundle::load`], except [`BundleError::Io`].
    pub fn from_bytes(bytes: &[u8], path: impl AsRef<Path>) -> Result<Self, BundleError> {
        let decoded = nn_core::model_file::decode_model::<f32>(bytes);
        Self::from_decoded(path.as_ref(), decoded, || {
            crate::checkpoint::is_checkpoint_bytes(bytes)
        })
    }

    /// The bundle from a decoded model file, the file named `path` in errors;
    /// `is_checkpoint` says whether it starts like a training checkpoint instead.
    fn from_decoded(
        path: &Path,
        decoded: Result<(Sequential<f32>, Vec<u8>), CoreError>,
        is_checkpoint: impl FnOnce() -> bool,
    ) -> Result<Self, BundleError> {
        let (network, extra) = decoded.map_err(|e| match e {
            _ if is_checkpoint() => BundleError::Checkpoint {
                path: path.to_path_buf(),
            },
            CoreError::Io { source, .. } => BundleError::Io {
                path: path.to_path_buf(),
                action: "read",
                source,
            },
            other => BundleError::Network {
                path: path.to_path_buf(),
                action: "read",
                source: other,
            },
        })?;
        let record = decode_record(path, &extra)?;
        if let Some(reason) = misfit(&network, &record.preprocessor, record.loss) {
            return Err(BundleError::Inconsistent {
                path: path.to_path_buf(),
                reason,
            });
        }
        Ok(Self {
            network,
            preprocessor: record.preprocessor,
            loss: record.loss,
            training: record.training.map(TrainingRecord::from),
        })
    }

    /// The version-2 record of this bundle as JSON; the error names a metric JSON cannot
    /// hold.
    fn record_bytes(&self) -> Result<Vec<u8>, String> {
        if let Some((name, value)) = self
            .training
            .iter()
            .find_map(|t| t.final_metrics.iter().find(|(_, value)| !value.is_finite()))
        {
            return Err(format!(
                "the training record's metric `{name}` is {value}; a model file stores finite \
                 metrics only"
            ));
        }
        let record = RecordV2 {
            bundle_version: BUNDLE_VERSION,
            preprocessor: self.preprocessor.clone(),
            loss: self.loss,
            training: self.training.clone().map(TrainingV2::from),
        };
        serde_json::to_vec(&record).map_err(|e| e.to_string())
    }
}

/// Whether `loss` is one of the classification losses.
pub(crate) fn is_classification_loss(loss: Loss) -> bool {
    matches!(loss, Loss::CrossEntropy | Loss::BinaryCrossEntropy)
}

/// Why `network` does not fit `preprocessor` and `loss`, if it does not.
fn misfit(network: &Sequential<f32>, preprocessor: &Preprocessor, loss: Loss) -> Option<String> {
    let features = preprocessor.n_features();
    if network.input_size() != features {
        return Some(format!(
            "the network takes {} inputs but the preprocessing makes {features} features",
            network.input_size()
        ));
    }
    let (outputs, what) = match (preprocessor.target(), loss) {
        (Some(TargetEncoding::Classes { column, encoder }), Loss::CrossEntropy) => {
            let n = encoder.classes().len();
            if n < 2 {
                return Some(format!(
                    "the target `{column}` has {n} class; a classifier needs at least two"
                ));
            }
            (n, format!("one per class of `{column}`"))
        }
        (Some(TargetEncoding::Classes { column, encoder }), Loss::BinaryCrossEntropy) => {
            let n = encoder.classes().len();
            if n != 2 {
                return Some(format!(
                    "`binary_cross_entropy` needs exactly two classes, but the target \
                     `{column}` has {n}: use `cross_entropy`"
                ));
            }
            (1, "the probability of the second class".to_owned())
        }
        (Some(TargetEncoding::Classes { column, .. }), Loss::Mse | Loss::Mae) => {
            return Some(format!(
                "loss `{}` needs a numeric target, but the target `{column}` holds classes",
                loss.name()
            ));
        }
        (target, Loss::CrossEntropy | Loss::BinaryCrossEntropy) => {
            let held = match target {
                Some(TargetEncoding::Regression { column }) => {
                    format!("the target `{column}` holds numbers")
                }
                _ => "the preprocessing was fitted without a target".to_owned(),
            };
            return Some(format!(
                "loss `{}` needs class names, but {held}",
                loss.name()
            ));
        }
        (Some(TargetEncoding::Regression { column }), Loss::Mse | Loss::Mae) => {
            (1, format!("the value of `{column}`"))
        }
        // Without a target the outputs are whatever the network gives.
        (None, Loss::Mse | Loss::Mae) => return None,
    };
    (network.output_size() != outputs).then(|| {
        format!(
            "the network has {} outputs, but the bundle expects {outputs} ({what})",
            network.output_size()
        )
    })
}

/// A bundle's record as read from a file of either version.
struct DecodedRecord {
    preprocessor: Preprocessor,
    loss: Loss,
    training: Option<TrainingV2>,
}

/// The record of version 2.
#[derive(Serialize, Deserialize)]
struct RecordV2 {
    bundle_version: u32,
    preprocessor: Preprocessor,
    loss: Loss,
    training: Option<TrainingV2>,
}

/// The training record of version 2.
#[derive(Serialize, Deserialize)]
struct TrainingV2 {
    seed: u64,
    #[serde(default)]
    max_epochs: Option<usize>,
    #[serde(default)]
    epochs_run: Option<usize>,
    #[serde(default)]
    best_epoch: Option<usize>,
    #[serde(default)]
    final_metrics: BTreeMap<String, f64>,
    #[serde(default)]
    optimizer: Option<OptimizerConfig>,
    #[serde(default)]
    batch_size: Option<usize>,
    #[serde(default)]
    spec_name: Option<String>,
    #[serde(default)]
    spec: Option<String>,
}

impl From<TrainingRecord> for TrainingV2 {
    fn from(r: TrainingRecord) -> Self {
        Self {
            seed: r.seed,
            max_epochs: r.max_epochs,
            epochs_run: r.epochs_run,
            best_epoch: r.best_epoch,
            final_metrics: r.final_metrics,
            optimizer: r.optimizer,
            batch_size: r.batch_size,
            spec_name: r.spec_name,
            spec: r.spec,
        }
    }
}

impl From<TrainingV2> for TrainingRecord {
    fn from(r: TrainingV2) -> Self {
        Self {
            seed: r.seed,
            max_epochs: r.max_epochs,
            epochs_run: r.epochs_run,
            best_epoch: r.best_epoch,
            final_metrics: r.final_metrics,
            optimizer: r.optimizer,
            batch_size: r.batch_size,
            spec_name: r.spec_name,
            spec: r.spec,
        }
    }
}

/// The record of version 1: the `nn` tool's spec is kept as JSON.
#[derive(Deserialize)]
struct RecordV1 {
    preprocessor: Preprocessor,
    loss: Loss,
    seed: u64,
    spec: serde_json::Value,
}

impl From<RecordV1> for DecodedRecord {
    fn from(r: RecordV1) -> Self {
        let spec = &r.spec;
        let training = spec.get("training");
        let count = |key: &str| {
            training
                .and_then(|t| t.get(key))
                .and_then(serde_json::Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
        };
        let optimizer = training
            .and_then(|t| t.get("optimizer"))
            .and_then(|o| OptimizerConfig::deserialize(o).ok());
        let record = TrainingV2 {
            seed: r.seed,
            max_epochs: count("epochs"),
            epochs_run: None,
            best_epoch: None,
            final_metrics: BTreeMap::new(),
            optimizer,
            batch_size: count("batch_size"),
            spec_name: spec
                .get("name")
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned),
            spec: Some(spec.to_string()),
        };
        Self {
            preprocessor: r.preprocessor,
            loss: r.loss,
            training: Some(record),
        }
    }
}

/// Decodes the `extra` payload of the model file at `path` (named in errors).
fn decode_record(path: &Path, extra: &[u8]) -> Result<DecodedRecord, BundleError> {
    if extra.is_empty() {
        return Err(BundleError::NoMetadata {
            path: path.to_path_buf(),
        });
    }
    let decode = |source| BundleError::Decode {
        path: path.to_path_buf(),
        source,
    };
    let value: serde_json::Value = serde_json::from_slice(extra).map_err(decode)?;
    let version = value
        .get("bundle_version")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| BundleError::Damaged {
            path: path.to_path_buf(),
            reason: "no `bundle_version`".to_owned(),
        })?;
    match version {
        1 => Ok(RecordV1::deserialize(value).map_err(decode)?.into()),
        2 => {
            let r = RecordV2::deserialize(value).map_err(decode)?;
            Ok(DecodedRecord {
                preprocessor: r.preprocessor,
                loss: r.loss,
                training: r.training,
            })
        }
        0 => Err(BundleError::Damaged {
            path: path.to_path_buf(),
            reason: "`bundle_version` is 0; versions start at 1".to_owned(),
        }),
        found => Err(BundleError::Version {
            path: path.to_path_buf(),
            found,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nn_core::Init;
    use nn_data::{CsvOptions, CsvTable, Task};
    use rand::SeedableRng;

    fn preprocessor(task: Task) -> Preprocessor {
        let text = b"a,b,y\n1,2,cat\n3,4,dog\n5,6,eel\n";
        let regression = b"a,b,y\n1,2,0.5\n3,4,1.5\n5,6,2.5\n";
        let bytes: &[u8] = match task {
            Task::Classification => text,
            Task::Regression => regression,
        };
        let table = CsvTable::from_bytes("t.csv", bytes, &CsvOptions::new("y", task)).unwrap();
        Preprocessor::fit(&table, &[0, 1, 2]).unwrap()
    }

    fn network(inputs: usize, outputs: usize) -> Sequential<f32> {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        Sequential::new(inputs)
            .dense(outputs, Init::HeNormal, &mut rng)
            .unwrap()
    }

    #[test]
    fn a_bundle_checks_that_network_preprocessing_and_loss_fit() {
        let classes = preprocessor(Task::Classification);
        let values = preprocessor(Task::Regression);
        assert!(ModelBundle::new(network(2, 3), classes.clone(), Loss::CrossEntropy).is_ok());
        assert!(ModelBundle::new(network(2, 1), values.clone(), Loss::Mse).is_ok());
        for (net, pre, loss, expected) in [
            (network(3, 3), &classes, Loss::CrossEntropy, "3 inputs"),
            (network(2, 2), &classes, Loss::CrossEntropy, "expects 3"),
            (
                network(2, 1),
                &classes,
                Loss::BinaryCrossEntropy,
                "exactly two",
            ),
            (network(2, 3), &classes, Loss::Mse, "holds classes"),
            (network(2, 1), &values, Loss::CrossEntropy, "holds numbers"),
            (network(2, 2), &values, Loss::Mae, "expects 1"),
        ] {
            let err = ModelBundle::new(net, pre.clone(), loss).unwrap_err();
            assert!(matches!(err, BundleError::Mismatch { .. }), "{err:?}");
            assert!(err.to_string().contains(expected), "{err}");
        }
    }

    #[test]
    fn a_record_round_trips_through_its_json() {
        let record = TrainingRecord {
            seed: 7,
            max_epochs: Some(10),
            epochs_run: Some(4),
            best_epoch: Some(2),
            optimizer: Some(OptimizerConfig::Adam(Default::default())),
            batch_size: Some(8),
            ..TrainingRecord::default()
        }
        .with_metric("val_loss", 0.25)
        .with_spec("demo", "name = \"demo\"\n");
        let bundle = ModelBundle::new(
            network(2, 3),
            preprocessor(Task::Classification),
            Loss::CrossEntropy,
        )
        .unwrap()
        .with_training(record.clone());
        let bytes = bundle.record_bytes().unwrap();
        let decoded = decode_record(Path::new("m.nn"), &bytes).unwrap();
        assert_eq!(decoded.training.map(TrainingRecord::from), Some(record));
        assert_eq!(&decoded.preprocessor, bundle.preprocessor());
        // A metric JSON cannot hold is refused, naming it.
        let nan = bundle.with_training(TrainingRecord::default().with_metric("r2", f64::NAN));
        let err = nan.record_bytes().unwrap_err();
        assert!(err.contains("`r2`"), "{err}");
    }

    #[test]
    fn records_of_unknown_versions_or_shapes_are_refused_by_name() {
        let path = Path::new("m.nn");
        let version = |v: u64| format!(r#"{{"bundle_version":{v},"loss":"Mse"}}"#);
        let err = decode_record(path, version(3).as_bytes()).err().unwrap();
        assert!(matches!(err, BundleError::Version { found: 3, .. }));
        let message = err.to_string();
        assert!(
            message.contains("m.nn") && message.contains("retrain") && message.contains("1 to 2"),
            "{message}"
        );
        let err = decode_record(path, version(0).as_bytes()).err().unwrap();
        assert!(matches!(err, BundleError::Damaged { .. }), "{err:?}");
        let err = decode_record(path, version(2).as_bytes()).err().unwrap();
        assert!(matches!(err, BundleError::Decode { .. }), "{err:?}");
        assert!(std::error::Error::source(&err).is_some());
        let err = decode_record(path, b"{}").err().unwrap();
        assert!(err.to_string().contains("bundle_version"), "{err}");
        let err = decode_record(path, b"").err().unwrap();
        assert!(matches!(err, BundleError::NoMetadata { .. }), "{err:?}");
    }
}
