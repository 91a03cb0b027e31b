//! What `nn evaluate` and `nn predict` both start from: a saved model, and a CSV read with
//! the column layout of the data it was trained on.

use std::path::Path;

use anyhow::{Context, Result};
use nn_data::CsvTable;
use nn_train::ModelBundle;

use crate::input_file::require_file;

/// The data path that means "read the CSV from standard input".
pub const STANDARD_INPUT: &str = "-";

/// The bundle saved at `model`, and the CSV `data` read with the bundle's column layout (not
/// yet transformed).
///
/// # Errors
/// A missing data file, an unreadable model (named), or a CSV that does not parse as the
/// training data did (named by file, line and column).
pub fn load_model_and_csv(model: &Path, data: &Path) -> Result<(ModelBundle, CsvTable)> {
    let from_stdin = data == Path::new(STANDARD_INPUT);
    if !from_stdin {
        require_file(data, "the data file")?;
    }
    let bundle = ModelBundle::load(model)?;
    let table = if from_stdin {
        let bytes = nn_bounded_read::read_to_end_bounded(
            std::io::stdin(),
            nn_data::data_dir::MAX_DATA_FILE_BYTES,
            0,
        )
        .context("reading the CSV from standard input")?;
        bundle.read_csv_bytes("<standard input>", &bytes)?
    } else {
        // nn-data's errors name the file, line and column themselves.
        bundle.read_csv(data)?
    };
    Ok((bundle, table))
}
