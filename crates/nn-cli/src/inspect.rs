//! `nn summary`: what a model file holds: the layers, the loss, the input columns and their
//! encoding, the classes or target, and how it was trained.

use std::fmt::Write;
use std::path::Path;

use anyhow::Result;
use nn_data::ColumnEncoding;

use crate::model_bundle::load_bundle;

/// The summary of the model at `model`.
///
/// # Errors
/// An unreadable model file (named), of another format version or without metadata.
pub fn summary(model: &Path) -> Result<String> {
    let (net, bundle) = load_bundle(model)?;
    let mut s = format!("model {}\n", model.display());
    s.push_str(&net.summary());
    let spec = &bundle.spec;
    let task = if bundle.is_classification() {
        "classification"
    } else {
        "regression"
    };
    // Writing into a String cannot fail.
    let _ = writeln!(s, "loss: {} ({task})", bundle.loss.name());
    if let Some(target) = bundle.target_column() {
        let _ = writeln!(s, "target column: {target}");
    }
    if let Some(names) = bundle.class_names() {
        let _ = writeln!(s, "classes: {}", names.join(", "));
    }
    let _ = writeln!(s, "input columns ({}):", bundle.input_columns().len());
    for column in bundle.preprocessor.columns() {
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
    let scaler = match bundle.preprocessor.scaler() {
        Some(nn_data::FittedScaler::MinMax(_)) => "min-max (fitted on the training rows)",
        Some(nn_data::FittedScaler::Standard(_)) => "standard (fitted on the training rows)",
        None => "none",
    };
    let _ = writeln!(s, "scaling: {scaler}");
    let _ = writeln!(
        s,
        "trained from spec `{}`: seed {}, {} epochs max, batch size {}, optimizer {} (lr {})",
        spec.name,
        bundle.seed,
        spec.training.epochs,
        spec.training.batch_size,
        spec.training.optimizer.name(),
        spec.training.optimizer.lr()
    );
    Ok(s)
}
