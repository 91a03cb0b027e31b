//! The experiment runner trains with the spec's learning-rate schedule, as `nn train` does.

use nn_experiments::prepared_data::prepare;
use nn_experiments::runner::{base_settings, train_once};
use nn_experiments::spec::ExperimentSpec;

const SPEC: &str = r#"
name = "001-schedule-check"
study = "001"
title = "XOR with a step-decay schedule"
description = "Checks that the runner follows training.schedule."
seed = 7
reported = []
figures = []

[data]
set = "xor"

[split]
test_source = "training_set"

[model]
hidden = [8]
activation = "relu"
init = "he_normal"
loss = "binary_cross_entropy"

[training]
epochs = 12
batch_size = "full"
optimizer = { kind = "sgd", lr = 0.1 }
SCHEDULE

[quick]
epochs = 12

[[published]]
metric = "test_accuracy"
value = 1.0
tolerance = 0.0
"#;

fn learning_rates(schedule: &str) -> Vec<f64> {
    let spec = ExperimentSpec::from_toml("001-schedule-check", &SPEC.replace("SCHEDULE", schedule))
        .expect("valid spec");
    let data = prepare(&spec, 7, false).expect("XOR data");
    let settings = base_settings(&spec, &data, 7, false);
    let run = train_once(&spec, &data, &settings).expect("training");
    run.history.epochs.iter().map(|e| e.learning_rate).collect()
}

#[test]
fn the_runner_follows_the_spec_schedule() {
    let decayed = learning_rates(r#"schedule = { kind = "step_decay", every = 5, gamma = 0.5 }"#);
    let expected: Vec<f64> = (0..12).map(|e| 0.1 * 0.5f64.powi(e / 5)).collect();
    assert_eq!(decayed.len(), 12);
    for (got, want) in decayed.iter().zip(&expected) {
        assert!((got - want).abs() < 1e-12, "{decayed:?} vs {expected:?}");
    }
    let constant = learning_rates("");
    assert!(
        constant.iter().all(|&lr| (lr - 0.1).abs() < 1e-12),
        "{constant:?}"
    );
}
