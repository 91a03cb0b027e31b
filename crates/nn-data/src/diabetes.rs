//! The diabetes regression data (Efron et al. 2004): 442 patients, 10 raw baseline
//! variables, target `y` (disease progression after one year).

use crate::csv_table::{CsvOptions, CsvTable, Task};
use crate::data_dir::DataDir;
use crate::dataset::Dataset;
use crate::error::Result;
use crate::preprocessor::encode_all;

/// Relative path of the file.
pub const DIABETES_FILE: &str = "diabetes/diabetes.csv";

/// The options the file is read with (target `y`, regression; `sex` stays numeric 1/2).
pub fn diabetes_options() -> CsvOptions {
    CsvOptions::new("y", Task::Regression)
}

/// Diabetes as a data set: 10 × 442 raw (unscaled) features `age, sex, bmi, bp, s1..s6`,
/// regression target `y`.
pub fn diabetes(dir: &DataDir) -> Result<Dataset> {
    let table = CsvTable::from_data_dir(dir, DIABETES_FILE, &diabetes_options())?;
    let (mut ds, _) = encode_all(&table)?;
    ds.name = "diabetes".into();
    Ok(ds)
}
