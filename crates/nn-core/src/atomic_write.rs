//! Writing a whole file or nothing: the bytes go to a `.partial` file beside the target, which
//! is flushed to disk and then renamed over it, so an interrupted run never leaves a
//! half-written model, checkpoint or output, and a failed one leaves no partial file.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The temporary name used while `path` is written (`<path>.partial`).
pub fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

/// Writes `bytes` to `path` atomically: to `<path>.partial`, flushed to disk, then renamed.
/// On failure the partial file is removed.
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
/// The I/O error of creating, writing or renaming.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = partial_path(path);
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        // Best effort: the partial file may not even exist.
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
