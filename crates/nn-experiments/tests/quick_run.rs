//! A quick end-to-end run of a small experiment writes the report and the results file.

use nn_experiments::catalog::find_spec;
use nn_experiments::reproduce::{RunOptions, reproduce};

#[test]
fn quick_xor_run_writes_results_json_and_report() {
    let out = std::env::temp_dir().join(format!("nn-experiments-quick-{}", std::process::id()));
    let spec = find_spec("001-xor").unwrap().unwrap();
    let options = RunOptions {
        seed: None,
        seeds: 2,
        quick: true,
        out_dir: out.clone(),
    };
    let results = reproduce(std::slice::from_ref(&spec), &options).unwrap();
    assert!(results[0].error.is_none(), "{:?}", results[0].error);

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    let rows = json.as_array().unwrap();
    let accuracy = rows
        .iter()
        .find(|r| r["metric"] == "test_accuracy")
        .unwrap();
    for field in [
        "name",
        "study",
        "metric",
        "published",
        "ours",
        "std",
        "seeds",
        "within_tolerance",
    ] {
        assert!(
            accuracy.get(field).is_some(),
            "missing {field} in {accuracy}"
        );
    }
    assert_eq!(accuracy["name"], "001-xor");
    assert_eq!(accuracy["seeds"], serde_json::json!([42, 43]));
    let ours = accuracy["ours"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&ours));
    assert_eq!(
        accuracy["within_tolerance"].as_bool().unwrap(),
        (ours - 1.0).abs() < 1e-9
    );

    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report
            .contains("| study | experiment | metric | published | ours | difference | verdict |")
    );
    assert!(report.contains("figures/001-xor-surface.png"));
    assert!(out.join("figures/001-xor-surface.png").exists());

    // The same seed gives the same numbers.
    let again = reproduce(std::slice::from_ref(&spec), &options).unwrap();
    assert_eq!(again[0].outcomes[0].metrics, results[0].outcomes[0].metrics);
    std::fs::remove_dir_all(&out).unwrap();
}
