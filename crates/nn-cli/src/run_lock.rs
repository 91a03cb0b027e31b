//! One `nn train` per output folder: a run holds an advisory lock on `DIR/.nn-train.lock`
//! (which names its process) while it writes DIR, so a second run into the same folder is
//! refused at its start instead of mixing checkpoints and overwriting the first one's history.
//!
//! The lock is the operating system's (`File::try_lock`): it ends with the process that holds
//! it, however that process ends, so a run killed with `kill -9` blocks nobody. The file it
//! leaves behind is taken over by the next run, with a note; a run that ends normally, with an
//! error or a panic, removes it.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The lock file's name inside the output folder.
pub const LOCK_FILE_NAME: &str = ".nn-train.lock";

/// How many times a lock whose file was removed under it (by the run that just released it)
/// is tried again before giving up.
const ATTEMPTS: usize = 8;

/// The lock of an output folder, held until dropped.
#[derive(Debug)]
pub struct RunLock {
    /// The open, locked lock file.
    file: File,
    /// Its path.
    path: PathBuf,
}

impl RunLock {
    /// Locks the folder `dir` (which must exist) for this process, or refuses when another
    /// running `nn train` holds it.
    ///
    /// # Errors
    /// A message naming the folder and the other run's process, or the I/O error of the lock
    /// file (named).
    pub fn acquire(dir: &Path) -> Result<Self> {
        let path = dir.join(LOCK_FILE_NAME);
        for _ in 0..ATTEMPTS {
            if let Ok(meta) = std::fs::symlink_metadata(&path)
                && !meta.is_file()
            {
                bail!(
                    "{} is not a lock file of `nn train` (not a regular file): remove it, or \
                     give another --out",
                    path.display()
                );
            }
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .with_context(|| format!("cannot create the lock file {}", path.display()))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => bail!(
                    "{} is being written by another `nn train` run ({}, see {}): wait for it \
                     to finish, or give this run another --out",
                    dir.display(),
                    holder(&mut file),
                    path.display()
                ),
                Err(TryLockError::Error(e)) => {
                    return Err(e).with_context(|| format!("cannot lock {}", path.display()));
                }
            }
            if !still_at(&file, &path) {
                // The run that held it removed the file before we locked it: try afresh.
                continue;
            }
            let left = holder(&mut file);
            if left != "unknown process" {
                log::warn!(
                    "{} was left by an `nn train` run ({left}) that ended without removing it \
                     (killed?); it no longer holds it: this run takes the folder over",
                    path.display()
                );
            }
            let write = |file: &mut File| -> std::io::Result<()> {
                file.set_len(0)?;
                file.rewind()?;
                writeln!(file, "pid {}", std::process::id())?;
                file.sync_all()
            };
            write(&mut file).with_context(|| format!("cannot write {}", path.display()))?;
            return Ok(Self { file, path });
        }
        bail!(
            "cannot lock {}: its lock file keeps being replaced by other runs; try again",
            dir.display()
        )
    }

    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        // Removed while still locked, so that no run locks a file about to disappear; the
        // lock itself ends when the file is closed.
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Who a lock file says holds it ("pid 123"), or "unknown process" when it is empty.
fn holder(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.rewind();
    let _ = file.take(64).read_to_string(&mut text);
    let text = text.trim();
    if text.is_empty() {
        "unknown process".to_owned()
    } else {
        text.to_owned()
    }
}

/// Whether `path` still names the open `file` (not removed or replaced since it was opened).
fn still_at(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        path.exists()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("nn-cli-lock-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_second_lock_is_refused_until_the_first_is_dropped() {
        let dir = scratch("twice");
        let first = RunLock::acquire(&dir).unwrap();
        let text = std::fs::read_to_string(first.path()).unwrap();
        assert_eq!(text, format!("pid {}\n", std::process::id()));
        let refused = RunLock::acquire(&dir).unwrap_err().to_string();
        assert!(refused.contains("is being written by another `nn train` run"));
        assert!(refused.contains(&format!("pid {}", std::process::id())));
        drop(first);
        assert!(!dir.join(LOCK_FILE_NAME).exists());
        let again = RunLock::acquire(&dir).unwrap();
        drop(again);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_lock_file_left_by_a_dead_run_is_taken_over() {
        let dir = scratch("stale");
        std::fs::write(dir.join(LOCK_FILE_NAME), "pid 4000000\n").unwrap();
        let lock = RunLock::acquire(&dir).unwrap();
        let text = std::fs::read_to_string(lock.path()).unwrap();
        assert_eq!(text, format!("pid {}\n", std::process::id()));
        drop(lock);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_directory_in_place_of_the_lock_file_is_refused() {
        let dir = scratch("not-a-file");
        std::fs::create_dir(dir.join(LOCK_FILE_NAME)).unwrap();
        let refused = RunLock::acquire(&dir).unwrap_err().to_string();
        assert!(refused.contains("not a regular file"), "{refused}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
