//! Every fuzz target's seed corpus and every input a fuzzer ever crashed on, run on stable
//! through the very functions the fuzz targets call (`crates/nn-fuzz/src/entry_points.rs`,
//! included below): each must return, Ok or Err, without a panic. See `docs/fuzzing.md`.

use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "../../nn-fuzz/src/entry_points.rs"]
mod entry_points;

/// The files of `crates/nn-fuzz/<kind>/<target>/`, sorted (none when the folder is absent).
fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../nn-fuzz")
        .join(kind)
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a readable folder entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// Runs `run` over every file of `kind` for `target`; returns how many it ran.
fn run_all(kind: &str, target: &str, run: entry_points::EntryPoint) -> usize {
    let files = inputs(kind, target);
    for path in &files {
        let bytes = std::fs::read(path).expect("a readable input");
        let outcome = std::panic::catch_unwind(|| run(&bytes));
        assert!(outcome.is_ok(), "{target} panicked on {}", path.display());
    }
    files.len()
}

#[test]
fn every_seed_of_every_target_returns_without_panicking() {
    for (target, run) in entry_points::TARGETS {
        let seeds = run_all("corpus", target, run);
        assert!(seeds > 0, "no seed corpus for the fuzz target {target}");
    }
}

#[test]
fn every_input_a_fuzzer_crashed_on_now_returns() {
    for (target, run) in entry_points::TARGETS {
        run_all("regressions", target, run);
    }
}

#[test]
fn every_corpus_folder_belongs_to_a_target() {
    for kind in ["corpus", "regressions"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../nn-fuzz")
            .join(kind);
        for entry in std::fs::read_dir(&dir).expect("the fuzz crate's folder") {
            let path = entry.expect("a readable folder entry").path();
            if path.is_dir() {
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default();
                assert!(
                    entry_points::TARGETS.iter().any(|(t, _)| *t == name),
                    "{} is not the folder of any fuzz target",
                    path.display()
                );
            }
        }
    }
}

/// The seeds are real files: the fuzzers start from inputs that get through every check, and
/// the from-bytes readers the targets call accept what the path readers accept.
#[test]
fn the_seed_models_checkpoints_and_specs_are_valid() {
    for path in inputs("corpus", "model_bundle") {
        let bytes = std::fs::read(&path).expect("a readable seed");
        let from_bytes = nn_train::ModelBundle::from_bytes(&bytes, &path).expect("a valid bundle");
        let loaded = nn_train::ModelBundle::load(&path).expect("a valid bundle");
        assert_eq!(from_bytes.input_columns(), loaded.input_columns());
        assert_eq!(
            from_bytes.network().to_bytes().ok(),
            loaded.network().to_bytes().ok()
        );
    }
    for path in inputs("corpus", "checkpoint") {
        let bytes = std::fs::read(&path).expect("a readable seed");
        let from_bytes = nn_train::Trainer::<f32>::from_checkpoint_bytes(&bytes, &path)
            .expect("a valid checkpoint");
        let loaded = nn_train::Trainer::<f32>::load_checkpoint(&path).expect("a valid checkpoint");
        assert_eq!(
            from_bytes.checkpoint_bytes().ok(),
            loaded.checkpoint_bytes().ok()
        );
    }
    for path in inputs("corpus", "spec") {
        let text = std::fs::read_to_string(&path).expect("a UTF-8 seed");
        let name = path.display().to_string();
        assert!(
            nn_experiments::spec_suggest::parse_spec(&name, &text).is_ok(),
            "{name} is not a valid spec"
        );
    }
}

#[test]
fn a_damaged_seed_model_is_an_error_naming_the_file() {
    let path = inputs("corpus", "model_bundle").remove(0);
    let mut bytes = std::fs::read(&path).expect("a readable seed");
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    let err = nn_train::ModelBundle::from_bytes(&bytes, "damaged.nn").unwrap_err();
    assert!(err.to_string().contains("damaged.nn"), "{err}");
    let Err(err) = nn_train::Trainer::<f32>::from_checkpoint_bytes(&bytes, Path::new("model.ckpt"))
    else {
        panic!("a model file read as a checkpoint");
    };
    assert!(err.to_string().contains("model.ckpt"), "{err}");
}
