//! A user's CSV file as the data of a spec (`[data] csv = "file.csv"`): the value types of its
//! keys and their translation into nn-data's options.
//!
//! ```toml
//! [data]
//! csv = "iris.csv"            # relative to the spec file
//! target = "species"          # the column to predict
//! task = "classification"     # or "regression"
//! delimiter = ","             # one character (default ",")
//! missing = "reject"          # or "mean", "median": fill numbers, most frequent category
//! missing_markers = ["NA"]    # cell texts meaning "missing" (the empty cell always does)
//! drop_columns = ["id"]       # columns that are not features
//! categorical = ["zip"]       # numeric-looking columns to one-hot encode
//! unknown_category = "error"  # or "all_zeros": a category never seen in training
//! ```

use std::path::Path;

use nn_data::{ImputeStrategy, MissingPolicy, UnknownCategory};
use serde::{Deserialize, Serialize};

use crate::spec::{DataSetName, DataSpec};

/// What the target column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CsvTask {
    /// Class names (any text); the loss is `cross_entropy` or `binary_cross_entropy`.
    Classification,
    /// Real numbers; the loss is `mse`.
    Regression,
}

impl CsvTask {
    /// Whether the task is classification.
    pub fn is_classification(self) -> bool {
        self == Self::Classification
    }
}

/// What to do with a missing feature cell.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingKind {
    /// A missing cell is an error naming file, line and column (the default).
    #[default]
    Reject,
    /// Numbers get the training mean; categories the most frequent training value.
    Mean,
    /// Numbers get the training median; categories the most frequent training value.
    Median,
}

impl MissingKind {
    /// nn-data's policy.
    pub fn to_policy(self) -> MissingPolicy {
        match self {
            Self::Reject => MissingPolicy::Reject,
            Self::Mean => MissingPolicy::Impute(ImputeStrategy::Mean),
            Self::Median => MissingPolicy::Impute(ImputeStrategy::Median),
        }
    }
}

/// What to do, at prediction time, with a category never seen in training.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownCategoryKind {
    /// An error naming file, line, column, the value and the known categories (the default).
    #[default]
    Error,
    /// Encode it as all zeros (no category active; a yes/no column as 0).
    AllZeros,
}

impl UnknownCategoryKind {
    /// nn-data's policy.
    pub fn to_policy(self) -> UnknownCategory {
        match self {
            Self::Error => UnknownCategory::Error,
            Self::AllZeros => UnknownCategory::AllZeros,
        }
    }
}

/// The CSV settings of a spec, with defaults applied.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvSource<'a> {
    /// The file, relative to the spec file.
    pub path: &'a Path,
    /// The target column.
    pub target: &'a str,
    /// Classification or regression.
    pub task: CsvTask,
    /// The field separator.
    pub delimiter: u8,
    /// The missing-value policy.
    pub missing: MissingKind,
    /// Cell texts meaning "missing".
    pub missing_markers: &'a [String],
    /// Columns that are not features.
    pub drop_columns: &'a [String],
    /// Columns forced to be categorical.
    pub categorical: &'a [String],
    /// The unseen-category policy.
    pub unknown_category: UnknownCategoryKind,
}

impl DataSpec {
    /// The CSV settings when the data is a CSV file (`set = "csv"`, the default when `csv` is
    /// given), `None` for a built-in set.
    ///
    /// # Errors
    /// A message naming the missing or invalid key of `[data]` (`target`, `task`,
    /// `delimiter`), or a CSV-only key given with a built-in set, to follow "`data` ".
    pub fn csv_source(&self) -> Result<Option<CsvSource<'_>>, String> {
        if self.set != DataSetName::Csv {
            if self.csv.is_some() {
                return Err(format!(
                    "has both `csv` and `set = {:?}`: give one of them",
                    self.set.as_str()
                ));
            }
            let csv_only = [
                ("target", self.target.is_some()),
                ("task", self.task.is_some()),
                ("delimiter", self.delimiter.is_some()),
                ("missing", self.missing.is_some()),
                ("missing_markers", !self.missing_markers.is_empty()),
                ("drop_columns", !self.drop_columns.is_empty()),
                ("categorical", !self.categorical.is_empty()),
                ("unknown_category", self.unknown_category.is_some()),
            ];
            if let Some((key, _)) = csv_only.iter().find(|(_, given)| *given) {
                return Err(format!(
                    "has `{key}`, which only applies to a `csv` file, with the built-in \
                     `set = {:?}` (whose columns, target and preparation are fixed)",
                    self.set.as_str()
                ));
            }
            return Ok(None);
        }
        let path = self
            .csv
            .as_deref()
            .ok_or("needs `csv` (the CSV file) or a built-in `set`")?;
        let target = self
            .target
            .as_deref()
            .ok_or("needs `target` (the column to predict) with `csv`")?;
        let task = self
            .task
            .ok_or("needs `task` (\"classification\" or \"regression\") with `csv`")?;
        let delimiter = match self.delimiter {
            None => b',',
            Some(c) if c.is_ascii() && c != '"' && c != '\n' && c != '\r' => c as u8,
            Some(c) => {
                return Err(format!(
                    "has `delimiter = {c:?}`, which must be one ASCII character other than a quote or a line break"
                ));
            }
        };
        Ok(Some(CsvSource {
            path,
            target,
            task,
            delimiter,
            missing: self.missing.unwrap_or_default(),
            missing_markers: &self.missing_markers,
            drop_columns: &self.drop_columns,
            categorical: &self.categorical,
            unknown_category: self.unknown_category.unwrap_or_default(),
        }))
    }

    /// Whether the data is a classification task (a built-in set's own, or the CSV's `task`).
    pub fn is_classification(&self) -> bool {
        match self.set {
            DataSetName::Csv => self.task.is_some_and(CsvTask::is_classification),
            set => set.is_classification(),
        }
    }
}
