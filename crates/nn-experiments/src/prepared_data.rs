//! Loading, splitting and scaling an experiment's data as its spec says, with every statistic
//! (imputation, scaling) fitted on the training part only.

use anyhow::{Context, Result};
use nalgebra::DMatrix;
use nn_data::{DataDir, Dataset, FittedScaler, Scaling};

use crate::spec::{DataSetName, ExperimentSpec, LossKind, ScalerKind, SplitSpec, TestSource};

/// One part of the data as network matrices (one column per sample).
#[derive(Clone, Debug)]
pub struct Part {
    /// Features × samples, scaled.
    pub x: DMatrix<f32>,
    /// Targets × samples: one-hot, a 0/1 row, or the regression value.
    pub y: DMatrix<f32>,
    /// Class of each sample (classification only).
    pub labels: Option<Vec<usize>>,
}

impl Part {
    /// Number of samples.
    pub fn len(&self) -> usize {
        self.x.ncols()
    }

    /// Whether the part holds no sample.
    pub fn is_empty(&self) -> bool {
        self.x.ncols() == 0
    }
}

/// The data of one experiment, ready for training.
#[derive(Clone, Debug)]
pub struct PreparedData {
    /// The training part.
    pub train: Part,
    /// The validation part, if the spec holds one out.
    pub validation: Option<Part>,
    /// The test part (the training part itself for `test_source = "training_set"`).
    pub test: Part,
    /// Class names (classification only).
    pub class_names: Option<Vec<String>>,
    /// Test features before scaling (MNIST pixels for the prediction grid).
    pub test_raw: DMatrix<f32>,
}

impl PreparedData {
    /// Input size of the network.
    pub fn n_features(&self) -> usize {
        self.train.x.nrows()
    }

    /// Output size of the network.
    pub fn n_outputs(&self) -> usize {
        self.train.y.nrows()
    }

    /// A one-line description, e.g. `train 54000, validation 6000, test 10000`.
    pub fn describe(&self) -> String {
        format!(
            "{} features; train {}, validation {}, test {}",
            self.n_features(),
            self.train.len(),
            self.validation.as_ref().map_or(0, Part::len),
            self.test.len()
        )
    }
}

/// Where the data lives (`$NN_DATA_DIR` or the workspace's `datasets/`).
pub fn data_dir() -> DataDir {
    DataDir::default_location()
}

/// Loads and prepares the data of `spec` with `seed`; with `quick`, the training and test parts
/// are subsampled (seeded, stratified) to the spec's quick caps.
///
/// # Errors
/// A missing or corrupt data file, or a split that cannot be made.
pub fn prepare(spec: &ExperimentSpec, seed: u64, quick: bool) -> Result<PreparedData> {
    let dir = data_dir();
    let set = spec.data.set;
    let split = &spec.split;
    let (train_full, test) = match set {
        DataSetName::Mnist => {
            let m = nn_data::mnist(&dir).context("loading MNIST")?;
            (m.train, m.test)
        }
        DataSetName::MnistPooled => {
            let m = nn_data::mnist(&dir).context("loading MNIST")?;
            let ratio = split.test_ratio.unwrap_or(0.2);
            if split.stratified {
                m.into_pooled_split(ratio, seed)?
            } else {
                plain_split(&m.pooled()?, ratio, seed)?
            }
        }
        DataSetName::Titanic => {
            // Imputation statistics come from the training rows only (nn-data fits them there);
            // scaling is applied below, after the validation part is carved out.
            let ratio = split.test_ratio.unwrap_or(0.2);
            let p = nn_data::titanic_split(&dir, ratio, seed, Scaling::None)
                .context("loading Titanic")?;
            (p.train, p.test)
        }
        other => {
            let all = match other {
                DataSetName::Iris => nn_data::iris(&dir)?,
                DataSetName::Xor => nn_data::xor(),
                DataSetName::Students => nn_data::students(&dir)?,
                DataSetName::StudentsUci => nn_data::students_uci(&dir)?,
                DataSetName::Diabetes => nn_data::diabetes(&dir)?,
                _ => unreachable_set(other)?,
            };
            match split.test_source {
                TestSource::TrainingSet => (all.clone(), all),
                _ => {
                    let ratio = split.test_ratio.unwrap_or(0.2);
                    if split.stratified || !all.is_classification() {
                        all.train_test_split(ratio, seed)?
                    } else {
                        plain_split(&all, ratio, seed)?
                    }
                }
            }
        }
    };
    let (mut train, validation) = carve_validation(train_full, split, seed)?;
    let mut test = test;
    if quick {
        train = subsample(&train, spec.quick.max_train_samples, seed)?;
        test = subsample(&test, spec.quick.max_test_samples, seed)?;
    }
    let scaling = match spec.preprocessing.scaler {
        ScalerKind::None => Scaling::None,
        ScalerKind::MinMax => Scaling::MinMax,
        ScalerKind::Standard => Scaling::Standard,
    };
    let scaler = FittedScaler::fit(scaling, train.features())?;
    let binary = spec.model.loss == LossKind::BinaryCrossEntropy;
    // Each part takes its data set's features by value: a full MNIST run holds one copy of
    // the training images, not two.
    let to_part = |d: Dataset| -> Result<Part> {
        let y = if binary {
            d.binary_targets()?
        } else {
            d.target_matrix()
        };
        let labels = d.labels().map(<[usize]>::to_vec);
        let mut x = d.into_features();
        if let Some(s) = &scaler {
            s.transform_in_place(&mut x)?;
        }
        Ok(Part { x, y, labels })
    };
    let class_names = train.class_names().map(<[String]>::to_vec);
    let test_raw = test.features().clone();
    let test_part = to_part(test)?;
    let validation = if split.validate_on_test {
        Some(test_part.clone())
    } else {
        validation.map(to_part).transpose()?
    };
    Ok(PreparedData {
        train: to_part(train)?,
        validation,
        test: test_part,
        class_names,
        test_raw,
    })
}

/// Splits the validation part off the training set when the spec asks for one (consuming
/// the full set, so it is freed as soon as it is split).
fn carve_validation(
    train_full: Dataset,
    split: &SplitSpec,
    seed: u64,
) -> Result<(Dataset, Option<Dataset>)> {
    if split.validation_ratio <= 0.0 {
        return Ok((train_full, None));
    }
    let seed = seed.wrapping_add(1);
    let (train, validation) = if split.stratified || !train_full.is_classification() {
        train_full.into_train_test_split(split.validation_ratio, seed)?
    } else {
        let indices =
            nn_data::train_test_split(train_full.n_samples(), split.validation_ratio, seed)?;
        train_full.into_split(&indices)?
    };
    Ok((train, Some(validation)))
}

fn unreachable_set(set: DataSetName) -> Result<Dataset> {
    anyhow::bail!("data set {} is loaded by its own branch", set.as_str())
}

fn plain_split(d: &Dataset, ratio: f64, seed: u64) -> Result<(Dataset, Dataset)> {
    let split = nn_data::train_test_split(d.n_samples(), ratio, seed)?;
    Ok(d.apply_split(&split)?)
}

/// At most `cap` samples of `d`, drawn by a seeded (stratified) split.
fn subsample(d: &Dataset, cap: usize, seed: u64) -> Result<Dataset> {
    if d.n_samples() <= cap {
        return Ok(d.clone());
    }
    let ratio = cap as f64 / d.n_samples() as f64;
    let split = d.split_indices(ratio, seed.wrapping_add(7))?;
    Ok(d.select(&split.test)?)
}
