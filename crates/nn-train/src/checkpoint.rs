//! Checkpoints: everything needed to continue a run exactly where it stopped.
//!
//! Layout: the magic `NNTRAIN\0`, a little-endian `u32` format version, the SHA-256 of all
//! that follows it, then four sections each preceded by its `u64` length: the run (JSON:
//! settings, loss, epoch, early stopping, history and origin), the optimizer with its state
//! (bincode, exact to the bit), the network and, if any, the best network so far (nn-core
//! model bytes; empty otherwise). A damaged file is refused by its digest before anything is
//! decoded (version 1 files, from before the digest, are still read). Files are written to a
//! temporary name and renamed, so an interrupted run never leaves a half-written checkpoint.

use std::path::Path;

use nn_core::{Float, Loss, Sequential};
use nn_optim::AnyOptimizer;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{TrainConfig, TrainError, Trainer, trainer::RunState};

const MAGIC: &[u8; 8] = b"NNTRAIN\0";
const VERSION: u32 = 2;
/// The last version without the SHA-256 of the sections, still read.
const VERSION_WITHOUT_DIGEST: u32 = 1;
/// No section of a checkpoint may claim more than this (1 GiB): a corrupted length is then an
/// error instead of a huge allocation.
const MAX_SECTION: u64 = 1 << 30;

#[derive(Serialize, Deserialize)]
struct RunSection {
    config: TrainConfig,
    loss: Loss,
    state: RunState,
    /// What set up the run (absent in checkpoints of runs that recorded nothing).
    #[serde(default)]
    origin: Option<String>,
}

/// The largest checkpoint [`Trainer::load_checkpoint`] reads: room for four model files of
/// nn-core's largest (the network, the best network so far and the optimizer's state). A
/// larger file, or a device such as `/dev/zero` (which never ends), is refused instead of
/// filling memory.
pub const MAX_CHECKPOINT_BYTES: u64 = 4 * nn_core::model_file::MAX_MODEL_FILE_BYTES;

/// Whether the file at `path` starts like a checkpoint (its first 8 bytes), so that a tool
/// handed one where it expected another file can say what it is. An unreadable or shorter
/// file is not one.
pub fn is_checkpoint_file(path: &Path) -> bool {
    use std::io::Read;
    let mut start = [0u8; 8];
    std::fs::File::open(path)
        .and_then(|mut file| file.read_exact(&mut start))
        .is_ok_and(|()| is_checkpoint_bytes(&start))
}

/// Whether `bytes` start like a checkpoint (its magic bytes).
pub(crate) fn is_checkpoint_bytes(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// Why checkpoint bytes cannot be read: the text of [`TrainError::BadCheckpoint`] and, when a
/// section could not be decoded, the decoder's error.
struct CheckpointFault {
    reason: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl CheckpointFault {
    /// A section that is there but cannot be decoded, with the decoder's error as the cause.
    fn section(reason: &str, source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self {
            reason: reason.to_owned(),
            source: Some(source.into()),
        }
    }
}

impl From<String> for CheckpointFault {
    fn from(reason: String) -> Self {
        Self {
            reason,
            source: None,
        }
    }
}

impl From<&str> for CheckpointFault {
    fn from(reason: &str) -> Self {
        reason.to_owned().into()
    }
}

impl<T: Float> Trainer<T> {
    /// The checkpoint as bytes (see the module docs for the layout).
    ///
    /// # Errors
    /// [`TrainError::Serialize`] if a part cannot be encoded.
    pub fn checkpoint_bytes(&self) -> Result<Vec<u8>, TrainError> {
        let run = serde_json::to_vec(&RunSection {
            config: self.config.clone(),
            loss: self.loss,
            state: self.state.clone(),
            origin: self.origin.clone(),
        })
        .map_err(|e| TrainError::Serialize {
            what: "run section of the checkpoint",
            source: e.into(),
        })?;
        let optimizer = bincode::serde::encode_to_vec(&self.optimizer, bincode::config::standard())
            .map_err(|e| TrainError::Serialize {
                what: "optimizer section of the checkpoint",
                source: e.into(),
            })?;
        let network = self.network.to_bytes()?;
        let best = match &self.best {
            Some(b) => b.to_bytes()?,
            None => Vec::new(),
        };
        const DIGEST_AT: usize = MAGIC.len() + 4;
        const HEADER: usize = DIGEST_AT + 32;
        let mut out = Vec::with_capacity(
            HEADER + 32 + run.len() + optimizer.len() + network.len() + best.len(),
        );
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.resize(HEADER, 0); // the digest, filled in once the sections are written
        for section in [&run, &optimizer, &network, &best] {
            out.extend_from_slice(&(section.len() as u64).to_le_bytes());
            out.extend_from_slice(section);
        }
        let digest = Sha256::digest(&out[HEADER..]);
        out[DIGEST_AT..HEADER].copy_from_slice(&digest);
        Ok(out)
    }

    /// Writes a checkpoint atomically (a temporary file flushed to disk, then renamed; see
    /// [`nn_core::atomic_write`]).
    ///
    /// # Errors
    /// [`TrainError::Io`] naming the file.
    pub fn save_checkpoint(&self, path: &Path) -> Result<(), TrainError> {
        let bytes = self.checkpoint_bytes()?;
        let io = |source| TrainError::Io {
            operation: "write",
            path: path.to_path_buf(),
            source,
        };
        nn_core::atomic_write::write_atomically(path, &bytes).map_err(io)
    }

    /// Reads a checkpoint written by [`Trainer::save_checkpoint`] and continues from it.
    ///
    /// # Errors
    /// [`TrainError::Io`] if unreadable; [`TrainError::BadCheckpoint`] if truncated,
    /// corrupted, of another format or of another scalar type (with the decoder's error as
    /// its source when a section cannot be decoded).
    pub fn load_checkpoint(path: &Path) -> Result<Self, TrainError> {
        let bytes =
            nn_bounded_read::read_bounded(path, MAX_CHECKPOINT_BYTES).map_err(|source| {
                TrainError::Io {
                    operation: "read",
                    path: path.to_path_buf(),
                    source,
                }
            })?;
        Self::from_checkpoint_bytes(&bytes, path)
    }

    /// Continues a run from the bytes of a checkpoint file, as [`Trainer::load_checkpoint`]
    /// reads one from disk; `path` only names the file in errors.
    ///
    /// # Errors
    /// [`TrainError::BadCheckpoint`] as for [`Trainer::load_checkpoint`].
    pub fn from_checkpoint_bytes(bytes: &[u8], path: &Path) -> Result<Self, TrainError> {
        Self::decode_checkpoint(bytes).map_err(|fault| TrainError::BadCheckpoint {
            path: path.to_path_buf(),
            reason: fault.reason,
            source: fault.source,
        })
    }

    /// Decodes checkpoint bytes; the error says what is wrong.
    fn decode_checkpoint(bytes: &[u8]) -> Result<Self, CheckpointFault> {
        let rest = bytes
            .strip_prefix(MAGIC.as_slice())
            .ok_or("not a training checkpoint (wrong magic bytes)")?;
        let (version, mut rest) = rest
            .split_first_chunk::<4>()
            .ok_or("truncated before the format version")?;
        let version = u32::from_le_bytes(*version);
        if version == VERSION {
            let (digest, sections) = rest
                .split_first_chunk::<32>()
                .ok_or("truncated before the digest")?;
            if Sha256::digest(sections).as_slice() != digest {
                return Err("damaged: the SHA-256 of its contents does not match".into());
            }
            rest = sections;
        } else if version != VERSION_WITHOUT_DIGEST {
            return Err(format!(
                "format version {version}, but this build reads versions \
                 {VERSION_WITHOUT_DIGEST} and {VERSION}"
            )
            .into());
        }
        let mut sections = Vec::with_capacity(4);
        for name in ["run", "optimizer", "network", "best network"] {
            let (len, after) = rest
                .split_first_chunk::<8>()
                .ok_or_else(|| format!("truncated before the {name} section"))?;
            let len = u64::from_le_bytes(*len);
            if len > MAX_SECTION || len > after.len() as u64 {
                return Err(format!("truncated or corrupted {name} section").into());
            }
            let (section, after) = after.split_at(len as usize);
            sections.push(section);
            rest = after;
        }
        if !rest.is_empty() {
            return Err(format!("{} unexpected bytes after the last section", rest.len()).into());
        }
        let run: RunSection = serde_json::from_slice(sections[0])
            .map_err(|e| CheckpointFault::section("run section cannot be decoded", e))?;
        let (optimizer, used): (AnyOptimizer<T>, usize) = bincode::serde::decode_from_slice(
            sections[1],
            // Counts claimed inside the section may reserve no more than a section holds.
            bincode::config::standard().with_limit::<{ MAX_SECTION as usize }>(),
        )
        .map_err(|e| CheckpointFault::section("optimizer section cannot be decoded", e))?;
        if used != sections[1].len() {
            return Err(format!(
                "optimizer section has {} unread bytes after the optimizer state",
                sections[1].len() - used
            )
            .into());
        }
        let network = Sequential::from_bytes(sections[2])
            .map_err(|e| CheckpointFault::section("network section is not a valid network", e))?;
        let best = if sections[3].is_empty() {
            None
        } else {
            Some(Sequential::from_bytes(sections[3]).map_err(|e| {
                CheckpointFault::section("best network section is not a valid network", e)
            })?)
        };
        run.config.validate().map_err(|e| {
            CheckpointFault::section("run section holds invalid training settings", e)
        })?;
        Ok(Self {
            network,
            optimizer,
            loss: run.loss,
            config: run.config,
            state: run.state,
            best,
            pool: None,
            origin: run.origin,
        })
    }
}
