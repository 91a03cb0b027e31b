//! Categorical encoders: one-hot columns for features, class indices for targets.

use std::cmp::Ordering;

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use crate::error::{DataError, Result};

/// One-hot targets `n_classes × labels.len()` (one column per sample).
pub fn one_hot(labels: &[usize], n_classes: usize) -> Result<DMatrix<f32>> {
    let mut m = DMatrix::zeros(n_classes, labels.len());
    for (index, &l) in labels.iter().enumerate() {
        if l >= n_classes {
            return Err(DataError::InvalidLabel {
                file: "<labels>".into(),
                index,
                value: l,
                n_classes,
            });
        }
        m[(l, index)] = 1.0;
    }
    Ok(m)
}

/// Orders category strings: numerically when every one parses as a number, otherwise
/// lexicographically; so `"2" < "10"` and `"C" < "Q" < "S"`.
pub(crate) fn sort_categories(categories: &mut [String]) {
    let numeric: Option<Vec<f64>> = categories.iter().map(|c| c.parse::<f64>().ok()).collect();
    match numeric {
        Some(_) => categories.sort_by(|a, b| {
            let (x, y) = (
                a.parse::<f64>().unwrap_or(0.0),
                b.parse::<f64>().unwrap_or(0.0),
            );
            x.partial_cmp(&y)
                .unwrap_or(Ordering::Equal)
                .then_with(|| a.cmp(b))
        }),
        None => categories.sort(),
    }
}

/// Distinct values in category order.
pub(crate) fn distinct_sorted<S: AsRef<str>>(values: &[S]) -> Vec<String> {
    let mut cats: Vec<String> = values.iter().map(|v| v.as_ref().to_string()).collect();
    cats.sort();
    cats.dedup();
    sort_categories(&mut cats);
    cats
}

/// What to do with a category that was not seen when fitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum UnknownCategory {
    /// Fail with [`DataError::UnknownCategory`] (the default).
    #[default]
    Error,
    /// Encode the value as all zeros (no category active); a yes/no column encodes it as 0.
    AllZeros,
}

/// Maps each category of one column to its own 0/1 row. Categories are sorted (numerically
/// if all are numbers), so the encoding does not depend on row order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneHotEncoder {
    categories: Vec<String>,
    unknown: UnknownCategory,
}

impl OneHotEncoder {
    /// Learns the categories present in the training values.
    pub fn fit<S: AsRef<str>>(train: &[S]) -> Result<Self> {
        if train.is_empty() {
            return Err(DataError::EmptyInput {
                what: "one-hot encoder training values",
            });
        }
        Ok(Self {
            categories: distinct_sorted(train),
            unknown: UnknownCategory::Error,
        })
    }

    /// Same encoder with another policy for unseen categories.
    pub fn with_unknown(mut self, unknown: UnknownCategory) -> Self {
        self.unknown = unknown;
        self
    }

    /// The categories, in row order.
    pub fn categories(&self) -> &[String] {
        &self.categories
    }

    /// Number of output rows.
    pub fn n_outputs(&self) -> usize {
        self.categories.len()
    }

    /// Row of `value`, `Ok(None)` for an unseen value under [`UnknownCategory::AllZeros`].
    pub fn index_of(&self, value: &str) -> Result<Option<usize>> {
        match self.categories.iter().position(|c| c == value) {
            Some(i) => Ok(Some(i)),
            None => match self.unknown {
                UnknownCategory::AllZeros => Ok(None),
                UnknownCategory::Error => Err(DataError::UnknownCategory {
                    file: "<input>".into(),
                    line: 0,
                    column: "<one-hot>".into(),
                    value: value.to_string(),
                    known: self.categories.join(", "),
                }),
            },
        }
    }

    /// `categories × values.len()` 0/1 matrix.
    pub fn transform<S: AsRef<str>>(&self, values: &[S]) -> Result<DMatrix<f32>> {
        let mut m = DMatrix::zeros(self.categories.len(), values.len());
        for (j, v) in values.iter().enumerate() {
            if let Some(i) = self.index_of(v.as_ref())? {
                m[(i, j)] = 1.0;
            }
        }
        Ok(m)
    }
}

/// Maps class names to indices `0..n_classes` (sorted, numerically if all are numbers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelEncoder {
    classes: Vec<String>,
}

impl LabelEncoder {
    /// Learns the classes present in `train`.
    pub fn fit<S: AsRef<str>>(train: &[S]) -> Result<Self> {
        if train.is_empty() {
            return Err(DataError::EmptyInput {
                what: "label encoder training values",
            });
        }
        Ok(Self {
            classes: distinct_sorted(train),
        })
    }

    /// Class names in index order.
    pub fn classes(&self) -> &[String] {
        &self.classes
    }

    /// Number of classes.
    pub fn n_classes(&self) -> usize {
        self.classes.len()
    }

    /// Index of one class name.
    pub fn index_of(&self, value: &str) -> Result<usize> {
        self.classes
            .iter()
            .position(|c| c == value)
            .ok_or_else(|| DataError::UnknownCategory {
                file: "<input>".into(),
                line: 0,
                column: "<label>".into(),
                value: value.to_string(),
                known: self.classes.join(", "),
            })
    }

    /// Class indices of `values`; an unseen class is an error.
    pub fn transform<S: AsRef<str>>(&self, values: &[S]) -> Result<Vec<usize>> {
        values.iter().map(|v| self.index_of(v.as_ref())).collect()
    }

    /// Class name of an index, if in range.
    pub fn inverse(&self, index: usize) -> Option<&str> {
        self.classes.get(index).map(String::as_str)
    }
}
