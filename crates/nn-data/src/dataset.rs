//! The in-memory data set: features with one column per sample, plus targets.

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use crate::encoder::one_hot;
use crate::error::{DataError, Result};
use crate::split::{Split, ThreeWaySplit};

/// What a data set asks to predict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Targets {
    /// Classification: one class index per sample, indexing `class_names`.
    Classes {
        /// Class index of each sample (`< class_names.len()`).
        labels: Vec<usize>,
        /// Name of each class, in index order.
        class_names: Vec<String>,
    },
    /// Regression: one real value per sample.
    Regression {
        /// Target value of each sample.
        values: Vec<f32>,
        /// Name of the target column.
        name: String,
    },
}

impl Targets {
    /// Number of samples the targets describe.
    pub fn len(&self) -> usize {
        match self {
            Targets::Classes { labels, .. } => labels.len(),
            Targets::Regression { values, .. } => values.len(),
        }
    }

    /// `true` when there are no samples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `"classification"` or `"regression"`.
    pub fn task_name(&self) -> &'static str {
        match self {
            Targets::Classes { .. } => "classification",
            Targets::Regression { .. } => "regression",
        }
    }

    fn select(&self, indices: &[usize]) -> Targets {
        match self {
            Targets::Classes {
                labels,
                class_names,
            } => Targets::Classes {
                labels: indices.iter().map(|&i| labels[i]).collect(),
                class_names: class_names.clone(),
            },
            Targets::Regression { values, name } => Targets::Regression {
                values: indices.iter().map(|&i| values[i]).collect(),
                name: name.clone(),
            },
        }
    }
}

/// A data set: a `features × samples` matrix (one column per sample, so each sample is
/// contiguous in nalgebra's column-major storage), the feature names and the targets.
///
/// The fields are private to this crate, so every `Dataset` holds what [`Dataset::new`]
/// checks: one name per feature row, one target per sample, finite features and regression
/// values, and class labels below the number of class names. Read them through the
/// accessors; take them apart with [`Dataset::into_parts`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "DatasetRecord")]
pub struct Dataset {
    /// Short name used in messages (`"iris"`, `"mnist-train"`, a file name...).
    pub(crate) name: String,
    /// Features × samples.
    pub(crate) features: DMatrix<f32>,
    /// One name per feature row.
    pub(crate) feature_names: Vec<String>,
    /// One target per sample column.
    pub(crate) targets: Targets,
}

/// The serialised form of a [`Dataset`], checked by [`Dataset::new`] before it becomes one.
#[derive(Deserialize)]
struct DatasetRecord {
    name: String,
    features: DMatrix<f32>,
    feature_names: Vec<String>,
    targets: Targets,
}

impl TryFrom<DatasetRecord> for Dataset {
    type Error = DataError;

    fn try_from(r: DatasetRecord) -> Result<Self> {
        Dataset::new(r.name, r.features, r.feature_names, r.targets)
    }
}

impl Dataset {
    /// Builds a data set, checking that names, targets and features agree, that every
    /// feature is finite and that every class label is in range.
    pub fn new(
        name: impl Into<String>,
        features: DMatrix<f32>,
        feature_names: Vec<String>,
        targets: Targets,
    ) -> Result<Self> {
        if feature_names.len() != features.nrows() {
            return Err(DataError::ShapeMismatch {
                what: "feature names vs feature rows",
                expected: features.nrows(),
                found: feature_names.len(),
            });
        }
        if targets.len() != features.ncols() {
            return Err(DataError::ShapeMismatch {
                what: "targets vs samples (feature columns)",
                expected: features.ncols(),
                found: targets.len(),
            });
        }
        check_finite(&features, "Dataset::new")?;
        match &targets {
            Targets::Classes {
                labels,
                class_names,
            } => {
                if let Some((index, &value)) = labels
                    .iter()
                    .enumerate()
                    .find(|&(_, &l)| l >= class_names.len())
                {
                    return Err(DataError::InvalidLabel {
                        file: "<labels>".into(),
                        index,
                        value,
                        n_classes: class_names.len(),
                    });
                }
            }
            Targets::Regression { values, .. } => {
                if let Some(col) = values.iter().position(|v| !v.is_finite()) {
                    return Err(DataError::NonFiniteMatrix {
                        context: "regression targets",
                        row: 0,
                        col,
                    });
                }
            }
        }
        Ok(Self {
            name: name.into(),
            features,
            feature_names,
            targets,
        })
    }

    /// Short name used in messages (`"iris"`, `"mnist-train"`, a file name...).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The features, one row per feature and one column per sample.
    pub fn features(&self) -> &DMatrix<f32> {
        &self.features
    }

    /// One name per feature row.
    pub fn feature_names(&self) -> &[String] {
        &self.feature_names
    }

    /// One target per sample column.
    pub fn targets(&self) -> &Targets {
        &self.targets
    }

    /// The parts, by value: `(name, features, feature_names, targets)`. [`Dataset::new`]
    /// puts them back together (and checks them again).
    pub fn into_parts(self) -> (String, DMatrix<f32>, Vec<String>, Targets) {
        (self.name, self.features, self.feature_names, self.targets)
    }

    /// The same data set under another name (the name only appears in messages).
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// The features by value, dropping the rest.
    pub fn into_features(self) -> DMatrix<f32> {
        self.features
    }

    /// Number of samples (feature columns).
    pub fn n_samples(&self) -> usize {
        self.features.ncols()
    }

    /// Number of features (rows).
    pub fn n_features(&self) -> usize {
        self.features.nrows()
    }

    /// Number of classes, or `None` for regression.
    pub fn n_classes(&self) -> Option<usize> {
        match &self.targets {
            Targets::Classes { class_names, .. } => Some(class_names.len()),
            Targets::Regression { .. } => None,
        }
    }

    /// `true` for classification targets.
    pub fn is_classification(&self) -> bool {
        matches!(self.targets, Targets::Classes { .. })
    }

    /// Class labels, or `None` for regression.
    pub fn labels(&self) -> Option<&[usize]> {
        match &self.targets {
            Targets::Classes { labels, .. } => Some(labels),
            Targets::Regression { .. } => None,
        }
    }

    /// Class names, or `None` for regression.
    pub fn class_names(&self) -> Option<&[String]> {
        match &self.targets {
            Targets::Classes { class_names, .. } => Some(class_names),
            Targets::Regression { .. } => None,
        }
    }

    /// Regression values, or `None` for classification.
    pub fn values(&self) -> Option<&[f32]> {
        match &self.targets {
            Targets::Regression { values, .. } => Some(values),
            Targets::Classes { .. } => None,
        }
    }

    /// Number of samples of each class, or `None` for regression.
    pub fn class_counts(&self) -> Option<Vec<usize>> {
        match &self.targets {
            Targets::Classes {
                labels,
                class_names,
            } => {
                let mut counts = vec![0; class_names.len()];
                // In range: every label is below the number of class names (checked by
                // `Dataset::new`; the fields are private to this crate).
                for &l in labels {
                    counts[l] += 1;
                }
                Some(counts)
            }
            Targets::Regression { .. } => None,
        }
    }

    /// One-hot targets, `n_classes × samples`. Fails for regression targets or if a label
    /// is `>= n_classes`.
    pub fn one_hot(&self, n_classes: usize) -> Result<DMatrix<f32>> {
        let labels = self.labels().ok_or(DataError::WrongTask {
            operation: "one_hot",
            expected: "classification",
            found: "regression",
        })?;
        one_hot(labels, n_classes)
    }

    /// Binary targets `1 × samples` holding 0.0 or 1.0 (for a sigmoid output); needs exactly
    /// two classes (class index 1 is the positive class).
    pub fn binary_targets(&self) -> Result<DMatrix<f32>> {
        let labels = self.labels().ok_or(DataError::WrongTask {
            operation: "binary_targets",
            expected: "classification",
            found: "regression",
        })?;
        let n_classes = self.n_classes().unwrap_or(0);
        if n_classes != 2 {
            return Err(DataError::ShapeMismatch {
                what: "binary_targets needs exactly this many classes",
                expected: 2,
                found: n_classes,
            });
        }
        Ok(DMatrix::from_iterator(
            1,
            labels.len(),
            labels.iter().map(|&l| l as f32),
        ))
    }

    /// The targets as a matrix with one column per sample: one-hot (`classes × samples`)
    /// for classification, `1 × samples` values for regression.
    pub fn target_matrix(&self) -> DMatrix<f32> {
        match &self.targets {
            Targets::Classes {
                labels,
                class_names,
            } => {
                let mut m = DMatrix::zeros(class_names.len(), labels.len());
                for (j, &l) in labels.iter().enumerate() {
                    m[(l, j)] = 1.0;
                }
                m
            }
            Targets::Regression { values, .. } => DMatrix::from_row_slice(1, values.len(), values),
        }
    }

    /// The features converted to `f64`.
    pub fn features_f64(&self) -> DMatrix<f64> {
        self.features.map(f64::from)
    }

    /// A new data set holding the given samples, in the given order (repeats allowed).
    pub fn select(&self, indices: &[usize]) -> Result<Dataset> {
        let n = self.n_samples();
        if let Some(&index) = indices.iter().find(|&&i| i >= n) {
            return Err(DataError::IndexOutOfRange { index, len: n });
        }
        let rows = self.n_features();
        let src = self.features.as_slice();
        let mut data = Vec::with_capacity(rows * indices.len());
        for &i in indices {
            data.extend_from_slice(&src[i * rows..(i + 1) * rows]);
        }
        Ok(Dataset {
            name: self.name.clone(),
            features: DMatrix::from_vec(rows, indices.len(), data),
            feature_names: self.feature_names.clone(),
            targets: self.targets.select(indices),
        })
    }

    /// `(train, test)` data sets from a split of this data set's indices.
    pub fn apply_split(&self, split: &Split) -> Result<(Dataset, Dataset)> {
        Ok((self.select(&split.train)?, self.select(&split.test)?))
    }

    /// `(train, val, test)` data sets from a three-way split.
    pub fn apply_three_way_split(
        &self,
        split: &ThreeWaySplit,
    ) -> Result<(Dataset, Dataset, Dataset)> {
        Ok((
            self.select(&split.train)?,
            self.select(&split.val)?,
            self.select(&split.test)?,
        ))
    }

    /// The seeded split this data set would use: stratified by class for classification,
    /// plain shuffled for regression. `test_ratio` in (0, 1); the test part gets
    /// `ceil(test_ratio · n)` samples.
    pub fn split_indices(&self, test_ratio: f64, seed: u64) -> Result<Split> {
        match self.labels() {
            Some(labels) => crate::split::stratified_train_test_split(labels, test_ratio, seed),
            None => crate::split::train_test_split(self.n_samples(), test_ratio, seed),
        }
    }

    /// Seeded `(train, test)` data sets, stratified for classification.
    pub fn train_test_split(&self, test_ratio: f64, seed: u64) -> Result<(Dataset, Dataset)> {
        self.apply_split(&self.split_indices(test_ratio, seed)?)
    }

    /// [`Dataset::train_test_split`], consuming the data set ([`Dataset::into_split`]).
    pub fn into_train_test_split(self, test_ratio: f64, seed: u64) -> Result<(Dataset, Dataset)> {
        let split = self.split_indices(test_ratio, seed)?;
        self.into_split(&split)
    }

    /// The `(train, test)` parts of `split`, consuming the data set: the test part is copied
    /// and the training part gathered in place, so a large set is never held twice. Equal to
    /// [`Dataset::apply_split`]; a `split` that is not a partition of the samples is copied
    /// like there.
    ///
    /// # Errors
    /// [`DataError::IndexOutOfRange`] for an index past the last sample.
    pub fn into_split(self, split: &Split) -> Result<(Dataset, Dataset)> {
        let test = self.select(&split.test)?;
        let order: Vec<usize> = split.train.iter().chain(&split.test).copied().collect();
        if !is_permutation(&order, self.n_samples()) {
            return Ok((self.select(&split.train)?, test));
        }
        let rows = self.n_features();
        let targets = self.targets.select(&split.train);
        let mut data: Vec<f32> = self.features.data.into();
        gather_columns_in_place(&mut data, rows, &order);
        data.truncate(rows * split.train.len());
        // Give the test samples' tail back (a large buffer shrinks in place).
        data.shrink_to_fit();
        let train = Dataset {
            name: self.name,
            features: DMatrix::from_vec(rows, split.train.len(), data),
            feature_names: self.feature_names,
            targets,
        };
        Ok((train, test))
    }

    /// Seeded `(train, val, test)` data sets, stratified for classification.
    pub fn train_val_test_split(
        &self,
        val_ratio: f64,
        test_ratio: f64,
        seed: u64,
    ) -> Result<(Dataset, Dataset, Dataset)> {
        let split = match self.labels() {
            Some(labels) => {
                crate::split::stratified_train_val_test_split(labels, val_ratio, test_ratio, seed)?
            }
            None => {
                crate::split::train_val_test_split(self.n_samples(), val_ratio, test_ratio, seed)?
            }
        };
        self.apply_three_way_split(&split)
    }
}

/// Fails with [`DataError::NonFiniteMatrix`] at the first NaN or infinite entry.
pub(crate) fn check_finite(m: &DMatrix<f32>, context: &'static str) -> Result<()> {
    match m.as_slice().iter().position(|v| !v.is_finite()) {
        None => Ok(()),
        Some(k) => Err(DataError::NonFiniteMatrix {
            context,
            row: k % m.nrows().max(1),
            col: k / m.nrows().max(1),
        }),
    }
}

/// Whether `order` holds every index below `n` exactly once.
fn is_permutation(order: &[usize], n: usize) -> bool {
    let mut seen = vec![false; n];
    order.len() == n
        && order
            .iter()
            .all(|&i| i < n && !std::mem::replace(&mut seen[i], true))
}

/// Rearranges the columns (of `rows` values) of `data` so that column `j` becomes the old
/// column `order[j]`, where `order` is a permutation of all columns: follows each cycle of the
/// permutation with one column of scratch space.
fn gather_columns_in_place(data: &mut [f32], rows: usize, order: &[usize]) {
    let mut done = vec![false; order.len()];
    let mut saved = vec![0.0f32; rows];
    for start in 0..order.len() {
        if done[start] || order[start] == start {
            done[start] = true;
            continue;
        }
        saved.copy_from_slice(&data[start * rows..(start + 1) * rows]);
        let mut dest = start;
        loop {
            done[dest] = true;
            let src = order[dest];
            if src == start {
                data[dest * rows..(dest + 1) * rows].copy_from_slice(&saved);
                break;
            }
            data.copy_within(src * rows..(src + 1) * rows, dest * rows);
            dest = src;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_gathered_in_place_along_every_cycle() {
        // Columns of two values; the permutation has a fixed point, a 2-cycle and a 3-cycle.
        let order = [0, 2, 1, 5, 3, 4];
        let mut data: Vec<f32> = (0..12).map(|v| v as f32).collect();
        gather_columns_in_place(&mut data, 2, &order);
        let expected: Vec<f32> = order
            .iter()
            .flat_map(|&c| [2.0 * c as f32, 2.0 * c as f32 + 1.0])
            .collect();
        assert_eq!(data, expected);
    }

    fn small() -> Dataset {
        Dataset::new(
            "small",
            DMatrix::from_fn(3, 10, |r, c| (r * 10 + c) as f32),
            vec!["a".into(), "b".into(), "c".into()],
            Targets::Classes {
                labels: (0..10).map(|c| c % 2).collect(),
                class_names: vec!["even".into(), "odd".into()],
            },
        )
        .unwrap()
    }

    #[test]
    fn parts_go_back_together_and_a_changed_part_is_checked_again() {
        let ds = small();
        let (name, features, feature_names, targets) = ds.clone().into_parts();
        let rebuilt = Dataset::new(name, features.clone(), feature_names.clone(), targets);
        assert_eq!(rebuilt.unwrap(), ds);
        // A label beyond the class names cannot get into a data set through its parts.
        let bad = Targets::Classes {
            labels: (0..10).map(|c| c % 3).collect(),
            class_names: vec!["even".into(), "odd".into()],
        };
        let err = Dataset::new("small", features, feature_names, bad).unwrap_err();
        assert!(
            matches!(err, DataError::InvalidLabel { value: 2, .. }),
            "{err}"
        );
        assert_eq!(ds.clone().with_name("renamed").name(), "renamed");
        assert_eq!(ds.class_counts(), Some(vec![5, 5]));
    }

    #[test]
    fn consuming_splits_equal_copying_splits() {
        let d = small();
        for split in [
            d.split_indices(0.3, 7).unwrap(),
            // Not a partition (a sample in both parts, some in neither): copied instead.
            Split {
                train: vec![1, 2, 2, 9],
                test: vec![2, 0],
            },
        ] {
            let (train_ref, test_ref) = d.apply_split(&split).unwrap();
            let (train, test) = d.clone().into_split(&split).unwrap();
            assert_eq!(train.features, train_ref.features);
            assert_eq!(test.features, test_ref.features);
            assert_eq!(train.labels(), train_ref.labels());
            assert_eq!(test.labels(), test_ref.labels());
        }
        let bad = Split {
            train: vec![0],
            test: vec![10],
        };
        assert!(matches!(
            d.into_split(&bad),
            Err(DataError::IndexOutOfRange { index: 10, .. })
        ));
    }
}
