//! The tabular workflow end to end, as `examples/tabular.rs` runs it: a CSV file → a
//! stratified three-way split → preprocessing fitted on the training rows → a network trained
//! on the data sets directly → a saved bundle that loads back and predicts the same bits;
//! a regression target too, and errors (not panics) for wrong inputs.

use std::path::{Path, PathBuf};

use nn_core::{Init, Loss, Sequential};
use nn_data::{CsvOptions, CsvTable, PreparedThreeWay, Scaling, Task};
use nn_optim::{AdamConfig, AnyOptimizer, OptimizerConfig};
use nn_train::{
    BundleError, EarlyStoppingConfig, MetricKind, ModelBundle, ProgressMode, TrainConfig,
    TrainError, Trainer, TrainingRecord,
};
use rand::SeedableRng;

const SEED: u64 = 42;

fn iris_csv() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/iris-csv/iris.csv")
}

fn scratch(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("tabular-bundle-{name}"))
}

/// The table at `path` split 60/20/20 with `SEED` and prepared from its training rows.
fn prepared(path: &Path, target: &str, task: Task) -> (CsvTable, PreparedThreeWay) {
    let options = CsvOptions::new(target, task).scaling(Scaling::Standard);
    let table = CsvTable::from_path(path, &options).unwrap();
    let data = table
        .train_val_test_split(0.2, 0.2, SEED)
        .unwrap()
        .prepare(&table)
        .unwrap();
    (table, data)
}

/// A 16-unit ReLU network trained with Adam and early stopping on `data`.
fn trained(data: &PreparedThreeWay, loss: Loss, outputs: usize) -> Trainer<f32> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(SEED);
    let network = Sequential::<f32>::new(data.preprocessor.n_features())
        .dense(16, Init::HeNormal, &mut rng)
        .unwrap()
        .relu()
        .dense(outputs, Init::XavierUniform, &mut rng)
        .unwrap();
    let optimizer = AnyOptimizer::new(&OptimizerConfig::Adam(AdamConfig {
        lr: 0.01,
        ..AdamConfig::default()
    }))
    .unwrap();
    let config = TrainConfig {
        epochs: 200,
        batch_size: 16,
        seed: SEED,
        early_stopping: Some(EarlyStoppingConfig {
            patience: 20,
            ..EarlyStoppingConfig::default()
        }),
        metric: if loss == Loss::Mse {
            MetricKind::R2
        } else {
            MetricKind::Accuracy
        },
        progress: ProgressMode::Silent,
        threads: Some(1),
        ..TrainConfig::default()
    };
    let mut trainer = Trainer::new(network, optimizer, loss, config).unwrap();
    trainer.fit_datasets(&data.train, Some(&data.val)).unwrap();
    trainer
}

fn bits(m: &nn_core::Matrix<f32>) -> Vec<u32> {
    m.iter().map(|v| v.to_bits()).collect()
}

#[test]
fn iris_from_csv_to_a_saved_model_and_back() {
    let (table, data) = prepared(&iris_csv(), "species", Task::Classification);
    assert_eq!(data.test.class_counts(), Some(vec![10, 10, 10]));
    let trainer = trained(&data, Loss::CrossEntropy, 3);
    let bundle = ModelBundle::new(
        trainer.network().clone(),
        data.preprocessor.clone(),
        Loss::CrossEntropy,
    )
    .unwrap();
    let accuracy = bundle.score(&data.test).unwrap();
    assert_eq!(bundle.score_name(), "accuracy");
    assert!(accuracy >= 0.85, "test accuracy {accuracy}");
    let record = TrainingRecord::from_trainer(&trainer).with_metric("test_accuracy", accuracy);
    assert_eq!(record.seed, SEED);
    assert_eq!(record.epochs_run, Some(trainer.history().epochs.len()));
    assert_eq!(record.best_epoch, trainer.history().best_epoch);
    assert!(record.final_metrics.contains_key("val_loss"));
    assert!(record.final_metrics.contains_key("val_accuracy"));
    let bundle = bundle.with_training(record);

    let path = scratch("iris.nn");
    bundle.save(&path).unwrap();
    let loaded = ModelBundle::load(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(loaded.training(), bundle.training());
    assert_eq!(loaded.class_names(), bundle.class_names());

    // The loaded model reads the raw file (the target column is just ignored) and predicts
    // exactly what the trained network predicts.
    let rows = loaded.read_csv(iris_csv()).unwrap();
    let before = bundle.predict(&rows).unwrap();
    let after = loaded.predict(&rows).unwrap();
    assert_eq!(after.shape(), (3, 150));
    assert_eq!(bits(&after), bits(&before));
    let mut network = trainer.network().clone();
    let buffered = network
        .predict(&loaded.features(&rows).unwrap(), loaded.link())
        .unwrap();
    assert_eq!(bits(&after), bits(&buffered));

    // Classes are the arg-max of the probabilities, and mostly right on the whole file.
    let proba = loaded.predict_proba(&rows).unwrap();
    let classes = loaded.predict_classes(&rows).unwrap();
    let names = loaded.class_names().unwrap();
    for (row, class) in classes.iter().enumerate() {
        let column = proba.column(row);
        let best = (0..3).fold(0, |b, c| if column[c] > column[b] { c } else { b });
        assert_eq!(class, &names[best], "row {row}");
    }
    let truth = table.target_strings().unwrap();
    let right = classes.iter().zip(&truth).filter(|(p, t)| p == t).count();
    assert!(right >= 135, "{right} of 150 right");
}

#[test]
fn a_numeric_target_trains_a_regressor() {
    // y = 2a − b + 3·[colour = red], exactly, on 60 rows.
    let mut text = String::from("a,b,colour,y\n");
    for i in 0..60 {
        let a = (i % 10) as f32 * 0.5;
        let b = (i / 10) as f32 - 2.5;
        let red = i % 3 == 0;
        let colour = if red { "red" } else { "blue" };
        let y = 2.0 * a - b + if red { 3.0 } else { 0.0 };
        text.push_str(&format!("{a},{b},{colour},{y}\n"));
    }
    let path = scratch("regression.csv");
    std::fs::write(&path, text).unwrap();
    let options = CsvOptions::new("y", Task::Classification);
    let table = CsvTable::from_path(&path, &options).unwrap();
    assert_eq!(table.suggested_task().unwrap(), Task::Regression);
    let (_, data) = prepared(&path, "y", Task::Regression);
    let trainer = trained(&data, Loss::Mse, 1);
    let bundle = ModelBundle::new(
        trainer.network().clone(),
        data.preprocessor.clone(),
        Loss::Mse,
    )
    .unwrap()
    .with_training(TrainingRecord::from_trainer(&trainer));
    assert!(!bundle.is_classification());
    assert_eq!(bundle.target_column(), Some("y"));
    let r2 = bundle.score(&data.test).unwrap();
    assert!(r2 > 0.9, "test R² {r2}");

    let model_path = scratch("regression.nn");
    bundle.save(&model_path).unwrap();
    let loaded = ModelBundle::load(&model_path).unwrap();
    let rows = loaded.read_csv(&path).unwrap();
    assert_eq!(
        bits(&loaded.predict(&rows).unwrap()),
        bits(&bundle.predict(&rows).unwrap())
    );
    assert!(matches!(
        loaded.predict_classes(&rows),
        Err(BundleError::NotClassifier { .. })
    ));
    // A file without the target column predicts too; one without a feature column is an
    // error naming the column.
    let features_only = scratch("features-only.csv");
    std::fs::write(&features_only, "colour,b,a\nred,0.5,1\n").unwrap();
    let rows = loaded.read_csv(&features_only).unwrap();
    assert_eq!(loaded.predict(&rows).unwrap().shape(), (1, 1));
    std::fs::write(&features_only, "a,b\n1,0.5\n").unwrap();
    let rows = loaded.read_csv(&features_only).unwrap();
    let err = loaded.predict(&rows).unwrap_err();
    let chain = error_chain(&err);
    assert!(chain.contains("colour"), "{chain}");
    for file in [&path, &model_path, &features_only] {
        std::fs::remove_file(file).unwrap();
    }
}

#[test]
fn wrong_inputs_are_errors_that_say_what_to_do() {
    let (_, data) = prepared(&iris_csv(), "species", Task::Classification);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let network = Sequential::<f32>::new(4)
        .dense(3, Init::HeNormal, &mut rng)
        .unwrap();

    // A loss that does not suit the target, for training and for a bundle.
    let optimizer = AnyOptimizer::new(&OptimizerConfig::Adam(AdamConfig::default())).unwrap();
    let config = TrainConfig {
        progress: ProgressMode::Silent,
        ..TrainConfig::default()
    };
    let mut trainer =
        Trainer::new(network.clone(), optimizer, Loss::BinaryCrossEntropy, config).unwrap();
    let err = trainer.fit_datasets(&data.train, None).unwrap_err();
    assert!(matches!(err, TrainError::Data(_)), "{err:?}");
    assert!(err.to_string().contains("exactly two classes"), "{err}");
    let err = ModelBundle::new(network.clone(), data.preprocessor.clone(), Loss::Mse).unwrap_err();
    assert!(err.to_string().contains("holds classes"), "{err}");

    // Files that are not bundles, each named once.
    let missing = scratch("no-such-model.nn");
    let err = ModelBundle::load(&missing).unwrap_err();
    assert!(matches!(err, BundleError::Io { .. }), "{err:?}");
    assert_eq!(err.to_string().matches("no-such-model.nn").count(), 1);
    assert!(std::error::Error::source(&err).is_some());

    let bare = scratch("bare.nn");
    network.save(&bare).unwrap();
    let err = ModelBundle::load(&bare).unwrap_err();
    assert!(matches!(err, BundleError::NoMetadata { .. }), "{err:?}");
    assert!(err.to_string().contains("ModelBundle"), "{err}");

    let future = scratch("future.nn");
    nn_core::model_file::save_model(&future, &network, br#"{"bundle_version":3}"#).unwrap();
    let err = ModelBundle::load(&future).unwrap_err();
    assert!(
        matches!(err, BundleError::Version { found: 3, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("retrain"), "{err}");

    let checkpoint = scratch("run.ckpt");
    trainer.save_checkpoint(&checkpoint).unwrap();
    let err = ModelBundle::load(&checkpoint).unwrap_err();
    assert!(matches!(err, BundleError::Checkpoint { .. }), "{err:?}");

    let garbage = scratch("garbage.nn");
    std::fs::write(&garbage, b"not a model at all").unwrap();
    let err = ModelBundle::load(&garbage).unwrap_err();
    assert!(matches!(err, BundleError::Network { .. }), "{err:?}");
    for file in [&bare, &future, &checkpoint, &garbage] {
        std::fs::remove_file(file).unwrap();
    }

    // Rows the model cannot use: an unseen number of features, an unreadable file.
    let bundle = ModelBundle::new(network, data.preprocessor.clone(), Loss::CrossEntropy).unwrap();
    let err = bundle
        .predict_features(&nn_core::Matrix::zeros(5, 2))
        .unwrap_err();
    assert!(error_chain(&err).contains("4 input features"), "{err}");
    let err = bundle.read_csv(scratch("absent.csv")).unwrap_err();
    assert!(error_chain(&err).contains("absent.csv"), "{err}");
    let nonsense = scratch("nonsense.csv");
    std::fs::write(
        &nonsense,
        "sepal_length,sepal_width,petal_length,petal_width\n1,2,x,4\n",
    )
    .unwrap();
    let rows = bundle.read_csv(&nonsense).unwrap();
    let err = bundle.predict_classes(&rows).unwrap_err();
    let chain = error_chain(&err);
    assert!(
        chain.contains("petal_length") && chain.contains("line 2"),
        "{chain}"
    );
    std::fs::remove_file(nonsense).unwrap();
}

/// The error's message and those of its causes, one per line.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        text.push('\n');
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}
