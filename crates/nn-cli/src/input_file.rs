//! Checks on the files a user names on the command line, so that a typo gets a plain message
//! ("no such file") rather than the data loader's advice about the built-in data sets.

use std::path::Path;

use anyhow::{Result, bail};

/// Fails unless `path` is an existing regular file; `what` says what it should be.
///
/// # Errors
/// A message naming the path and what was expected there.
pub fn require_file(path: &Path, what: &str) -> Result<()> {
    if !path.exists() {
        bail!("{what} {} does not exist", path.display());
    }
    if !path.is_file() {
        bail!("{what} {} is not a file", path.display());
    }
    Ok(())
}
