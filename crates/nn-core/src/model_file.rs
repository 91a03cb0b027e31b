//! The on-disk format of a network: the only place that knows how models are encoded.
//!
//! Layout (integers little-endian):
//!
//! | bytes | content |
//! |---|---|
//! | 0..8 | magic `NNCORE\0\x01` |
//! | 8..12 | format version (`u32`, currently 1) |
//! | 12 | scalar width in bytes (4 = `f32`, 8 = `f64`) |
//! | 13..16 | reserved, zero |
//! | 16..24 | payload length (`u64`) |
//! | 24..32 | FNV-1a 64 checksum of the payload |
//! | 32.. | payload: bincode (standard config) of the layer records and the extra bytes |
//!
//! Reading checks, in order: magic, version, scalar type, length, checksum, then decodes with
//! a byte limit and validates every shape, so a truncated, corrupted, foreign or future file
//! is a typed [`CoreError`], never a panic or an outsized allocation. The payload stores no
//! in-memory buffers and no gradients, so the format does not change with the engine's
//! internals.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{
    Activation, ActivationLayer, CoreError, Dense, Dropout, DropoutState, Float, LayerNode, Matrix,
    Sequential,
};

const MAGIC: [u8; 8] = *b"NNCORE\0\x01";
/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
const HEADER_LEN: usize = 32;
/// Upper bound on a payload (and on any allocation while decoding one): 1 GiB.
const MAX_PAYLOAD: usize = 1 << 30;

/// The largest model file [`load_model`] reads: the header and the 1 GiB payload limit. A
/// larger file (or a device such as `/dev/zero`, which never ends) is refused before it is
/// read whole.
pub const MAX_MODEL_FILE_BYTES: u64 = (HEADER_LEN + MAX_PAYLOAD) as u64;

#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
struct MatrixRecord<T: Float> {
    rows: u64,
    cols: u64,
    /// Column-major.
    data: Vec<T>,
}

#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
enum LayerRecord<T: Float> {
    Dense {
        weight: MatrixRecord<T>,
        bias: MatrixRecord<T>,
    },
    Activation(Activation),
    Dropout {
        p: f64,
        state: DropoutState,
        fixed_mask: Option<MatrixRecord<T>>,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
struct ModelRecord<T: Float> {
    input_size: u64,
    layers: Vec<LayerRecord<T>>,
    extra: Vec<u8>,
}

fn scalar_width<T: Float>() -> u8 {
    // Float is sealed to f32 and f64.
    std::mem::size_of::<T>() as u8
}

fn scalar_name(width: u8) -> &'static str {
    match width {
        4 => "f32",
        8 => "f64",
        _ => "an unknown scalar type",
    }
}

/// FNV-1a, 64 bit: any single changed byte changes the result (each step is a bijection).
fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn to_record<T: Float>(m: &Matrix<T>) -> MatrixRecord<T> {
    MatrixRecord {
        rows: m.nrows() as u64,
        cols: m.ncols() as u64,
        data: m.as_slice().to_vec(),
    }
}

fn from_record<T: Float>(r: MatrixRecord<T>, what: &str) -> Result<Matrix<T>, CoreError> {
    let bad = |reason: &str| CoreError::ModelContents(format!("{what}: {reason}"));
    let rows = usize::try_from(r.rows).map_err(|_| bad("row count too large"))?;
    let cols = usize::try_from(r.cols).map_err(|_| bad("column count too large"))?;
    if rows.checked_mul(cols) != Some(r.data.len()) {
        return Err(bad(&format!(
            "{rows}×{cols} matrix with {} values",
            r.data.len()
        )));
    }
    if r.data.iter().any(|v| !v.is_finite_value()) {
        return Err(bad("non-finite value"));
    }
    Ok(Matrix::from_vec(rows, cols, r.data))
}

fn network_record<T: Float>(net: &Sequential<T>, extra: &[u8]) -> ModelRecord<T> {
    let layers = net
        .layers()
        .iter()
        .map(|layer| match layer {
            LayerNode::Dense(d) => LayerRecord::Dense {
                weight: to_record(&d.weight().value),
                bias: to_record(&d.bias().value),
            },
            LayerNode::Activation(a) => LayerRecord::Activation(a.kind()),
            LayerNode::Dropout(d) => LayerRecord::Dropout {
                p: d.p(),
                state: d.state(),
                fixed_mask: d.fixed_mask().map(to_record),
            },
        })
        .collect();
    ModelRecord {
        input_size: net.input_size() as u64,
        layers,
        extra: extra.to_vec(),
    }
}

fn network_from_record<T: Float>(
    record: ModelRecord<T>,
) -> Result<(Sequential<T>, Vec<u8>), CoreError> {
    let input_size = usize::try_from(record.input_size)
        .map_err(|_| CoreError::ModelContents("input size too large".into()))?;
    let mut net = Sequential::new(input_size);
    for (index, layer) in record.layers.into_iter().enumerate() {
        let context = |e: CoreError| CoreError::ModelLayer {
            index,
            source: Box::new(e),
        };
        let node: LayerNode<T> = match layer {
            LayerRecord::Dense { weight, bias } => {
                let w = from_record(weight, &format!("layer {index} weight"))?;
                let b = from_record(bias, &format!("layer {index} bias"))?;
                Dense::from_weights(w, b).map_err(context)?.into()
            }
            LayerRecord::Activation(kind) => ActivationLayer::new(kind).map_err(context)?.into(),
            LayerRecord::Dropout {
                p,
                state,
                fixed_mask,
            } => {
                let mut d = Dropout::new(p, state.seed).map_err(context)?;
                d.restore(state);
                if let Some(mask) = fixed_mask {
                    d.fix_mask(&from_record(mask, &format!("layer {index} dropout mask"))?);
                }
                d.into()
            }
        };
        net.add(node)
            .map_err(|e| CoreError::ModelNetwork(Box::new(e)))?;
    }
    Ok((net, record.extra))
}

/// Encodes a network and an opaque `extra` payload (e.g. preprocessing and training settings
/// of a higher crate) into the model-file format.
///
/// # Errors
/// [`CoreError::ModelEncode`] if encoding fails or the payload exceeds 1 GiB.
pub fn encode_model<T: Float>(net: &Sequential<T>, extra: &[u8]) -> Result<Vec<u8>, CoreError> {
    let payload =
        bincode::serde::encode_to_vec(network_record(net, extra), bincode::config::standard())
            .map_err(|e| CoreError::ModelEncode(e.to_string()))?;
    if payload.len() > MAX_PAYLOAD {
        return Err(CoreError::ModelEncode(format!(
            "payload of {} bytes exceeds the 1 GiB limit",
            payload.len()
        )));
    }
    let mut bytes = Vec::with_capacity(HEADER_LEN + payload.len());
    bytes.extend_from_slice(&MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.push(scalar_width::<T>());
    bytes.extend_from_slice(&[0; 3]);
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&checksum(&payload).to_le_bytes());
    bytes.extend_from_slice(&payload);
    Ok(bytes)
}

fn read_u32(bytes: &[u8], at: usize) -> u32 {
    let mut b = [0; 4];
    b.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(b)
}

fn read_u64(bytes: &[u8], at: usize) -> u64 {
    let mut b = [0; 8];
    b.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(b)
}

/// Decodes a network and its extra payload from the model-file format.
///
/// # Errors
/// [`CoreError::ModelMagic`] (not a model file), [`CoreError::ModelVersion`] (future format),
/// [`CoreError::ModelScalar`] (f32/f64 mismatch), [`CoreError::ModelLength`] (truncated or
/// trailing bytes), [`CoreError::ModelChecksum`] (corrupted), [`CoreError::ModelDecode`]
/// (undecodable payload), or [`CoreError::ModelContents`], [`CoreError::ModelLayer`] or
/// [`CoreError::ModelNetwork`] (inconsistent network).
pub fn decode_model<T: Float>(bytes: &[u8]) -> Result<(Sequential<T>, Vec<u8>), CoreError> {
    let got = bytes.len() as u64;
    let magic_len = bytes.len().min(MAGIC.len());
    if bytes[..magic_len] != MAGIC[..magic_len] {
        return Err(CoreError::ModelMagic);
    }
    if bytes.len() < HEADER_LEN {
        return Err(CoreError::ModelLength {
            expected: HEADER_LEN as u64,
            got,
        });
    }
    let version = read_u32(bytes, 8);
    if version != FORMAT_VERSION {
        return Err(CoreError::ModelVersion {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    let width = bytes[12];
    if width != scalar_width::<T>() {
        return Err(CoreError::ModelScalar {
            found: scalar_name(width),
            expected: scalar_name(scalar_width::<T>()),
        });
    }
    if bytes[13..16] != [0, 0, 0] {
        return Err(CoreError::ModelContents(
            "reserved header bytes are not zero".into(),
        ));
    }
    let payload_len = read_u64(bytes, 16);
    let expected = (HEADER_LEN as u64).saturating_add(payload_len);
    if expected != got {
        return Err(CoreError::ModelLength { expected, got });
    }
    let payload = &bytes[HEADER_LEN..];
    let stored = read_u64(bytes, 24);
    let found = checksum(payload);
    if stored != found {
        return Err(CoreError::ModelChecksum {
            expected: stored,
            found,
        });
    }
    let config = bincode::config::standard().with_limit::<MAX_PAYLOAD>();
    let (record, used): (ModelRecord<T>, usize) =
        bincode::serde::decode_from_slice(payload, config).map_err(CoreError::ModelDecode)?;
    if used != payload.len() {
        return Err(CoreError::ModelContents(format!(
            "{} unread bytes after the network",
            payload.len() - used
        )));
    }
    network_from_record(record)
}

/// Writes a network and an extra payload to `path` (through a temporary file renamed into
/// place, so an interrupted write never leaves a half-written model under `path`, and a
/// failed one no temporary file; see [`crate::atomic_write`]).
///
/// # Errors
/// Encoding errors or [`CoreError::Io`] naming the path.
pub fn save_model<T: Float>(
    path: impl AsRef<Path>,
    net: &Sequential<T>,
    extra: &[u8],
) -> Result<(), CoreError> {
    let path = path.as_ref();
    let bytes = encode_model(net, extra)?;
    crate::atomic_write::write_atomically(path, &bytes).map_err(|source| CoreError::Io {
        operation: "write",
        path: path.to_path_buf(),
        source,
    })
}

/// Reads a network and its extra payload from `path`.
///
/// # Errors
/// [`CoreError::Io`] naming the path, or any error of [`decode_model`].
pub fn load_model<T: Float>(path: impl AsRef<Path>) -> Result<(Sequential<T>, Vec<u8>), CoreError> {
    let path = path.as_ref();
    let io = |source| CoreError::Io {
        operation: "read",
        path: path.to_path_buf(),
        source,
    };
    let len = std::fs::metadata(path).map_err(io)?.len();
    if len > MAX_MODEL_FILE_BYTES {
        return Err(CoreError::ModelLength {
            expected: MAX_MODEL_FILE_BYTES,
            got: len,
        });
    }
    // The metadata length of a device or a growing file is no bound: the read is capped too.
    let bytes = nn_bounded_read::read_bounded(path, MAX_MODEL_FILE_BYTES).map_err(io)?;
    decode_model(&bytes)
}

impl<T: Float> Sequential<T> {
    /// The network in the model-file format (no extra payload).
    ///
    /// # Errors
    /// As [`encode_model`].
    pub fn to_bytes(&self) -> Result<Vec<u8>, CoreError> {
        encode_model(self, &[])
    }

    /// A network from the model-file format (any extra payload is ignored).
    ///
    /// # Errors
    /// As [`decode_model`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CoreError> {
        decode_model(bytes).map(|(net, _)| net)
    }

    /// Saves the network to `path` (no extra payload).
    ///
    /// # Errors
    /// As [`save_model`].
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), CoreError> {
        save_model(path, self, &[])
    }

    /// Loads a network saved by [`Sequential::save`] or [`save_model`].
    ///
    /// # Errors
    /// As [`load_model`].
    pub fn load(path: impl AsRef<Path>) -> Result<Self, CoreError> {
        load_model(path).map(|(net, _)| net)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_detects_a_single_changed_byte() {
        let a = b"hello model".to_vec();
        let mut b = a.clone();
        b[3] ^= 0x10;
        assert_ne!(checksum(&a), checksum(&b));
        // Reference value of FNV-1a 64 for "a".
        assert_eq!(checksum(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn counts_claimed_inside_the_payload_allocate_nothing_beyond_the_payload() {
        // A payload of 11 bytes claiming 2^40 layers, then 2^40 extra bytes: refused without
        // reserving what the claims say (which would abort the process).
        for payload in [
            [&[0u8, 0xFD][..], &(1u64 << 40).to_le_bytes()[..]].concat(),
            [&[0u8, 0u8, 0xFD][..], &(1u64 << 40).to_le_bytes()[..]].concat(),
        ] {
            let err = decode_model::<f32>(&with_header(&payload)).unwrap_err();
            assert!(matches!(err, CoreError::ModelDecode(_)), "{err:?}");
        }
    }

    #[test]
    fn a_model_file_larger_than_the_limit_is_refused_before_reading() {
        let dir = std::env::temp_dir().join(format!("nn-core-model-cap-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("huge.nnm");
        // Sparse: the length is claimed, no block is written.
        std::fs::File::create(&path)
            .unwrap()
            .set_len(MAX_MODEL_FILE_BYTES + 1)
            .unwrap();
        let err = load_model::<f32>(&path).unwrap_err();
        assert!(
            matches!(err, CoreError::ModelLength { expected, .. } if expected == MAX_MODEL_FILE_BYTES),
            "{err:?}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn with_header(payload: &[u8]) -> Vec<u8> {
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        bytes.extend_from_slice(&[4, 0, 0, 0]);
        bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&checksum(payload).to_le_bytes());
        bytes.extend_from_slice(payload);
        bytes
    }

    #[test]
    fn absurd_lengths_inside_a_valid_envelope_do_not_allocate() {
        // input_size 0, then a layer count of 2⁶⁰ (varint tag 253 = u64 follows).
        let payload = [0u8, 253, 0, 0, 0, 0, 0, 0, 0, 0x10];
        let r = decode_model::<f32>(&with_header(&payload));
        assert!(matches!(r, Err(CoreError::ModelDecode(_))), "{r:?}");
    }

    #[test]
    fn inconsistent_layers_inside_a_valid_envelope_are_rejected() {
        // A 3-input network whose first dense layer takes 2 inputs.
        let record = ModelRecord::<f32> {
            input_size: 3,
            layers: vec![LayerRecord::Dense {
                weight: MatrixRecord {
                    rows: 1,
                    cols: 2,
                    data: vec![1.0, 2.0],
                },
                bias: MatrixRecord {
                    rows: 1,
                    cols: 1,
                    data: vec![0.0],
                },
            }],
            extra: vec![],
        };
        let payload = bincode::serde::encode_to_vec(&record, bincode::config::standard()).unwrap();
        let err = decode_model::<f32>(&with_header(&payload)).unwrap_err();
        let CoreError::ModelNetwork(cause) = &err else {
            panic!("{err:?}");
        };
        assert!(cause.to_string().contains("layer 0"), "{cause}");
    }

    #[test]
    fn an_invalid_stored_layer_is_named_and_its_cause_is_the_source() {
        let record = ModelRecord::<f32> {
            input_size: 3,
            layers: vec![LayerRecord::Activation(crate::Activation::LeakyRelu {
                alpha: -1.0,
            })],
            extra: vec![],
        };
        let payload = bincode::serde::encode_to_vec(&record, bincode::config::standard()).unwrap();
        let err = decode_model::<f32>(&with_header(&payload)).unwrap_err();
        let CoreError::ModelLayer { index: 0, source } = &err else {
            panic!("{err:?}");
        };
        assert!(matches!(**source, CoreError::InvalidHyperparameter { .. }));
        let (top, cause) = (err.to_string(), source.to_string());
        assert!(top.contains("layer 0") && !top.contains(&cause), "{top}");
        assert!(cause.contains("alpha"), "{cause}");
    }

    #[test]
    fn matrix_record_with_wrong_length_is_rejected() {
        let r = MatrixRecord::<f32> {
            rows: 2,
            cols: 3,
            data: vec![0.0; 5],
        };
        assert!(matches!(
            from_record(r, "w"),
            Err(CoreError::ModelContents(_))
        ));
        let r = MatrixRecord::<f32> {
            rows: u64::MAX,
            cols: 2,
            data: vec![],
        };
        assert!(from_record(r, "w").is_err());
    }
}
