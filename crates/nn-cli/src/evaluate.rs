//! `nn evaluate`: the saved model on a labelled CSV, through exactly the training
//! preprocessing, with the report its task calls for.

use std::path::Path;

use anyhow::{Context, Result};

use crate::metrics_text::report_of_predictions;
use crate::model_on_csv::{load_model_and_csv, predict_rows};
use crate::tabular_data::part_of;
use nn_experiments::spec::LossKind;

/// The report of the model at `model` on the labelled CSV `data` (it must hold every input
/// column and the target column).
///
/// # Errors
/// An unreadable model (named), a missing column, a bad or unseen value (named by file, line
/// and column), or a target of the wrong kind.
pub fn evaluate(model: &Path, data: &Path) -> Result<String> {
    let (mut net, bundle, table) = load_model_and_csv(model, data)?;
    let dataset = bundle
        .preprocessor
        .transform_all(&table)
        .with_context(|| format!("preparing {} as in training", table.source()))?;
    let loss_kind = match bundle.loss {
        nn_core::Loss::CrossEntropy => LossKind::CrossEntropy,
        nn_core::Loss::BinaryCrossEntropy => LossKind::BinaryCrossEntropy,
        nn_core::Loss::Mse | nn_core::Loss::Mae => LossKind::Mse,
    };
    let part = part_of(&dataset, loss_kind)?;
    let mut report = format!(
        "model {} on {} ({} rows, target `{}`)\n",
        model.display(),
        table.source(),
        part.len(),
        bundle.target_column().unwrap_or("?")
    );
    let pred = predict_rows(&mut net, &part.x, bundle.loss.link(), &table)?;
    report.push_str(&report_of_predictions(
        &pred,
        bundle.loss,
        &part,
        bundle.class_names(),
    )?);
    Ok(report)
}
