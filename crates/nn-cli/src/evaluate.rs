//! `nn evaluate`: the saved model on a labelled CSV, through exactly the training
//! preprocessing, with the report its task calls for.

use std::path::Path;

use anyhow::{Context, Result};
use nn_experiments::prepared_data::Part;

use crate::metrics_text::report_of_predictions;
use crate::model_on_csv::load_model_and_csv;

/// The report of the model at `model` on the labelled CSV `data` (it must hold every input
/// column and the target column).
///
/// # Errors
/// An unreadable model (named), a missing column, a bad or unseen value (named by file, line
/// and column), or a target of the wrong kind.
pub fn evaluate(model: &Path, data: &Path) -> Result<String> {
    let (bundle, table) = load_model_and_csv(model, data)?;
    let dataset = bundle
        .preprocessor()
        .transform_all(&table)
        .with_context(|| format!("preparing {} as in training", table.source()))?;
    // The rows are prepared once: the targets and the predictions both come from `dataset`.
    let part = Part {
        y: nn_train::loss_targets(&dataset, bundle.loss())?,
        labels: dataset.labels().map(<[usize]>::to_vec),
        x: dataset.into_features(),
    };
    let mut report = format!(
        "model {} on {} ({} rows, target `{}`)\n",
        model.display(),
        table.source(),
        part.len(),
        bundle.target_column().unwrap_or("?")
    );
    let pred = bundle.predict_table_features(&part.x, &table)?;
    report.push_str(&report_of_predictions(
        &pred,
        bundle.loss(),
        &part,
        bundle.class_names(),
    )?);
    Ok(report)
}
