//! Where the data files live, and reading them with their checksum verified.

use std::path::{Path, PathBuf};

use crate::checksum::{ChecksumList, sha256_hex};
use crate::error::{DataError, Result};

/// Environment variable that overrides the default data directory.
pub const DATA_DIR_ENV: &str = "NN_DATA_DIR";

/// Name of the checksum list inside the data directory.
pub const CHECKSUM_FILE: &str = "SHA256SUMS";

/// A directory of data files plus its `SHA256SUMS` list.
///
/// Every built-in loader reads through [`DataDir::load_verified`], so a file is hashed from
/// the very bytes that are parsed (never read twice) and rejected, before it is parsed, if it
/// does not match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// A data directory at an explicit path.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// `$NN_DATA_DIR` if set and non-empty, otherwise the workspace's `datasets/` folder
    /// (found from this crate's manifest directory, so it works wherever the binary runs from).
    pub fn default_location() -> Self {
        match std::env::var_os(DATA_DIR_ENV) {
            Some(dir) if !dir.is_empty() => Self::new(dir),
            _ => Self::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets")),
        }
    }

    /// The directory itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Absolute-or-relative path of a file given relative to the directory (`"iris/iris.csv"`).
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// Reads and parses `SHA256SUMS`.
    pub fn checksums(&self) -> Result<ChecksumList> {
        let path = self.path(CHECKSUM_FILE);
        let bytes = read_file(&path)?;
        ChecksumList::parse(&bytes, &path)
    }

    /// Reads `relative` and verifies it against `SHA256SUMS`; returns the bytes.
    pub fn read_verified(&self, relative: &str) -> Result<Vec<u8>> {
        self.load_verified(relative, |bytes| Ok(bytes.to_vec()))
    }

    /// Reads `relative` once, checks its SHA-256 against `SHA256SUMS`, and only then hands
    /// those bytes to `parse`.
    ///
    /// Verifying first means nothing of a replaced or corrupted file is parsed: a gzip bomb
    /// in place of a data file is a [`DataError::ChecksumMismatch`] before one byte of it is
    /// inflated.
    pub fn load_verified<T, F>(&self, relative: &str, parse: F) -> Result<T>
    where
        F: FnOnce(&[u8]) -> Result<T>,
    {
        let sums = self.checksums()?;
        let expected = sums.expected(relative, &self.path(CHECKSUM_FILE))?;
        let path = self.path(relative);
        let bytes = read_file(&path)?;
        let actual = sha256_hex(&bytes);
        if actual != expected {
            return Err(DataError::ChecksumMismatch {
                path,
                expected: expected.to_string(),
                actual,
            });
        }
        parse(&bytes)
    }
}

impl Default for DataDir {
    fn default() -> Self {
        Self::default_location()
    }
}

/// The largest file nn-data reads whole (a CSV, a data file, `SHA256SUMS`): 1 GiB. A larger
/// file, or a device such as `/dev/zero` (which never ends), is refused instead of filling
/// memory.
pub const MAX_DATA_FILE_BYTES: u64 = 1 << 30;

/// Reads a whole file of at most [`MAX_DATA_FILE_BYTES`], turning "not found" into
/// [`DataError::MissingFile`].
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>> {
    nn_bounded_read::read_bounded(path, MAX_DATA_FILE_BYTES).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            DataError::MissingFile {
                path: path.to_path_buf(),
            }
        } else {
            DataError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    })
}
