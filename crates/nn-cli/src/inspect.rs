//! `nn summary`: what a model file holds: the layers, the loss, the input columns and their
//! encoding, the classes or target, and how it was trained.

use std::fmt::Write;
use std::path::Path;

use anyhow::Result;
use nn_data::ColumnEncoding;

use nn_train::{ModelBundle, TrainingRecord};

/// The summary of the model at `model`.
///
/// # Errors
/// An unreadable model file (named), of another format version or without metadata.
pub fn summary(model: &Path) -> Result<String> {
    let bundle = ModelBundle::load(model)?;
    let mut s = format!("model {}\n", model.display());
    s.push_str(&bundle.network().summary());
    let task = if bundle.is_classification() {
        "classification"
    } else {
        "regression"
    };
    // Writing into a String cannot fail.
    let _ = writeln!(s, "loss: {} ({task})", bundle.loss().name());
    if let Some(target) = bundle.target_column() {
        let _ = writeln!(s, "target column: {target}");
    }
    if let Some(names) = bundle.class_names() {
        let _ = writeln!(s, "classes: {}", names.join(", "));
    }
    let _ = writeln!(s, "input columns ({}):", bundle.input_columns().len());
    for column in bundle.preprocessor().columns() {
        let line = match column {
            ColumnEncoding::Numeric { column, fill } => match fill {
                Some(f) => format!("  {column}: number (missing → {f})"),
                None => format!("  {column}: number"),
            },
            ColumnEncoding::Binary {
                column,
                positive,
                negative,
                ..
            } => format!("  {column}: yes/no ({positive} → 1, {negative} → 0)"),
            ColumnEncoding::OneHot {
                column, encoder, ..
            } => format!(
                "  {column}: one-hot over {}",
                encoder.categories().join(", ")
            ),
        };
        let _ = writeln!(s, "{line}");
    }
    let scaler = match bundle.preprocessor().scaler() {
        Some(nn_data::FittedScaler::MinMax(_)) => "min-max (fitted on the training rows)",
        Some(nn_data::FittedScaler::Standard(_)) => "standard (fitted on the training rows)",
        None => "none",
    };
    let _ = writeln!(s, "scaling: {scaler}");
    if let Some(record) = bundle.training() {
        let _ = writeln!(s, "{}", training_line(record));
        if !record.final_metrics.is_empty() {
            let metrics: Vec<String> = record
                .final_metrics
                .iter()
                .map(|(name, value)| format!("{name} {value:.6}"))
                .collect();
            let _ = writeln!(s, "metrics of the saved weights: {}", metrics.join(", "));
        }
    }
    Ok(s)
}

/// One line on how the model was trained: spec, seed, epochs, batch size and optimizer, as
/// far as the record knows them.
fn training_line(record: &TrainingRecord) -> String {
    let mut parts = vec![format!("seed {}", record.seed)];
    match (record.epochs_run, record.max_epochs) {
        (Some(run), Some(max)) => parts.push(format!("{run} of {max} epochs")),
        (Some(run), None) => parts.push(format!("{run} epochs")),
        (None, Some(max)) => parts.push(format!("{max} epochs max")),
        (None, None) => {}
    }
    if let Some(best) = record.best_epoch {
        parts.push(format!("best epoch {best}"));
    }
    if let Some(batch) = record.batch_size {
        parts.push(format!("batch size {batch}"));
    }
    if let Some(optimizer) = &record.optimizer {
        parts.push(format!(
            "optimizer {} (lr {})",
            optimizer.name(),
            optimizer.lr()
        ));
    }
    let from = record.spec_name.as_ref().map_or_else(
        || "trained".to_owned(),
        |name| format!("trained from spec `{name}`"),
    );
    format!("{from}: {}", parts.join(", "))
}
