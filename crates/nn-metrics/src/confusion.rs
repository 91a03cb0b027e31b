//! The confusion matrix: counts of (true class, predicted class) pairs.

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::MetricError;
use crate::table_name::table_name;

/// Counts of samples per (true class, predicted class), laid out like scikit-learn's
/// `confusion_matrix`: **rows are true classes, columns are predicted classes**.
///
/// Built for the classes `0..n_classes`, which equals scikit-learn's
/// `confusion_matrix(y_true, y_pred, labels=range(n_classes))`: a class that occurs in neither
/// input still gets its (all-zero) row and column.
///
/// `Display` prints an aligned table headed by the class names (by default `"0"`, `"1"`, …;
/// set them with [`ConfusionMatrix::with_class_names`]). It serialises as
/// `{"class_names": [...], "counts": [[...], ...]}`; deserialising checks that the matrix is
/// square and that there is one name per class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ConfusionMatrixRecord")]
pub struct ConfusionMatrix {
    class_names: Vec<String>,
    counts: Vec<Vec<usize>>,
}

/// The serialised form, checked before it becomes a [`ConfusionMatrix`].
#[derive(Deserialize)]
struct ConfusionMatrixRecord {
    class_names: Vec<String>,
    counts: Vec<Vec<usize>>,
}

impl TryFrom<ConfusionMatrixRecord> for ConfusionMatrix {
    type Error = MetricError;

    fn try_from(record: ConfusionMatrixRecord) -> Result<Self, MetricError> {
        let n = record.counts.len();
        if n == 0 {
            return Err(MetricError::TooFewClasses {
                n_classes: 0,
                minimum: 1,
            });
        }
        if let Some((row, cells)) = record.counts.iter().enumerate().find(|(_, r)| r.len() != n) {
            return Err(MetricError::Inconsistent {
                what: "confusion matrix",
                reason: format!(
                    "row {row} has {} counts but there are {n} rows",
                    cells.len()
                ),
            });
        }
        if record.class_names.len() != n {
            return Err(MetricError::ClassNameCount {
                n_classes: n,
                got: record.class_names.len(),
            });
        }
        // Rates divide by the total (and by row and column sums, which it bounds).
        let total = record
            .counts
            .iter()
            .flatten()
            .try_fold(0usize, |sum, &c| sum.checked_add(c));
        match total {
            Some(0) => {
                return Err(MetricError::Inconsistent {
                    what: "confusion matrix",
                    reason: "it counts no sample".into(),
                });
            }
            None => {
                return Err(MetricError::Inconsistent {
                    what: "confusion matrix",
                    reason: "its counts add up to more than a usize holds".into(),
                });
            }
            Some(_) => {}
        }
        Ok(ConfusionMatrix {
            class_names: record.class_names,
            counts: record.counts,
        })
    }
}

/// Checks that every label of `argument` is in `0..n_classes`.
pub(crate) fn check_class_labels(
    argument: &'static str,
    labels: &[usize],
    n_classes: usize,
) -> Result<(), MetricError> {
    match labels.iter().enumerate().find(|&(_, &l)| l >= n_classes) {
        Some((index, &label)) => Err(MetricError::LabelOutOfRange {
            argument,
            index,
            label,
            n_classes,
        }),
        None => Ok(()),
    }
}

/// Builds the `n_classes × n_classes` confusion matrix of `y_pred` against `y_true`
/// (rows = true class, columns = predicted class). Same as [`ConfusionMatrix::new`].
///
/// # Errors
/// [`MetricError::LengthMismatch`], [`MetricError::Empty`], [`MetricError::TooFewClasses`]
/// when `n_classes` is 0, [`MetricError::LabelOutOfRange`] when a label is `>= n_classes`.
///
/// # Example
/// ```
/// let cm = nn_metrics::confusion_matrix(&[0, 0, 1, 2], &[0, 1, 1, 2], 3).unwrap();
/// assert_eq!(cm.count(0, 1), Some(1)); // one sample of class 0 predicted as 1
/// assert_eq!(cm.trace(), 3);
/// ```
pub fn confusion_matrix(
    y_true: &[usize],
    y_pred: &[usize],
    n_classes: usize,
) -> Result<ConfusionMatrix, MetricError> {
    ConfusionMatrix::new(y_true, y_pred, n_classes)
}

impl ConfusionMatrix {
    /// Builds the confusion matrix for classes `0..n_classes`; see [`confusion_matrix`].
    ///
    /// # Errors
    /// As [`confusion_matrix`].
    pub fn new(y_true: &[usize], y_pred: &[usize], n_classes: usize) -> Result<Self, MetricError> {
        MetricError::check_paired("y_true", y_true.len(), "y_pred", y_pred.len())?;
        if n_classes == 0 {
            return Err(MetricError::TooFewClasses {
                n_classes,
                minimum: 1,
            });
        }
        check_class_labels("y_true", y_true, n_classes)?;
        check_class_labels("y_pred", y_pred, n_classes)?;
        let mut counts = vec![vec![0usize; n_classes]; n_classes];
        for (&t, &p) in y_true.iter().zip(y_pred) {
            counts[t][p] += 1;
        }
        Ok(ConfusionMatrix {
            class_names: (0..n_classes).map(|c| c.to_string()).collect(),
            counts,
        })
    }

    /// Replaces the class names shown by `Display` (one per class, in class order).
    ///
    /// # Errors
    /// [`MetricError::ClassNameCount`] if the number of names is not `n_classes`.
    pub fn with_class_names<I, S>(mut self, names: I) -> Result<Self, MetricError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let names: Vec<String> = names.into_iter().map(Into::into).collect();
        if names.len() != self.n_classes() {
            return Err(MetricError::ClassNameCount {
                n_classes: self.n_classes(),
                got: names.len(),
            });
        }
        self.class_names = names;
        Ok(self)
    }

    /// Number of classes (the matrix is `n_classes × n_classes`).
    pub fn n_classes(&self) -> usize {
        self.counts.len()
    }

    /// The class names, in class order.
    pub fn class_names(&self) -> &[String] {
        &self.class_names
    }

    /// The rows of the matrix: `counts()[t][p]` samples of true class `t` were predicted `p`.
    pub fn counts(&self) -> &[Vec<usize>] {
        &self.counts
    }

    /// Number of samples of true class `true_class` predicted as `predicted_class`, or `None`
    /// if either class is out of range.
    pub fn count(&self, true_class: usize, predicted_class: usize) -> Option<usize> {
        self.counts.get(true_class)?.get(predicted_class).copied()
    }

    /// Total number of samples (sum of all cells).
    pub fn total(&self) -> usize {
        self.counts.iter().flatten().sum()
    }

    /// Number of correctly classified samples (sum of the diagonal).
    pub fn trace(&self) -> usize {
        self.counts.iter().enumerate().map(|(c, row)| row[c]).sum()
    }

    /// Accuracy, `trace / total`.
    pub fn accuracy(&self) -> f64 {
        self.trace() as f64 / self.total() as f64
    }

    /// Number of samples of each true class (row sums), scikit-learn's "support".
    pub fn support(&self) -> Vec<usize> {
        self.counts.iter().map(|row| row.iter().sum()).collect()
    }

    /// Number of samples predicted as each class (column sums).
    pub fn predicted_totals(&self) -> Vec<usize> {
        (0..self.n_classes())
            .map(|p| self.counts.iter().map(|row| row[p]).sum())
            .collect()
    }
}

impl fmt::Display for ConfusionMatrix {
    /// An aligned table: one row per true class, one column per predicted class.
    ///
    /// ```text
    /// true \ pred  setosa  versicolor  virginica
    ///      setosa      50           0          0
    ///  versicolor       0          47          3
    ///   virginica       0           2         48
    /// ```
    ///
    /// A class name longer than [`MAX_TABLE_NAME_CHARS`](crate::MAX_TABLE_NAME_CHARS)
    /// characters is elided in its middle with `…`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const CORNER: &str = "true \\ pred";
        let names: Vec<_> = self.class_names.iter().map(|n| table_name(n)).collect();
        let name_width = names
            .iter()
            .map(|n| n.chars().count())
            .chain([CORNER.len()])
            .max()
            .unwrap_or(CORNER.len());
        let column_widths: Vec<usize> = (0..self.n_classes())
            .map(|p| {
                let widest_count = self
                    .counts
                    .iter()
                    .map(|row| row[p].to_string().len())
                    .max()
                    .unwrap_or(1);
                widest_count.max(names[p].chars().count())
            })
            .collect();
        write!(f, "{CORNER:>name_width$}")?;
        for (name, width) in names.iter().zip(&column_widths) {
            write!(f, "  {name:>width$}")?;
        }
        writeln!(f)?;
        for (name, row) in names.iter().zip(&self.counts) {
            write!(f, "{name:>name_width$}")?;
            for (count, width) in row.iter().zip(&column_widths) {
                write!(f, "  {count:>width$}")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_class_name_beyond_the_formatter_width_limit_is_elided_not_a_panic() {
        let long = "n".repeat(70_000);
        let cm = ConfusionMatrix::new(&[0, 1], &[0, 1], 2)
            .unwrap()
            .with_class_names([long.as_str(), "b"])
            .unwrap();
        let text = cm.to_string();
        let first_row = text.lines().nth(1).unwrap();
        assert!(first_row.contains('…'));
        assert!(first_row.chars().count() < 200, "{first_row}");
    }

    #[test]
    fn rows_are_true_columns_are_predicted() {
        let cm = ConfusionMatrix::new(&[0, 0, 1, 2, 2, 2], &[0, 1, 1, 2, 0, 2], 3).unwrap();
        assert_eq!(cm.counts(), &[vec![1, 1, 0], vec![0, 1, 0], vec![1, 0, 2]]);
        assert_eq!(cm.total(), 6);
        assert_eq!(cm.trace(), 4);
        assert_eq!(cm.support(), vec![2, 1, 3]);
        assert_eq!(cm.predicted_totals(), vec![2, 2, 2]);
        assert_eq!(cm.count(2, 0), Some(1));
        assert_eq!(cm.count(3, 0), None);
        assert_eq!(cm.accuracy(), 4.0 / 6.0);
    }

    #[test]
    fn absent_classes_keep_their_row_and_column() {
        let cm = ConfusionMatrix::new(&[0, 0], &[0, 0], 3).unwrap();
        assert_eq!(cm.counts(), &[vec![2, 0, 0], vec![0, 0, 0], vec![0, 0, 0]]);
    }

    #[test]
    fn refuses_out_of_range_labels_and_zero_classes() {
        assert_eq!(
            ConfusionMatrix::new(&[0, 1], &[0, 3], 3),
            Err(MetricError::LabelOutOfRange {
                argument: "y_pred",
                index: 1,
                label: 3,
                n_classes: 3
            })
        );
        assert!(matches!(
            ConfusionMatrix::new(&[0], &[0], 0),
            Err(MetricError::TooFewClasses { .. })
        ));
        let msg = ConfusionMatrix::new(&[5], &[0], 2).unwrap_err().to_string();
        assert_eq!(msg, "`y_true[0]` is class 5, outside the valid range 0..2");
    }

    #[test]
    fn display_is_an_aligned_table_with_names() {
        let cm = ConfusionMatrix::new(&[0, 0, 1, 2, 2], &[0, 1, 1, 2, 2], 3)
            .unwrap()
            .with_class_names(["cat", "dog", "hamster"])
            .unwrap();
        let expected = "\
true \\ pred  cat  dog  hamster
        cat    1    1        0
        dog    0    1        0
    hamster    0    0        2
";
        assert_eq!(cm.to_string(), expected);
        assert!(matches!(
            cm.with_class_names(["a"]),
            Err(MetricError::ClassNameCount {
                n_classes: 3,
                got: 1
            })
        ));
    }
}
