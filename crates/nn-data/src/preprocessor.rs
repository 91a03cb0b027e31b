//! The fitted pipeline from a raw CSV table to model inputs: per-column encoding
//! (numbers, yes/no flags, one-hot categories, imputed fills) and an optional scaler, all
//! learned from the training rows only and serialisable, so a saved model can apply exactly
//! the same transformations to a new raw CSV.

use std::path::Path;

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use crate::csv_table::{ColumnKind, CsvFormat, CsvOptions, CsvTable, MissingPolicy, Task};
use crate::dataset::{Dataset, Targets};
use crate::encoder::{LabelEncoder, OneHotEncoder, UnknownCategory, distinct_sorted};
use crate::error::{DataError, Result};
use crate::imputer::{most_frequent_str, numeric_fill};
use crate::scaler::FittedScaler;
use crate::split::{Split, ThreeWaySplit};

/// How one raw column becomes feature rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ColumnEncoding {
    /// One row holding the number; `fill` replaces a missing cell when imputing.
    Numeric {
        /// Column name.
        column: String,
        /// Imputed value for missing cells (`None`: missing is an error).
        fill: Option<f32>,
    },
    /// One 0/1 row for a yes/no (or true/false) column: `positive` → 1, `negative` → 0.
    Binary {
        /// Column name.
        column: String,
        /// Text encoded as 1.
        positive: String,
        /// Text encoded as 0.
        negative: String,
        /// Imputed value for missing cells.
        fill: Option<String>,
    },
    /// One row per training category.
    OneHot {
        /// Column name.
        column: String,
        /// The fitted encoder.
        encoder: OneHotEncoder,
        /// Imputed value for missing cells.
        fill: Option<String>,
    },
}

impl ColumnEncoding {
    fn column(&self) -> &str {
        match self {
            Self::Numeric { column, .. }
            | Self::Binary { column, .. }
            | Self::OneHot { column, .. } => column,
        }
    }

    fn width(&self) -> usize {
        match self {
            Self::Numeric { .. } | Self::Binary { .. } => 1,
            Self::OneHot { encoder, .. } => encoder.n_outputs(),
        }
    }
}

/// How the target column is encoded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TargetEncoding {
    /// Class names → indices.
    Classes {
        /// Column name.
        column: String,
        /// The fitted encoder.
        encoder: LabelEncoder,
    },
    /// A real-valued column.
    Regression {
        /// Column name.
        column: String,
    },
}

/// A fitted, serialisable CSV-to-matrix pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "PreprocessorRecord")]
pub struct Preprocessor {
    format: CsvFormat,
    columns: Vec<ColumnEncoding>,
    target: Option<TargetEncoding>,
    unknown_category: UnknownCategory,
    scaler: Option<FittedScaler>,
    feature_names: Vec<String>,
}

/// The serialised form of a [`Preprocessor`], checked before it becomes one.
#[derive(Deserialize)]
struct PreprocessorRecord {
    format: CsvFormat,
    columns: Vec<ColumnEncoding>,
    target: Option<TargetEncoding>,
    unknown_category: UnknownCategory,
    scaler: Option<FittedScaler>,
    feature_names: Vec<String>,
}

impl TryFrom<PreprocessorRecord> for Preprocessor {
    type Error = DataError;

    /// A pipeline read from a file must be one `fit` could have made: as many feature names
    /// as its columns produce features, and a scaler of that many features.
    fn try_from(r: PreprocessorRecord) -> Result<Self> {
        let width: usize = r.columns.iter().map(ColumnEncoding::width).sum();
        if r.feature_names.len() != width {
            return Err(DataError::ShapeMismatch {
                what: "stored preprocessor: feature names vs encoded columns",
                expected: width,
                found: r.feature_names.len(),
            });
        }
        if let Some(scaler) = &r.scaler
            && scaler.n_features() != width
        {
            return Err(DataError::ShapeMismatch {
                what: "stored preprocessor: scaler features vs encoded columns",
                expected: width,
                found: scaler.n_features(),
            });
        }
        Ok(Self {
            format: r.format,
            columns: r.columns,
            target: r.target,
            unknown_category: r.unknown_category,
            scaler: r.scaler,
            feature_names: r.feature_names,
        })
    }
}

/// Train and test data sets prepared without leakage, plus the pipeline that made them.
#[derive(Debug, Clone)]
pub struct PreparedSplit {
    /// Training set (the pipeline was fitted on it).
    pub train: Dataset,
    /// Test set (transformed with the training pipeline).
    pub test: Dataset,
    /// The fitted pipeline.
    pub preprocessor: Preprocessor,
}

/// Train, validation and test data sets prepared without leakage.
#[derive(Debug, Clone)]
pub struct PreparedThreeWay {
    /// Training set (the pipeline was fitted on it).
    pub train: Dataset,
    /// Validation set.
    pub val: Dataset,
    /// Test set.
    pub test: Dataset,
    /// The fitted pipeline.
    pub preprocessor: Preprocessor,
}

fn is_binary_pair(cats: &[String]) -> Option<(String, String)> {
    if cats.len() != 2 {
        return None;
    }
    let lower: Vec<String> = cats.iter().map(|c| c.to_ascii_lowercase()).collect();
    for (yes, no) in [("yes", "no"), ("true", "false")] {
        if let (Some(p), Some(n)) = (
            lower.iter().position(|c| c == yes),
            lower.iter().position(|c| c == no),
        ) {
            return Some((cats[p].clone(), cats[n].clone()));
        }
    }
    None
}

impl Preprocessor {
    /// Fits every column encoding, the imputers and the scaler on `train_rows` of `table`
    /// (per the table's options). The target's class names come from all rows.
    pub fn fit(table: &CsvTable, train_rows: &[usize]) -> Result<Self> {
        if train_rows.is_empty() {
            return Err(DataError::EmptyInput {
                what: "training rows",
            });
        }
        if let Some(&index) = train_rows.iter().find(|&&r| r >= table.n_rows()) {
            return Err(DataError::IndexOutOfRange {
                index,
                len: table.n_rows(),
            });
        }
        let options = table.options();
        let mut columns = Vec::new();
        for (name, kind) in table.feature_columns() {
            let col = table.column_index(name)?;
            let missing_error = |row: usize| DataError::MissingValue {
                file: table.source().to_string(),
                line: table.line(row),
                column: name.to_string(),
            };
            match kind {
                ColumnKind::Numeric => {
                    let mut observed = Vec::with_capacity(train_rows.len());
                    for &r in train_rows {
                        match table.numeric_cell(r, col)? {
                            Some(v) => observed.push(v),
                            None if options.missing == MissingPolicy::Reject => {
                                return Err(missing_error(r));
                            }
                            None => {}
                        }
                    }
                    let fill = match options.missing {
                        MissingPolicy::Reject => None,
                        MissingPolicy::Impute(strategy) => {
                            Some(numeric_fill(&observed, strategy).ok_or_else(|| {
                                DataError::InvalidParameter {
                                    what: "imputation",
                                    reason: format!(
                                        "column `{name}` of {} has no value in the training rows",
                                        table.source()
                                    ),
                                }
                            })?)
                        }
                    };
                    columns.push(ColumnEncoding::Numeric {
                        column: name.to_string(),
                        fill,
                    });
                }
                ColumnKind::Categorical => {
                    let mut observed = Vec::with_capacity(train_rows.len());
                    for &r in train_rows {
                        match table.cell(r, col) {
                            Some(v) => observed.push(v),
                            None if options.missing == MissingPolicy::Reject => {
                                return Err(missing_error(r));
                            }
                            None => {}
                        }
                    }
                    let fill = match options.missing {
                        MissingPolicy::Reject => None,
                        MissingPolicy::Impute(_) => {
                            Some(most_frequent_str(observed.iter().copied()).ok_or_else(|| {
                                DataError::InvalidParameter {
                                    what: "imputation",
                                    reason: format!(
                                        "column `{name}` of {} has no value in the training rows",
                                        table.source()
                                    ),
                                }
                            })?)
                        }
                    };
                    let cats = distinct_sorted(&observed);
                    columns.push(match is_binary_pair(&cats) {
                        Some((positive, negative)) => ColumnEncoding::Binary {
                            column: name.to_string(),
                            positive,
                            negative,
                            fill,
                        },
                        None => ColumnEncoding::OneHot {
                            column: name.to_string(),
                            encoder: OneHotEncoder::fit(&observed)?
                                .with_unknown(options.unknown_category),
                            fill,
                        },
                    });
                }
            }
        }
        let target = match (table.target_index(), options.task) {
            (None, _) => None,
            (Some(t), Task::Classification) => Some(TargetEncoding::Classes {
                column: table.headers()[t].clone(),
                encoder: table.class_labels()?.0,
            }),
            (Some(t), Task::Regression) => Some(TargetEncoding::Regression {
                column: table.headers()[t].clone(),
            }),
        };
        let mut feature_names = Vec::new();
        for enc in &columns {
            match enc {
                ColumnEncoding::Numeric { column, .. } | ColumnEncoding::Binary { column, .. } => {
                    feature_names.push(column.clone())
                }
                ColumnEncoding::OneHot {
                    column, encoder, ..
                } => feature_names
                    .extend(encoder.categories().iter().map(|c| format!("{column}_{c}"))),
            }
        }
        let mut pre = Self {
            format: options.format.clone(),
            columns,
            target,
            unknown_category: options.unknown_category,
            scaler: None,
            feature_names,
        };
        let encoded = pre.encode_features(table, train_rows)?;
        pre.scaler = FittedScaler::fit(options.scaling, &encoded)?;
        Ok(pre)
    }

    /// Names of the output feature rows (`Sex_female`, `Embarked_S`...).
    pub fn feature_names(&self) -> &[String] {
        &self.feature_names
    }

    /// Number of output features.
    pub fn n_features(&self) -> usize {
        self.feature_names.len()
    }

    /// The per-column encodings.
    pub fn columns(&self) -> &[ColumnEncoding] {
        &self.columns
    }

    /// The target encoding, if the training table had a target.
    pub fn target(&self) -> Option<&TargetEncoding> {
        self.target.as_ref()
    }

    /// Class names for a classification target.
    pub fn class_names(&self) -> Option<&[String]> {
        match &self.target {
            Some(TargetEncoding::Classes { encoder, .. }) => Some(encoder.classes()),
            _ => None,
        }
    }

    /// The fitted scaler, if any.
    pub fn scaler(&self) -> Option<&FittedScaler> {
        self.scaler.as_ref()
    }

    /// Reads a new raw CSV with the training file's format; the target column may be absent.
    pub fn read_csv(&self, path: impl AsRef<Path>) -> Result<CsvTable> {
        CsvTable::from_path(path, &self.reading_options())
    }

    /// [`Preprocessor::read_csv`] on CSV text already in memory (standard input, say);
    /// `source` names it in error messages.
    pub fn read_csv_bytes(&self, source: &str, bytes: &[u8]) -> Result<CsvTable> {
        CsvTable::from_bytes(source, bytes, &self.reading_options())
    }

    /// How a new CSV is read: the training file's format, no target, every column as it comes
    /// (the fitted encodings decide how each is used).
    fn reading_options(&self) -> CsvOptions {
        CsvOptions {
            format: self.format.clone(),
            target: None,
            task: Task::Regression,
            missing: MissingPolicy::Reject,
            drop_columns: Vec::new(),
            column_kinds: Vec::new(),
            unknown_category: self.unknown_category,
            scaling: crate::scaler::Scaling::None,
        }
    }

    fn encode_features(&self, table: &CsvTable, rows: &[usize]) -> Result<DMatrix<f32>> {
        let n_features = self.n_features();
        let mut data = vec![0.0f32; n_features * rows.len()];
        let mut offset = 0;
        for enc in &self.columns {
            let col = table.column_index(enc.column())?;
            for (j, &r) in rows.iter().enumerate() {
                if r >= table.n_rows() {
                    return Err(DataError::IndexOutOfRange {
                        index: r,
                        len: table.n_rows(),
                    });
                }
                let out = &mut data[j * n_features + offset..j * n_features + offset + enc.width()];
                self.encode_cell(table, enc, r, col, out)?;
            }
            offset += enc.width();
        }
        Ok(DMatrix::from_vec(n_features, rows.len(), data))
    }

    fn encode_cell(
        &self,
        table: &CsvTable,
        enc: &ColumnEncoding,
        row: usize,
        col: usize,
        out: &mut [f32],
    ) -> Result<()> {
        let missing = || DataError::MissingValue {
            file: table.source().to_string(),
            line: table.line(row),
            column: enc.column().to_string(),
        };
        let unknown = |value: &str, known: String| DataError::UnknownCategory {
            file: table.source().to_string(),
            line: table.line(row),
            column: enc.column().to_string(),
            value: value.to_string(),
            known,
        };
        match enc {
            ColumnEncoding::Numeric { fill, .. } => {
                out[0] = match table.numeric_cell(row, col)? {
                    Some(v) => v,
                    None => fill.ok_or_else(missing)?,
                };
            }
            ColumnEncoding::Binary {
                positive,
                negative,
                fill,
                ..
            } => {
                let v = match table.cell(row, col) {
                    Some(v) => v,
                    None => fill.as_deref().ok_or_else(missing)?,
                };
                out[0] = if v == positive {
                    1.0
                } else if v == negative || self.unknown_category == UnknownCategory::AllZeros {
                    0.0
                } else {
                    return Err(unknown(v, format!("{positive}, {negative}")));
                };
            }
            ColumnEncoding::OneHot { encoder, fill, .. } => {
                let v = match table.cell(row, col) {
                    Some(v) => v,
                    None => fill.as_deref().ok_or_else(missing)?,
                };
                match encoder.index_of(v) {
                    Ok(Some(i)) => out[i] = 1.0,
                    Ok(None) => {}
                    Err(_) => return Err(unknown(v, encoder.categories().join(", "))),
                }
            }
        }
        Ok(())
    }

    /// Encoded and scaled features (features × rows) of the given rows; the target column
    /// is not needed.
    ///
    /// # Errors
    /// As for reading the cells (named by file, line and column), and
    /// [`DataError::ScaledNonFinite`] for a value that scaling takes beyond `f32`.
    pub fn transform_features(&self, table: &CsvTable, rows: &[usize]) -> Result<DMatrix<f32>> {
        let mut x = self.encode_features(table, rows)?;
        if let Some(scaler) = &self.scaler {
            scaler.transform_in_place(&mut x)?;
            if let Some(k) = x.as_slice().iter().position(|v| !v.is_finite()) {
                // In range: x has one row per feature name and one column per entry of rows.
                let (feature, sample) = (k % x.nrows(), k / x.nrows());
                return Err(DataError::ScaledNonFinite {
                    file: table.source().to_string(),
                    line: table.line(rows[sample]),
                    feature: self.feature_names[feature].clone(),
                });
            }
        }
        Ok(x)
    }

    /// Features of every row of a table (e.g. a new file read with [`Self::read_csv`]).
    pub fn transform_all_features(&self, table: &CsvTable) -> Result<DMatrix<f32>> {
        let rows: Vec<usize> = (0..table.n_rows()).collect();
        self.transform_features(table, &rows)
    }

    /// Features and targets of the given rows; the table must have the target column.
    pub fn transform(&self, table: &CsvTable, rows: &[usize]) -> Result<Dataset> {
        let features = self.transform_features(table, rows)?;
        let target = self.target.as_ref().ok_or(DataError::UnknownTargetColumn {
            file: table.source().to_string(),
            column: "<the preprocessor was fitted without a target>".into(),
            available: table.headers().join(", "),
        })?;
        let column = match target {
            TargetEncoding::Classes { column, .. } | TargetEncoding::Regression { column } => {
                column
            }
        };
        let t = table
            .column_index(column)
            .map_err(|_| DataError::UnknownTargetColumn {
                file: table.source().to_string(),
                column: column.clone(),
                available: table.headers().join(", "),
            })?;
        let missing = |r: usize| DataError::MissingValue {
            file: table.source().to_string(),
            line: table.line(r),
            column: column.clone(),
        };
        let targets =
            match target {
                TargetEncoding::Classes { encoder, .. } => {
                    let mut labels = Vec::with_capacity(rows.len());
                    for &r in rows {
                        let v = table.cell(r, t).ok_or_else(|| missing(r))?;
                        labels.push(encoder.index_of(v).map_err(|_| {
                            DataError::UnknownCategory {
                                file: table.source().to_string(),
                                line: table.line(r),
                                column: column.clone(),
                                value: v.to_string(),
                                known: encoder.classes().join(", "),
                            }
                        })?);
                    }
                    Targets::Classes {
                        labels,
                        class_names: encoder.classes().to_vec(),
                    }
                }
                TargetEncoding::Regression { .. } => {
                    let mut values = Vec::with_capacity(rows.len());
                    for &r in rows {
                        values.push(table.numeric_cell(r, t)?.ok_or_else(|| missing(r))?);
                    }
                    Targets::Regression {
                        values,
                        name: column.clone(),
                    }
                }
            };
        Dataset::new(
            dataset_name(table.source()),
            features,
            self.feature_names.clone(),
            targets,
        )
    }

    /// Features and targets of every row.
    pub fn transform_all(&self, table: &CsvTable) -> Result<Dataset> {
        let rows: Vec<usize> = (0..table.n_rows()).collect();
        self.transform(table, &rows)
    }
}

/// File stem of a source path, used as the data set's name.
fn dataset_name(source: &str) -> String {
    Path::new(source)
        .file_stem()
        .map_or_else(|| source.to_string(), |s| s.to_string_lossy().into_owned())
}

/// Fits the pipeline on `split.train` and transforms both parts.
pub fn prepare_split(table: &CsvTable, split: &Split) -> Result<PreparedSplit> {
    let preprocessor = Preprocessor::fit(table, &split.train)?;
    Ok(PreparedSplit {
        train: preprocessor.transform(table, &split.train)?,
        test: preprocessor.transform(table, &split.test)?,
        preprocessor,
    })
}

/// Fits the pipeline on `split.train` and transforms all three parts.
pub fn prepare_three_way(table: &CsvTable, split: &ThreeWaySplit) -> Result<PreparedThreeWay> {
    let preprocessor = Preprocessor::fit(table, &split.train)?;
    Ok(PreparedThreeWay {
        train: preprocessor.transform(table, &split.train)?,
        val: preprocessor.transform(table, &split.val)?,
        test: preprocessor.transform(table, &split.test)?,
        preprocessor,
    })
}

impl Split {
    /// [`prepare_split`]: the pipeline fitted on the training rows of `table`, and both parts
    /// transformed with it.
    ///
    /// # Errors
    /// As [`Preprocessor::fit`] and [`Preprocessor::transform`].
    pub fn prepare(&self, table: &CsvTable) -> Result<PreparedSplit> {
        prepare_split(table, self)
    }
}

impl ThreeWaySplit {
    /// [`prepare_three_way`]: the pipeline fitted on the training rows of `table`, and all
    /// three parts transformed with it.
    ///
    /// # Errors
    /// As [`Preprocessor::fit`] and [`Preprocessor::transform`].
    pub fn prepare(&self, table: &CsvTable) -> Result<PreparedThreeWay> {
        prepare_three_way(table, self)
    }
}

/// Encodes every row with a pipeline fitted on every row: fine when the pipeline learns no
/// statistics (no imputation, no scaling: only category names), as for the built-in
/// complete data sets. Prefer [`prepare_split`] otherwise.
pub fn encode_all(table: &CsvTable) -> Result<(Dataset, Preprocessor)> {
    let rows: Vec<usize> = (0..table.n_rows()).collect();
    let preprocessor = Preprocessor::fit(table, &rows)?;
    Ok((preprocessor.transform(table, &rows)?, preprocessor))
}
