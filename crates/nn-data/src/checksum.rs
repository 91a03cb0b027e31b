//! SHA-256 digests and the `SHA256SUMS` list.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{DataError, Result};

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest.iter() {
        // Writing to a String cannot fail.
        hex.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        hex.push(char::from_digit(u32::from(byte & 0x0f), 16).unwrap_or('0'));
    }
    hex
}

/// The parsed lines of a `SHA256SUMS` file (`<hex>  <relative path>`, as `sha256sum` writes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecksumList {
    entries: Vec<(String, String)>,
}

impl ChecksumList {
    /// Parses the text of a checksum list; `path` is only used in error messages.
    pub fn parse(bytes: &[u8], path: &Path) -> Result<Self> {
        let text = String::from_utf8_lossy(bytes);
        let mut entries = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let malformed = || DataError::MalformedChecksums {
                path: path.to_path_buf(),
                line: i + 1,
            };
            let (hex, rest) = line.split_once(char::is_whitespace).ok_or_else(malformed)?;
            // `sha256sum` marks binary mode with a leading `*` on the name.
            let name = rest.trim_start().trim_start_matches('*');
            if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) || name.is_empty() {
                return Err(malformed());
            }
            entries.push((name.to_string(), hex.to_ascii_lowercase()));
        }
        Ok(Self { entries })
    }

    /// The recorded digest of `relative`, or [`DataError::NotInChecksums`].
    pub fn expected(&self, relative: &str, sums_path: &Path) -> Result<&str> {
        self.entries
            .iter()
            .find(|(name, _)| name == relative)
            .map(|(_, hex)| hex.as_str())
            .ok_or_else(|| DataError::NotInChecksums {
                file: relative.to_string(),
                sums: sums_path.to_path_buf(),
            })
    }

    /// All `(relative path, hex digest)` entries in file order.
    pub fn entries(&self) -> &[(String, String)] {
        &self.entries
    }
}
