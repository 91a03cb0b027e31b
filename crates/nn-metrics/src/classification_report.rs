//! scikit-learn's `classification_report`: per-class scores plus accuracy and averages.

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::table_name::table_name;
use crate::{ClassScores, ConfusionMatrix, MetricError};

/// The scores of one class, with the class's name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedClassScores {
    /// The class name (by default its index, `"0"`, `"1"`, …).
    pub name: String,
    /// Its precision, recall, F1 and support.
    #[serde(flatten)]
    pub scores: ClassScores,
}

/// Per-class precision, recall, F1 and support with accuracy, macro and weighted averages —
/// the numbers of scikit-learn's `classification_report(y_true, y_pred,
/// labels=range(n_classes))`, which `Display` prints in the same layout.
///
/// * `macro_avg` is the unweighted mean over classes of each score (classes absent from both
///   inputs count, with scores 0 — see the zero-division note in
///   [`precision_recall_fscore_support`](crate::precision_recall_fscore_support));
/// * `weighted_avg` weights each class by its support;
/// * both averages carry the total number of samples as their support.
///
/// `Display` uses [`digits`](Self::digits) decimals (2 unless changed with
/// [`with_digits`](Self::with_digits)); a precision in the format string overrides it:
/// `format!("{report:.4}")`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassificationReport {
    /// One entry per class, in class order.
    pub classes: Vec<NamedClassScores>,
    /// Fraction of correctly classified samples.
    pub accuracy: f64,
    /// Unweighted mean of the per-class scores; support = total samples.
    pub macro_avg: ClassScores,
    /// Support-weighted mean of the per-class scores; support = total samples.
    pub weighted_avg: ClassScores,
    /// Decimals printed by `Display` (scikit-learn's `digits`, default 2).
    pub digits: usize,
}

/// Builds the classification report of `y_pred` against `y_true` for classes `0..n_classes`,
/// named `"0"`, `"1"`, … (rename them with [`ClassificationReport::with_class_names`]).
///
/// # Errors
/// As [`ConfusionMatrix::new`].
///
/// # Example
/// ```
/// let report = nn_metrics::classification_report(&[0, 0, 1, 1], &[0, 1, 1, 1], 2).unwrap();
/// assert_eq!(report.accuracy, 0.75);
/// assert_eq!(report.classes[1].scores.precision, 2.0 / 3.0);
/// println!("{report}");
/// ```
pub fn classification_report(
    y_true: &[usize],
    y_pred: &[usize],
    n_classes: usize,
) -> Result<ClassificationReport, MetricError> {
    Ok(ClassificationReport::from_confusion_matrix(
        &ConfusionMatrix::new(y_true, y_pred, n_classes)?,
    ))
}

impl ClassificationReport {
    /// The report of a confusion matrix; classes take the matrix's class names.
    pub fn from_confusion_matrix(matrix: &ConfusionMatrix) -> Self {
        let per_class = ClassScores::per_class(matrix);
        let total = matrix.total();
        let n = per_class.len() as f64;
        let mean = |score: fn(&ClassScores) -> f64| per_class.iter().map(score).sum::<f64>() / n;
        let weighted = |score: fn(&ClassScores) -> f64| {
            per_class
                .iter()
                .map(|s| score(s) * s.support as f64)
                .sum::<f64>()
                / total as f64
        };
        let macro_avg = ClassScores {
            precision: mean(|s| s.precision),
            recall: mean(|s| s.recall),
            f1: mean(|s| s.f1),
            support: total,
        };
        let weighted_avg = ClassScores {
            precision: weighted(|s| s.precision),
            recall: weighted(|s| s.recall),
            f1: weighted(|s| s.f1),
            support: total,
        };
        ClassificationReport {
            classes: matrix
                .class_names()
                .iter()
                .zip(per_class)
                .map(|(name, scores)| NamedClassScores {
                    name: name.clone(),
                    scores,
                })
                .collect(),
            accuracy: matrix.accuracy(),
            macro_avg,
            weighted_avg,
            digits: 2,
        }
    }

    /// Renames the classes (one name per class, in class order).
    ///
    /// # Errors
    /// [`MetricError::ClassNameCount`] if the number of names differs from the number of
    /// classes.
    pub fn with_class_names<I, S>(mut self, names: I) -> Result<Self, MetricError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let names: Vec<String> = names.into_iter().map(Into::into).collect();
        if names.len() != self.classes.len() {
            return Err(MetricError::ClassNameCount {
                n_classes: self.classes.len(),
                got: names.len(),
            });
        }
        for (class, name) in self.classes.iter_mut().zip(names) {
            class.name = name;
        }
        Ok(self)
    }

    /// Sets the number of decimals `Display` prints (at most [`MAX_REPORT_DIGITS`]; more are
    /// printed as that many).
    pub fn with_digits(mut self, digits: usize) -> Self {
        self.digits = digits;
        self
    }
}

/// The most decimals [`ClassificationReport`]'s `Display` prints; an f64 holds 17 significant
/// digits, and `std::fmt` refuses a precision above 65,535.
pub const MAX_REPORT_DIGITS: usize = 20;

impl fmt::Display for ClassificationReport {
    /// Prints exactly what scikit-learn's `classification_report` returns (including the
    /// final newline), e.g. with `digits = 2`:
    ///
    /// ```text
    ///               precision    recall  f1-score   support
    ///
    ///            0       1.00      0.50      0.67         2
    ///            1       0.67      1.00      0.80         2
    ///
    ///     accuracy                           0.75         4
    ///    macro avg       0.83      0.75      0.73         4
    /// weighted avg       0.83      0.75      0.73         4
    /// ```
    ///
    /// A class name longer than [`MAX_TABLE_NAME_CHARS`](crate::MAX_TABLE_NAME_CHARS)
    /// characters is elided in its middle with `…`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const LONGEST_AVERAGE_HEADING: &str = "weighted avg";
        let digits = f.precision().unwrap_or(self.digits).min(MAX_REPORT_DIGITS);
        let names: Vec<_> = self.classes.iter().map(|c| table_name(&c.name)).collect();
        let width = names
            .iter()
            .map(|name| name.chars().count())
            .chain([LONGEST_AVERAGE_HEADING.len(), digits])
            .max()
            .unwrap_or(LONGEST_AVERAGE_HEADING.len());
        let row = |f: &mut fmt::Formatter<'_>, name: &str, s: &ClassScores| {
            writeln!(
                f,
                "{name:>width$}  {:>9.digits$} {:>9.digits$} {:>9.digits$} {:>9}",
                s.precision, s.recall, s.f1, s.support
            )
        };
        writeln!(
            f,
            "{:>width$}  {:>9} {:>9} {:>9} {:>9}",
            "", "precision", "recall", "f1-score", "support"
        )?;
        writeln!(f)?;
        for (class, name) in self.classes.iter().zip(&names) {
            row(f, name, &class.scores)?;
        }
        writeln!(f)?;
        writeln!(
            f,
            "{:>width$}  {:>9} {:>9} {:>9.digits$} {:>9}",
            "accuracy", "", "", self.accuracy, self.macro_avg.support
        )?;
        row(f, "macro avg", &self.macro_avg)?;
        row(f, LONGEST_AVERAGE_HEADING, &self.weighted_avg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_class_name_beyond_the_formatter_width_limit_is_elided_not_a_panic() {
        let long = "n".repeat(70_000);
        let report = classification_report(&[0, 1], &[0, 1], 2)
            .unwrap()
            .with_class_names([long.as_str(), "b"])
            .unwrap();
        let text = report.to_string();
        let first_row = text.lines().nth(2).unwrap();
        assert!(first_row.starts_with("nnn") && first_row.contains('…'));
        assert_eq!(
            first_row.chars().count(),
            crate::MAX_TABLE_NAME_CHARS + "  ".len() + 4 * 9 + 3
        );
        // The result keeps the whole name.
        assert_eq!(report.classes[0].name, long);
        // A precision beyond the formatter's limit is capped, not a panic.
        let wide = report.with_digits(70_000).to_string();
        assert!(wide.contains(&format!("1.{}", "0".repeat(MAX_REPORT_DIGITS))));
    }

    #[test]
    fn averages_by_hand() {
        // class 0: p 1, r 1/2, f1 2/3, support 2 ; class 1: p 2/3, r 1, f1 4/5, support 2
        let report = classification_report(&[0, 0, 1, 1], &[0, 1, 1, 1], 2).unwrap();
        assert_eq!(report.accuracy, 0.75);
        assert_eq!(report.macro_avg.precision, (1.0 + 2.0 / 3.0) / 2.0);
        assert_eq!(report.macro_avg.f1, (2.0 / 3.0 + 4.0 / 5.0) / 2.0);
        assert_eq!(report.weighted_avg.recall, (0.5 * 2.0 + 1.0 * 2.0) / 4.0);
        assert_eq!(report.macro_avg.support, 4);
        assert_eq!(report.weighted_avg.support, 4);
    }

    #[test]
    fn display_matches_the_documented_layout() {
        let report = classification_report(&[0, 0, 1, 1], &[0, 1, 1, 1], 2).unwrap();
        let expected = "              precision    recall  f1-score   support\n\n\
                        \x20          0       1.00      0.50      0.67         2\n\
                        \x20          1       0.67      1.00      0.80         2\n\n\
                        \x20   accuracy                           0.75         4\n\
                        \x20  macro avg       0.83      0.75      0.73         4\n\
                        weighted avg       0.83      0.75      0.73         4\n";
        assert_eq!(report.to_string(), expected);
    }

    #[test]
    fn format_precision_overrides_digits_and_long_names_widen_the_first_column() {
        let report = classification_report(&[0, 1], &[0, 1], 2)
            .unwrap()
            .with_class_names(["a rather long class name", "b"])
            .unwrap()
            .with_digits(1);
        // Both strings from scikit-learn 1.9.1:
        // classification_report([0, 1], [0, 1], labels=[0, 1],
        //     target_names=["a rather long class name", "b"], digits=1)  (and digits=3)
        let sklearn_digits_1 = "                          precision    recall  f1-score   support\n\na rather long class name        1.0       1.0       1.0         1\n                       b        1.0       1.0       1.0         1\n\n                accuracy                            1.0         2\n               macro avg        1.0       1.0       1.0         2\n            weighted avg        1.0       1.0       1.0         2\n";
        let sklearn_digits_3 = "                          precision    recall  f1-score   support\n\na rather long class name      1.000     1.000     1.000         1\n                       b      1.000     1.000     1.000         1\n\n                accuracy                          1.000         2\n               macro avg      1.000     1.000     1.000         2\n            weighted avg      1.000     1.000     1.000         2\n";
        assert_eq!(report.to_string(), sklearn_digits_1);
        assert_eq!(format!("{report:.3}"), sklearn_digits_3);
        assert!(matches!(
            report.with_class_names(["x"]),
            Err(MetricError::ClassNameCount {
                n_classes: 2,
                got: 1
            })
        ));
    }
}
