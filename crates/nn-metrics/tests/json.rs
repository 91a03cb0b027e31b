//! Every result type serialises to JSON and reads back unchanged.

use nn_metrics::{
    ClassificationReport, ConfusionMatrix, MetricError, RegressionReport, RocCurve,
    classification_report, confusion_matrix, regression_report, roc_curve,
};

#[test]
fn confusion_matrix_round_trips() {
    let cm = confusion_matrix(&[0, 1, 2, 2], &[0, 2, 2, 1], 3)
        .unwrap()
        .with_class_names(["a", "b", "c"])
        .unwrap();
    let json = serde_json::to_string(&cm).unwrap();
    assert_eq!(
        json,
        r#"{"class_names":["a","b","c"],"counts":[[1,0,0],[0,0,1],[0,1,1]]}"#
    );
    assert_eq!(serde_json::from_str::<ConfusionMatrix>(&json).unwrap(), cm);
}

#[test]
fn malformed_confusion_matrix_is_refused() {
    let ragged = r#"{"class_names":["a","b"],"counts":[[1,0],[0]]}"#;
    let err = serde_json::from_str::<ConfusionMatrix>(ragged).unwrap_err();
    assert!(err.to_string().contains("row 1 has 1 counts"), "{err}");
    let names = r#"{"class_names":["a"],"counts":[[1,0],[0,1]]}"#;
    assert!(serde_json::from_str::<ConfusionMatrix>(names).is_err());
    // Rates divide by the total: a matrix of no sample would give NaN accuracy.
    let empty = r#"{"class_names":["a","b"],"counts":[[0,0],[0,0]]}"#;
    let err = serde_json::from_str::<ConfusionMatrix>(empty).unwrap_err();
    assert!(err.to_string().contains("no sample"), "{err}");
    let overflow = format!(
        r#"{{"class_names":["a","b"],"counts":[[{m},{m}],[0,0]]}}"#,
        m = usize::MAX
    );
    assert!(serde_json::from_str::<ConfusionMatrix>(&overflow).is_err());
}

#[test]
fn classification_report_round_trips_with_sklearn_keys() {
    let report = classification_report(&[0, 0, 1, 1], &[0, 1, 1, 1], 2).unwrap();
    let value = serde_json::to_value(&report).unwrap();
    assert_eq!(value["classes"][1]["name"], "1");
    assert_eq!(value["classes"][1]["f1-score"], 0.8);
    assert_eq!(value["macro_avg"]["support"], 4);
    let back: ClassificationReport = serde_json::from_value(value).unwrap();
    assert_eq!(back, report);
}

#[test]
fn roc_curve_round_trips_its_infinite_threshold() {
    let roc = roc_curve(&[0, 0, 1, 1], &[0.1, 0.4, 0.35, 0.8]).unwrap();
    let json = serde_json::to_string(&roc).unwrap();
    assert!(
        json.contains(r#""thresholds":["inf",0.8,0.4,0.35,0.1]"#),
        "{json}"
    );
    let back: RocCurve = serde_json::from_str(&json).unwrap();
    assert_eq!(back, roc);
    assert_eq!(back.thresholds()[0], f64::INFINITY);
}

#[test]
fn inconsistent_roc_curve_is_refused() {
    let wrong_rate = r#"{"fpr":[0.0,0.7],"tpr":[0.0,1.0],"thresholds":["inf",0.1],
        "false_positives":[0,2],"true_positives":[0,2]}"#;
    let err = serde_json::from_str::<RocCurve>(wrong_rate).unwrap_err();
    assert!(
        err.to_string().contains("fpr/tpr do not match the counts"),
        "{err}"
    );
    let bad_text = r#"{"fpr":[0.0,1.0],"tpr":[0.0,1.0],"thresholds":["huge",0.1],
        "false_positives":[0,2],"true_positives":[0,2]}"#;
    assert!(serde_json::from_str::<RocCurve>(bad_text).is_err());
}

#[test]
fn regression_report_round_trips() {
    let report = regression_report(&[1.0, 2.0, 3.0], &[1.5, 2.0, 2.0]).unwrap();
    let json = serde_json::to_string(&report).unwrap();
    assert_eq!(
        serde_json::from_str::<RegressionReport>(&json).unwrap(),
        report
    );
}

#[test]
fn errors_have_readable_messages() {
    let err = roc_curve(&[1, 1], &[0.5, 0.6]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`y_true` contains only positive samples; the ROC curve and its AUC need both positive and negative samples"
    );
    assert_eq!(
        MetricError::Empty { argument: "y_pred" }.to_string(),
        "`y_pred` is empty: a metric needs at least one sample"
    );
}
