//! A gzip bomb in place of an MNIST file: refused by its checksum before it is inflated, and,
//! when its checksum is listed, inflated no further than its IDX header describes. Alone in
//! its test binary so that the process's peak memory measures this test only.

use std::io::Write;
use std::path::PathBuf;

use flate2::Compression;
use flate2::write::GzEncoder;
use nn_data::mnist::{load_images, load_labels};
use nn_data::{DataDir, DataError, sha256_hex};

/// Bytes the bomb inflates to: 256 MiB of zeros after an IDX header.
const BOMB_ZEROS: usize = 1 << 28;

/// A gzip'd IDX file: `header`, then `zeros` zero bytes, compressed without ever holding
/// the zeros in memory.
fn gzip_bomb(header: &[u8], zeros: usize) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(header).unwrap();
    let chunk = vec![0u8; 1 << 20];
    let mut left = zeros;
    while left > 0 {
        let n = left.min(chunk.len());
        enc.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    enc.finish().unwrap()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn labels_header(count: u32) -> Vec<u8> {
    [2049u32, count]
        .iter()
        .flat_map(|v| v.to_be_bytes())
        .collect()
}

fn images_header(count: u32) -> Vec<u8> {
    [2051u32, count, 28, 28]
        .iter()
        .flat_map(|v| v.to_be_bytes())
        .collect()
}

/// Peak resident memory of this process so far, in bytes (Linux), or `None`.
fn peak_memory() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

struct Fixture(PathBuf);

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_gzip_bomb_is_refused_with_little_memory() {
    let dir = Fixture(std::env::temp_dir().join(format!("nn-data-bomb-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir.0);
    std::fs::create_dir_all(&dir.0).unwrap();
    let labels_bomb = gzip_bomb(&labels_header(10), BOMB_ZEROS);
    let images_bomb = gzip_bomb(&images_header(10), BOMB_ZEROS);
    assert!(labels_bomb.len() < 1 << 20, "{}", labels_bomb.len());
    let before = peak_memory();

    // 1. In place of genuine files whose checksums SHA256SUMS lists: a checksum mismatch.
    let genuine_labels = gzip(&[labels_header(3), vec![1, 2, 3]].concat());
    let genuine_images = gzip(&[images_header(1), vec![9; 784]].concat());
    let sums = format!(
        "{}  labels.gz\n{}  images.gz\n",
        sha256_hex(&genuine_labels),
        sha256_hex(&genuine_images)
    );
    std::fs::write(dir.0.join("SHA256SUMS"), sums).unwrap();
    std::fs::write(dir.0.join("labels.gz"), &labels_bomb).unwrap();
    std::fs::write(dir.0.join("images.gz"), &images_bomb).unwrap();
    let data = DataDir::new(&dir.0);
    let err = load_labels(&data, "labels.gz").unwrap_err();
    assert!(matches!(err, DataError::ChecksumMismatch { .. }), "{err:?}");
    assert!(err.to_string().contains("checksum mismatch"), "{err}");
    let err = load_images(&data, "images.gz").unwrap_err();
    assert!(matches!(err, DataError::ChecksumMismatch { .. }), "{err:?}");

    // 2. Listed with their own checksums: refused from the gzip trailer's size, before
    // inflating...
    let list = |labels: &[u8], images: &[u8]| {
        let sums = format!(
            "{}  labels.gz\n{}  images.gz\n",
            sha256_hex(labels),
            sha256_hex(images)
        );
        std::fs::write(dir.0.join("SHA256SUMS"), sums).unwrap();
        std::fs::write(dir.0.join("labels.gz"), labels).unwrap();
        std::fs::write(dir.0.join("images.gz"), images).unwrap();
    };
    list(&labels_bomb, &images_bomb);
    let err = load_labels(&data, "labels.gz").unwrap_err();
    assert!(
        matches!(err, DataError::TrailingBytes { expected: 18, found, .. } if found == 8 + BOMB_ZEROS),
        "{err:?}"
    );
    let err = load_images(&data, "images.gz").unwrap_err();
    assert!(
        matches!(err, DataError::TrailingBytes { expected: 7856, .. }),
        "{err:?}"
    );
    // ... and, with a trailer forged to agree with the header, inflated no further than the
    // header describes (plus one buffer).
    let forge = |bomb: &[u8], size: u32| {
        let mut forged = bomb.to_vec();
        let at = forged.len() - 4;
        forged[at..].copy_from_slice(&size.to_le_bytes());
        forged
    };
    list(&forge(&labels_bomb, 18), &forge(&images_bomb, 7856));
    let err = load_labels(&data, "labels.gz").unwrap_err();
    assert!(
        matches!(err, DataError::InflatesBeyondHeader { expected: 18, .. }),
        "{err:?}"
    );
    let err = load_images(&data, "images.gz").unwrap_err();
    assert!(
        matches!(err, DataError::InflatesBeyondHeader { expected: 7856, .. }),
        "{err:?}"
    );

    // Inflating either bomb whole would take 256 MiB (the images, as f32, four times that).
    if let (Some(before), Some(after)) = (before, peak_memory()) {
        let grown = after.saturating_sub(before);
        assert!(grown < 64 << 20, "peak memory grew by {grown} bytes");
    }
}
