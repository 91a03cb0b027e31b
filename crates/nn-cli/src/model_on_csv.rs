//! What `nn evaluate` and `nn predict` both start from: a saved model, and a CSV read with
//! the column layout of the data it was trained on.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result, anyhow};
use nn_core::{Link, Matrix, Sequential};
use nn_data::CsvTable;

use crate::input_file::require_file;
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
    let from_stdin = data == Path::new(STANDARD_INPUT);
    if !from_stdin {
        require_file(data, "the data file")?;
    }
    let (net, bundle) = load_bundle(model)?;
    let table = if from_stdin {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading the CSV from standard input")?;
        bundle
            .preprocessor
            .read_csv_bytes("<standard input>", &bytes)
            .context("reading the CSV from standard input")?
    } else {
        // nn-data's errors name the file, line and column themselves.
        bundle.preprocessor.read_csv(data)?
    };
    Ok((net, bundle, table))
}

/// The data path that means "read the CSV from standard input".
pub const STANDARD_INPUT: &str = "-";

/// `net`'s predictions for the prepared rows `x` of every row of `table`. When an output is
/// not finite (a value far outside the training range overflows a layer), the first row
/// that does it is found by predicting row by row, and named by file and line.
///
/// # Errors
/// The network's error, with the file and line of the row when one alone causes it.
pub fn predict_rows(
    net: &mut Sequential<f32>,
    x: &Matrix<f32>,
    link: Link,
    table: &CsvTable,
) -> Result<Matrix<f32>> {
    let error = match net.predict(x, link) {
        Ok(pred) => return Ok(pred),
        Err(error) => error,
    };
    let row = (0..x.ncols()).find(|&j| net.predict(&x.columns(j, 1).into_owned(), link).is_err());
    Err(match row {
        Some(j) => anyhow!(
            "{}, line {}: the network cannot predict this row: {error}",
            table.source(),
            table.line(j)
        ),
        None => error.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use nn_core::Init;
    use nn_data::{CsvOptions, Task};
    use rand::SeedableRng;

    #[test]
    fn a_row_that_overflows_the_network_is_named_by_its_line() {
        let table = CsvTable::from_bytes(
            "t.csv",
            b"a,b,y\n1,2,0\n3e38,3e38,0\n",
            &CsvOptions::new("y", Task::Regression),
        )
        .unwrap();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let mut net = Sequential::<f32>::new(2)
            .dense(1, Init::Zeros, &mut rng)
            .unwrap();
        net.params_mut().into_iter().for_each(|p| p.value.fill(1.0));
        // 3e38 + 3e38 overflows f32 in the dense layer.
        let x = Matrix::from_column_slice(2, 2, &[1.0, 2.0, 3e38, 3e38]);
        let err = predict_rows(&mut net, &x, Link::Identity, &table).unwrap_err();
        assert!(err.to_string().starts_with("t.csv, line 3:"), "{err}");
        let fine = Matrix::from_column_slice(2, 1, &[1.0, 2.0]);
        assert!(predict_rows(&mut net, &fine, Link::Identity, &table).is_ok());
    }
}
