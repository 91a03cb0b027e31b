//! `nn train`: read a spec, prepare its data, train (or resume) and write the model file, the
//! history and, when the spec asks, checkpoints.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use nn_core::atomic_write::write_atomically;
use nn_core::output_path::{protect_input, writable_target};
use nn_optim::AnyOptimizer;
use nn_train::{
    EpochRecord, History, MetricKind, ModelBundle, ProgressMode, TrainConfig, TrainData, Trainer,
    TrainingRecord,
};

use crate::json_difference::differences;
use crate::metrics_text::report_of_predictions;
use crate::run_lock::RunLock;
use crate::tabular_data::{TabularData, load_table, prepare_table, training_csv_path};
use nn_experiments::runner::build_network;
use nn_experiments::spec::{
    DataSpec, ExperimentSpec, LossKind, ModelSpec, PreprocessingSpec, SplitSpec, TrainingSpec,
};
use nn_experiments::spec_suggest::parse_spec;

/// What `nn train` was asked to do.
#[derive(Clone, Debug)]
pub struct TrainRequest {
    /// The spec file.
    pub spec: PathBuf,
    /// Overrides the spec's seed.
    pub seed: Option<u64>,
    /// Output directory (`model.nn`, `history.json`, `history.csv`, `checkpoints/`).
    pub out: PathBuf,
    /// A checkpoint to continue from.
    pub resume: Option<PathBuf>,
    /// How progress is shown.
    pub progress: ProgressMode,
}

/// What a finished `nn train` produced.
#[derive(Debug)]
pub struct TrainOutcome {
    /// The model file written.
    pub model_path: PathBuf,
    /// The saved model: the trained network with its preprocessing and training record.
    pub bundle: ModelBundle,
    /// The per-epoch history.
    pub history: History,
    /// A human-readable report (data, network, final metrics).
    pub report: String,
}

/// The largest spec file `nn train` reads (16 MiB; a spec is a page of TOML).
pub const MAX_SPEC_BYTES: u64 = 16 << 20;

/// The spec's bytes as text, or an error naming the line and byte of the first byte that is
/// not UTF-8.
fn spec_text(path: &Path, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
        let column = 1 + at
            - bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
        anyhow::anyhow!(
            "the spec file {} is not UTF-8 text: byte {} (line {line}, column {column}) is \
             0x{:02x}; save the spec as UTF-8",
            path.display(),
            at + 1,
            bytes[at]
        )
    })
}

/// Reads and checks a spec file, with typo suggestions for unknown keys.
///
/// # Errors
/// An unreadable file or an invalid spec, naming the file.
pub fn read_spec(path: &Path) -> Result<ExperimentSpec> {
    let bytes = nn_bounded_read::read_bounded(path, MAX_SPEC_BYTES)
        .with_context(|| format!("cannot read the spec file {}", path.display()))?;
    let text = spec_text(path, bytes)?;
    Ok(parse_spec(&path.display().to_string(), &text)?)
}

/// The trainer settings a spec asks for (checkpoints go to `out/checkpoints`).
pub fn train_config(
    spec: &ExperimentSpec,
    data: &TabularData,
    seed: u64,
    out: &Path,
    progress: ProgressMode,
) -> TrainConfig {
    let checkpoint_every = spec.training.checkpoint_every;
    TrainConfig {
        epochs: spec.training.epochs,
        batch_size: spec.training.batch_size.resolve(data.train.len()),
        seed,
        l2: spec.training.l2,
        schedule: spec.training.schedule.unwrap_or_default(),
        early_stopping: spec.training.early_stopping.clone(),
        metric: if spec.model.loss == LossKind::Mse {
            MetricKind::R2
        } else {
            MetricKind::Accuracy
        },
        train_metric: true,
        checkpoint_every,
        checkpoint_dir: checkpoint_every.map(|_| out.join("checkpoints")),
        progress,
        ..TrainConfig::default()
    }
}

/// Runs `nn train`.
///
/// # Errors
/// A bad spec or data file (named), a checkpoint of another run, a diverged loss, or an output
/// that cannot be written (named). Before any work: an output folder another `nn train` is
/// writing (see [`RunLock`]), and an output that is the spec, the data file, a directory or a
/// device (see [`nn_core::output_path`]).
pub fn train(request: &TrainRequest) -> Result<TrainOutcome> {
    let spec = read_spec(&request.spec)?;
    protect_input(&request.spec, "the spec")?;
    let spec_dir = request
        .spec
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    if let Some(csv) = training_csv_path(&spec, &spec_dir)? {
        protect_input(&csv, "the training data")?;
    }
    let out = &request.out;
    let created = !out.exists();
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create the output directory {}", out.display()))?;
    let lock = RunLock::acquire(out)?;
    let result = check_outputs(&spec, out).and_then(|()| train_in_locked_folder(request, spec));
    drop(lock);
    if result.is_err() && created {
        // A run refused before it wrote anything leaves no empty folders behind.
        let _ = std::fs::remove_dir(out.join("checkpoints"));
        let _ = std::fs::remove_dir(out);
    }
    result
}

/// Refuses, before any work, an output of the run that would replace one of its inputs or
/// something that is not a regular file (see [`nn_core::output_path`]): the model, the
/// history and the checkpoints the spec asks for that are already there.
fn check_outputs(spec: &ExperimentSpec, out: &Path) -> Result<()> {
    for name in ["model.nn", "history.json", "history.csv"] {
        let path = out.join(name);
        writable_target(&path).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let Some(every) = spec.training.checkpoint_every else {
        return Ok(());
    };
    let dir = out.join("checkpoints");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(());
    };
    let epochs = spec.training.epochs;
    let planned = |name: &str| {
        let name = name.strip_suffix(".partial").unwrap_or(name);
        name == "last.ckpt"
            || name
                .strip_prefix("epoch-")
                .and_then(|n| n.strip_suffix(".ckpt"))
                .and_then(|n| n.parse::<usize>().ok())
                .is_some_and(|n| n > 0 && n <= epochs && n % every.max(1) == 0)
    };
    for entry in entries.filter_map(std::result::Result::ok) {
        let name = entry.file_name();
        let Some(name) = name.to_str().filter(|n| planned(n)) else {
            continue;
        };
        let path = dir.join(name.strip_suffix(".partial").unwrap_or(name));
        writable_target(&path).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// The run itself, once its output folder is locked and its outputs checked.
fn train_in_locked_folder(request: &TrainRequest, spec: ExperimentSpec) -> Result<TrainOutcome> {
    let seed = request.seed.unwrap_or(spec.seed);
    let spec_dir = request
        .spec
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let loaded = load_table(&spec, &spec_dir)?;
    let data = prepare_table(&spec, &loaded.table, seed)?;
    warn_of_suspicious_settings(&spec, &data);
    let out = &request.out;
    let config = train_config(&spec, &data, seed, out, request.progress);
    if let Some(dir) = &config.checkpoint_dir {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the checkpoint directory {}", dir.display()))?;
    }
    let loss = spec.model.loss.to_loss();
    let origin = run_origin(&spec, loaded.file_sha256, seed)?;
    let mut trainer = match &request.resume {
        Some(path) => resume_trainer(path, &config, loss, &origin)?,
        None => {
            warn_of_earlier_checkpoints(config.checkpoint_dir.as_deref());
            let net = build_network(
                &spec,
                &spec.model.hidden,
                data.train.x.nrows(),
                data.train.y.nrows(),
                seed,
            )?;
            let optimizer = AnyOptimizer::<f32>::new(&spec.training.optimizer)?;
            Trainer::new(net, optimizer, loss, config)?.with_origin(origin)
        }
    };
    let resumed = request
        .resume
        .as_ref()
        .map(|path| (path, trainer.epochs_done()));
    let mut train_data = TrainData::new(&data.train.x, &data.train.y);
    if let Some(v) = &data.validation {
        train_data = train_data.with_validation(&v.x, &v.y);
    }
    if let Err(error) = trainer.fit(&train_data) {
        let error = anyhow::Error::new(error);
        let history = trainer.history();
        // The epochs before the error show how training went wrong (a diverging loss, say).
        if history.epochs.is_empty() {
            return Err(error.context(format!("training {}", spec.name)));
        }
        let saved = write_history(out, history).map_or_else(
            |e| format!(" (its history could not be written: {e:#})"),
            |()| {
                let n = history.epochs.len();
                format!(
                    " (the history of the {n} epoch{} completed is in {})",
                    if n == 1 { "" } else { "s" },
                    out.join("history.csv").display()
                )
            },
        );
        return Err(error.context(format!("training {}{saved}", spec.name)));
    }
    let history = trainer.history().clone();
    let metric = trainer.config().metric;
    let mut saved_spec = spec.clone();
    saved_spec.seed = seed;
    let spec_text =
        toml::to_string(&saved_spec).context("cannot write the spec into the model file")?;
    let mut record = TrainingRecord::from_trainer(&trainer).with_spec(spec.name.clone(), spec_text);
    let bundle = ModelBundle::new(trainer.into_network(), data.preprocessor.clone(), loss)?;
    let (part_name, part) = match &data.test {
        Some(t) => ("test", t),
        None => ("training", &data.train),
    };
    let predictions = bundle.predict_features(&part.x)?;
    if data.test.is_some()
        && let Some(value) = nn_train::metric_value(metric, &predictions, &part.y)?
    {
        record = record.with_metric(format!("test_{}", metric.name()), value);
    }
    let bundle = bundle.with_training(record);
    let model_path = out.join("model.nn");
    bundle.save(&model_path)?;
    write_history(out, &history)?;

    let mut report = format!(
        "data: {}; seed {seed}\n{}\n",
        data.describe(),
        bundle.network().summary().trim_end()
    );
    if let Some((path, done)) = resumed {
        report.push_str(&format!(
            "resumed from {} after epoch {done}\n",
            path.display()
        ));
    }
    if let Some(last) = history.last() {
        report.push_str(&format!(
            "epochs run: {}{}; final train loss {:.6}",
            history.epochs.len(),
            if history.stopped_early {
                " (stopped early)"
            } else {
                ""
            },
            last.train_loss
        ));
        if let Some(v) = last.val_loss {
            report.push_str(&format!(", validation loss {v:.6}"));
        }
        report.push('\n');
    }
    if let Some(restored) = restored_epoch(&spec, &history) {
        report.push_str(&format!(
            "the model holds the weights of epoch {} (early stopping's best{}), not of the last\n",
            restored.epoch,
            restored
                .val_loss
                .map(|v| format!(": validation loss {v:.6}"))
                .unwrap_or_default()
        ));
    }
    report.push_str(&format!("{part_name} set:\n"));
    report.push_str(&report_of_predictions(
        &predictions,
        loss,
        part,
        bundle.class_names(),
    )?);
    report.push_str(&format!(
        "wrote {}, {}, {}\n",
        model_path.display(),
        out.join("history.json").display(),
        out.join("history.csv").display()
    ));
    Ok(TrainOutcome {
        model_path,
        bundle,
        history,
        report,
    })
}

/// Warns about settings that train without error but hardly as meant: a learning rate of 0,
/// and a class that only one row of the data holds (often a typo of another class's name).
fn warn_of_suspicious_settings(spec: &ExperimentSpec, data: &TabularData) {
    if spec.training.optimizer.lr() == 0.0 {
        log::warn!("`training.optimizer.lr` is 0: training will not change the weights");
    }
    let Some(names) = data.preprocessor.class_names() else {
        return;
    };
    let mut counts = vec![0usize; names.len()];
    let parts = [
        Some(&data.train),
        data.validation.as_ref(),
        data.test.as_ref(),
    ];
    for labels in parts
        .into_iter()
        .flatten()
        .filter_map(|p| p.labels.as_ref())
    {
        for &label in labels {
            if let Some(count) = counts.get_mut(label) {
                *count += 1;
            }
        }
    }
    let lone: Vec<String> = names
        .iter()
        .zip(&counts)
        .filter(|&(_, &count)| count == 1)
        .map(|(name, _)| format!("`{name}`"))
        .collect();
    if !lone.is_empty() && counts.iter().any(|&c| c > 1) {
        log::warn!(
            "class {} appears in one row only: a typo of another class's name? (classes: {})",
            lone.join(", "),
            names.join(", ")
        );
    }
}

/// Warns when a new run's checkpoint directory already holds checkpoints: this run writes
/// over those of the epochs it reaches and leaves the others, which a later `--resume`
/// would take for this run's.
fn warn_of_earlier_checkpoints(dir: Option<&Path>) {
    let Some((dir, entries)) = dir.and_then(|d| Some((d, std::fs::read_dir(d).ok()?))) else {
        return;
    };
    let mut found: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".ckpt"))
        .collect();
    if found.is_empty() {
        return;
    }
    found.sort();
    log::warn!(
        "{} already holds checkpoints of an earlier run ({}): this run replaces only those \
         of the epochs it reaches; use another --out, or remove them, to keep runs apart",
        dir.display(),
        found.join(", ")
    );
}

/// Writes `history.json` and `history.csv` into `out`.
fn write_history(out: &Path, history: &History) -> Result<()> {
    let json = history.to_json()?;
    write_output(&out.join("history.json"), json.as_bytes())?;
    let mut csv = Vec::new();
    history.write_csv(&mut csv)?;
    write_output(&out.join("history.csv"), &csv)
}

/// The epoch whose weights early stopping put back at the end of the run, when that is not
/// the last epoch run.
fn restored_epoch<'h>(spec: &ExperimentSpec, history: &'h History) -> Option<&'h EpochRecord> {
    let restores = spec
        .training
        .early_stopping
        .as_ref()
        .is_some_and(|es| es.restore_best);
    let best = history.best_epoch.filter(|_| restores)?;
    let last = history.last()?;
    (best != last.epoch)
        .then(|| history.epochs.iter().find(|r| r.epoch == best))
        .flatten()
}

/// What shapes the numbers of a run, as recorded in its checkpoints: the effective seed, the
/// SHA-256 of a CSV data file, and the spec's data, split, preprocessing, model and training
/// tables (without `checkpoint_every`, which changes no number).
#[derive(serde::Serialize)]
struct RunOrigin<'a> {
    seed: u64,
    data_file_sha256: Option<String>,
    data: &'a DataSpec,
    split: &'a SplitSpec,
    preprocessing: &'a PreprocessingSpec,
    model: &'a ModelSpec,
    training: TrainingSpec,
}

/// The run's origin (see [`RunOrigin`]) as JSON, with the digest of the CSV file it read.
fn run_origin(
    spec: &ExperimentSpec,
    data_file_sha256: Option<String>,
    seed: u64,
) -> Result<String> {
    let origin = RunOrigin {
        seed,
        data_file_sha256,
        data: &spec.data,
        split: &spec.split,
        preprocessing: &spec.preprocessing,
        model: &spec.model,
        training: TrainingSpec {
            checkpoint_every: None,
            ..spec.training.clone()
        },
    };
    serde_json::to_string(&origin).context("cannot describe the spec for the checkpoints")
}

/// Loads the checkpoint at `path` and checks that it was made by this spec and seed (as
/// `origin` describes them), so that the resumed run is the one the checkpoint belongs to.
fn resume_trainer(
    path: &Path,
    config: &TrainConfig,
    loss: nn_core::Loss,
    origin: &str,
) -> Result<Trainer<f32>> {
    let trainer = Trainer::<f32>::load_checkpoint(path)
        .with_context(|| format!("cannot resume from {}", path.display()))?;
    let parse = |text: &str| -> Result<serde_json::Value> {
        serde_json::from_str(text)
            .with_context(|| format!("checkpoint {}: unreadable origin", path.display()))
    };
    let changed = match trainer.origin() {
        Some(saved) => differences(&parse(saved)?, &parse(origin)?),
        None => {
            // A checkpoint that recorded no spec: compare what it holds.
            let numbers = |c: &TrainConfig| {
                serde_json::to_value(TrainConfig {
                    checkpoint_every: None,
                    checkpoint_dir: None,
                    progress: ProgressMode::Silent,
                    threads: None,
                    ..c.clone()
                })
                .context("cannot describe the training settings")
            };
            let mut changed = differences(&numbers(trainer.config())?, &numbers(config)?);
            if trainer.loss() != loss {
                changed.push(format!(
                    "loss ({} there, {} here)",
                    trainer.loss().name(),
                    loss.name()
                ));
            }
            changed
        }
    };
    if !changed.is_empty() {
        bail!(
            "checkpoint {} was made with another spec, seed or data file: {}; resume with the \
             spec, --seed and data of the run that wrote it",
            path.display(),
            changed.join(", ")
        );
    }
    if trainer.is_finished() {
        bail!(
            "checkpoint {} is of a finished run ({} epochs): nothing to resume",
            path.display(),
            trainer.epochs_done()
        );
    }
    let mut trainer = trainer.with_origin(origin);
    trainer.set_output_settings(config)?;
    Ok(trainer)
}

/// Writes an output file atomically, naming it on failure.
///
/// # Errors
/// The I/O error, with the path.
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomically(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_spec_file_is_refused_after_the_cap() {
        let path = Path::new("/dev/zero");
        if !path.exists() {
            return;
        }
        let err = read_spec(path).unwrap_err();
        let io = err
            .downcast_ref::<std::io::Error>()
            .expect("the read error");
        assert_eq!(io.kind(), std::io::ErrorKind::FileTooLarge);
        assert!(
            format!("{err:#}").contains("/dev/zero never ends"),
            "{err:#}"
        );
    }

    #[test]
    fn a_spec_that_is_not_utf8_is_named_by_line_and_byte() {
        let dir = std::env::temp_dir().join(format!("nn-cli-spec-utf8-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("latin1.toml");
        std::fs::write(&path, b"name = \"x\"\ndescription = \"caf\xe9\"\n").unwrap();
        let message = format!("{:#}", read_spec(&path).unwrap_err());
        let _ = std::fs::remove_dir_all(&dir);
        assert!(message.contains("is not UTF-8"), "{message}");
        assert!(
            message.contains("byte 30 (line 2, column 19) is 0xe9"),
            "{message}"
        );
    }
}
