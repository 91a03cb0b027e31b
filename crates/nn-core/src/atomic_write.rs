//! Writing a whole file or nothing: the bytes go to a `.partial` file beside the target, which
//! is flushed to disk and then renamed over it, so an interrupted run never leaves a
//! half-written model, checkpoint or output, and a failed one leaves no partial file.
//!
//! Every write first passes [`crate::output_path::writable_target`]: an input of the command,
//! a directory or a device is refused, and a symbolic link is written through to its file.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The temporary name used while `path` is written (`<path>.partial`).
pub fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

/// Writes `bytes` to `path` atomically: to `<path>.partial`, flushed to disk, then renamed.
/// On failure the partial file is removed. `path` must pass
/// [`writable_target`](crate::output_path::writable_target): a symbolic link is written
/// through (the file it points to is replaced, the link stays), a replaced file keeps its
/// permissions, and a leftover partial file of an interrupted run is replaced.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("nn-core-atomic-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("out.csv");
/// nn_core::atomic_write::write_atomically(&path, b"a,b\n1,2\n")?;
/// assert_eq!(std::fs::read(&path)?, b"a,b\n1,2\n");
/// assert!(!nn_core::atomic_write::partial_path(&path).exists());
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
/// A refused path (see [`crate::output_path`]), or the I/O error of creating, writing or
/// renaming.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = crate::output_path::writable_target(path)?;
    let tmp = partial_path(&target);
    let permissions = std::fs::metadata(&target).ok().map(|m| m.permissions());
    let result = (|| {
        // A partial file left by an interrupted run (or a link planted there) is removed, not
        // written through: the new one is created afresh.
        match std::fs::remove_file(&tmp) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        file.write_all(bytes)?;
        if let Some(permissions) = permissions {
            file.set_permissions(permissions)?;
        }
        file.sync_all()?;
        std::fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        // Best effort: the partial file may not even exist.
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_link_keeps_pointing_at_its_file_which_gets_the_bytes() {
        let dir = std::env::temp_dir().join(format!("nn-core-atomic-link-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("real.csv");
        std::fs::write(&file, "old").unwrap();
        let link = dir.join("link.csv");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        // A leftover partial file of an interrupted run does not stop the write.
        std::fs::write(partial_path(&file), "half").unwrap();
        write_atomically(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
        assert!(!partial_path(&file).exists());
        let refused = write_atomically(&dir, b"x").unwrap_err();
        assert_eq!(refused.kind(), std::io::ErrorKind::InvalidInput);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
