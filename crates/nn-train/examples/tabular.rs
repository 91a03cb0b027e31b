//! From a CSV file to a saved model in a few calls: read the table, split it (stratified for
//! classification), fit the preprocessing on the training rows, train a small ReLU network
//! with Adam and early stopping, measure it on the test rows, save the bundle, load it back
//! and predict.
//!
//! ```text
//! cargo run --release -p nn-train --example tabular -- examples/iris-csv/iris.csv species iris.nn
//! cargo run --release -p nn-train --example tabular -- data.csv price price.nn --regression
//! ```
//!
//! The task follows the target column (class names → classification, numbers → regression)
//! unless `--classification` or `--regression` says otherwise; `--seed N` changes the seed
//! (42). The saved file is what `nn predict`, `nn evaluate` and `nn summary` read.

use std::error::Error;
use std::path::PathBuf;
use std::process::ExitCode;

use nn_core::{Init, Loss, Sequential};
use nn_data::{CsvOptions, CsvTable, ImputeStrategy, MissingPolicy, Scaling, Task};
use nn_optim::{AdamConfig, AnyOptimizer, OptimizerConfig};
use nn_train::{
    EarlyStoppingConfig, MetricKind, ModelBundle, ProgressMode, TrainConfig, Trainer,
    TrainingRecord,
};
use rand::SeedableRng;

/// The command line: CSV file, target column, output file, and the options.
struct Arguments {
    csv: PathBuf,
    target: String,
    output: PathBuf,
    task: Option<Task>,
    seed: u64,
}

const USAGE: &str = "usage: tabular CSV TARGET_COLUMN OUTPUT.nn \
                     [--classification | --regression] [--seed N]";

fn arguments() -> Result<Arguments, Box<dyn Error>> {
    let mut positional = Vec::new();
    let (mut task, mut seed) = (None, 42);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--classification" => task = Some(Task::Classification),
            "--regression" => task = Some(Task::Regression),
            "--seed" => {
                let value = args
                    .next()
                    .ok_or(format!("--seed needs a number; {USAGE}"))?;
                seed = value
                    .parse()
                    .map_err(|_| format!("--seed `{value}` is not a whole number; {USAGE}"))?;
            }
            flag if flag.starts_with("--") => return Err(format!("unknown {flag}; {USAGE}").into()),
            _ => positional.push(arg),
        }
    }
    let [csv, target, output] = <[String; 3]>::try_from(positional)
        .map_err(|given| format!("{} arguments given; {USAGE}", given.len()))?;
    Ok(Arguments {
        csv: csv.into(),
        target,
        output: output.into(),
        task,
        seed,
    })
}

fn main() -> ExitCode {
    let Err(error) = run() else {
        return ExitCode::SUCCESS;
    };
    eprintln!("error: {error}");
    let mut cause = error.source();
    while let Some(c) = cause {
        eprintln!("  caused by: {c}");
        cause = c.source();
    }
    ExitCode::FAILURE
}

fn run() -> Result<(), Box<dyn Error>> {
    let args = arguments()?;
    // Numbers standardised on the training rows; a missing cell takes the training median
    // (or most frequent category).
    let options = CsvOptions::new(&args.target, Task::Regression)
        .missing(MissingPolicy::Impute(ImputeStrategy::Median))
        .scaling(Scaling::Standard);
    let table = CsvTable::from_path(&args.csv, &options)?;
    let task = match args.task {
        Some(task) => task,
        None => table.suggested_task()?,
    };
    let table = table.with_task(task);
    let split = table.train_val_test_split(0.2, 0.2, args.seed)?;
    let data = split.prepare(&table)?;
    let (loss, outputs) = match data.train.n_classes() {
        Some(classes) => (Loss::CrossEntropy, classes),
        None => (Loss::Mse, 1),
    };
    println!(
        "{}: {task:?} of `{}`, {} features; {} training, {} validation and {} test rows",
        args.csv.display(),
        args.target,
        data.preprocessor.n_features(),
        data.train.n_samples(),
        data.val.n_samples(),
        data.test.n_samples()
    );

    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(args.seed);
    let network = Sequential::<f32>::new(data.preprocessor.n_features())
        .dense(32, Init::HeNormal, &mut rng)?
        .relu()
        .dense(16, Init::HeNormal, &mut rng)?
        .relu()
        .dense(outputs, Init::XavierUniform, &mut rng)?;
    let optimizer = AnyOptimizer::new(&OptimizerConfig::Adam(AdamConfig {
        lr: 0.01,
        ..AdamConfig::default()
    }))?;
    let config = TrainConfig {
        epochs: 300,
        batch_size: 16,
        seed: args.seed,
        early_stopping: Some(EarlyStoppingConfig {
            patience: 25,
            ..EarlyStoppingConfig::default()
        }),
        metric: if loss == Loss::CrossEntropy {
            MetricKind::Accuracy
        } else {
            MetricKind::R2
        },
        progress: ProgressMode::Silent,
        ..TrainConfig::default()
    };
    let mut trainer = Trainer::new(network, optimizer, loss, config)?;
    trainer.fit_datasets(&data.train, Some(&data.val))?;

    let bundle = ModelBundle::new(trainer.network().clone(), data.preprocessor.clone(), loss)?;
    let score = bundle.score(&data.test)?;
    let record = TrainingRecord::from_trainer(&trainer)
        .with_metric(format!("test_{}", bundle.score_name()), score);
    println!(
        "trained {} epochs (best {}); test {} {score:.4}; seed {}",
        record.epochs_run.unwrap_or(0),
        record
            .best_epoch
            .map_or_else(|| "-".to_owned(), |e| e.to_string()),
        bundle.score_name(),
        args.seed
    );
    bundle.with_training(record).save(&args.output)?;
    println!("saved {}", args.output.display());

    let model = ModelBundle::load(&args.output)?;
    let rows = model.read_csv(&args.csv)?;
    let predictions = model.predict(&rows)?;
    let shown = rows.n_rows().min(5);
    println!("the first {shown} rows of {}:", args.csv.display());
    if model.is_classification() {
        let classes = model.predict_classes(&rows)?;
        let proba = model.predict_proba(&rows)?;
        for (row, class) in classes.iter().enumerate().take(shown) {
            let best = proba.column(row).max();
            println!("  line {}: {class} (probability {best:.3})", rows.line(row));
        }
    } else {
        for row in 0..shown {
            println!("  line {}: {:.4}", rows.line(row), predictions[(0, row)]);
        }
    }
    Ok(())
}
