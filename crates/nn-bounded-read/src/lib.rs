//! Reading a user's file whole, with a cap.
//!
//! `std::fs::read` trusts the file: it reads until the end, and sizes its buffer from the
//! metadata length. A file larger than memory is read until the process dies, and a device
//! such as `/dev/zero` (whose metadata length is 0) never ends. [`read_bounded`] checks the
//! metadata length against a cap first, then reads through [`Read::take`] so that a file
//! that keeps growing past its cap, or never ends, is refused after `cap + 1` bytes.
//!
//! Every file the engine reads whole (spec, model, checkpoint, CSV, `SHA256SUMS`) goes
//! through this one function, each with its own documented cap. A refusal is an
//! [`io::Error`] of kind [`io::ErrorKind::FileTooLarge`] whose inner error is a
//! [`FileTooLarge`], so callers keep their usual `cannot read PATH` errors.
//!
//! ```
//! # fn main() -> std::io::Result<()> {
//! let dir = std::env::temp_dir().join(format!("bounded-read-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let path = dir.join("small.txt");
//! std::fs::write(&path, b"twelve bytes")?;
//! assert_eq!(nn_bounded_read::read_bounded(&path, 12)?, b"twelve bytes");
//! let err = nn_bounded_read::read_bounded(&path, 11).unwrap_err();
//! assert_eq!(err.kind(), std::io::ErrorKind::FileTooLarge);
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The inner error of a refused read: the input has more than `cap` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileTooLarge {
    /// The most bytes this kind of file may have.
    pub cap: u64,
}

impl fmt::Display for FileTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "it has more than {} bytes, the most this kind of file may have (a device such as \
             /dev/zero never ends: give a regular file)",
            self.cap
        )
    }
}

impl std::error::Error for FileTooLarge {}

fn too_large(cap: u64) -> io::Error {
    io::Error::new(io::ErrorKind::FileTooLarge, FileTooLarge { cap })
}

/// Reads the file at `path` whole, refusing it (before reading, when its metadata says so,
/// or after `cap + 1` bytes otherwise) if it holds more than `cap` bytes.
///
/// # Errors
/// The file's open or read error, or an error of kind [`io::ErrorKind::FileTooLarge`]
/// carrying a [`FileTooLarge`].
pub fn read_bounded(path: impl AsRef<Path>, cap: u64) -> io::Result<Vec<u8>> {
    let file = File::open(path.as_ref())?;
    let claimed = file.metadata().map_or(0, |m| m.len());
    if claimed > cap {
        return Err(too_large(cap));
    }
    read_to_end_bounded(file, cap, claimed)
}

/// Reads `reader` to its end (standard input, a pipe), refusing it after `cap + 1` bytes if
/// it holds more than `cap`; `size_hint` (at most `cap` is used) sizes the first buffer.
///
/// # Errors
/// The reader's error, or an error of kind [`io::ErrorKind::FileTooLarge`] carrying a
/// [`FileTooLarge`].
pub fn read_to_end_bounded(reader: impl Read, cap: u64, size_hint: u64) -> io::Result<Vec<u8>> {
    let capacity = usize::try_from(size_hint.min(cap)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    reader.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(too_large(cap));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_device_is_refused_after_the_cap() {
        let path = Path::new("/dev/zero");
        if !path.exists() {
            return;
        }
        let err = read_bounded(path, 1 << 20).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
        let inner = err.get_ref().and_then(|e| e.downcast_ref::<FileTooLarge>());
        assert_eq!(inner, Some(&FileTooLarge { cap: 1 << 20 }));
        assert!(err.to_string().contains("/dev/zero never ends"), "{err}");
    }

    #[test]
    fn a_reader_of_exactly_the_cap_is_read_and_one_more_byte_is_refused() {
        let data = vec![7u8; 100];
        assert_eq!(read_to_end_bounded(&data[..], 100, 0).unwrap(), data);
        let err = read_to_end_bounded(&data[..], 99, 1 << 40).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
    }

    #[test]
    fn a_missing_file_keeps_its_not_found_error() {
        let err = read_bounded("/nonexistent/nn-bounded-read", 10).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }
}
