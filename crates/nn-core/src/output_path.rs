//! The one rule every write of a file follows, so that no output ever destroys what a user has:
//!
//! * a path that does not exist, or a regular file, is written (replaced whole);
//! * a **symbolic link** is written *through*: the file it points to (after every link in the
//!   chain) is replaced atomically and the link itself stays; a link to nothing, or to
//!   something that is not a regular file, is refused;
//! * anything else that exists — a directory, a character or block device (`/dev/null`
//!   included), a FIFO, a socket — is refused, never replaced by a file;
//! * a file that a command registered as one of its **inputs** ([`protect_input`]) is refused,
//!   whatever name reaches it (the same path, `./x`, a symbolic or a hard link: files are
//!   compared by device and inode), and so is an input sitting at the output's temporary name.
//!
//! [`writable_target`] applies the rule; [`crate::atomic_write::write_atomically`] calls it
//! before every write, and a command calls it on its outputs before any work, so that a
//! refused output costs nothing.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use thiserror::Error;

/// Why an output path was refused. It reaches callers inside an [`io::Error`] of kind
/// [`io::ErrorKind::InvalidInput`] (see [`writable_target`]). Its message says what is wrong
/// with the output, not its name: the caller's context names it once ("cannot write X").
#[derive(Debug, Error)]
pub enum OutputPathError {
    /// The output is one of the command's inputs.
    #[error(
        "it is the same file as {what} {input}: writing it would destroy {what}; choose \
         another output path"
    )]
    IsAnInput {
        /// The output path as given.
        output: PathBuf,
        /// What the input is ("the data file", "the model").
        what: String,
        /// The input's path as given.
        input: PathBuf,
    },
    /// The output exists and is not a regular file.
    #[error(
        "it is {kind}, not a regular file: only a regular file is ever replaced; give the \
         path of a file"
    )]
    NotARegularFile {
        /// The output path as given.
        path: PathBuf,
        /// What it is ("a directory", "a character device", ...).
        kind: &'static str,
    },
    /// The output is a symbolic link to nothing.
    #[error(
        "it is a symbolic link to {target}, which does not exist: create the file it points \
         to, or give another path"
    )]
    DanglingLink {
        /// The link.
        path: PathBuf,
        /// Where it points.
        target: PathBuf,
    },
}

impl From<OutputPathError> for io::Error {
    fn from(error: OutputPathError) -> Self {
        io::Error::new(io::ErrorKind::InvalidInput, error)
    }
}

/// What identifies a file whatever its name: device and inode on Unix, the canonical path
/// elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileIdentity {
    #[cfg(unix)]
    device_inode: (u64, u64),
    #[cfg(not(unix))]
    canonical: PathBuf,
}

impl FileIdentity {
    /// The identity of the file at `path` (links followed), or `None` when nothing is there.
    fn of(path: &Path) -> io::Result<Option<Self>> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            match std::fs::metadata(path) {
                Ok(m) => Ok(Some(Self {
                    device_inode: (m.dev(), m.ino()),
                })),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            }
        }
        #[cfg(not(unix))]
        {
            match std::fs::canonicalize(path) {
                Ok(canonical) => Ok(Some(Self { canonical })),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            }
        }
    }
}

/// An input a command registered, with the words that name it.
#[derive(Debug)]
struct ProtectedInput {
    identity: FileIdentity,
    path: PathBuf,
    what: String,
}

/// The inputs of this process's command (see [`protect_input`]).
static PROTECTED_INPUTS: Mutex<Vec<ProtectedInput>> = Mutex::new(Vec::new());

/// Registers the file at `path` as an input of this process's command: from now on no write
/// through [`writable_target`] replaces it, under any name. `what` names it in the refusal
/// ("the data file"). A path where nothing exists is not registered (nothing to protect).
///
/// ```
/// use nn_core::output_path::{protect_input, writable_target};
/// let dir = std::env::temp_dir().join(format!("nn-core-protect-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let data = dir.join("data.csv");
/// std::fs::write(&data, "a\n1\n")?;
/// protect_input(&data, "the data file")?;
/// let refused = writable_target(&dir.join(".").join("data.csv")).unwrap_err();
/// assert!(refused.to_string().contains("is the same file as the data file"));
/// assert!(writable_target(&dir.join("predictions.csv")).is_ok());
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
/// The I/O error of reading the file's metadata (other than "not found").
pub fn protect_input(path: &Path, what: &str) -> io::Result<()> {
    let Some(identity) = FileIdentity::of(path)? else {
        return Ok(());
    };
    let mut inputs = PROTECTED_INPUTS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    inputs.push(ProtectedInput {
        identity,
        path: path.to_path_buf(),
        what: what.to_owned(),
    });
    Ok(())
}

/// Refuses `path` (as `output` names it) when it is a registered input.
fn refuse_inputs(path: &Path, output: &Path) -> io::Result<()> {
    let Some(identity) = FileIdentity::of(path)? else {
        return Ok(());
    };
    let inputs = PROTECTED_INPUTS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // An input deleted since it was registered may have passed its inode on: a match counts
    // only while the input's own path still leads to the same file.
    let still_there = |p: &&ProtectedInput| {
        FileIdentity::of(&p.path).is_ok_and(|now| now == Some(identity.clone()))
    };
    match inputs
        .iter()
        .filter(|p| p.identity == identity)
        .find(still_there)
    {
        Some(input) => Err(OutputPathError::IsAnInput {
            output: output.to_path_buf(),
            what: input.what.clone(),
            input: input.path.clone(),
        }
        .into()),
        None => Ok(()),
    }
}

/// What a file type is, in words, for a refusal.
fn kind_of(file_type: std::fs::FileType) -> &'static str {
    if file_type.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// The file a write to `path` replaces, once the rule of this module allows it: `path`
/// itself when nothing or a regular file is there, the final target of a symbolic link.
///
/// ```
/// use nn_core::output_path::writable_target;
/// let dir = std::env::temp_dir().join(format!("nn-core-target-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let refused = writable_target(&dir).unwrap_err();
/// assert!(refused.to_string().contains("is a directory, not a regular file"));
/// assert_eq!(writable_target(&dir.join("new.csv"))?, dir.join("new.csv"));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
/// An [`io::Error`] of kind [`io::ErrorKind::InvalidInput`] wrapping an [`OutputPathError`]
/// for a refused path, or the I/O error of reading its metadata.
pub fn writable_target(path: &Path) -> io::Result<PathBuf> {
    let target = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => path.to_path_buf(),
        Err(e) => return Err(e),
        Ok(m) if m.file_type().is_file() => path.to_path_buf(),
        Ok(m) if m.file_type().is_symlink() => {
            let target = std::fs::canonicalize(path).map_err(|e| match e.kind() {
                io::ErrorKind::NotFound => OutputPathError::DanglingLink {
                    path: path.to_path_buf(),
                    target: std::fs::read_link(path).unwrap_or_default(),
                }
                .into(),
                _ => e,
            })?;
            let kind = std::fs::metadata(&target)?.file_type();
            if !kind.is_file() {
                return Err(OutputPathError::NotARegularFile {
                    path: path.to_path_buf(),
                    kind: if kind.is_dir() {
                        "a symbolic link to a directory"
                    } else {
                        "a symbolic link to a device, FIFO or socket"
                    },
                }
                .into());
            }
            target
        }
        Ok(m) => {
            return Err(OutputPathError::NotARegularFile {
                path: path.to_path_buf(),
                kind: kind_of(m.file_type()),
            }
            .into());
        }
    };
    refuse_inputs(&target, path)?;
    refuse_inputs(&crate::atomic_write::partial_path(&target), path)?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory for one test, removed at the end.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Self {
            let dir = std::env::temp_dir()
                .join(format!("nn-core-output-path-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Self(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn refusal(path: &Path) -> String {
        let error = writable_target(path).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput, "{error}");
        error.to_string()
    }

    #[test]
    fn new_paths_and_regular_files_are_their_own_target() {
        let dir = Scratch::new("plain");
        let file = dir.0.join("out.csv");
        assert_eq!(writable_target(&file).unwrap(), file);
        std::fs::write(&file, "x").unwrap();
        assert_eq!(writable_target(&file).unwrap(), file);
    }

    #[test]
    fn directories_and_devices_are_refused() {
        let dir = Scratch::new("special");
        assert!(refusal(&dir.0).contains("is a directory"));
        #[cfg(unix)]
        assert!(refusal(Path::new("/dev/null")).contains("is a character device"));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_written_through_to_its_file_and_a_dangling_one_refused() {
        let dir = Scratch::new("links");
        let file = dir.0.join("real.csv");
        std::fs::write(&file, "x").unwrap();
        let link = dir.0.join("link.csv");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert_eq!(
            writable_target(&link).unwrap(),
            std::fs::canonicalize(&file).unwrap()
        );
        let dangling = dir.0.join("dangling.csv");
        std::os::unix::fs::symlink(dir.0.join("absent"), &dangling).unwrap();
        assert!(refusal(&dangling).contains("which does not exist"));
        let to_dir = dir.0.join("to-dir");
        std::os::unix::fs::symlink(&dir.0, &to_dir).unwrap();
        assert!(refusal(&to_dir).contains("a symbolic link to a directory"));
    }

    #[cfg(unix)]
    #[test]
    fn an_input_is_refused_under_any_name() {
        let dir = Scratch::new("inputs");
        let input = dir.0.join("model.nn");
        std::fs::write(&input, "weights").unwrap();
        protect_input(&input, "the model").unwrap();
        let hard = dir.0.join("hard.nn");
        std::fs::hard_link(&input, &hard).unwrap();
        let soft = dir.0.join("soft.nn");
        std::os::unix::fs::symlink(&input, &soft).unwrap();
        for name in [&input, &hard, &soft, &dir.0.join(".").join("model.nn")] {
            let message = refusal(name);
            assert!(
                message.contains("is the same file as the model"),
                "{message}"
            );
            assert!(message.contains("choose another output path"), "{message}");
        }
        // An input at the output's temporary name is refused too: the write would replace it.
        let beside = dir.0.join("out.csv.partial");
        std::fs::write(&beside, "kept").unwrap();
        protect_input(&beside, "the data file").unwrap();
        assert!(refusal(&dir.0.join("out.csv")).contains("the data file"));
        assert_eq!(std::fs::read(&input).unwrap(), b"weights");
    }
}
