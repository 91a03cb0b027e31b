//! `nn predict`: the saved model on a raw CSV (the target column may be absent), through
//! exactly the training preprocessing; writes class names and probabilities, or values.

use std::path::Path;

use anyhow::{Context, Result};
use nn_core::Loss;

use crate::model_on_csv::{load_model_and_csv, predict_rows};
use crate::train::write_output;

/// The predictions of the model at `model` for every row of `data`, as CSV text: a
/// classifier gives `prediction` (the class name) and `probability_<class>` per class, a
/// regressor one column named after the target.
///
/// # Errors
/// An unreadable model (named), a missing input column, a wrong column count, a non-numeric
/// or unseen value (named by file, line and column).
pub fn predict_csv(model: &Path, data: &Path) -> Result<String> {
    let (mut net, bundle, table) = load_model_and_csv(model, data)?;
    let x = bundle
        .preprocessor
        .transform_all_features(&table)
        .with_context(|| format!("preparing {} as in training", table.source()))?;
    let pred = predict_rows(&mut net, &x, bundle.loss.link(), &table)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    match (bundle.loss, bundle.class_names()) {
        (Loss::CrossEntropy | Loss::BinaryCrossEntropy, Some(names)) => {
            let mut header = vec!["prediction".to_owned()];
            header.extend(names.iter().map(|n| format!("probability_{n}")));
            w.write_record(&header)?;
            for j in 0..pred.ncols() {
                let probs: Vec<f32> = if bundle.loss == Loss::BinaryCrossEntropy {
                    // One sigmoid output: the probability of class index 1.
                    vec![1.0 - pred[(0, j)], pred[(0, j)]]
                } else {
                    pred.column(j).iter().copied().collect()
                };
                let best = probs
                    .iter()
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(b.1))
                    .map_or(0, |(i, _)| i);
                let mut row = vec![names.get(best).cloned().unwrap_or_default()];
                row.extend(probs.iter().map(|p| p.to_string()));
                w.write_record(&row)?;
            }
        }
        _ => {
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
/// As [`predict_csv`], or an output path that cannot be written (named).
pub fn predict(model: &Path, data: &Path, output: Option<&Path>) -> Result<Option<String>> {
    let text = predict_csv(model, data)?;
    match output {
        Some(path) => {
            write_output(path, text.as_bytes())?;
            Ok(None)
        }
        None => Ok(Some(text)),
    }
}
