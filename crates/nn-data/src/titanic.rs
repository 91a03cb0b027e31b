//! Kaggle's Titanic training file: 891 passengers, 342 survivors.
//!
//! Features (10, in this order): `Pclass` (1–3, kept numeric and ordinal), `Sex_female`,
//! `Sex_male` (one-hot), `Age` (missing in 177 rows: imputed with the *training* median),
//! `SibSp`, `Parch`, `Fare`, `Embarked_C`, `Embarked_Q`, `Embarked_S` (one-hot; 2 missing
//! values imputed with the *training* mode). `PassengerId`, `Name`, `Ticket` and `Cabin` are
//! dropped (no title-from-name feature is derived). Target `Survived`, classes `"0"`, `"1"`.
//!
//! Because imputation (and optional scaling) learns statistics, the loader returns the raw
//! table and [`titanic_split`] fits everything on the training rows only.

use crate::csv_table::{ColumnKind, CsvOptions, CsvTable, MissingPolicy, Task};
use crate::data_dir::DataDir;
use crate::error::Result;
use crate::imputer::ImputeStrategy;
use crate::preprocessor::{PreparedSplit, prepare_split};
use crate::scaler::Scaling;

/// Relative path of the file.
pub const TITANIC_FILE: &str = "titanic/train.csv";

/// The options described in the module documentation, with the given scaling.
pub fn titanic_options(scaling: Scaling) -> CsvOptions {
    CsvOptions::new("Survived", Task::Classification)
        .drop_columns(&["PassengerId", "Name", "Ticket", "Cabin"])
        .column_kind("Sex", ColumnKind::Categorical)
        .column_kind("Embarked", ColumnKind::Categorical)
        .missing(MissingPolicy::Impute(ImputeStrategy::Median))
        .scaling(scaling)
}

/// The raw Titanic table (891 rows), verified.
pub fn titanic_table(dir: &DataDir, scaling: Scaling) -> Result<CsvTable> {
    CsvTable::from_data_dir(dir, TITANIC_FILE, &titanic_options(scaling))
}

/// Seeded stratified split (test part `ceil(test_ratio · 891)`, e.g. 179 for 0.2) with the
/// imputers, encoders and scaler fitted on the training part only.
pub fn titanic_split(
    dir: &DataDir,
    test_ratio: f64,
    seed: u64,
    scaling: Scaling,
) -> Result<PreparedSplit> {
    let table = titanic_table(dir, scaling)?;
    let split = table.split_indices(test_ratio, seed)?;
    let mut prepared = prepare_split(&table, &split)?;
    prepared.train.name = "titanic-train".into();
    prepared.test.name = "titanic-test".into();
    Ok(prepared)
}
