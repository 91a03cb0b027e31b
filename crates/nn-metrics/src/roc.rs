//! The ROC curve of a binary scorer and the area under it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::MetricError;
use crate::binary_label::{BinaryLabel, positives};
use crate::real::{Real, finite_values};

/// A receiver operating characteristic curve, as scikit-learn's
/// `roc_curve(y_true, scores, drop_intermediate=False)` returns it.
///
/// Point `i` is the classifier "positive when `score >= thresholds[i]`":
/// * `thresholds` are the distinct scores in **decreasing** order, preceded by `+∞` (the
///   point (0, 0) where nothing is predicted positive), exactly as in scikit-learn ≥ 1.3;
/// * samples with tied scores are grouped into one point;
/// * `fpr[i] = false_positives[i] / negatives`, `tpr[i] = true_positives[i] / positives`,
///   so the curve runs from (0, 0) to (1, 1).
///
/// scikit-learn's default `drop_intermediate=True` also removes points collinear with their
/// neighbours; [`RocCurve::drop_intermediate`] gives that curve. It does not change the area.
///
/// Serialises as `{"fpr", "tpr", "thresholds", "false_positives", "true_positives"}`; the
/// leading `+∞` threshold is written as the string `"inf"` (JSON has no infinity), and read
/// back as `+∞`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RocCurveRecord")]
pub struct RocCurve {
    fpr: Vec<f64>,
    tpr: Vec<f64>,
    #[serde(serialize_with = "serialize_thresholds")]
    thresholds: Vec<f64>,
    false_positives: Vec<usize>,
    true_positives: Vec<usize>,
}

/// Computes the ROC curve of `scores` (higher = more likely positive) against `y_true`
/// (`true` / 1 = positive, `false` / 0 = negative). See [`RocCurve`].
///
/// # Errors
/// [`MetricError::LengthMismatch`], [`MetricError::Empty`], [`MetricError::NotBinaryLabel`],
/// [`MetricError::NonFinite`] for a NaN or infinite score, and [`MetricError::SingleClass`]
/// when `y_true` holds only one class (scikit-learn warns and returns NaN rates there).
///
/// # Example
/// ```
/// let roc = nn_metrics::roc_curve(&[0, 0, 1, 1], &[0.1, 0.4, 0.35, 0.8]).unwrap();
/// assert_eq!(roc.fpr(), &[0.0, 0.0, 0.5, 0.5, 1.0]);
/// assert_eq!(roc.tpr(), &[0.0, 0.5, 0.5, 1.0, 1.0]);
/// assert_eq!(roc.thresholds(), &[f64::INFINITY, 0.8, 0.4, 0.35, 0.1]);
/// assert_eq!(roc.auc(), 0.75);
/// ```
pub fn roc_curve<L: BinaryLabel, S: Real>(
    y_true: &[L],
    scores: &[S],
) -> Result<RocCurve, MetricError> {
    MetricError::check_paired("y_true", y_true.len(), "scores", scores.len())?;
    let truth = positives("y_true", y_true)?;
    let scores = finite_values("scores", scores)?;
    let n_pos = truth.iter().filter(|&&t| t).count();
    if n_pos == 0 {
        return Err(MetricError::SingleClass {
            present: "negative",
        });
    }
    if n_pos == truth.len() {
        return Err(MetricError::SingleClass {
            present: "positive",
        });
    }

    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));

    let mut thresholds = vec![f64::INFINITY];
    let mut false_positives = vec![0usize];
    let mut true_positives = vec![0usize];
    let (mut fp, mut tp) = (0usize, 0usize);
    for (rank, &i) in order.iter().enumerate() {
        if truth[i] {
            tp += 1;
        } else {
            fp += 1;
        }
        // Close the group of tied scores after its last member (0.0 and -0.0 are tied).
        let group_ends = order
            .get(rank + 1)
            .is_none_or(|&next| scores[next] != scores[i]);
        if group_ends {
            thresholds.push(scores[i]);
            false_positives.push(fp);
            true_positives.push(tp);
        }
    }
    Ok(RocCurve::from_counts(
        thresholds,
        false_positives,
        true_positives,
    ))
}

/// Area under the ROC curve by the trapezoid rule, like scikit-learn's `roc_auc_score` for a
/// binary problem.
///
/// It equals the Mann–Whitney statistic: the fraction of (positive, negative) pairs in which
/// the positive sample scores higher, a tie counting one half. It is computed exactly from
/// integer counts, with a single rounding at the final division.
///
/// # Errors
/// As [`roc_curve`]; in particular [`MetricError::SingleClass`] when only one class is
/// present (scikit-learn raises a `ValueError` there too).
///
/// # Example
/// ```
/// // positives 0.8, 0.4 ; negatives 0.4, 0.1 : pairs won 3, tied 1, lost 0 → 3.5 / 4
/// let auc = nn_metrics::roc_auc(&[true, true, false, false], &[0.8, 0.4, 0.4, 0.1]).unwrap();
/// assert_eq!(auc, 0.875);
/// ```
pub fn roc_auc<L: BinaryLabel, S: Real>(y_true: &[L], scores: &[S]) -> Result<f64, MetricError> {
    Ok(roc_curve(y_true, scores)?.auc())
}

impl RocCurve {
    /// Builds the curve from cumulative counts; the last counts are the class totals.
    fn from_counts(
        thresholds: Vec<f64>,
        false_positives: Vec<usize>,
        true_positives: Vec<usize>,
    ) -> Self {
        // Non-empty: every constructor starts the vectors with the (0, 0) point.
        let negatives = *false_positives.last().unwrap_or(&0) as f64;
        let positives = *true_positives.last().unwrap_or(&0) as f64;
        RocCurve {
            fpr: false_positives
                .iter()
                .map(|&c| c as f64 / negatives)
                .collect(),
            tpr: true_positives
                .iter()
                .map(|&c| c as f64 / positives)
                .collect(),
            thresholds,
            false_positives,
            true_positives,
        }
    }

    /// False-positive rates, from 0 to 1, non-decreasing.
    pub fn fpr(&self) -> &[f64] {
        &self.fpr
    }

    /// True-positive rates, from 0 to 1, non-decreasing.
    pub fn tpr(&self) -> &[f64] {
        &self.tpr
    }

    /// Decision thresholds, decreasing; the first is `+∞`.
    pub fn thresholds(&self) -> &[f64] {
        &self.thresholds
    }

    /// Number of negative samples scoring at or above each threshold.
    pub fn false_positives(&self) -> &[usize] {
        &self.false_positives
    }

    /// Number of positive samples scoring at or above each threshold.
    pub fn true_positives(&self) -> &[usize] {
        &self.true_positives
    }

    /// Number of points on the curve.
    pub fn len(&self) -> usize {
        self.thresholds.len()
    }

    /// Always `false`: a curve has at least the points (0, 0) and (1, 1).
    pub fn is_empty(&self) -> bool {
        self.thresholds.is_empty()
    }

    /// Number of positive samples.
    pub fn n_positives(&self) -> usize {
        self.true_positives.last().copied().unwrap_or(0)
    }

    /// Number of negative samples.
    pub fn n_negatives(&self) -> usize {
        self.false_positives.last().copied().unwrap_or(0)
    }

    /// Area under the curve by the trapezoid rule, computed exactly on the integer counts
    /// (`Σ Δfp · (tp + tp_prev) / 2`) and divided once by `positives × negatives`.
    pub fn auc(&self) -> f64 {
        let fp = &self.false_positives;
        let tp = &self.true_positives;
        let twice_area: u128 = fp
            .windows(2)
            .zip(tp.windows(2))
            .map(|(f, t)| (f[1] - f[0]) as u128 * (t[1] + t[0]) as u128)
            .sum();
        let twice_pairs = 2 * self.n_positives() as u128 * self.n_negatives() as u128;
        twice_area as f64 / twice_pairs as f64
    }

    /// The curve without the points that lie on a straight line between their neighbours —
    /// scikit-learn's default `drop_intermediate=True` (its test: the second differences of
    /// both counts are zero). The first point (threshold `+∞`) and the last point are kept.
    pub fn drop_intermediate(&self) -> RocCurve {
        // scikit-learn thins the points after (0, 0) and prepends (0, 0) afterwards.
        let fp = &self.false_positives[1..];
        let tp = &self.true_positives[1..];
        let n = fp.len();
        let keep = |i: usize| {
            if n <= 2 || i == 0 || i == n - 1 {
                return true;
            }
            let second_difference = |c: &[usize]| c[i + 1] + c[i - 1] != 2 * c[i];
            second_difference(fp) || second_difference(tp)
        };
        let kept: Vec<usize> = core::iter::once(0)
            .chain((0..n).filter(|&i| keep(i)).map(|i| i + 1))
            .collect();
        RocCurve::from_counts(
            kept.iter().map(|&i| self.thresholds[i]).collect(),
            kept.iter().map(|&i| self.false_positives[i]).collect(),
            kept.iter().map(|&i| self.true_positives[i]).collect(),
        )
    }
}

/// Writes thresholds as JSON numbers, with the non-finite ones as strings (`"inf"`).
fn serialize_thresholds<S: Serializer>(
    thresholds: &[f64],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(thresholds.iter().map(|&t| {
        if t.is_finite() {
            Threshold::Number(t)
        } else {
            Threshold::Text(
                if t > 0.0 {
                    "inf"
                } else if t < 0.0 {
                    "-inf"
                } else {
                    "nan"
                }
                .to_string(),
            )
        }
    }))
}

/// A threshold as it appears in JSON: a number, or a string for a non-finite value.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Threshold {
    Number(f64),
    Text(String),
}

fn deserialize_thresholds<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<f64>, D::Error> {
    let raw = Vec::<Threshold>::deserialize(deserializer)?;
    raw.into_iter()
        .map(|t| match t {
            Threshold::Number(v) => Ok(v),
            Threshold::Text(s) => match s.as_str() {
                "inf" => Ok(f64::INFINITY),
                other => Err(serde::de::Error::custom(format!(
                    "a ROC threshold must be a number or \"inf\", found {other:?}"
                ))),
            },
        })
        .collect()
}

/// The serialised form, checked before it becomes a [`RocCurve`].
#[derive(Deserialize)]
struct RocCurveRecord {
    fpr: Vec<f64>,
    tpr: Vec<f64>,
    #[serde(deserialize_with = "deserialize_thresholds")]
    thresholds: Vec<f64>,
    false_positives: Vec<usize>,
    true_positives: Vec<usize>,
}

impl TryFrom<RocCurveRecord> for RocCurve {
    type Error = MetricError;

    fn try_from(r: RocCurveRecord) -> Result<Self, MetricError> {
        let bad = |reason: String| MetricError::Inconsistent {
            what: "ROC curve",
            reason,
        };
        let n = r.thresholds.len();
        if [
            r.fpr.len(),
            r.tpr.len(),
            r.false_positives.len(),
            r.true_positives.len(),
        ] != [n; 4]
        {
            return Err(bad(
                "fpr, tpr, thresholds and counts differ in length".into()
            ));
        }
        let non_decreasing = |c: &[usize]| c.windows(2).all(|w| w[0] <= w[1]);
        if !non_decreasing(&r.false_positives) || !non_decreasing(&r.true_positives) {
            return Err(bad("cumulative counts decrease".into()));
        }
        if r.false_positives.last().is_none_or(|&c| c == 0)
            || r.true_positives.last().is_none_or(|&c| c == 0)
        {
            return Err(bad("it needs both positive and negative samples".into()));
        }
        let curve = RocCurve::from_counts(r.thresholds, r.false_positives, r.true_positives);
        // The rates are redundant with the counts; accept them up to decimal-text rounding.
        let agrees = |stored: &[f64], derived: &[f64]| {
            stored
                .iter()
                .zip(derived)
                .all(|(a, b)| (a - b).abs() <= 1e-12)
        };
        if !agrees(&r.fpr, &curve.fpr) || !agrees(&r.tpr, &curve.tpr) {
            return Err(bad("fpr/tpr do not match the counts".into()));
        }
        Ok(curve)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_are_one_point() {
        // scores 0.9 (pos), 0.5 (pos), 0.5 (neg), 0.1 (neg)
        let roc = roc_curve(&[1u8, 1, 0, 0], &[0.9, 0.5, 0.5, 0.1]).unwrap();
        assert_eq!(roc.thresholds(), &[f64::INFINITY, 0.9, 0.5, 0.1]);
        assert_eq!(roc.true_positives(), &[0, 1, 2, 2]);
        assert_eq!(roc.false_positives(), &[0, 0, 1, 2]);
        assert_eq!(roc.fpr(), &[0.0, 0.0, 0.5, 1.0]);
        assert_eq!(roc.tpr(), &[0.0, 0.5, 1.0, 1.0]);
        // pairs: (0.9 > both) 2, (0.5 vs 0.5) ½, (0.5 > 0.1) 1 → 3.5 / 4
        assert_eq!(roc.auc(), 0.875);
        assert_eq!(roc.n_positives(), 2);
        assert_eq!(roc.n_negatives(), 2);
    }

    #[test]
    fn all_scores_tied_give_the_diagonal() {
        let roc = roc_curve(&[true, false, true], &[0.3f32, 0.3, 0.3]).unwrap();
        assert_eq!(roc.len(), 2);
        assert_eq!(roc.auc(), 0.5);
    }

    #[test]
    fn drop_intermediate_removes_collinear_points_only() {
        // sorted labels 1 1 1 0 0 → counts (tp, fp): (1,0) (2,0) (3,0) (3,1) (3,2)
        let roc = roc_curve(&[1, 1, 1, 0, 0], &[0.9, 0.8, 0.7, 0.6, 0.5]).unwrap();
        let thin = roc.drop_intermediate();
        assert_eq!(thin.thresholds(), &[f64::INFINITY, 0.9, 0.7, 0.5]);
        assert_eq!(thin.tpr(), &[0.0, 1.0 / 3.0, 1.0, 1.0]);
        assert_eq!(thin.fpr(), &[0.0, 0.0, 0.0, 1.0]);
        assert_eq!(thin.auc(), roc.auc());
    }

    #[test]
    fn refuses_single_class_non_finite_and_non_binary() {
        assert_eq!(
            roc_auc(&[1, 1], &[0.1, 0.2]),
            Err(MetricError::SingleClass {
                present: "positive"
            })
        );
        assert_eq!(
            roc_curve(&[false, false], &[0.1, 0.2]),
            Err(MetricError::SingleClass {
                present: "negative"
            })
        );
        assert!(matches!(
            roc_auc(&[1, 0], &[0.1, f64::NAN]),
            Err(MetricError::NonFinite {
                argument: "scores",
                index: 1,
                ..
            })
        ));
        assert!(matches!(
            roc_auc(&[1, 0], &[f64::NEG_INFINITY, 0.0]),
            Err(MetricError::NonFinite {
                argument: "scores",
                index: 0,
                ..
            })
        ));
        assert!(matches!(
            roc_auc(&[1, 0, 2], &[0.1, 0.2, 0.3]),
            Err(MetricError::NotBinaryLabel { index: 2, .. })
        ));
        assert!(matches!(
            roc_auc(&[1, 0], &[0.1]),
            Err(MetricError::LengthMismatch { .. })
        ));
        assert!(matches!(
            roc_auc::<bool, f64>(&[], &[]),
            Err(MetricError::Empty { .. })
        ));
    }
}
