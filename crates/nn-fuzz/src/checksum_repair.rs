//! Rewrites the length and checksum fields of a mutated model file or checkpoint so that they
//! match its contents again. The formats are described in `nn_core::model_file` and
//! `nn_train`'s `checkpoint.rs`; only the fields needed here are known to this module.

use sha2::{Digest, Sha256};

const MODEL_MAGIC: &[u8; 8] = b"NNCORE\0\x01";
const MODEL_HEADER: usize = 32;
const CHECKPOINT_MAGIC: &[u8; 8] = b"NNTRAIN\0";
const CHECKPOINT_HEADER: usize = 8 + 4 + 32;

/// FNV-1a 64, the model file's payload checksum.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Makes a model file's payload length and checksum those of its payload (nothing when the
/// bytes do not start with a model file's magic and a whole header).
pub fn repair_model_file(bytes: &mut [u8]) {
    if bytes.len() < MODEL_HEADER || !bytes.starts_with(MODEL_MAGIC) {
        return;
    }
    let payload_len = (bytes.len() - MODEL_HEADER) as u64;
    bytes[16..24].copy_from_slice(&payload_len.to_le_bytes());
    let checksum = fnv1a(&bytes[MODEL_HEADER..]);
    bytes[24..32].copy_from_slice(&checksum.to_le_bytes());
}

/// Makes a version-2 checkpoint's digest that of its sections, after repairing the model
/// files in its network sections whose lengths are intact (nothing when the bytes do not
/// start like a checkpoint of version 2).
pub fn repair_checkpoint(bytes: &mut [u8]) {
    if bytes.len() < CHECKPOINT_HEADER
        || !bytes.starts_with(CHECKPOINT_MAGIC)
        || bytes[8..12] != 2u32.to_le_bytes()
    {
        return;
    }
    let mut at = CHECKPOINT_HEADER;
    while let Some(len) = bytes.get(at..at + 8) {
        let len = u64::from_le_bytes(len.try_into().unwrap_or_default());
        let start = at + 8;
        let Some(end) = usize::try_from(len).ok().and_then(|l| start.checked_add(l)) else {
            break;
        };
        let Some(section) = bytes.get_mut(start..end) else {
            break;
        };
        repair_model_file(section);
        at = end;
    }
    let digest = Sha256::digest(&bytes[CHECKPOINT_HEADER..]);
    bytes[12..CHECKPOINT_HEADER].copy_from_slice(&digest);
}
