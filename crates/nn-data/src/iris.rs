//! Fisher's Iris: 150 flowers, 4 measurements in cm, 3 species.

use crate::csv_table::{CsvOptions, CsvTable, Task};
use crate::data_dir::DataDir;
use crate::dataset::Dataset;
use crate::error::Result;
use crate::preprocessor::encode_all;

/// Relative path of the file.
pub const IRIS_FILE: &str = "iris/iris.csv";

/// The options the Iris file is read with (target `species`, classification).
pub fn iris_options() -> CsvOptions {
    CsvOptions::new("species", Task::Classification)
}

/// Iris as a data set: 4 × 150 features (`sepal_length, sepal_width, petal_length,
/// petal_width`, unscaled), classes `Iris-setosa, Iris-versicolor, Iris-virginica`.
pub fn iris(dir: &DataDir) -> Result<Dataset> {
    let table = CsvTable::from_data_dir(dir, IRIS_FILE, &iris_options())?;
    let (mut ds, _) = encode_all(&table)?;
    ds.name = "iris".into();
    Ok(ds)
}
