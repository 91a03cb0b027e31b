//! The IDX binary format of MNIST (big-endian header, then raw bytes), and gzip decoding.

use std::io::Read;

use flate2::read::GzDecoder;

use crate::error::{DataError, Result};

/// Magic number of an IDX file of unsigned-byte 3-D arrays (images).
pub const IMAGES_MAGIC: u32 = 2051;
/// Magic number of an IDX file of unsigned-byte 1-D arrays (labels).
pub const LABELS_MAGIC: u32 = 2049;

/// Images of an IDX3 file (borrowing the decompressed bytes): `count` images of
/// `rows × cols` bytes, row-major per image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdxImages<'a> {
    /// Number of images.
    pub count: usize,
    /// Pixel rows per image.
    pub rows: usize,
    /// Pixel columns per image.
    pub cols: usize,
    /// `count · rows · cols` pixels, image after image.
    pub pixels: &'a [u8],
}

/// The uncompressed size a gzip stream's trailer records (ISIZE, modulo 2^32), or `None`
/// when the stream is too short to have a trailer.
fn trailer_size(compressed: &[u8]) -> Option<u32> {
    let start = compressed.len().checked_sub(4)?;
    let t = compressed.get(start..)?;
    Some(u32::from_le_bytes([t[0], t[1], t[2], t[3]]))
}

/// Decompresses a gzip stream; `file` names it in errors. Inflating stops past the size the
/// gzip trailer records ([`DataError::InflatesBeyondTrailer`]), so a stream cannot grow
/// beyond what it declares (at most 4 GiB).
pub fn gunzip(compressed: &[u8], file: &str) -> Result<Vec<u8>> {
    let recorded = trailer_size(compressed).unwrap_or(0);
    let mut out = Vec::with_capacity(
        (recorded as usize).min(compressed.len().saturating_mul(MAX_DEFLATE_RATIO)),
    );
    GzDecoder::new(compressed)
        .take(u64::from(recorded) + 1)
        .read_to_end(&mut out)
        .map_err(|source| DataError::Decompress {
            file: file.to_string(),
            source,
        })?;
    if out.len() > recorded as usize {
        return Err(DataError::InflatesBeyondTrailer {
            file: file.to_string(),
            recorded,
        });
    }
    Ok(out)
}

/// Inflates the rest of an IDX file's gzip stream after its `header` bytes, handing `sink`
/// at most the `payload` bytes the header describes. Bytes beyond are counted for one more
/// buffer only, then inflating stops with [`DataError::InflatesBeyondHeader`]: a stream that
/// inflates far beyond its header (a "gzip bomb") costs one buffer of memory. A gzip trailer
/// recording more bytes than the header describes is [`DataError::TrailingBytes`] before
/// anything is inflated.
fn inflate_idx_payload(
    decoder: &mut GzDecoder<&[u8]>,
    compressed: &[u8],
    header: usize,
    payload: usize,
    file: &str,
    mut sink: impl FnMut(&[u8]),
) -> Result<()> {
    let expected = header.saturating_add(payload);
    let beyond_header = || DataError::InflatesBeyondHeader {
        file: file.to_string(),
        expected,
    };
    // A trailer recording more than the header describes is a stream that inflates beyond
    // it: refused before inflating the payload. (Fewer is reported as truncation below.)
    if let Some(recorded) = trailer_size(compressed)
        && u64::from(recorded) > expected as u64
    {
        return Err(DataError::TrailingBytes {
            file: file.to_string(),
            expected,
            found: recorded as usize,
        });
    }
    let mut buf = vec![0u8; 1 << 16];
    let (mut written, mut extra) = (0usize, 0usize);
    loop {
        let k = decoder
            .read(&mut buf)
            .map_err(|source| DataError::Decompress {
                file: file.to_string(),
                source,
            })?;
        if k == 0 {
            break;
        }
        let used = k.min(payload - written);
        sink(&buf[..used]);
        written += used;
        extra += k - used;
        if extra > buf.len() {
            return Err(beyond_header());
        }
    }
    if written < payload {
        return Err(DataError::Truncated {
            file: file.to_string(),
            expected,
            found: header + written,
        });
    }
    if extra > 0 {
        return Err(DataError::TrailingBytes {
            file: file.to_string(),
            expected,
            found: expected + extra,
        });
    }
    Ok(())
}

/// Inflates the first `N` bytes of a gzip stream (an IDX header); fewer if it ends sooner.
fn inflate_header<const N: usize>(
    decoder: &mut GzDecoder<&[u8]>,
    file: &str,
) -> Result<([u8; N], usize)> {
    let mut header = [0u8; N];
    let mut got = 0;
    while got < N {
        let k = decoder
            .read(&mut header[got..])
            .map_err(|source| DataError::Decompress {
                file: file.to_string(),
                source,
            })?;
        if k == 0 {
            break;
        }
        got += k;
    }
    Ok((header, got))
}

/// Decompresses a gzip'd IDX labels file and checks it as [`parse_labels`] does; inflating
/// stops at the size the IDX header describes.
pub fn decode_gz_labels(compressed: &[u8], file: &str, n_classes: usize) -> Result<Vec<u8>> {
    const HEADER: usize = 8;
    let mut decoder = GzDecoder::new(compressed);
    let (header, got) = inflate_header::<HEADER>(&mut decoder, file)?;
    check_magic(&header[..got], LABELS_MAGIC, "labels", file, HEADER)?;
    let count = read_u32(&header[..got], 4, file, HEADER)? as usize;
    let mut raw =
        Vec::with_capacity(HEADER + count.min(compressed.len().saturating_mul(MAX_DEFLATE_RATIO)));
    raw.extend_from_slice(&header);
    inflate_idx_payload(&mut decoder, compressed, HEADER, count, file, |bytes| {
        raw.extend_from_slice(bytes)
    })?;
    parse_labels(&raw, file, n_classes)?;
    raw.drain(..HEADER);
    Ok(raw)
}

fn read_u32(bytes: &[u8], at: usize, file: &str, header_len: usize) -> Result<u32> {
    match bytes.get(at..at + 4) {
        Some(b) => Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]])),
        None => Err(DataError::Truncated {
            file: file.to_string(),
            expected: header_len,
            found: bytes.len(),
        }),
    }
}

fn check_magic(
    bytes: &[u8],
    expected: u32,
    what: &'static str,
    file: &str,
    header: usize,
) -> Result<()> {
    let found = read_u32(bytes, 0, file, header)?;
    if found != expected {
        return Err(DataError::WrongMagic {
            file: file.to_string(),
            what,
            expected,
            found,
        });
    }
    Ok(())
}

fn check_len(bytes: &[u8], expected: usize, file: &str) -> Result<()> {
    use std::cmp::Ordering;
    match bytes.len().cmp(&expected) {
        Ordering::Less => Err(DataError::Truncated {
            file: file.to_string(),
            expected,
            found: bytes.len(),
        }),
        Ordering::Greater => Err(DataError::TrailingBytes {
            file: file.to_string(),
            expected,
            found: bytes.len(),
        }),
        Ordering::Equal => Ok(()),
    }
}

/// Reads the 16-byte header of an IDX images file: `(count, rows, cols)`, with the magic
/// number checked.
pub fn images_header(bytes: &[u8], file: &str) -> Result<(usize, usize, usize)> {
    const HEADER: usize = 16;
    check_magic(bytes, IMAGES_MAGIC, "images", file, HEADER)?;
    let count = read_u32(bytes, 4, file, HEADER)? as usize;
    let rows = read_u32(bytes, 8, file, HEADER)? as usize;
    let cols = read_u32(bytes, 12, file, HEADER)? as usize;
    Ok((count, rows, cols))
}

fn image_bytes(count: usize, rows: usize, cols: usize, file: &str, found: usize) -> Result<usize> {
    count
        .checked_mul(rows)
        .and_then(|v| v.checked_mul(cols))
        .ok_or(DataError::Truncated {
            file: file.to_string(),
            expected: usize::MAX,
            found,
        })
}

/// Parses a decompressed IDX images file (magic 2051, count, rows, cols, pixels).
pub fn parse_images<'a>(bytes: &'a [u8], file: &str) -> Result<IdxImages<'a>> {
    const HEADER: usize = 16;
    let (count, rows, cols) = images_header(bytes, file)?;
    let expected = image_bytes(count, rows, cols, file, bytes.len())?.saturating_add(HEADER);
    check_len(bytes, expected, file)?;
    Ok(IdxImages {
        count,
        rows,
        cols,
        pixels: &bytes[HEADER..],
    })
}

/// The largest ratio of decompressed to compressed size deflate can reach.
const MAX_DEFLATE_RATIO: usize = 1032;

/// Images decoded straight to `f32` pixels in [0, 1].
#[derive(Debug, Clone, PartialEq)]
pub struct ScaledImages {
    /// Number of images.
    pub count: usize,
    /// Pixel rows per image.
    pub rows: usize,
    /// Pixel columns per image.
    pub cols: usize,
    /// `count · rows · cols` values `byte / 255`, image after image.
    pub pixels: Vec<f32>,
}

/// Decompresses a gzip'd IDX images file and scales its bytes to `f32 / 255` chunk by chunk,
/// without materialising the decompressed bytes (one pass over memory instead of three).
pub fn decode_gz_images_scaled(compressed: &[u8], file: &str) -> Result<ScaledImages> {
    const HEADER: usize = 16;
    let mut decoder = GzDecoder::new(compressed);
    let (header, got) = inflate_header::<HEADER>(&mut decoder, file)?;
    let (count, rows, cols) = images_header(&header[..got], file)?;
    let total = image_bytes(count, rows, cols, file, got)?;
    // The header's size is only a claim: reserve no more than the compressed bytes can hold
    // (deflate expands at most 1032:1), so a corrupted header is a `Truncated` error, not an
    // allocation that aborts the process.
    let mut pixels: Vec<f32> =
        Vec::with_capacity(total.min(compressed.len().saturating_mul(MAX_DEFLATE_RATIO)));
    inflate_idx_payload(&mut decoder, compressed, HEADER, total, file, |bytes| {
        pixels.extend(bytes.iter().map(|&p| f32::from(p) / 255.0))
    })?;
    Ok(ScaledImages {
        count,
        rows,
        cols,
        pixels,
    })
}

/// Parses a decompressed IDX labels file (magic 2049, count, labels); every label must
/// be `< n_classes`.
pub fn parse_labels<'a>(bytes: &'a [u8], file: &str, n_classes: usize) -> Result<&'a [u8]> {
    const HEADER: usize = 8;
    check_magic(bytes, LABELS_MAGIC, "labels", file, HEADER)?;
    let count = read_u32(bytes, 4, file, HEADER)? as usize;
    check_len(bytes, HEADER + count, file)?;
    let labels = &bytes[HEADER..];
    if let Some(index) = labels.iter().position(|&l| usize::from(l) >= n_classes) {
        return Err(DataError::InvalidLabel {
            file: file.to_string(),
            index,
            value: usize::from(labels[index]),
            n_classes,
        });
    }
    Ok(labels)
}
