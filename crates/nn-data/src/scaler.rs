//! Feature scalers fitted on training data (features × samples, statistics per feature row).

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use crate::dataset::check_finite;
use crate::error::{DataError, Result};

fn check_fit_input(x: &DMatrix<f32>, context: &'static str) -> Result<()> {
    if x.ncols() == 0 || x.nrows() == 0 {
        return Err(DataError::EmptyInput { what: context });
    }
    check_finite(x, context)
}

fn check_rows(expected: usize, x: &DMatrix<f32>) -> Result<()> {
    if x.nrows() != expected {
        return Err(DataError::ShapeMismatch {
            what: "scaler input features (rows)",
            expected,
            found: x.nrows(),
        });
    }
    Ok(())
}

/// Maps each feature linearly so the training minimum becomes 0 and the maximum 1.
/// A constant feature maps to 0. Values outside the training range fall outside [0, 1].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "MinMaxRecord")]
pub struct MinMaxScaler {
    min: Vec<f32>,
    range: Vec<f32>,
}

/// The serialised form of a [`MinMaxScaler`], checked before it becomes one.
#[derive(Deserialize)]
struct MinMaxRecord {
    min: Vec<f32>,
    range: Vec<f32>,
}

impl TryFrom<MinMaxRecord> for MinMaxScaler {
    type Error = DataError;

    fn try_from(r: MinMaxRecord) -> Result<Self> {
        check_stored("MinMaxScaler", &r.min, &r.range)?;
        Ok(Self {
            min: r.min,
            range: r.range,
        })
    }
}

/// Checks a scaler read from a file: one finite offset and one finite, positive divisor per
/// feature (a fitted scaler always has them; anything else would scale in silence to
/// garbage, an infinite divisor every value to 0).
fn check_stored(what: &'static str, offsets: &[f32], divisors: &[f32]) -> Result<()> {
    if offsets.len() != divisors.len() {
        return Err(DataError::ShapeMismatch {
            what,
            expected: offsets.len(),
            found: divisors.len(),
        });
    }
    if offsets.iter().any(|v| !v.is_finite())
        || divisors.iter().any(|d| !d.is_finite() || *d <= 0.0)
    {
        return Err(DataError::InvalidParameter {
            what,
            reason: "a stored offset is not finite or a divisor is not finite and > 0".into(),
        });
    }
    Ok(())
}

impl MinMaxScaler {
    /// Learns per-feature minimum and range from `train` (features × samples).
    pub fn fit(train: &DMatrix<f32>) -> Result<Self> {
        check_fit_input(train, "MinMaxScaler::fit")?;
        let mut min = vec![f32::INFINITY; train.nrows()];
        let mut max = vec![f32::NEG_INFINITY; train.nrows()];
        for col in train.column_iter() {
            for (i, &v) in col.iter().enumerate() {
                min[i] = min[i].min(v);
                max[i] = max[i].max(v);
            }
        }
        let mut range = Vec::with_capacity(min.len());
        for (row, (&lo, &hi)) in min.iter().zip(&max).enumerate() {
            let r = hi - lo;
            if !r.is_finite() {
                return Err(DataError::NonFiniteMatrix {
                    context: "MinMaxScaler::fit (range overflows f32)",
                    row,
                    col: 0,
                });
            }
            range.push(if r > 0.0 { r } else { 1.0 });
        }
        Ok(Self { min, range })
    }

    /// Per-feature training minimum.
    pub fn min(&self) -> &[f32] {
        &self.min
    }

    /// Per-feature divisor (max − min, or 1 for a constant feature).
    pub fn range(&self) -> &[f32] {
        &self.range
    }

    /// Scales `x` in place.
    pub fn transform_in_place(&self, x: &mut DMatrix<f32>) -> Result<()> {
        check_rows(self.min.len(), x)?;
        check_finite(x, "MinMaxScaler::transform")?;
        standardise_rows(x, &self.min, &self.range);
        Ok(())
    }

    /// Scaled copy of `x`.
    pub fn transform(&self, x: &DMatrix<f32>) -> Result<DMatrix<f32>> {
        let mut out = x.clone();
        self.transform_in_place(&mut out)?;
        Ok(out)
    }

    /// Undoes the scaling.
    pub fn inverse_transform(&self, x: &DMatrix<f32>) -> Result<DMatrix<f32>> {
        check_rows(self.min.len(), x)?;
        let mut out = x.clone();
        unstandardise_rows(&mut out, &self.min, &self.range);
        Ok(out)
    }
}

/// Maps each feature to zero mean and unit (population) standard deviation on the
/// training data. A constant feature is only centred.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "StandardRecord")]
pub struct StandardScaler {
    mean: Vec<f32>,
    std: Vec<f32>,
}

/// The serialised form of a [`StandardScaler`], checked before it becomes one.
#[derive(Deserialize)]
struct StandardRecord {
    mean: Vec<f32>,
    std: Vec<f32>,
}

impl TryFrom<StandardRecord> for StandardScaler {
    type Error = DataError;

    fn try_from(r: StandardRecord) -> Result<Self> {
        check_stored("StandardScaler", &r.mean, &r.std)?;
        Ok(Self {
            mean: r.mean,
            std: r.std,
        })
    }
}

impl StandardScaler {
    /// Learns per-feature mean and standard deviation from `train` (features × samples).
    pub fn fit(train: &DMatrix<f32>) -> Result<Self> {
        check_fit_input(train, "StandardScaler::fit")?;
        let n = train.ncols() as f64;
        let rows = train.nrows();
        let mut sum = vec![0.0f64; rows];
        for col in train.column_iter() {
            for (i, &v) in col.iter().enumerate() {
                sum[i] += f64::from(v);
            }
        }
        let mean: Vec<f64> = sum.iter().map(|s| s / n).collect();
        let mut sq = vec![0.0f64; rows];
        for col in train.column_iter() {
            for (i, &v) in col.iter().enumerate() {
                let d = f64::from(v) - mean[i];
                sq[i] += d * d;
            }
        }
        let mut std = Vec::with_capacity(rows);
        for (row, s) in sq.iter().enumerate() {
            let sd = (s / n).sqrt() as f32;
            // At most half the range (Popoviciu), so at most `f32::MAX` for finite features;
            // this guards the f64 → f32 rounding rather than replace an infinity with 1.
            if !sd.is_finite() {
                return Err(DataError::NonFiniteMatrix {
                    context: "StandardScaler::fit (standard deviation overflows f32)",
                    row,
                    col: 0,
                });
            }
            std.push(if sd > 0.0 { sd } else { 1.0 });
        }
        Ok(Self {
            mean: mean.iter().map(|&m| m as f32).collect(),
            std,
        })
    }

    /// Per-feature training mean.
    pub fn mean(&self) -> &[f32] {
        &self.mean
    }

    /// Per-feature training standard deviation (1 for a constant feature).
    pub fn std(&self) -> &[f32] {
        &self.std
    }

    /// Standardises `x` in place.
    pub fn transform_in_place(&self, x: &mut DMatrix<f32>) -> Result<()> {
        check_rows(self.mean.len(), x)?;
        check_finite(x, "StandardScaler::transform")?;
        standardise_rows(x, &self.mean, &self.std);
        Ok(())
    }

    /// Standardised copy of `x`.
    pub fn transform(&self, x: &DMatrix<f32>) -> Result<DMatrix<f32>> {
        let mut out = x.clone();
        self.transform_in_place(&mut out)?;
        Ok(out)
    }

    /// Undoes the standardisation (e.g. to report regression predictions in original units).
    pub fn inverse_transform(&self, x: &DMatrix<f32>) -> Result<DMatrix<f32>> {
        check_rows(self.mean.len(), x)?;
        let mut out = x.clone();
        unstandardise_rows(&mut out, &self.mean, &self.std);
        Ok(out)
    }
}

/// Which scaler a preprocessing pipeline fits on its training features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Scaling {
    /// Leave features as encoded.
    #[default]
    None,
    /// [`MinMaxScaler`].
    MinMax,
    /// [`StandardScaler`].
    Standard,
}

/// A fitted scaler of either kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FittedScaler {
    /// Min-max scaling.
    MinMax(MinMaxScaler),
    /// Standardisation.
    Standard(StandardScaler),
}

impl FittedScaler {
    /// The number of features it scales.
    pub fn n_features(&self) -> usize {
        match self {
            Self::MinMax(s) => s.min.len(),
            Self::Standard(s) => s.mean.len(),
        }
    }

    /// Fits the scaler `scaling` asks for; `None` for [`Scaling::None`].
    pub fn fit(scaling: Scaling, train: &DMatrix<f32>) -> Result<Option<Self>> {
        Ok(match scaling {
            Scaling::None => None,
            Scaling::MinMax => Some(Self::MinMax(MinMaxScaler::fit(train)?)),
            Scaling::Standard => Some(Self::Standard(StandardScaler::fit(train)?)),
        })
    }

    /// Scales `x` in place.
    pub fn transform_in_place(&self, x: &mut DMatrix<f32>) -> Result<()> {
        match self {
            Self::MinMax(s) => s.transform_in_place(x),
            Self::Standard(s) => s.transform_in_place(x),
        }
    }
}
/// `x[i, j] = (x[i, j] − shift[i]) / scale[i]`: the affine map both scalers apply per feature.
fn standardise_rows(x: &mut DMatrix<f32>, shift: &[f32], scale: &[f32]) {
    for mut col in x.column_iter_mut() {
        for ((v, &s), &d) in col.iter_mut().zip(shift).zip(scale) {
            *v = (*v - s) / d;
        }
    }
}

/// The inverse of [`standardise_rows`]: `x[i, j] = x[i, j]·scale[i] + shift[i]`.
fn unstandardise_rows(x: &mut DMatrix<f32>, shift: &[f32], scale: &[f32]) {
    for mut col in x.column_iter_mut() {
        for ((v, &s), &d) in col.iter_mut().zip(shift).zip(scale) {
            *v = *v * d + s;
        }
    }
}
