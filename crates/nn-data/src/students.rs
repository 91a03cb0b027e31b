//! The two student-performance regression sets.
//!
//! * `students` — Kaggle "Student Performance (Multiple Linear Regression)", 10,000 rows:
//!   five features (`Extracurricular Activities` Yes/No → 1/0), target `Performance Index`.
//! * `students-uci` — UCI mathematics course, 395 rows, `;`-separated: numeric columns as
//!   numbers, yes/no columns as 1/0, the other categorical columns one-hot (50 features in
//!   all, including the period grades `G1`, `G2`, which are quoted in the file), target `G3`.

use crate::csv_table::{CsvOptions, CsvTable, Task};
use crate::data_dir::DataDir;
use crate::dataset::Dataset;
use crate::error::Result;
use crate::preprocessor::encode_all;

/// Relative path of the Kaggle file.
pub const STUDENTS_FILE: &str = "students/Student_Performance.csv";
/// Relative path of the UCI file.
pub const STUDENTS_UCI_FILE: &str = "students/student-mat.csv";

/// Options for the Kaggle file.
pub fn students_options() -> CsvOptions {
    CsvOptions::new("Performance Index", Task::Regression)
}

/// Options for the UCI file (`;` separator, target `G3`).
pub fn students_uci_options() -> CsvOptions {
    CsvOptions::new("G3", Task::Regression).delimiter(b';')
}

/// The Kaggle set: 5 × 10000 unscaled features, target `Performance Index`.
pub fn students(dir: &DataDir) -> Result<Dataset> {
    let table = CsvTable::from_data_dir(dir, STUDENTS_FILE, &students_options())?;
    let (mut ds, _) = encode_all(&table)?;
    ds.name = "students".into();
    Ok(ds)
}

/// The raw UCI table, for a split-then-fit workflow with [`crate::prepare_split`].
pub fn students_uci_table(dir: &DataDir) -> Result<CsvTable> {
    CsvTable::from_data_dir(dir, STUDENTS_UCI_FILE, &students_uci_options())
}

/// The UCI set: 50 × 395 unscaled features, target `G3`. The one-hot category lists come
/// from all rows (they are the questionnaire's answer options, not statistics).
pub fn students_uci(dir: &DataDir) -> Result<Dataset> {
    let (mut ds, _) = encode_all(&students_uci_table(dir)?)?;
    ds.name = "students-uci".into();
    Ok(ds)
}
