//! Data for the feedforward engine: checked loaders, preparation fitted on training data
//! only, seeded splits and shuffled mini-batches.
//!
//! * **Layout.** Features are a `features × samples` [`nalgebra::DMatrix<f32>`]: one column
//!   per sample, so every sample is contiguous and a batch gather is one copy per sample.
//! * **Files.** [`DataDir`] finds the workspace's `datasets/` folder (or `$NN_DATA_DIR`) and
//!   verifies each file against `SHA256SUMS` from the very bytes it parses.
//! * **Loaders.** [`iris()`], [`mnist()`] (+ the pooled 70,000), [`xor()`], [`titanic_split`],
//!   [`students()`], [`students_uci()`], [`diabetes()`], and any CSV through [`CsvTable`] +
//!   [`Preprocessor`] (numbers parsed, categories one-hot, yes/no as 0/1, missing values
//!   imputed or rejected, unseen categories rejected by default).
//! * **Preparation.** [`MinMaxScaler`], [`StandardScaler`], [`OneHotEncoder`],
//!   [`LabelEncoder`], [`Imputer`], [`CategoricalImputer`]: serde-serialisable. The
//!   statistics (scales, fills) are fitted on the training split only; names may come from
//!   every row (a target's class names, the categories of the built-in complete sets).
//! * **Splits and batches.** [`train_test_split`], [`train_val_test_split`] and their
//!   stratified versions; [`BatchSampler`] + [`fill_batch`] (no allocation per batch) or
//!   [`mini_batches`].
//! * **A CSV file in a few calls.** [`CsvTable::from_path`] → [`CsvTable::train_val_test_split`]
//!   (stratified for classification) → [`ThreeWaySplit::prepare`] (a [`Preprocessor`] fitted
//!   on the training rows) → train, validation and test [`Dataset`]s, whose
//!   [`Dataset::target_matrix`] is what a network is trained against.
//! * **Errors.** Everything returns [`DataError`], naming the file, line and column at fault.
//!
//! ```
//! use nn_data::{DataDir, MinMaxScaler, iris};
//!
//! let data = iris(&DataDir::default_location())?;
//! assert_eq!((data.n_features(), data.n_samples()), (4, 150));
//!
//! // Seeded stratified 80/20 split, scaler fitted on the training part only.
//! let (train, test) = data.train_test_split(0.2, 42)?;
//! assert_eq!((train.n_samples(), test.n_samples()), (120, 30));
//! assert_eq!(test.class_counts(), Some(vec![10, 10, 10]));
//! let scaler = MinMaxScaler::fit(train.features())?;
//! let x_train = scaler.transform(train.features())?;
//! let x_test = scaler.transform(test.features())?;
//! assert!(x_train.iter().all(|&v| (0.0..=1.0).contains(&v)));
//! let y_train = train.one_hot(3)?; // 3 × 120
//! assert_eq!(y_train.ncols(), x_train.ncols());
//! # let _ = x_test;
//! # Ok::<(), nn_data::DataError>(())
//! ```

pub mod batch;
pub mod checksum;
pub mod csv_table;
pub mod data_dir;
pub mod dataset;
pub mod diabetes;
pub mod encoder;
pub mod error;
pub mod idx;
pub mod imputer;
pub mod inventory;
pub mod iris;
pub mod mnist;
pub mod preprocessor;
pub mod scaler;
pub mod split;
pub mod students;
pub mod titanic;
pub mod xor;

pub use batch::{BatchSampler, EpochBatches, MiniBatches, fill_batch, mini_batches};
pub use checksum::{ChecksumList, sha256_hex};
pub use csv_table::{ColumnKind, CsvFormat, CsvOptions, CsvTable, MissingPolicy, Task};
pub use data_dir::{CHECKSUM_FILE, DATA_DIR_ENV, DataDir};
pub use dataset::{Dataset, Targets};
pub use diabetes::diabetes;
pub use encoder::{LabelEncoder, OneHotEncoder, UnknownCategory, one_hot};
pub use error::{DataError, Result};
pub use imputer::{CategoricalImputer, ImputeStrategy, Imputer};
pub use inventory::{ChecksumStatus, Inventory, InventoryRow, inventory};
pub use iris::iris;
pub use mnist::{Mnist, mnist, mnist_test, mnist_train};
pub use preprocessor::{
    ColumnEncoding, PreparedSplit, PreparedThreeWay, Preprocessor, TargetEncoding, encode_all,
    prepare_split, prepare_three_way,
};
pub use scaler::{FittedScaler, MinMaxScaler, Scaling, StandardScaler};
pub use split::{
    Split, ThreeWaySplit, stratified_train_test_split, stratified_train_val_test_split,
    train_test_split, train_val_test_split,
};
pub use students::{students, students_uci, students_uci_table};
pub use titanic::{titanic_split, titanic_table};
pub use xor::xor;
