//! The embedded specs parse, validate and describe what the studies describe.

use nn_experiments::catalog::{EMBEDDED_SPECS, all_specs};
use nn_experiments::runner::build_network;
use nn_experiments::spec::{ExperimentSpec, SpecError};

#[test]
fn every_embedded_spec_parses_and_validates() {
    let specs = all_specs().expect("shipped specs are valid");
    assert_eq!(specs.len(), EMBEDDED_SPECS.len());
    let mut names: Vec<&str> = specs.iter().map(|s| s.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), specs.len(), "experiment names are unique");
    for (spec, (file, _)) in specs.iter().zip(EMBEDDED_SPECS) {
        assert_eq!(
            format!("{}.toml", spec.name),
            *file,
            "file named after its experiment"
        );
        assert!(
            !spec.notes.is_empty(),
            "{} states its choices in notes",
            spec.name
        );
        assert_eq!(spec.seed, 42, "{} uses the default seed", spec.name);
    }
    for study in ["000", "001", "002", "003", "004"] {
        assert!(
            specs.iter().any(|s| s.study == study),
            "study {study} has experiments"
        );
    }
}

#[test]
fn specs_round_trip_through_toml() {
    for spec in all_specs().unwrap() {
        let text = spec.to_toml().unwrap();
        let back = ExperimentSpec::from_toml("round-trip", &text).unwrap();
        assert_eq!(back, spec);
    }
}

#[test]
fn grids_expand_to_twelve_published_rows() {
    let specs = all_specs().unwrap();
    for name in ["004-grid-sgd", "004-grid-adam-l2"] {
        let spec = specs.iter().find(|s| s.name == name).unwrap();
        let points = spec.grid.as_ref().unwrap().expand();
        assert_eq!(points.len(), 12);
        assert_eq!(spec.run_count(), 12);
        assert!(
            points.iter().all(|p| p.published.is_some()),
            "{name}: every row published"
        );
    }
    let sgd = specs.iter().find(|s| s.name == "004-grid-sgd").unwrap();
    let best = sgd
        .grid
        .as_ref()
        .unwrap()
        .expand()
        .iter()
        .filter_map(|p| p.published)
        .fold(0.0, f64::max);
    assert!((best - 0.9796).abs() < 1e-12);
}

#[test]
fn a_network_too_large_to_train_names_its_spec_key_and_memory() {
    let spec = all_specs()
        .unwrap()
        .into_iter()
        .find(|s| s.name == "003-mnist-adam-l2")
        .unwrap();
    let err = build_network(&spec, &[64, 1_000_000_000_000], 784, 10, 42).unwrap_err();
    let message = format!("{err:#}");
    assert!(
        message.contains("`model.hidden[1] = 1000000000000`"),
        "{message}"
    );
    assert!(message.contains("dense 64 → 1000000000000"), "{message}");
    assert!(message.contains("to train"), "{message}");
    assert!(matches!(
        err.downcast_ref::<nn_core::CoreError>(),
        Some(nn_core::CoreError::NetworkTooLarge { .. })
    ));
}

#[test]
fn study_003_network_has_the_parameters_its_layers_imply() {
    let spec = all_specs()
        .unwrap()
        .into_iter()
        .find(|s| s.name == "003-mnist-adam-l2")
        .unwrap();
    let net = build_network(&spec, &spec.model.hidden, 784, 10, 42).unwrap();
    // The study's table: W 128×784, 64×128, 10×64 and biases 128 + 64 + 10.
    let weights = 128 * 784 + 64 * 128 + 10 * 64;
    let biases = 128 + 64 + 10;
    assert_eq!(net.param_count(), weights + biases);
    assert_eq!(net.param_count(), 109_386);
    // The study writes 109,578: its weight sum 109,376 should be 109,184 (an arithmetic slip),
    // which the spec's published value keeps and its notes explain.
    assert_eq!(weights, 109_184);
    let published = spec
        .published
        .iter()
        .find(|p| p.metric == "param_count")
        .unwrap();
    assert_eq!(published.value, 109_578.0);
    assert!(!published.accepts(net.param_count() as f64));
}

const MINIMAL: &str = r#"
name = "000-tiny"
study = "000"
title = "t"
description = "d"
notes = ["n"]

[data]
set = "xor"

[split]
test_source = "training_set"

[model]
hidden = [4]
activation = "relu"
init = "he_normal"
loss = "binary_cross_entropy"

[training]
epochs = 3
batch_size = "full"
optimizer = { kind = "sgd", lr = 0.1 }

[[published]]
metric = "test_accuracy"
value = 1.0
tolerance = 0.0
"#;

#[test]
fn minimal_spec_parses_with_defaults() {
    let spec = ExperimentSpec::from_toml("tiny.toml", MINIMAL).unwrap();
    assert_eq!(spec.seed, 42);
    assert!(spec.training.early_stopping.is_none());
}

fn parse_error(text: &str) -> String {
    ExperimentSpec::from_toml("bad.toml", text)
        .unwrap_err()
        .to_string()
}

#[test]
fn unknown_keys_are_rejected_by_name() {
    let err = parse_error(&MINIMAL.replace("hidden = [4]", "hidden = [4]\nhiden_units = 3"));
    assert!(
        err.contains("hiden_units") && err.contains("bad.toml"),
        "{err}"
    );
    let err = parse_error(&MINIMAL.replace("title = \"t\"", "title = \"t\"\ncolour = 1"));
    assert!(err.contains("colour"), "{err}");
    let err = parse_error(&MINIMAL.replace("lr = 0.1 }", "lr = 0.1, momentum = 0.9 }"));
    assert!(err.contains("momentum"), "{err}");
}

#[test]
fn bad_values_name_the_field() {
    let cases = [
        (
            MINIMAL.replace("batch_size = \"full\"", "batch_size = \"half\""),
            "half",
        ),
        (
            MINIMAL.replace("batch_size = \"full\"", "batch_size = 0"),
            "positive",
        ),
        (
            MINIMAL.replace("epochs = 3", "epochs = 0"),
            "training.epochs",
        ),
        (
            MINIMAL.replace("metric = \"test_accuracy\"", "metric = \"test_acuracy\""),
            "published[0].metric",
        ),
        (
            MINIMAL.replace("loss = \"binary_cross_entropy\"", "loss = \"mse\""),
            "model.loss",
        ),
        (
            MINIMAL.replace("test_source = \"training_set\"", "test_source = \"split\""),
            "split.test_ratio",
        ),
        (MINIMAL.replace("set = \"xor\"", "set = \"cifar\""), "cifar"),
        (
            MINIMAL.replace("name = \"000-tiny\"", "name = \"tiny\""),
            "name",
        ),
        (
            MINIMAL.replace("lr = 0.1", "lr = -1.0"),
            "training.optimizer",
        ),
        (
            MINIMAL.replace("set = \"xor\"", "set = \"xor\"\ndrop_columns = [\"x1\"]"),
            "`drop_columns`, which only applies to a `csv` file",
        ),
        (
            MINIMAL.replace(
                "lr = 0.1 }",
                "lr = 0.1 }\nearly_stopping = { patience = 2, monitor = \"val_metric\" }",
            ),
            "training.early_stopping.monitor",
        ),
    ];
    for (text, expected) in cases {
        let err = parse_error(&text);
        assert!(err.contains(expected), "expected {expected:?} in: {err}");
    }
    assert!(matches!(
        ExperimentSpec::from_toml("bad.toml", "name = "),
        Err(SpecError::Parse { .. })
    ));
}
