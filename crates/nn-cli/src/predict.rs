//! `nn predict`: the saved model on a raw CSV (the target column may be absent), through
//! exactly the training preprocessing; writes class names and probabilities, or values.

use std::path::Path;

use anyhow::{Context, Result};
use nn_core::output_path::{protect_input, writable_target};

use crate::model_on_csv::{STANDARD_INPUT, load_model_and_csv};
use crate::train::write_output;

/// The predictions of the model at `model` for every row of `data`, as CSV text: a
/// classifier gives `prediction` (the class name) and `probability_<class>` per class, a
/// regressor one column named after the target.
///
/// # Errors
/// An unreadable model (named), a missing input column, a wrong column count, a non-numeric
/// or unseen value (named by file, line and column).
pub fn predict_csv(model: &Path, data: &Path) -> Result<String> {
    let (bundle, table) = load_model_and_csv(model, data)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    if bundle.is_classification() {
        let proba = bundle.predict_proba(&table)?;
        let classes = bundle.most_probable_classes(&proba)?;
        let names = bundle.class_names().unwrap_or_default();
        let mut header = vec!["prediction".to_owned()];
        header.extend(names.iter().map(|n| format!("probability_{n}")));
        w.write_record(&header)?;
        for (class, probabilities) in classes.into_iter().zip(proba.column_iter()) {
            let mut row = vec![class];
            row.extend(probabilities.iter().map(|p| p.to_string()));
            w.write_record(&row)?;
        }
    } else {
        let pred = bundle.predict(&table)?;
        let name = bundle.target_column().unwrap_or("prediction").to_owned();
        let header: Vec<String> = if pred.nrows() == 1 {
            vec![name]
        } else {
            (0..pred.nrows()).map(|i| format!("{name}_{i}")).collect()
        };
        w.write_record(&header)?;
        for col in pred.column_iter() {
            w.write_record(col.iter().map(|v| v.to_string()))?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| anyhow::anyhow!("formatting the predictions: {e}"))?;
    Ok(String::from_utf8(bytes)?)
}

/// Runs `nn predict`: writes the predictions to `output` atomically, or returns them for
/// standard output.
///
/// # Errors
/// As [`predict_csv`], or an output path that cannot be written (named). An output that is
/// the model or the data file (under any name), a directory or a device is refused before the
/// model is read (see [`nn_core::output_path`]).
pub fn predict(model: &Path, data: &Path, output: Option<&Path>) -> Result<Option<String>> {
    protect_input(model, "the model")?;
    if data != Path::new(STANDARD_INPUT) {
        protect_input(data, "the data file")?;
    }
    if let Some(path) = output {
        // Before any work: an output that would replace an input or a non-file is refused.
        writable_target(path).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let text = predict_csv(model, data)?;
    match output {
        Some(path) => {
            write_output(path, text.as_bytes())?;
            Ok(None)
        }
        None => Ok(Some(text)),
    }
}
