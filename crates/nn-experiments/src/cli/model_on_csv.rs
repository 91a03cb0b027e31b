//! What `nn evaluate` and `nn predict` both start from: a saved model, and a CSV read with
//! the column layout of the data it was trained on.

use std::path::Path;

use anyhow::{Context, Result};
use nn_core::Sequential;
use nn_data::CsvTable;

use crate::cli::input_file::require_file;
use crate::model_bundle::{ModelBundle, load_bundle};

/// The network and bundle saved at `model`, and the CSV `data` read through the bundle's
/// preprocessor (not yet transformed).
///
/// # Errors
/// A missing data file, an unreadable model (named), or a CSV that does not parse as the
/// training data did (named by file, line and column).
pub fn load_model_and_csv(
    model: &Path,
    data: &Path,
) -> Result<(Sequential<f32>, ModelBundle, CsvTable)> {
    require_file(data, "the data file")?;
    let (net, bundle) = load_bundle(model)?;
    let table = bundle
        .preprocessor
        .read_csv(data)
        .with_context(|| format!("reading {}", data.display()))?;
    Ok((net, bundle, table))
}
