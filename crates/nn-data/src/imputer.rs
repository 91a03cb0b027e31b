//! Missing-value imputation fitted on training data.
//!
//! In a matrix, a missing value is `NaN` (nothing else is treated as missing); infinities
//! are errors. CSV cells that are empty (or match a missing marker) become missing values.

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use crate::encoder::sort_categories;
use crate::error::{DataError, Result};

/// How to fill a missing numeric value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ImputeStrategy {
    /// Mean of the observed training values.
    Mean,
    /// Median of the observed training values (mean of the middle two for an even count).
    #[default]
    Median,
    /// Most frequent observed training value (the smallest one on a tie).
    MostFrequent,
}

/// The fill value for `observed` (missing values already removed); `None` if empty.
pub(crate) fn numeric_fill(observed: &[f32], strategy: ImputeStrategy) -> Option<f32> {
    if observed.is_empty() {
        return None;
    }
    let mut sorted = observed.to_vec();
    sorted.sort_by(f32::total_cmp);
    Some(match strategy {
        ImputeStrategy::Mean => {
            (observed.iter().map(|&v| f64::from(v)).sum::<f64>() / observed.len() as f64) as f32
        }
        ImputeStrategy::Median => {
            let m = sorted.len() / 2;
            if sorted.len() % 2 == 1 {
                sorted[m]
            } else {
                ((f64::from(sorted[m - 1]) + f64::from(sorted[m])) / 2.0) as f32
            }
        }
        ImputeStrategy::MostFrequent => {
            let (mut best, mut best_count) = (sorted[0], 0usize);
            let mut i = 0;
            while i < sorted.len() {
                let mut j = i;
                while j < sorted.len() && sorted[j] == sorted[i] {
                    j += 1;
                }
                if j - i > best_count {
                    best = sorted[i];
                    best_count = j - i;
                }
                i = j;
            }
            best
        }
    })
}

/// Most frequent string (ties broken by category order); `None` if empty.
pub(crate) fn most_frequent_str<'a>(observed: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut values: Vec<String> = observed.map(str::to_string).collect();
    values.sort();
    let mut groups: Vec<(String, usize)> = Vec::new();
    for v in values {
        match groups.last_mut() {
            Some((last, count)) if *last == v => *count += 1,
            _ => groups.push((v, 1)),
        }
    }
    let best = groups.iter().map(|(_, c)| *c).max()?;
    let mut tied: Vec<String> = groups
        .into_iter()
        .filter(|(_, c)| *c == best)
        .map(|(v, _)| v)
        .collect();
    sort_categories(&mut tied);
    tied.into_iter().next()
}

/// Replaces `NaN` entries of each feature row with a value learned from the training data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Imputer {
    strategy: ImputeStrategy,
    fill: Vec<f32>,
}

impl Imputer {
    /// Learns one fill value per feature (row) from `train` (features × samples).
    /// Fails if a feature has no observed value or holds an infinity.
    pub fn fit(train: &DMatrix<f32>, strategy: ImputeStrategy) -> Result<Self> {
        let mut fill = Vec::with_capacity(train.nrows());
        for (row, values) in train.row_iter().enumerate() {
            let mut observed = Vec::with_capacity(values.len());
            for (col, &v) in values.iter().enumerate() {
                if v.is_infinite() {
                    return Err(DataError::NonFiniteMatrix {
                        context: "Imputer::fit",
                        row,
                        col,
                    });
                }
                if !v.is_nan() {
                    observed.push(v);
                }
            }
            fill.push(
                numeric_fill(&observed, strategy).ok_or(DataError::InvalidParameter {
                    what: "imputer training data",
                    reason: format!(
                        "feature {row} has no observed value to learn a fill value from"
                    ),
                })?,
            );
        }
        Ok(Self { strategy, fill })
    }

    /// The strategy used.
    pub fn strategy(&self) -> ImputeStrategy {
        self.strategy
    }

    /// Fill value of each feature.
    pub fn fill_values(&self) -> &[f32] {
        &self.fill
    }

    /// Copy of `x` with every `NaN` replaced by its feature's fill value.
    pub fn transform(&self, x: &DMatrix<f32>) -> Result<DMatrix<f32>> {
        if x.nrows() != self.fill.len() {
            return Err(DataError::ShapeMismatch {
                what: "imputer input features (rows)",
                expected: self.fill.len(),
                found: x.nrows(),
            });
        }
        let mut out = x.clone();
        for (col, mut column) in out.column_iter_mut().enumerate() {
            for (row, v) in column.iter_mut().enumerate() {
                if v.is_nan() {
                    *v = self.fill[row];
                } else if v.is_infinite() {
                    return Err(DataError::NonFiniteMatrix {
                        context: "Imputer::transform",
                        row,
                        col,
                    });
                }
            }
        }
        Ok(out)
    }
}

/// Fills missing categorical values with the training mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoricalImputer {
    fill: String,
}

impl CategoricalImputer {
    /// Learns the most frequent observed value (`None` entries are missing).
    pub fn fit<S: AsRef<str>>(train: &[Option<S>]) -> Result<Self> {
        let fill = most_frequent_str(train.iter().flatten().map(AsRef::as_ref)).ok_or(
            DataError::EmptyInput {
                what: "categorical imputer training values (all missing)",
            },
        )?;
        Ok(Self { fill })
    }

    /// The fill value.
    pub fn fill_value(&self) -> &str {
        &self.fill
    }

    /// Values with every `None` replaced by the fill value.
    pub fn transform<S: AsRef<str>>(&self, values: &[Option<S>]) -> Vec<String> {
        values
            .iter()
            .map(|v| {
                v.as_ref()
                    .map_or(self.fill.clone(), |s| s.as_ref().to_string())
            })
            .collect()
    }
}
