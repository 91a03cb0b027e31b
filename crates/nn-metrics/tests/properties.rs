//! Property tests: invariants every correct implementation of these metrics satisfies.

use nn_metrics::{accuracy, classification_report, confusion_matrix, r2_score, roc_auc, roc_curve};
use proptest::prelude::*;

/// Labels with at least one positive and one negative, and scores of the same length. Scores
/// come either from a small integer grid (many ties) or from a continuous range.
fn labelled_scores() -> impl Strategy<Value = (Vec<bool>, Vec<f64>)> {
    (2usize..60).prop_flat_map(|n| {
        let labels = prop::collection::vec(any::<bool>(), n).prop_map(|mut l| {
            l[0] = true;
            l[1] = false;
            l
        });
        let scores = prop_oneof![
            prop::collection::vec((0i32..8).prop_map(f64::from), n),
            prop::collection::vec(-50.0f64..50.0, n),
        ];
        (labels, scores)
    })
}

/// The Mann–Whitney statistic by brute force over all (positive, negative) pairs.
fn mann_whitney(labels: &[bool], scores: &[f64]) -> f64 {
    let (mut twice_wins, mut pairs) = (0u64, 0u64);
    for (i, &pi) in labels.iter().enumerate() {
        for (j, &pj) in labels.iter().enumerate() {
            if pi && !pj {
                pairs += 1;
                twice_wins += match scores[i].partial_cmp(&scores[j]) {
                    Some(std::cmp::Ordering::Greater) => 2,
                    Some(std::cmp::Ordering::Equal) => 1,
                    _ => 0,
                };
            }
        }
    }
    twice_wins as f64 / (2 * pairs) as f64
}

fn classes(n_classes: usize) -> impl Strategy<Value = (Vec<usize>, Vec<usize>)> {
    (1usize..80).prop_flat_map(move |n| {
        (
            prop::collection::vec(0..n_classes, n),
            prop::collection::vec(0..n_classes, n),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn auc_is_the_mann_whitney_statistic((labels, scores) in labelled_scores()) {
        prop_assert_eq!(roc_auc(&labels, &scores).unwrap(), mann_whitney(&labels, &scores));
    }

    #[test]
    fn auc_is_invariant_under_strictly_increasing_maps((labels, scores) in labelled_scores()) {
        let auc = roc_auc(&labels, &scores).unwrap();
        let affine: Vec<f64> = scores.iter().map(|s| 3.0 * s - 7.0).collect();
        let cubed: Vec<f64> = scores.iter().map(|s| s * s * s + s).collect();
        let squashed: Vec<f64> = scores.iter().map(|s| (s / 10.0).tanh()).collect();
        prop_assert_eq!(roc_auc(&labels, &affine).unwrap(), auc);
        prop_assert_eq!(roc_auc(&labels, &cubed).unwrap(), auc);
        prop_assert_eq!(roc_auc(&labels, &squashed).unwrap(), auc);
    }

    #[test]
    fn negating_scores_complements_auc((labels, scores) in labelled_scores()) {
        let negated: Vec<f64> = scores.iter().map(|s| -s).collect();
        let sum = roc_auc(&labels, &scores).unwrap() + roc_auc(&labels, &negated).unwrap();
        prop_assert!((sum - 1.0).abs() <= 1e-12, "AUC(s) + AUC(-s) = {}", sum);
    }

    #[test]
    fn roc_curve_is_a_monotone_path_from_origin_to_one((labels, scores) in labelled_scores()) {
        let roc = roc_curve(&labels, &scores).unwrap();
        let (fpr, tpr, th) = (roc.fpr(), roc.tpr(), roc.thresholds());
        prop_assert_eq!((fpr[0], tpr[0]), (0.0, 0.0));
        prop_assert_eq!((*fpr.last().unwrap(), *tpr.last().unwrap()), (1.0, 1.0));
        prop_assert!(th[0].is_infinite());
        prop_assert!(th.windows(2).all(|w| w[0] > w[1]), "thresholds not strictly decreasing");
        prop_assert!(fpr.windows(2).all(|w| w[0] <= w[1]) && tpr.windows(2).all(|w| w[0] <= w[1]));
        let mut distinct = scores.clone();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        prop_assert_eq!(roc.len(), distinct.len() + 1, "one point per distinct score");
        let thin = roc.drop_intermediate();
        prop_assert_eq!(thin.auc(), roc.auc());
        prop_assert!(thin.len() <= roc.len());
    }

    #[test]
    fn confusion_matrix_sums_to_n_and_its_trace_gives_accuracy((t, p) in classes(4)) {
        let cm = confusion_matrix(&t, &p, 4).unwrap();
        prop_assert_eq!(cm.total(), t.len());
        prop_assert_eq!(cm.trace() as f64 / t.len() as f64, accuracy(&t, &p).unwrap());
        prop_assert_eq!(cm.support().iter().sum::<usize>(), t.len());
        let report = classification_report(&t, &p, 4).unwrap();
        prop_assert_eq!(report.accuracy, cm.accuracy());
        for class in &report.classes {
            let s = class.scores;
            prop_assert!((0.0..=1.0).contains(&s.precision));
            prop_assert!((0.0..=1.0).contains(&s.recall));
            prop_assert!((0.0..=1.0).contains(&s.f1));
            prop_assert!(s.f1 <= s.precision.max(s.recall) + 1e-15, "F1 above max(P, R)");
        }
    }

    #[test]
    fn perfect_predictions_give_r2_of_one(y in prop::collection::vec(-1e6f64..1e6, 2..100)) {
        prop_assert_eq!(r2_score(&y, &y).unwrap(), 1.0);
    }

    #[test]
    fn r2_is_at_most_one(
        (y, p) in (2usize..100).prop_flat_map(|n| (
            prop::collection::vec(-1e3f64..1e3, n),
            prop::collection::vec(-1e3f64..1e3, n),
        ))
    ) {
        prop_assert!(r2_score(&y, &p).unwrap() <= 1.0);
    }
}
