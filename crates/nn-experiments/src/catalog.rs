//! The embedded experiment specs, one TOML file per published result, compiled into the binary
//! so it runs from any directory.

use crate::spec::{ExperimentSpec, SpecError};

/// `(file name, TOML text)` of every embedded spec, in study order.
pub const EMBEDDED_SPECS: &[(&str, &str)] = &[
    (
        "000-iris-sgd.toml",
        include_str!("../experiments/000-iris-sgd.toml"),
    ),
    (
        "000-mnist-adam.toml",
        include_str!("../experiments/000-mnist-adam.toml"),
    ),
    (
        "000-students-uci-adam.toml",
        include_str!("../experiments/000-students-uci-adam.toml"),
    ),
    ("001-xor.toml", include_str!("../experiments/001-xor.toml")),
    (
        "001-mnist-sigmoid.toml",
        include_str!("../experiments/001-mnist-sigmoid.toml"),
    ),
    (
        "001-titanic.toml",
        include_str!("../experiments/001-titanic.toml"),
    ),
    (
        "001-diabetes.toml",
        include_str!("../experiments/001-diabetes.toml"),
    ),
    (
        "001-diabetes-optimizers.toml",
        include_str!("../experiments/001-diabetes-optimizers.toml"),
    ),
    (
        "001-students-kaggle.toml",
        include_str!("../experiments/001-students-kaggle.toml"),
    ),
    (
        "002-mnist-sgd.toml",
        include_str!("../experiments/002-mnist-sgd.toml"),
    ),
    (
        "002-sklearn-mlp.toml",
        include_str!("../experiments/002-sklearn-mlp.toml"),
    ),
    (
        "002-keras-dropout.toml",
        include_str!("../experiments/002-keras-dropout.toml"),
    ),
    (
        "003-mnist-momentum-l2.toml",
        include_str!("../experiments/003-mnist-momentum-l2.toml"),
    ),
    (
        "003-mnist-adam-l2.toml",
        include_str!("../experiments/003-mnist-adam-l2.toml"),
    ),
    (
        "004-grid-sgd.toml",
        include_str!("../experiments/004-grid-sgd.toml"),
    ),
    (
        "004-grid-adam-l2.toml",
        include_str!("../experiments/004-grid-adam-l2.toml"),
    ),
];

/// Every embedded spec, parsed and validated.
///
/// # Errors
/// The first spec that does not parse or validate (a bug in the shipped files, caught by tests).
pub fn all_specs() -> Result<Vec<ExperimentSpec>, SpecError> {
    EMBEDDED_SPECS
        .iter()
        .map(|(file, text)| ExperimentSpec::from_toml(file, text))
        .collect()
}

/// The embedded spec called `name`, if any.
///
/// # Errors
/// A shipped spec that does not parse.
pub fn find_spec(name: &str) -> Result<Option<ExperimentSpec>, SpecError> {
    Ok(all_specs()?.into_iter().find(|s| s.name == name))
}
