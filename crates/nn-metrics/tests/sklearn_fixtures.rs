//! Expected values produced by scikit-learn 1.9.1 (numpy 2, Python 3).
//!
//! Every block quotes the Python snippet that printed its numbers; the inputs are pasted
//! from the snippet's output so the tests need no Python at run time. Floats are compared
//! with a relative tolerance of 1e-12 where the two libraries sum in a different order, and
//! exactly where both compute the same single division.

use approx::assert_relative_eq;
use nn_metrics::{
    ClassScores, MetricError, accuracy, binary_f1, binary_log_loss, binary_precision,
    binary_recall, classification_report, confusion_matrix, log_loss, log_loss_flat,
    mean_absolute_error, mean_squared_error, precision_recall_fscore_support, r2_score, roc_auc,
    roc_curve, root_mean_squared_error,
};

const TOL: f64 = 1e-12;

fn assert_all_close(actual: &[f64], expected: &[f64]) {
    assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
    for (a, e) in actual.iter().zip(expected) {
        assert_relative_eq!(*a, *e, max_relative = TOL);
    }
}

fn column(scores: &[ClassScores], f: fn(&ClassScores) -> f64) -> Vec<f64> {
    scores.iter().map(f).collect()
}

// ---------------------------------------------------------------------------------------
// import numpy as np, warnings; warnings.simplefilter("ignore")
// from sklearn.metrics import *
// rng = np.random.default_rng(7)
// yt = rng.integers(0, 3, 30); yp = np.where(rng.random(30) < 0.6, yt, rng.integers(0, 3, 30))
// print(accuracy_score(yt, yp)); print(confusion_matrix(yt, yp, labels=[0,1,2]).tolist())
// print(precision_recall_fscore_support(yt, yp, labels=[0,1,2]))
// for avg in ["macro", "weighted"]:
//     print(precision_recall_fscore_support(yt, yp, labels=[0,1,2], average=avg)[:3])
// print(repr(classification_report(yt, yp, labels=[0,1,2],
//                                  target_names=["setosa","versicolor","virginica"])))
// print(repr(classification_report(yt, yp, labels=[0,1,2], digits=4)))
// ---------------------------------------------------------------------------------------
const MC3_TRUE: [usize; 30] = [
    2, 1, 2, 2, 1, 2, 2, 0, 0, 0, 0, 2, 2, 0, 1, 2, 0, 2, 0, 1, 2, 0, 1, 0, 2, 0, 2, 1, 1, 1,
];
const MC3_PRED: [usize; 30] = [
    2, 2, 1, 0, 0, 2, 2, 1, 0, 0, 0, 2, 1, 1, 1, 2, 0, 2, 0, 0, 2, 0, 1, 2, 2, 0, 1, 1, 1, 1,
];

#[test]
fn three_classes_accuracy_and_confusion_matrix() {
    assert_eq!(accuracy(&MC3_TRUE, &MC3_PRED).unwrap(), 0.6666666666666666);
    let cm = confusion_matrix(&MC3_TRUE, &MC3_PRED, 3).unwrap();
    assert_eq!(cm.counts(), &[vec![7, 2, 1], vec![2, 5, 1], vec![1, 3, 8]]);
}

#[test]
fn three_classes_precision_recall_f1() {
    let s = precision_recall_fscore_support(&MC3_TRUE, &MC3_PRED, 3).unwrap();
    assert_all_close(&column(&s, |c| c.precision), &[0.7, 0.5, 0.8]);
    assert_all_close(&column(&s, |c| c.recall), &[0.7, 0.625, 0.6666666666666666]);
    assert_all_close(
        &column(&s, |c| c.f1),
        &[0.7, 0.5555555555555556, 0.7272727272727273],
    );
    assert_eq!(s.iter().map(|c| c.support).collect::<Vec<_>>(), [10, 8, 12]);

    let r = classification_report(&MC3_TRUE, &MC3_PRED, 3).unwrap();
    let m = r.macro_avg;
    assert_all_close(
        &[m.precision, m.recall, m.f1],
        &[0.6666666666666666, 0.6638888888888889, 0.6609427609427609],
    );
    let w = r.weighted_avg;
    assert_all_close(
        &[w.precision, w.recall, w.f1],
        &[0.6866666666666668, 0.6666666666666666, 0.6723905723905723],
    );
}

#[test]
fn three_classes_report_text_is_sklearns() {
    let report = classification_report(&MC3_TRUE, &MC3_PRED, 3)
        .unwrap()
        .with_class_names(["setosa", "versicolor", "virginica"])
        .unwrap();
    let sklearn_named = "              precision    recall  f1-score   support\n\n      setosa       0.70      0.70      0.70        10\n  versicolor       0.50      0.62      0.56         8\n   virginica       0.80      0.67      0.73        12\n\n    accuracy                           0.67        30\n   macro avg       0.67      0.66      0.66        30\nweighted avg       0.69      0.67      0.67        30\n";
    assert_eq!(report.to_string(), sklearn_named);

    let digits4 = classification_report(&MC3_TRUE, &MC3_PRED, 3)
        .unwrap()
        .with_digits(4);
    let sklearn_digits4 = "              precision    recall  f1-score   support\n\n           0     0.7000    0.7000    0.7000        10\n           1     0.5000    0.6250    0.5556         8\n           2     0.8000    0.6667    0.7273        12\n\n    accuracy                         0.6667        30\n   macro avg     0.6667    0.6639    0.6609        30\nweighted avg     0.6867    0.6667    0.6724        30\n";
    assert_eq!(digits4.to_string(), sklearn_digits4);
}

// ---------------------------------------------------------------------------------------
// Four labels; class 3 never occurs in y_true and class 2 is never predicted (zero division).
// (continuing with the same rng)
// yt = rng.integers(0, 3, 24); yp = np.where(rng.random(24) < 0.5, yt, rng.integers(0, 4, 24))
// yp[yp == 2] = 3
// print(precision_recall_fscore_support(yt, yp, labels=[0,1,2,3]))
// for avg in ["macro", "weighted"]:
//     print(precision_recall_fscore_support(yt, yp, labels=[0,1,2,3], average=avg)[:3])
// print(repr(classification_report(yt, yp, labels=[0,1,2,3])))
// ---------------------------------------------------------------------------------------
const MC4_TRUE: [usize; 24] = [
    1, 1, 1, 1, 1, 2, 2, 0, 1, 1, 1, 0, 0, 1, 2, 0, 1, 2, 2, 0, 0, 2, 0, 0,
];
const MC4_PRED: [usize; 24] = [
    0, 0, 1, 1, 3, 0, 3, 0, 1, 3, 0, 0, 3, 1, 0, 0, 1, 3, 3, 1, 0, 3, 0, 3,
];

#[test]
fn four_classes_with_zero_division() {
    let s = precision_recall_fscore_support(&MC4_TRUE, &MC4_PRED, 4).unwrap();
    assert_all_close(
        &column(&s, |c| c.precision),
        &[0.5, 0.8333333333333334, 0.0, 0.0],
    );
    assert_all_close(&column(&s, |c| c.recall), &[0.625, 0.5, 0.0, 0.0]);
    assert_all_close(
        &column(&s, |c| c.f1),
        &[0.5555555555555556, 0.625, 0.0, 0.0],
    );
    assert_eq!(
        s.iter().map(|c| c.support).collect::<Vec<_>>(),
        [8, 10, 6, 0]
    );

    let r = classification_report(&MC4_TRUE, &MC4_PRED, 4).unwrap();
    let (m, w) = (r.macro_avg, r.weighted_avg);
    assert_all_close(
        &[m.precision, m.recall, m.f1],
        &[0.33333333333333337, 0.28125, 0.2951388888888889],
    );
    assert_all_close(
        &[w.precision, w.recall, w.f1],
        &[0.513888888888889, 0.4166666666666667, 0.44560185185185186],
    );
    let sklearn_text = "              precision    recall  f1-score   support\n\n           0       0.50      0.62      0.56         8\n           1       0.83      0.50      0.62        10\n           2       0.00      0.00      0.00         6\n           3       0.00      0.00      0.00         0\n\n    accuracy                           0.42        24\n   macro avg       0.33      0.28      0.30        24\nweighted avg       0.51      0.42      0.45        24\n";
    assert_eq!(r.to_string(), sklearn_text);
}

// ---------------------------------------------------------------------------------------
// rng = np.random.default_rng(11)
// y = rng.integers(0, 2, 40); s = np.round(np.clip(0.3 * y + rng.random(40) * 0.7, 0, 1), 1)
// fpr, tpr, th = roc_curve(y, s, drop_intermediate=False)
// print(roc_auc_score(y, s))
// yp = (s >= 0.5).astype(int)
// print(precision_score(y, yp), recall_score(y, yp), f1_score(y, yp))
// ---------------------------------------------------------------------------------------
const ROC_TIES_TRUE: [u8; 40] = [
    0, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1,
    0, 1, 0, 1, 1, 1, 1, 1,
];
const ROC_TIES_SCORES: [f64; 40] = [
    0.7, 0.1, 0.7, 0.3, 0.5, 0.7, 0.5, 0.6, 0.6, 0.1, 0.3, 0.5, 0.4, 0.6, 0.6, 0.1, 0.8, 0.4, 0.9,
    0.5, 0.3, 0.1, 0.2, 0.6, 0.6, 0.8, 0.5, 0.0, 0.4, 0.7, 0.3, 0.8, 0.0, 0.3, 0.6, 0.7, 0.5, 0.5,
    0.4, 0.4,
];

#[test]
fn roc_curve_with_tied_scores() {
    let roc = roc_curve(&ROC_TIES_TRUE, &ROC_TIES_SCORES).unwrap();
    let fpr = [
        0.0,
        0.0,
        0.0,
        0.11764705882352941,
        0.4117647058823529,
        0.4117647058823529,
        0.4117647058823529,
        0.5882352941176471,
        0.6470588235294118,
        0.8823529411764706,
        1.0,
    ];
    let tpr = [
        0.0,
        0.043478260869565216,
        0.17391304347826086,
        0.30434782608695654,
        0.391304347826087,
        0.6956521739130435,
        0.9130434782608695,
        1.0,
        1.0,
        1.0,
        1.0,
    ];
    let thresholds = [
        f64::INFINITY,
        0.9,
        0.8,
        0.7,
        0.6,
        0.5,
        0.4,
        0.3,
        0.2,
        0.1,
        0.0,
    ];
    // Same count / total division in both libraries: bit-identical.
    assert_eq!(roc.fpr(), &fpr);
    assert_eq!(roc.tpr(), &tpr);
    assert_eq!(roc.thresholds(), &thresholds);
    // No collinear points here: sklearn's default drop_intermediate=True keeps all 11.
    assert_eq!(roc.drop_intermediate(), roc);
    assert_relative_eq!(
        roc_auc(&ROC_TIES_TRUE, &ROC_TIES_SCORES).unwrap(),
        0.710997442455243,
        max_relative = TOL
    );
}

#[test]
fn binary_precision_recall_f1_at_threshold() {
    let predicted: Vec<u8> = ROC_TIES_SCORES
        .iter()
        .map(|&s| u8::from(s >= 0.5))
        .collect();
    assert_eq!(
        binary_precision(&ROC_TIES_TRUE, &predicted).unwrap(),
        0.6956521739130435
    );
    assert_eq!(
        binary_recall(&ROC_TIES_TRUE, &predicted).unwrap(),
        0.6956521739130435
    );
    assert_eq!(
        binary_f1(&ROC_TIES_TRUE, &predicted).unwrap(),
        0.6956521739130435
    );
}

// ---------------------------------------------------------------------------------------
// rng = np.random.default_rng(5)
// s = np.round(np.sort(rng.random(24))[::-1], 3)
// y = (rng.random(24) < np.linspace(0.9, 0.1, 24)).astype(int)
// print(roc_curve(y, s, drop_intermediate=False)); print(roc_curve(y, s))
// print(roc_auc_score(y, s))
// ---------------------------------------------------------------------------------------
const ROC_RUNS_TRUE: [bool; 24] = {
    let bits = [
        1, 0, 1, 0, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0,
    ];
    let mut out = [false; 24];
    let mut i = 0;
    while i < 24 {
        out[i] = bits[i] == 1;
        i += 1;
    }
    out
};
const ROC_RUNS_SCORES: [f64; 24] = [
    0.999, 0.974, 0.898, 0.88, 0.844, 0.808, 0.805, 0.677, 0.652, 0.556, 0.515, 0.493, 0.435,
    0.408, 0.392, 0.383, 0.286, 0.271, 0.235, 0.064, 0.061, 0.054, 0.049, 0.045,
];

#[test]
fn roc_curve_drop_intermediate_matches_sklearns_default() {
    let roc = roc_curve(&ROC_RUNS_TRUE, &ROC_RUNS_SCORES).unwrap();
    let full_fpr = [
        0.0,
        0.0,
        0.07692307692307693,
        0.07692307692307693,
        0.15384615384615385,
        0.23076923076923078,
        0.23076923076923078,
        0.3076923076923077,
        0.3076923076923077,
        0.3076923076923077,
        0.3076923076923077,
        0.3076923076923077,
        0.3076923076923077,
        0.38461538461538464,
        0.38461538461538464,
        0.38461538461538464,
        0.46153846153846156,
        0.5384615384615384,
        0.6153846153846154,
        0.6153846153846154,
        0.6923076923076923,
        0.7692307692307693,
        0.8461538461538461,
        0.9230769230769231,
        1.0,
    ];
    let full_tpr = [
        0.0,
        0.09090909090909091,
        0.09090909090909091,
        0.18181818181818182,
        0.18181818181818182,
        0.18181818181818182,
        0.2727272727272727,
        0.2727272727272727,
        0.36363636363636365,
        0.45454545454545453,
        0.5454545454545454,
        0.6363636363636364,
        0.7272727272727273,
        0.7272727272727273,
        0.8181818181818182,
        0.9090909090909091,
        0.9090909090909091,
        0.9090909090909091,
        0.9090909090909091,
        1.0,
        1.0,
        1.0,
        1.0,
        1.0,
        1.0,
    ];
    assert_eq!(roc.fpr(), &full_fpr);
    assert_eq!(roc.tpr(), &full_tpr);
    let mut full_thresholds = vec![f64::INFINITY];
    full_thresholds.extend_from_slice(&ROC_RUNS_SCORES);
    assert_eq!(roc.thresholds(), full_thresholds.as_slice());

    let thin = roc.drop_intermediate();
    assert_eq!(
        thin.fpr(),
        &[
            0.0,
            0.0,
            0.07692307692307693,
            0.07692307692307693,
            0.23076923076923078,
            0.23076923076923078,
            0.3076923076923077,
            0.3076923076923077,
            0.38461538461538464,
            0.38461538461538464,
            0.6153846153846154,
            0.6153846153846154,
            1.0
        ]
    );
    assert_eq!(
        thin.tpr(),
        &[
            0.0,
            0.09090909090909091,
            0.09090909090909091,
            0.18181818181818182,
            0.18181818181818182,
            0.2727272727272727,
            0.2727272727272727,
            0.7272727272727273,
            0.7272727272727273,
            0.9090909090909091,
            0.9090909090909091,
            1.0,
            1.0
        ]
    );
    assert_eq!(
        thin.thresholds(),
        &[
            f64::INFINITY,
            0.999,
            0.974,
            0.898,
            0.844,
            0.808,
            0.805,
            0.493,
            0.435,
            0.392,
            0.271,
            0.235,
            0.045
        ]
    );
    assert_relative_eq!(roc.auc(), 0.7062937062937062, max_relative = TOL);
    assert_eq!(thin.auc(), roc.auc());
}

// ---------------------------------------------------------------------------------------
// (continuing with rng = default_rng(11) after the ROC case above)
// p = np.round(rng.random(20), 2); p[3] = 0.0; p[7] = 1.0
// yb = rng.integers(0, 2, 20); yb[3] = 1; yb[7] = 0
// print(log_loss(yb, p))
// P = rng.dirichlet([1, 1, 1], 20); P = np.round(P, 3); P[:, 2] = 1 - P[:, 0] - P[:, 1]
// yt = rng.integers(0, 3, 20); P[5] = [0.0, 0.25, 0.75]; yt[5] = 0
// print(log_loss(yt, P, labels=[0,1,2]))
// print(log_loss([1,0,1,0], np.array([0.0,0.3,1.0,0.9], dtype=np.float32)))  # 4.650411128997803
// print(log_loss([1,0,1,0], np.array([0.0,0.3,1.0,0.9], dtype=np.float64)))  # 9.675728356512483
// ---------------------------------------------------------------------------------------
#[test]
fn binary_log_loss_with_certain_mistakes() {
    let y = [0u8, 0, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0];
    let p = [
        0.02, 0.84, 0.47, 0.0, 0.74, 0.2, 0.06, 1.0, 0.9, 0.03, 0.81, 0.19, 0.09, 0.02, 0.29, 0.73,
        0.49, 0.85, 0.22, 0.32,
    ];
    assert_relative_eq!(
        binary_log_loss(&y, &p).unwrap(),
        4.711979216316374,
        max_relative = TOL
    );
}

#[test]
fn log_loss_clips_with_the_inputs_epsilon() {
    let y = [1u8, 0, 1, 0];
    assert_relative_eq!(
        binary_log_loss(&y, &[0.0f64, 0.3, 1.0, 0.9]).unwrap(),
        9.675728356512483,
        max_relative = TOL
    );
    // sklearn computes float32 input in float32: agreement to f32 precision only.
    assert_relative_eq!(
        binary_log_loss(&y, &[0.0f32, 0.3, 1.0, 0.9]).unwrap(),
        4.650411128997803,
        max_relative = 1e-6
    );
}

#[test]
fn multiclass_log_loss() {
    let y = [0, 1, 0, 1, 1, 0, 1, 1, 2, 1, 0, 0, 2, 1, 0, 1, 2, 2, 1, 0];
    let p: [[f64; 3]; 20] = [
        [0.032, 0.584, 0.384],
        [0.522, 0.29, 0.188],
        [0.106, 0.744, 0.15000000000000002],
        [0.305, 0.105, 0.5900000000000001],
        [0.148, 0.309, 0.5429999999999999],
        [0.0, 0.25, 0.75],
        [0.549, 0.329, 0.12199999999999994],
        [0.029, 0.803, 0.16799999999999993],
        [0.137, 0.769, 0.09399999999999997],
        [0.687, 0.282, 0.030999999999999972],
        [0.029, 0.703, 0.268],
        [0.198, 0.688, 0.1140000000000001],
        [0.075, 0.048, 0.877],
        [0.796, 0.088, 0.11599999999999996],
        [0.032, 0.525, 0.44299999999999995],
        [0.711, 0.08, 0.20900000000000002],
        [0.573, 0.214, 0.21300000000000005],
        [0.015, 0.646, 0.33899999999999997],
        [0.759, 0.121, 0.12],
        [0.772, 0.154, 0.07399999999999998],
    ];
    assert_relative_eq!(
        log_loss(&y, &p).unwrap(),
        3.5022897625596756,
        max_relative = TOL
    );
    let flat: Vec<f64> = p.iter().flatten().copied().collect();
    assert_eq!(
        log_loss_flat(&y, &flat, 3).unwrap(),
        log_loss(&y, &p).unwrap()
    );
}

// ---------------------------------------------------------------------------------------
// (continuing with the same rng)
// yt = np.round(rng.normal(3, 2, 25), 3); yp = np.round(yt + rng.normal(0, 0.8, 25), 3)
// print(r2_score(yt, yp), mean_squared_error(yt, yp), root_mean_squared_error(yt, yp),
//       mean_absolute_error(yt, yp))
// print(r2_score([2.0]*5, [2.0]*5), r2_score([2.0]*5, [2.0,2.0,2.0,2.0,2.5]))  # 1.0 0.0
// ---------------------------------------------------------------------------------------
#[test]
fn regression_metrics() {
    let yt = [
        3.771, 3.916, 4.119, 4.084, 3.404, 3.348, -0.005, 2.669, 1.505, 3.252, 2.065, 4.237, 4.638,
        3.617, 3.632, 3.186, 2.104, 2.671, 2.009, 3.776, 3.028, 4.163, 0.343, 4.776, 1.475,
    ];
    let yp = [
        3.184, 3.758, 3.668, 4.317, 2.945, 2.492, -0.682, 3.719, 1.54, 2.318, 2.072, 2.992, 6.07,
        2.397, 4.015, 3.621, 0.944, 2.911, 2.807, 4.15, 3.237, 4.922, 0.472, 5.045, 1.374,
    ];
    assert_relative_eq!(
        r2_score(&yt, &yp).unwrap(),
        0.6742597422958891,
        max_relative = TOL
    );
    assert_relative_eq!(
        mean_squared_error(&yt, &yp).unwrap(),
        0.49315628000000006,
        max_relative = TOL
    );
    assert_relative_eq!(
        root_mean_squared_error(&yt, &yp).unwrap(),
        0.7022508668559976,
        max_relative = TOL
    );
    assert_relative_eq!(
        mean_absolute_error(&yt, &yp).unwrap(),
        0.56804,
        max_relative = TOL
    );
    assert_eq!(r2_score(&[2.0; 5], &[2.0; 5]).unwrap(), 1.0);
    assert_eq!(
        r2_score(&[2.0; 5], &[2.0, 2.0, 2.0, 2.0, 2.5]).unwrap(),
        0.0
    );
}

// Where scikit-learn warns and returns NaN (one class for ROC, one sample for R²) we refuse.
#[test]
fn undefined_cases_are_errors() {
    assert_eq!(
        roc_auc(&[1, 1, 1], &[0.2, 0.4, 0.6]),
        Err(MetricError::SingleClass {
            present: "positive"
        })
    );
    assert!(matches!(
        r2_score(&[1.0], &[2.0]),
        Err(MetricError::TooFewSamples { .. })
    ));
}
