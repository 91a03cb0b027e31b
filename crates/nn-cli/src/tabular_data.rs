//! The data of `nn train`: a CSV table (a user's file or a built-in CSV data set) split as the
//! spec says, with the whole preprocessing (imputation, encoding, scaling) fitted on the
//! training rows only and kept, so the saved model applies exactly the same steps to new data.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use nn_data::{CsvOptions, CsvTable, DataDir, Dataset, Preprocessor, Scaling, Task};

use crate::input_file::require_file;
use nn_experiments::csv_source::CsvSource;
use nn_experiments::prepared_data::Part;
use nn_experiments::spec::{DataSetName, ExperimentSpec, LossKind, ScalerKind, TestSource};

/// The prepared parts and the fitted pipeline.
#[derive(Debug, Clone)]
pub struct TabularData {
    /// Training part.
    pub train: Part,
    /// Validation part, if the spec holds one out.
    pub validation: Option<Part>,
    /// Test part (`None` when the spec evaluates on the training set).
    pub test: Option<Part>,
    /// The pipeline fitted on the training rows.
    pub preprocessor: Preprocessor,
}

impl TabularData {
    /// One line: features and part sizes.
    pub fn describe(&self) -> String {
        format!(
            "{} features; train {}, validation {}, test {}",
            self.train.x.nrows(),
            self.train.len(),
            self.validation.as_ref().map_or(0, Part::len),
            self.test.as_ref().map_or(0, Part::len)
        )
    }
}

/// The scaling a spec asks for.
pub fn scaling_of(spec: &ExperimentSpec) -> Scaling {
    match spec.preprocessing.scaler {
        ScalerKind::None => Scaling::None,
        ScalerKind::MinMax => Scaling::MinMax,
        ScalerKind::Standard => Scaling::Standard,
    }
}

/// A spec's table, and the SHA-256 of the bytes it was parsed from when it is the spec's own
/// CSV file (a built-in set is verified against `SHA256SUMS` instead).
#[derive(Debug)]
pub struct LoadedTable {
    /// The parsed table.
    pub table: CsvTable,
    /// The hex SHA-256 of a CSV file's bytes; `None` for a built-in set.
    pub file_sha256: Option<String>,
}

/// The path of the spec's own CSV file (relative paths are relative to `spec_dir`), or `None`
/// for a built-in data set.
///
/// # Errors
/// A `data` table that names no valid source.
pub fn training_csv_path(spec: &ExperimentSpec, spec_dir: &Path) -> Result<Option<PathBuf>> {
    let source = spec
        .data
        .csv_source()
        .map_err(|e| anyhow::anyhow!("spec {}: `data` {e}", spec.name))?;
    Ok(source.map(|csv| spec_dir.join(csv.path)))
}

/// Reads the spec's table: its `csv` file (relative to `spec_dir`) or a built-in CSV data set.
///
/// # Errors
/// A missing or malformed file, an unknown target column, or a built-in set that is not a CSV
/// table (MNIST, XOR: run those with `nn-experiments`).
pub fn load_table(spec: &ExperimentSpec, spec_dir: &Path) -> Result<LoadedTable> {
    let scaling = scaling_of(spec);
    let source = spec
        .data
        .csv_source()
        .map_err(|e| anyhow::anyhow!("spec {}: `data` {e}", spec.name))?;
    if let Some(csv) = source {
        let path = spec_dir.join(csv.path);
        require_file(
            &path,
            &format!("the training data (`data.csv` of {})", spec.name),
        )?;
        // One read: the digest a checkpoint records is that of the bytes parsed.
        let bytes = nn_bounded_read::read_bounded(&path, nn_data::data_dir::MAX_DATA_FILE_BYTES)
            .with_context(|| format!("cannot read the training data {}", path.display()))?;
        // nn-data's errors name the file, line and column themselves.
        let table = CsvTable::from_bytes(
            &path.display().to_string(),
            &bytes,
            &csv_options(&csv, scaling),
        )
        .context("reading the training data")?;
        return Ok(LoadedTable {
            table,
            file_sha256: Some(nn_data::sha256_hex(&bytes)),
        });
    }
    let dir = DataDir::default_location();
    let (file, options) = match spec.data.set {
        DataSetName::Iris => (nn_data::iris::IRIS_FILE, nn_data::iris::iris_options()),
        DataSetName::Diabetes => (
            nn_data::diabetes::DIABETES_FILE,
            nn_data::diabetes::diabetes_options(),
        ),
        DataSetName::Students => (
            nn_data::students::STUDENTS_FILE,
            nn_data::students::students_options(),
        ),
        DataSetName::StudentsUci => (
            nn_data::students::STUDENTS_UCI_FILE,
            nn_data::students::students_uci_options(),
        ),
        DataSetName::Titanic => (
            nn_data::titanic::TITANIC_FILE,
            nn_data::titanic::titanic_options(scaling),
        ),
        other => bail!(
            "data set `{}` is not a CSV table: `nn train` takes a CSV file (`[data] csv = \"file.csv\"`) or one of iris, diabetes, students, students-uci, titanic; run `{}` with nn-experiments",
            other.as_str(),
            other.as_str()
        ),
    };
    let table = CsvTable::from_data_dir(&dir, file, &options.scaling(scaling))
        .with_context(|| format!("loading the built-in data set `{}`", spec.data.set.as_str()))?;
    Ok(LoadedTable {
        table,
        file_sha256: None,
    })
}

/// nn-data's options for a spec's CSV settings.
pub fn csv_options(csv: &CsvSource<'_>, scaling: Scaling) -> CsvOptions {
    let task = if csv.task.is_classification() {
        Task::Classification
    } else {
        Task::Regression
    };
    let markers: Vec<&str> = csv.missing_markers.iter().map(String::as_str).collect();
    let dropped: Vec<&str> = csv.drop_columns.iter().map(String::as_str).collect();
    let mut options = CsvOptions::new(csv.target, task)
        .delimiter(csv.delimiter)
        .missing(csv.missing.to_policy())
        .missing_markers(&markers)
        .drop_columns(&dropped)
        .unknown_category(csv.unknown_category.to_policy())
        .scaling(scaling);
    for column in csv.categorical {
        options = options.column_kind(column, nn_data::ColumnKind::Categorical);
    }
    options
}

/// Row indices of the training, validation and test parts.
struct RowSplit {
    train: Vec<usize>,
    validation: Option<Vec<usize>>,
    test: Option<Vec<usize>>,
}

fn split_rows(spec: &ExperimentSpec, table: &CsvTable, seed: u64) -> Result<RowSplit> {
    let split = &spec.split;
    let classification = table.options().task == Task::Classification;
    let labels = if classification {
        Some(table.class_labels()?.1)
    } else {
        None
    };
    // Splits `rows` into (kept, held out) with `ratio` held out, stratified when asked.
    let hold_out = |rows: &[usize], ratio: f64, seed: u64| -> Result<(Vec<usize>, Vec<usize>)> {
        let s = match (&labels, split.stratified) {
            (Some(labels), true) => {
                let sub: Vec<usize> = rows.iter().map(|&r| labels[r]).collect();
                nn_data::stratified_train_test_split(&sub, ratio, seed)?
            }
            _ => nn_data::train_test_split(rows.len(), ratio, seed)?,
        };
        Ok((
            s.train.iter().map(|&i| rows[i]).collect(),
            s.test.iter().map(|&i| rows[i]).collect(),
        ))
    };
    let all: Vec<usize> = (0..table.n_rows()).collect();
    let (train_full, test) = match split.test_source {
        TestSource::Split => {
            let ratio = split
                .test_ratio
                .context("`split.test_ratio` is needed with test_source = \"split\"")?;
            let (train, test) = hold_out(&all, ratio, seed).with_context(|| {
                format!(
                    "splitting off the test part (split.test_ratio = {ratio} of {} rows)",
                    all.len()
                )
            })?;
            (train, Some(test))
        }
        TestSource::TrainingSet => (all, None),
        TestSource::Official => bail!(
            "`split.test_source = \"official\"` needs a data set with an official test part; a CSV file has none"
        ),
    };
    let (train, validation) = if split.validation_ratio > 0.0 {
        let (t, v) = hold_out(&train_full, split.validation_ratio, seed.wrapping_add(1))
            .with_context(|| {
                format!(
                    "splitting off the validation part (split.validation_ratio = {} of the {} \
                     rows left for training)",
                    split.validation_ratio,
                    train_full.len()
                )
            })?;
        (t, Some(v))
    } else if split.validate_on_test {
        (train_full, test.clone())
    } else {
        (train_full, None)
    };
    Ok(RowSplit {
        train,
        validation,
        test,
    })
}

/// Splits `table`, fits the preprocessing on the training rows and builds the network matrices
/// for the spec's loss.
///
/// # Errors
/// A split that leaves a part empty, a bad cell (named by file, line and column), or a loss that
/// does not fit the target (binary cross-entropy with more than two classes).
pub fn prepare_table(spec: &ExperimentSpec, table: &CsvTable, seed: u64) -> Result<TabularData> {
    let rows = split_rows(spec, table, seed)?;
    let preprocessor =
        Preprocessor::fit(table, &rows.train).context("fitting the preprocessing")?;
    let to_part = |rows: &[usize]| -> Result<Part> {
        let d = preprocessor.transform(table, rows)?;
        part_of(&d, spec.model.loss)
    };
    Ok(TabularData {
        train: to_part(&rows.train)?,
        validation: rows.validation.as_deref().map(to_part).transpose()?,
        test: rows.test.as_deref().map(to_part).transpose()?,
        preprocessor: preprocessor.clone(),
    })
}

/// Network matrices of a transformed data set for `loss` (the targets as nn-train encodes
/// them for it: one-hot, a 0/1 row or the values).
///
/// # Errors
/// A classification loss on a regression target or the reverse, or binary cross-entropy on more
/// than two classes.
pub fn part_of(d: &Dataset, loss: LossKind) -> Result<Part> {
    Ok(Part {
        x: d.features().clone(),
        y: nn_train::loss_targets(d, loss.to_loss())?,
        labels: d.labels().map(<[usize]>::to_vec),
    })
}
