//! A one-row-per-data-set report of what is on disk and whether it verifies.

use std::fmt;

use crate::data_dir::{CHECKSUM_FILE, DataDir};
use crate::dataset::Dataset;
use crate::error::{DataError, Result};
use crate::preprocessor::Preprocessor;
use crate::scaler::Scaling;
use crate::{diabetes, iris, mnist, students, titanic, xor};

/// Outcome of loading one data set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChecksumStatus {
    /// Every file matched `SHA256SUMS` and parsed.
    Verified,
    /// Generated in code; nothing to verify.
    Generated,
    /// A file is missing.
    Missing {
        /// The file.
        file: String,
    },
    /// A file does not match its checksum.
    Corrupted {
        /// The file.
        file: String,
    },
    /// Any other failure (unparseable file, no checksum line...).
    Failed {
        /// The full error message.
        message: String,
    },
}

impl ChecksumStatus {
    /// `true` for [`Self::Verified`] and [`Self::Generated`].
    pub fn is_ok(&self) -> bool {
        matches!(self, Self::Verified | Self::Generated)
    }
}

impl fmt::Display for ChecksumStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Verified => write!(f, "sha256 ok"),
            Self::Generated => write!(f, "generated"),
            Self::Missing { file } => write!(f, "MISSING {file}"),
            Self::Corrupted { file } => write!(f, "CORRUPTED {file}"),
            Self::Failed { message } => write!(f, "FAILED: {message}"),
        }
    }
}

/// One data set in the inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryRow {
    /// Data set name (`iris`, `mnist-train`...).
    pub name: &'static str,
    /// Number of samples, when loaded.
    pub samples: Option<usize>,
    /// Number of (encoded) features, when loaded.
    pub features: Option<usize>,
    /// `"3 classes"` or `"regression: y"`, when loaded.
    pub target: Option<String>,
    /// Verification outcome.
    pub status: ChecksumStatus,
    /// The error, if loading failed.
    pub error: Option<String>,
}

/// The inventory of all built-in data sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inventory {
    /// One row per data set.
    pub rows: Vec<InventoryRow>,
}

impl Inventory {
    /// `true` when every data set loaded and verified.
    pub fn all_ok(&self) -> bool {
        self.rows.iter().all(|r| r.status.is_ok())
    }

    /// Rows that failed.
    pub fn failures(&self) -> Vec<&InventoryRow> {
        self.rows.iter().filter(|r| !r.status.is_ok()).collect()
    }
}

impl fmt::Display for Inventory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dash = || "-".to_string();
        writeln!(
            f,
            "{:<14} {:>8} {:>8}  {:<30} status",
            "data set", "samples", "features", "classes / target"
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "{:<14} {:>8} {:>8}  {:<30} {}",
                r.name,
                r.samples.map_or_else(dash, |n| n.to_string()),
                r.features.map_or_else(dash, |n| n.to_string()),
                r.target.clone().unwrap_or_else(dash),
                r.status
            )?;
        }
        Ok(())
    }
}

fn describe(ds: &Dataset) -> String {
    match ds.n_classes() {
        Some(k) => format!("{k} classes"),
        None => format!(
            "regression: {}",
            match &ds.targets {
                crate::Targets::Regression { name, .. } => name.as_str(),
                crate::Targets::Classes { .. } => "",
            }
        ),
    }
}

/// The error and each cause under it (its `source()` chain), joined by `": "`.
fn with_causes(error: &DataError) -> String {
    let mut text = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

fn row(name: &'static str, loaded: Result<(usize, usize, String)>) -> InventoryRow {
    match loaded {
        Ok((samples, features, target)) => InventoryRow {
            name,
            samples: Some(samples),
            features: Some(features),
            target: Some(target),
            status: ChecksumStatus::Verified,
            error: None,
        },
        Err(e) => {
            let status = match &e {
                DataError::MissingFile { path } => ChecksumStatus::Missing {
                    file: path.display().to_string(),
                },
                DataError::ChecksumMismatch { path, .. } => ChecksumStatus::Corrupted {
                    file: path.display().to_string(),
                },
                other => ChecksumStatus::Failed {
                    message: with_causes(other),
                },
            };
            InventoryRow {
                name,
                samples: None,
                features: None,
                target: None,
                status,
                error: Some(with_causes(&e)),
            }
        }
    }
}

fn summary(ds: Result<Dataset>) -> Result<(usize, usize, String)> {
    ds.map(|d| (d.n_samples(), d.n_features(), describe(&d)))
}

/// One row per file that `SHA256SUMS` lists but that is not in the directory, so a listed
/// file no data set reads is not verified in silence. (An unreadable `SHA256SUMS` fails every
/// data set's row already.)
fn missing_listed_files(dir: &DataDir) -> Vec<InventoryRow> {
    let Ok(list) = dir.checksums() else {
        return Vec::new();
    };
    list.entries()
        .iter()
        .filter(|(name, _)| !dir.path(name).is_file())
        .map(|(name, _)| {
            let path = dir.path(name);
            InventoryRow {
                name: CHECKSUM_FILE,
                samples: None,
                features: None,
                target: None,
                status: ChecksumStatus::Missing {
                    file: path.display().to_string(),
                },
                error: Some(format!(
                    "{CHECKSUM_FILE} lists `{name}`, but {} is missing: restore the file or \
                     remove its line",
                    path.display()
                )),
            }
        })
        .collect()
}

/// Loads and verifies every built-in data set in `dir`, and checks that every file
/// `SHA256SUMS` lists is present (one extra row per missing one); never fails as a whole
/// (each row carries its own status).
pub fn inventory(dir: &DataDir) -> Inventory {
    let titanic = titanic::titanic_table(dir, Scaling::None).and_then(|table| {
        let rows: Vec<usize> = (0..table.n_rows()).collect();
        let pre = Preprocessor::fit(&table, &rows)?;
        let classes = pre.class_names().map_or(0, <[String]>::len);
        Ok((
            table.n_rows(),
            pre.n_features(),
            format!("{classes} classes"),
        ))
    });
    let xor_set = xor::xor();
    let mut rows = vec![
        row("iris", summary(iris::iris(dir))),
        row("mnist-train", summary(mnist::mnist_train(dir))),
        row("mnist-test", summary(mnist::mnist_test(dir))),
        InventoryRow {
            name: "xor",
            samples: Some(xor_set.n_samples()),
            features: Some(xor_set.n_features()),
            target: Some(describe(&xor_set)),
            status: ChecksumStatus::Generated,
            error: None,
        },
        row("titanic", titanic),
        row("students", summary(students::students(dir))),
        row("students-uci", summary(students::students_uci(dir))),
        row("diabetes", summary(diabetes::diabetes(dir))),
    ];
    rows.extend(missing_listed_files(dir));
    Inventory { rows }
}
