//! The experiment specification: a documented TOML format, one file per published result.
//!
//! A spec says what to load, how to split and scale it, which network to build, how to train it
//! and which published numbers to compare with. Every table rejects unknown keys, naming the key,
//! and [`ExperimentSpec::validate`] checks the values (ratios in range, known metric names, a
//! grid whose published rows match its axes...). A minimal spec:
//!
//! ```toml
//! name = "000-iris-sgd"
//! study = "000"
//! title = "IRIS, SGD"
//! description = "4-16-3 ReLU network trained with plain SGD."
//! seed = 42
//! notes = ["The study does not give the architecture: 4-16-3 is our choice."]
//!
//! [data]
//! set = "iris"
//!
//! [split]
//! test_ratio = 0.15
//! validation_ratio = 0.15
//! stratified = true
//!
//! [preprocessing]
//! scaler = "min_max"
//!
//! [model]
//! hidden = [16]
//! activation = "relu"
//! init = "xavier_uniform"
//! loss = "cross_entropy"
//!
//! [training]
//! epochs = 200
//! batch_size = 16
//! optimizer = { kind = "sgd", lr = 0.1 }
//!
//! [[published]]
//! metric = "test_accuracy"
//! value = 1.0
//! tolerance = 0.05
//! ```

use std::collections::BTreeMap;

use nn_optim::OptimizerConfig;
use nn_train::EarlyStoppingConfig;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

/// A spec that could not be read or does not make sense.
#[derive(Debug, Error)]
pub enum SpecError {
    /// The TOML text is malformed, has an unknown key or a value of the wrong type.
    #[error("spec {source_name}: {message}")]
    Parse {
        /// Where the text came from (a file name).
        source_name: String,
        /// The parser's message, which names the key and line.
        message: String,
    },
    /// A value is out of range or inconsistent with another.
    #[error("spec {name}: `{field}` {reason}")]
    Invalid {
        /// The experiment name.
        name: String,
        /// The offending key (dotted path).
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// [`SpecError::Invalid`] in a spec read from a file: named by the file and, when the key
    /// is written there, its line.
    #[error(
        "spec {source_name}: {}`{field}` {reason}",
        line.map(|l| format!("line {l}: ")).unwrap_or_default()
    )]
    InvalidInFile {
        /// Where the text came from (a file name).
        source_name: String,
        /// The line of the offending key (or of its table), when found.
        line: Option<usize>,
        /// The offending key (dotted path).
        field: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// One experiment: a published result and the setting that should reproduce it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExperimentSpec {
    /// Unique name, `<study>-<short-name>`, e.g. `001-titanic`.
    pub name: String,
    /// The study it comes from (`000` … `004`; may be left out in a user's own spec).
    #[serde(default)]
    pub study: String,
    /// A short title for tables.
    #[serde(default)]
    pub title: String,
    /// What the experiment does, in a sentence or two.
    #[serde(default)]
    pub description: String,
    /// Every choice made where the study left something open, and findings.
    #[serde(default)]
    pub notes: Vec<String>,
    /// The seed for splits, initialisation, shuffling and dropout (default 42).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// What data to load.
    pub data: DataSpec,
    /// How to split it.
    pub split: SplitSpec,
    /// Feature preparation fitted on the training part only.
    #[serde(default)]
    pub preprocessing: PreprocessingSpec,
    /// The network and its loss.
    pub model: ModelSpec,
    /// The training run.
    pub training: TrainingSpec,
    /// Reduced settings for `--quick` smoke runs.
    #[serde(default)]
    pub quick: QuickSpec,
    /// A hyper-parameter grid (study 004): one run per combination.
    #[serde(default)]
    pub grid: Option<GridSpec>,
    /// The same network trained with several optimizers (study 001's comparison).
    #[serde(default)]
    pub compare: Option<CompareSpec>,
    /// The figures to draw.
    #[serde(default)]
    pub figures: Vec<FigureKind>,
    /// A table the study printed (markdown), shown in the report beside ours.
    #[serde(default)]
    pub published_table: Option<String>,
    /// The published numbers and how close ours must be.
    #[serde(default)]
    pub published: Vec<PublishedValue>,
    /// Metrics we report without a published number to compare (e.g. an accuracy the study
    /// says it printed but did not give).
    #[serde(default)]
    pub reported: Vec<String>,
}

fn default_seed() -> u64 {
    42
}

/// The built-in data sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DataSetName {
    /// Fisher's iris, 150 × 4, three classes.
    Iris,
    /// MNIST with its official 60,000 / 10,000 split.
    Mnist,
    /// The 70,000 MNIST digits pooled (for the studies that split OpenML's copy themselves).
    MnistPooled,
    /// The four XOR points.
    Xor,
    /// Kaggle's Titanic training file (891 passengers).
    Titanic,
    /// Kaggle's Student Performance (10,000 rows, regression).
    Students,
    /// UCI student-mat (395 rows, target G3, regression).
    StudentsUci,
    /// scikit-learn's diabetes (442 × 10, regression).
    Diabetes,
    /// A user's CSV file, given by `data.csv` (see [`crate::csv_source`]).
    Csv,
}

impl DataSetName {
    /// The name as written in specs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Iris => "iris",
            Self::Mnist => "mnist",
            Self::MnistPooled => "mnist-pooled",
            Self::Xor => "xor",
            Self::Titanic => "titanic",
            Self::Students => "students",
            Self::StudentsUci => "students-uci",
            Self::Diabetes => "diabetes",
            Self::Csv => "csv",
        }
    }

    /// Whether the set is a classification task.
    pub fn is_classification(self) -> bool {
        matches!(
            self,
            Self::Iris | Self::Mnist | Self::MnistPooled | Self::Xor | Self::Titanic
        )
    }

    /// Whether the set comes with its own test part.
    pub fn has_official_test(self) -> bool {
        self == Self::Mnist
    }
}

/// Which data set to load.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSpec {
    /// The built-in set, or `"csv"` (the default) for a CSV file given by `csv`.
    #[serde(default = "default_set")]
    pub set: DataSetName,
    /// A CSV file (relative to the spec file) instead of a built-in set.
    #[serde(default)]
    pub csv: Option<std::path::PathBuf>,
    /// The CSV column to predict.
    #[serde(default)]
    pub target: Option<String>,
    /// What the CSV target holds.
    #[serde(default)]
    pub task: Option<crate::csv_source::CsvTask>,
    /// The CSV field separator (default `,`).
    #[serde(default)]
    pub delimiter: Option<char>,
    /// Missing feature cells of the CSV: rejected (default) or imputed.
    #[serde(default)]
    pub missing: Option<crate::csv_source::MissingKind>,
    /// CSV cell texts meaning "missing" besides the empty cell.
    #[serde(default)]
    pub missing_markers: Vec<String>,
    /// CSV columns that are not features.
    #[serde(default)]
    pub drop_columns: Vec<String>,
    /// CSV columns one-hot encoded even though they hold numbers.
    #[serde(default)]
    pub categorical: Vec<String>,
    /// A category never seen in training: an error (default) or all zeros.
    #[serde(default)]
    pub unknown_category: Option<crate::csv_source::UnknownCategoryKind>,
}

fn default_set() -> DataSetName {
    DataSetName::Csv
}

/// Where the test part comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestSource {
    /// A seeded split of the data with `test_ratio`.
    #[default]
    Split,
    /// The data set's official test part (MNIST's 10,000).
    Official,
    /// No held-out part: the model is evaluated on its training data (XOR's four points).
    TrainingSet,
}

/// How the data is split into train, validation and test parts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitSpec {
    /// Where the test part comes from.
    #[serde(default)]
    pub test_source: TestSource,
    /// Fraction of all samples held out for testing (`test_source = "split"`).
    #[serde(default)]
    pub test_ratio: Option<f64>,
    /// Fraction of the training part held out for validation (0 = none).
    #[serde(default)]
    pub validation_ratio: f64,
    /// Stratify by class (classification only).
    #[serde(default = "default_true")]
    pub stratified: bool,
    /// Evaluate the test set after every epoch (only where the study did).
    #[serde(default)]
    pub test_every_epoch: bool,
    /// Use the test part as the validation part (for studies that held out a single part and
    /// called it validation; excludes `validation_ratio`).
    #[serde(default)]
    pub validate_on_test: bool,
}

fn default_true() -> bool {
    true
}

/// The feature scaler, fitted on the training part only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScalerKind {
    /// Features as loaded (MNIST pixels are already `/255`).
    #[default]
    None,
    /// Min-max to `[0, 1]`.
    MinMax,
    /// Zero mean, unit variance.
    Standard,
}

/// Feature preparation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreprocessingSpec {
    /// The scaler fitted on the training features.
    #[serde(default)]
    pub scaler: ScalerKind,
}

/// Hidden-layer activation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivationKind {
    /// max(0, x).
    Relu,
    /// Logistic function.
    Sigmoid,
    /// Hyperbolic tangent.
    Tanh,
}

/// Weight initialiser (biases start at zero).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InitKind {
    /// Glorot uniform (Keras and scikit-learn's default).
    XavierUniform,
    /// Glorot normal.
    XavierNormal,
    /// He normal `N(0, 2/fan_in)`.
    HeNormal,
    /// He uniform.
    HeUniform,
    /// LeCun normal `N(0, 1/fan_in)` (`randn / sqrt(fan_in)`).
    LecunNormal,
}

impl InitKind {
    /// The engine's initialiser.
    pub fn to_init(self) -> nn_core::Init {
        match self {
            Self::XavierUniform => nn_core::Init::XavierUniform,
            Self::XavierNormal => nn_core::Init::XavierNormal,
            Self::HeNormal => nn_core::Init::HeNormal,
            Self::HeUniform => nn_core::Init::HeUniform,
            Self::LecunNormal => nn_core::Init::LeCunNormal,
        }
    }
}

/// The training loss; it also fixes the output link (softmax, sigmoid or identity).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LossKind {
    /// Softmax + cross-entropy on one-hot targets.
    CrossEntropy,
    /// Sigmoid + binary cross-entropy on one 0/1 output.
    BinaryCrossEntropy,
    /// Mean squared error with a linear output.
    Mse,
}

impl LossKind {
    /// The name as written in specs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CrossEntropy => "cross_entropy",
            Self::BinaryCrossEntropy => "binary_cross_entropy",
            Self::Mse => "mse",
        }
    }

    /// The engine's loss.
    pub fn to_loss(self) -> nn_core::Loss {
        match self {
            Self::CrossEntropy => nn_core::Loss::CrossEntropy,
            Self::BinaryCrossEntropy => nn_core::Loss::BinaryCrossEntropy,
            Self::Mse => nn_core::Loss::Mse,
        }
    }
}

/// The network: `input → hidden… → output`, the output size taken from the data (classes, or 1
/// for binary classification and regression) and the output activation from the loss.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// Units of each hidden layer.
    pub hidden: Vec<usize>,
    /// Activation after every hidden layer.
    pub activation: ActivationKind,
    /// Dropout probability after every hidden activation (none if absent).
    #[serde(default)]
    pub dropout: Option<f64>,
    /// Weight initialiser of every dense layer.
    pub init: InitKind,
    /// The loss.
    pub loss: LossKind,
}

/// A mini-batch size, or the whole training set per step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchSize {
    /// This many samples per step.
    Samples(usize),
    /// Full-batch gradient descent (`batch_size = "full"`).
    Full,
}

impl Serialize for BatchSize {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Samples(n) => s.serialize_u64(*n as u64),
            Self::Full => s.serialize_str("full"),
        }
    }
}

impl<'de> Deserialize<'de> for BatchSize {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = BatchSize;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a positive integer or \"full\"")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<BatchSize, E> {
                usize::try_from(v)
                    .ok()
                    .filter(|&n| n > 0)
                    .map(BatchSize::Samples)
                    .ok_or_else(|| E::custom(format!("batch size {v} is not a positive integer")))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<BatchSize, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(-1))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<BatchSize, E> {
                if v == "full" {
                    Ok(BatchSize::Full)
                } else {
                    Err(E::custom(format!(
                        "batch size {v:?} is neither a positive integer nor \"full\""
                    )))
                }
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl BatchSize {
    /// The batch size for `n` training samples.
    pub fn resolve(self, n: usize) -> usize {
        match self {
            Self::Samples(b) => b,
            Self::Full => n.max(1),
        }
    }
}

impl std::fmt::Display for BatchSize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Samples(n) => write!(f, "{n}"),
            Self::Full => f.write_str("full batch"),
        }
    }
}

/// The training run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingSpec {
    /// Maximum number of epochs.
    pub epochs: usize,
    /// Samples per step, or `"full"`.
    pub batch_size: BatchSize,
    /// The optimizer (nn-optim's config, tagged by `kind`).
    pub optimizer: OptimizerConfig,
    /// L2 strength λ in `λ/(2m)·Σ‖W‖²` (none if absent).
    #[serde(default)]
    pub l2: Option<f64>,
    /// Early stopping (none if absent).
    #[serde(default)]
    pub early_stopping: Option<EarlyStoppingConfig>,
    /// Learning-rate schedule over epochs, scaling the optimizer's rate (constant if absent).
    #[serde(default)]
    pub schedule: Option<nn_optim::LrSchedule>,
    /// Write a checkpoint every this many epochs (`nn train`: into `<out>/checkpoints`).
    #[serde(default)]
    pub checkpoint_every: Option<usize>,
}

/// Reduced settings for `--quick` (smoke test): caps, not targets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuickSpec {
    /// At most this many epochs.
    #[serde(default = "default_quick_epochs")]
    pub epochs: usize,
    /// At most this many training samples (a seeded stratified subsample).
    #[serde(default = "default_quick_samples")]
    pub max_train_samples: usize,
    /// At most this many test samples.
    #[serde(default = "default_quick_test")]
    pub max_test_samples: usize,
}

fn default_quick_epochs() -> usize {
    2
}
fn default_quick_samples() -> usize {
    2000
}
fn default_quick_test() -> usize {
    1000
}

impl Default for QuickSpec {
    fn default() -> Self {
        Self {
            epochs: default_quick_epochs(),
            max_train_samples: default_quick_samples(),
            max_test_samples: default_quick_test(),
        }
    }
}

/// A grid of learning rate × batch size × hidden units, one run per combination.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridSpec {
    /// Learning rates (replace the optimizer's `lr`).
    pub lr: Vec<f64>,
    /// Batch sizes.
    pub batch_size: Vec<usize>,
    /// Hidden units (replace every entry of `model.hidden`).
    pub hidden_units: Vec<usize>,
    /// The metric every row is compared on.
    pub metric: String,
    /// Tolerance per row.
    pub tolerance: f64,
    /// The published value of each row.
    pub published: Vec<GridRow>,
}

/// One published row of a grid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridRow {
    /// Learning rate.
    pub lr: f64,
    /// Batch size.
    pub batch_size: usize,
    /// Hidden units.
    pub hidden_units: usize,
    /// The published value of the grid's metric.
    pub value: f64,
}

/// One point of an expanded grid.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridPoint {
    /// Learning rate.
    pub lr: f64,
    /// Batch size.
    pub batch_size: usize,
    /// Hidden units.
    pub hidden_units: usize,
    /// The published value, when the study reported this combination.
    pub published: Option<f64>,
}

impl GridPoint {
    /// A short label, e.g. `lr=0.1 batch=32 hidden=64`.
    pub fn label(&self) -> String {
        format!(
            "lr={} batch={} hidden={}",
            self.lr, self.batch_size, self.hidden_units
        )
    }
}

impl GridSpec {
    /// Every combination, in the order lr, batch size, hidden units (outer to inner).
    pub fn expand(&self) -> Vec<GridPoint> {
        let mut points = Vec::new();
        for &lr in &self.lr {
            for &batch_size in &self.batch_size {
                for &hidden_units in &self.hidden_units {
                    let published = self
                        .published
                        .iter()
                        .find(|r| {
                            r.lr == lr
                                && r.batch_size == batch_size
                                && r.hidden_units == hidden_units
                        })
                        .map(|r| r.value);
                    points.push(GridPoint {
                        lr,
                        batch_size,
                        hidden_units,
                        published,
                    });
                }
            }
        }
        points
    }
}

/// The same network trained with several optimizers; the comparison metric is which reaches the
/// lowest validation loss fastest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareSpec {
    /// The optimizers compared.
    pub runs: Vec<CompareRun>,
    /// The label the study says wins (`<label>_fastest` becomes a metric: 1 if it did).
    pub expected_winner: String,
}

/// One optimizer of a comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareRun {
    /// Legend label.
    pub label: String,
    /// The optimizer.
    pub optimizer: OptimizerConfig,
}

/// The figures an experiment can draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureKind {
    /// Loss and metric curves per epoch.
    Curves,
    /// Confusion-matrix heat map on the test set.
    ConfusionMatrix,
    /// A 3×3 grid of test digits with true and predicted labels.
    PredictionGrid,
    /// Predicted against true values with the identity line.
    Scatter,
    /// ROC curve with its AUC.
    Roc,
    /// A 2-D decision surface.
    DecisionSurface,
    /// Validation loss per epoch of each compared optimizer.
    OptimizerComparison,
    /// Grid accuracy per epoch of every combination.
    GridCurves,
}

/// How a published value is compared with ours.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// `|ours − published| ≤ tolerance`.
    #[default]
    Close,
    /// `ours ≥ published − tolerance` (beating the study is fine).
    AtLeast,
    /// `ours ≤ published + tolerance` (a loss: lower is fine).
    AtMost,
}

/// A published number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedValue {
    /// Our metric it is compared with (see [`KNOWN_METRICS`]).
    pub metric: String,
    /// The published value (1 = true for yes/no claims).
    pub value: f64,
    /// Our tolerance.
    pub tolerance: f64,
    /// How to compare.
    #[serde(default)]
    pub comparison: Comparison,
    /// How the study stated it, when it is not a plain number.
    #[serde(default)]
    pub stated: Option<String>,
}

impl PublishedValue {
    /// Whether `ours` is within tolerance.
    pub fn accepts(&self, ours: f64) -> bool {
        if !ours.is_finite() {
            return false;
        }
        let slack = 1e-9;
        match self.comparison {
            Comparison::Close => (ours - self.value).abs() <= self.tolerance + slack,
            Comparison::AtLeast => ours >= self.value - self.tolerance - slack,
            Comparison::AtMost => ours <= self.value + self.tolerance + slack,
        }
    }
}

/// The metrics the runner computes and a spec may reference.
///
/// Classification: `test_accuracy`, `train_accuracy`, `val_accuracy`, `test_roc_auc` (binary).
/// Regression: `{train,val,test}_{mse,r2}`, `mse_decreasing` (1 if the last validation MSE is
/// below the first epoch's). Always: `param_count`, `epochs_run`. Grids: `best_test_accuracy`.
/// Comparisons: `<label>_fastest`.
pub const KNOWN_METRICS: &[&str] = &[
    "test_accuracy",
    "train_accuracy",
    "val_accuracy",
    "test_roc_auc",
    "train_mse",
    "val_mse",
    "test_mse",
    "train_r2",
    "val_r2",
    "test_r2",
    "mse_decreasing",
    "param_count",
    "epochs_run",
    "best_test_accuracy",
];

impl ExperimentSpec {
    /// Parses and validates a spec from TOML text; `source_name` (e.g. a file name) appears in
    /// error messages.
    ///
    /// # Errors
    /// [`SpecError::Parse`] for malformed TOML, an unknown key (named) or a wrong type;
    /// [`SpecError::Invalid`] for a value out of range.
    pub fn from_toml(source_name: &str, text: &str) -> Result<Self, SpecError> {
        let spec: Self = toml::from_str(text).map_err(|e| SpecError::Parse {
            source_name: source_name.to_owned(),
            message: e.to_string().trim_end().to_owned(),
        })?;
        spec.validate()?;
        Ok(spec)
    }

    /// The spec as TOML text.
    ///
    /// # Errors
    /// [`SpecError::Parse`] if serialisation fails (it does not for valid specs).
    pub fn to_toml(&self) -> Result<String, SpecError> {
        toml::to_string_pretty(self).map_err(|e| SpecError::Parse {
            source_name: self.name.clone(),
            message: e.to_string(),
        })
    }

    fn invalid(&self, field: &str, reason: impl Into<String>) -> SpecError {
        SpecError::Invalid {
            name: self.name.clone(),
            field: field.to_owned(),
            reason: reason.into(),
        }
    }

    /// Checks values and their consistency.
    ///
    /// # Errors
    /// [`SpecError::Invalid`] naming the first offending key.
    pub fn validate(&self) -> Result<(), SpecError> {
        if self.name.trim().is_empty() {
            return Err(self.invalid("name", "is empty"));
        }
        if !self.name.starts_with(&self.study) {
            return Err(self.invalid(
                "name",
                format!("should start with the study {:?}", self.study),
            ));
        }
        let set = self.data.set;
        self.data
            .csv_source()
            .map_err(|reason| self.invalid("data", reason))?;
        let classification = self.data.is_classification();
        match self.split.test_source {
            TestSource::Split => match self.split.test_ratio {
                Some(r) if r > 0.0 && r < 1.0 => {}
                Some(r) => {
                    return Err(
                        self.invalid("split.test_ratio", format!("is {r}, must be in (0, 1)"))
                    );
                }
                None => {
                    return Err(
                        self.invalid("split.test_ratio", "is needed when test_source = \"split\"")
                    );
                }
            },
            TestSource::Official if !set.has_official_test() => {
                return Err(self.invalid(
                    "split.test_source",
                    format!(
                        "is \"official\" but {} has no official test part",
                        set.as_str()
                    ),
                ));
            }
            _ if self.split.test_ratio.is_some() => {
                return Err(self.invalid(
                    "split.test_ratio",
                    "is only used with test_source = \"split\"",
                ));
            }
            _ => {}
        }
        let v = self.split.validation_ratio;
        if !(0.0..1.0).contains(&v) {
            return Err(self.invalid(
                "split.validation_ratio",
                format!("is {v}, must be in [0, 1)"),
            ));
        }
        if self.split.validate_on_test && v > 0.0 {
            return Err(self.invalid("split.validate_on_test", "excludes a validation_ratio > 0"));
        }
        if self.model.hidden.contains(&0) {
            return Err(self.invalid("model.hidden", "has a layer with 0 units"));
        }
        if let Some(p) = self.model.dropout
            && !(0.0..1.0).contains(&p)
        {
            return Err(self.invalid("model.dropout", format!("is {p}, must be in [0, 1)")));
        }
        let loss_ok = match self.model.loss {
            LossKind::Mse => !classification,
            LossKind::CrossEntropy | LossKind::BinaryCrossEntropy => classification,
        };
        if !loss_ok {
            let (loss_task, task) = if classification {
                ("a regression", "classification")
            } else {
                ("a classification", "regression")
            };
            let data = if set == DataSetName::Csv {
                format!("`data.task` is \"{task}\"")
            } else {
                format!("the {} data set is a {task} task", set.as_str())
            };
            return Err(self.invalid(
                "model.loss",
                format!(
                    "is \"{}\", {loss_task} loss, but {data}",
                    self.model.loss.as_str()
                ),
            ));
        }
        if self.training.epochs == 0 {
            return Err(self.invalid("training.epochs", "must be at least 1"));
        }
        self.training
            .optimizer
            .validate()
            .map_err(|e| self.invalid("training.optimizer", e.to_string()))?;
        if let Some(l2) = self.training.l2
            && nn_core::regularization::validate_l2(l2).is_err()
        {
            return Err(self.invalid(
                "training.l2",
                format!("is {l2}, must be finite (in f32) and >= 0"),
            ));
        }
        if let Some(es) = &self.training.early_stopping
            && es.monitor == nn_train::Monitor::ValMetric
            && v == 0.0
            && !self.split.validate_on_test
        {
            return Err(self.invalid(
                "training.early_stopping.monitor",
                "\"val_metric\" needs a validation part: set split.validation_ratio (or \
                 split.validate_on_test), or monitor \"val_loss\" or \"train_loss\"",
            ));
        }
        if let Some(es) = &self.training.early_stopping
            && es.patience == 0
        {
            return Err(self.invalid("training.early_stopping.patience", "must be at least 1"));
        }
        if self.quick.epochs == 0
            || self.quick.max_train_samples < 10
            || self.quick.max_test_samples < 4
        {
            return Err(self.invalid(
                "quick",
                "needs epochs >= 1, max_train_samples >= 10, max_test_samples >= 4",
            ));
        }
        let mut extra_metrics: Vec<String> = Vec::new();
        if let Some(grid) = &self.grid {
            self.validate_grid(grid)?;
        }
        if let Some(compare) = &self.compare {
            if compare.runs.len() < 2 {
                return Err(self.invalid("compare.runs", "needs at least two optimizers"));
            }
            for (i, run) in compare.runs.iter().enumerate() {
                run.optimizer.validate().map_err(|e| {
                    self.invalid(&format!("compare.runs[{i}].optimizer"), e.to_string())
                })?;
                extra_metrics.push(format!("{}_fastest", run.label));
            }
            if !compare
                .runs
                .iter()
                .any(|r| r.label == compare.expected_winner)
            {
                return Err(
                    self.invalid("compare.expected_winner", "is not one of the runs' labels")
                );
            }
        }
        if let Some(schedule) = &self.training.schedule {
            schedule
                .validate()
                .map_err(|e| self.invalid("training.schedule", e.to_string()))?;
        }
        if self.training.checkpoint_every == Some(0) {
            return Err(self.invalid("training.checkpoint_every", "must be at least 1"));
        }
        // A user's own run (a CSV file, or no `study`) has no published number to compare with.
        let reproduces_a_study = set != DataSetName::Csv && !self.study.is_empty();
        if self.published.is_empty() && self.grid.is_none() && reproduces_a_study {
            return Err(self.invalid(
                "published",
                "is empty: every experiment compares with something",
            ));
        }
        for (i, p) in self.published.iter().enumerate() {
            if !KNOWN_METRICS.contains(&p.metric.as_str()) && !extra_metrics.contains(&p.metric) {
                return Err(self.invalid(
                    &format!("published[{i}].metric"),
                    format!(
                        "{:?} is not a metric the runner computes ({})",
                        p.metric,
                        KNOWN_METRICS.join(", ")
                    ),
                ));
            }
            if !(p.value.is_finite() && p.tolerance.is_finite() && p.tolerance >= 0.0) {
                return Err(self.invalid(
                    &format!("published[{i}]"),
                    "needs a finite value and tolerance >= 0",
                ));
            }
        }
        for (i, metric) in self.reported.iter().enumerate() {
            if !KNOWN_METRICS.contains(&metric.as_str()) && !extra_metrics.contains(metric) {
                return Err(self.invalid(
                    &format!("reported[{i}]"),
                    format!("{metric:?} is not a metric the runner computes"),
                ));
            }
        }
        for figure in &self.figures {
            let fits = match figure {
                FigureKind::ConfusionMatrix | FigureKind::PredictionGrid => classification,
                FigureKind::Roc => self.model.loss == LossKind::BinaryCrossEntropy,
                FigureKind::Scatter => !classification,
                FigureKind::DecisionSurface => set == DataSetName::Xor,
                FigureKind::OptimizerComparison => self.compare.is_some(),
                FigureKind::GridCurves => self.grid.is_some(),
                FigureKind::Curves => true,
            };
            if !fits {
                return Err(self.invalid(
                    "figures",
                    format!("{figure:?} does not apply to this experiment"),
                ));
            }
        }
        Ok(())
    }

    fn validate_grid(&self, grid: &GridSpec) -> Result<(), SpecError> {
        if grid.lr.is_empty() || grid.batch_size.is_empty() || grid.hidden_units.is_empty() {
            return Err(self.invalid("grid", "every axis needs at least one value"));
        }
        if grid.lr.iter().any(|&lr| !(lr.is_finite() && lr > 0.0)) {
            return Err(self.invalid("grid.lr", "values must be finite and > 0"));
        }
        if grid.batch_size.contains(&0) || grid.hidden_units.contains(&0) {
            return Err(self.invalid("grid", "batch sizes and hidden units must be >= 1"));
        }
        if !KNOWN_METRICS.contains(&grid.metric.as_str()) {
            return Err(self.invalid(
                "grid.metric",
                format!("{:?} is not a metric the runner computes", grid.metric),
            ));
        }
        let points = grid.expand();
        for (i, row) in grid.published.iter().enumerate() {
            let on_grid = points.iter().any(|p| {
                p.lr == row.lr
                    && p.batch_size == row.batch_size
                    && p.hidden_units == row.hidden_units
            });
            if !on_grid {
                return Err(self.invalid(
                    &format!("grid.published[{i}]"),
                    "is not a combination of the grid's axes",
                ));
            }
        }
        let mut seen = BTreeMap::new();
        for row in &grid.published {
            let key = format!("{} {} {}", row.lr, row.batch_size, row.hidden_units);
            if seen.insert(key.clone(), ()).is_some() {
                return Err(self.invalid("grid.published", format!("lists ({key}) twice")));
            }
        }
        Ok(())
    }

    /// The number of training runs one seed of this experiment makes.
    pub fn run_count(&self) -> usize {
        match (&self.grid, &self.compare) {
            (Some(g), _) => g.expand().len(),
            (None, Some(c)) => c.runs.len(),
            (None, None) => 1,
        }
    }
}
