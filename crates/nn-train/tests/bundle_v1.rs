//! A model file of bundle version 1, written by `nn train examples/iris-csv/spec.toml` before
//! the bundle moved into nn-train, still loads: it predicts what `nn predict` printed for
//! it then (`tests/data/v1-iris-predictions.csv`, on examples/iris-csv/iris.csv), bit for
//! bit, its spec becomes the training record, and saving it again writes version 2.

use std::path::{Path, PathBuf};

use nn_core::Loss;
use nn_optim::OptimizerConfig;
use nn_train::{BUNDLE_VERSION, ModelBundle};

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn iris_csv() -> PathBuf {
    manifest_dir().join("../../examples/iris-csv/iris.csv")
}

/// The class names and probabilities (classes × rows) that `nn predict` wrote.
fn printed_predictions() -> (Vec<String>, Vec<Vec<f32>>) {
    let path = manifest_dir().join("tests/data/v1-iris-predictions.csv");
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    assert_eq!(headers.len(), 4, "prediction and three probabilities");
    let (mut classes, mut probabilities) = (Vec::new(), vec![Vec::new(); 3]);
    for record in reader.records() {
        let record = record.unwrap();
        classes.push(record[0].to_owned());
        for (class, column) in probabilities.iter_mut().enumerate() {
            column.push(record[class + 1].parse::<f32>().unwrap());
        }
    }
    (classes, probabilities)
}

#[test]
fn a_version_1_model_predicts_what_nn_predict_printed() {
    let model = ModelBundle::load(manifest_dir().join("tests/data/v1-iris.nn")).unwrap();
    assert_eq!(model.loss(), Loss::CrossEntropy);
    assert!(model.is_classification());
    assert_eq!(
        model.class_names().unwrap(),
        ["Iris-setosa", "Iris-versicolor", "Iris-virginica"]
    );
    assert_eq!(model.target_column(), Some("species"));
    assert_eq!(
        model.input_columns(),
        ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    );

    let table = model.read_csv(iris_csv()).unwrap();
    let classes = model.predict_classes(&table).unwrap();
    let proba = model.predict_proba(&table).unwrap();
    let (printed_classes, printed_proba) = printed_predictions();
    assert_eq!(table.n_rows(), 150);
    assert_eq!(classes, printed_classes);
    // `nn predict` printed each f32 in its shortest form that reads back to the same bits.
    for (class, printed) in printed_proba.iter().enumerate() {
        for (row, &p) in printed.iter().enumerate() {
            assert_eq!(
                proba[(class, row)].to_bits(),
                p.to_bits(),
                "class {class}, row {row}"
            );
        }
    }
}

#[test]
fn a_version_1_spec_becomes_the_training_record_and_saves_as_version_2() {
    let model = ModelBundle::load(manifest_dir().join("tests/data/v1-iris.nn")).unwrap();
    let record = model.training().unwrap();
    assert_eq!(record.seed, 42);
    assert_eq!(record.spec_name.as_deref(), Some("iris-csv"));
    assert_eq!(record.max_epochs, Some(100));
    assert_eq!(record.batch_size, Some(16));
    assert_eq!((record.epochs_run, record.best_epoch), (None, None));
    assert!(record.final_metrics.is_empty());
    match record.optimizer {
        Some(OptimizerConfig::Adam(adam)) => assert_eq!(adam.lr, 0.01),
        other => panic!("expected the spec's Adam, got {other:?}"),
    }
    // The old spec, whole, as its JSON text.
    let spec: serde_json::Value = serde_json::from_str(record.spec.as_deref().unwrap()).unwrap();
    assert_eq!(spec["model"]["hidden"], serde_json::json!([16]));
    assert_eq!(spec["data"]["target"], "species");

    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("v1-saved-again.nn");
    model.save(&path).unwrap();
    let (_, extra) = nn_core::model_file::load_model::<f32>(&path).unwrap();
    let saved: serde_json::Value = serde_json::from_slice(&extra).unwrap();
    assert_eq!(saved["bundle_version"], BUNDLE_VERSION);
    let again = ModelBundle::load(&path).unwrap();
    assert_eq!(again.training(), Some(record));
    assert_eq!(again.preprocessor(), model.preprocessor());
    let table = model.read_csv(iris_csv()).unwrap();
    assert_eq!(
        again.predict(&table).unwrap(),
        model.predict(&table).unwrap()
    );
    std::fs::remove_file(path).unwrap();
}
