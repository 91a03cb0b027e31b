//! Every error of a failed checkpoint read or training run says its own part once: the
//! message names the file (or the epoch) and what was being done, the cause is reached through
//! `source()` and is not repeated in the message above it.

use std::error::Error;
use std::path::{Path, PathBuf};

use nn_core::{Init, Loss, Matrix, Sequential};
use nn_optim::{AnyOptimizer, OptimizerConfig, SgdConfig};
use nn_train::{ProgressMode, TrainConfig, TrainData, TrainError, Trainer};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The Display of each error in the chain, outermost first, after checking that no level
/// contains the text of its cause.
fn messages_said_once(error: &(dyn Error + 'static)) -> Vec<String> {
    let mut messages = Vec::new();
    let mut level = Some(error);
    while let Some(e) = level {
        let text = e.to_string();
        if let Some(cause) = e.source() {
            let cause_text = cause.to_string();
            assert!(
                !text.contains(&cause_text),
                "`{text}` repeats its cause `{cause_text}`"
            );
        }
        messages.push(text);
        level = e.source();
    }
    messages
}

/// A fresh directory under the system temp dir, unique per test and process, removed when
/// dropped.
struct Fixture(PathBuf);

impl Fixture {
    fn new(test: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("nn-train-chain-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn trainer(epochs: usize) -> Trainer<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let network = Sequential::new(2)
        .dense(2, Init::XavierUniform, &mut rng)
        .unwrap();
    let optimizer = AnyOptimizer::new(&OptimizerConfig::Sgd(SgdConfig::default())).unwrap();
    let config = TrainConfig {
        epochs,
        batch_size: 4,
        progress: ProgressMode::Silent,
        ..Default::default()
    };
    Trainer::new(network, optimizer, Loss::CrossEntropy, config).unwrap()
}

fn data() -> (Matrix<f64>, Matrix<f64>) {
    let x = Matrix::from_fn(2, 8, |r, c| (r + c) as f64 / 8.0);
    let y = Matrix::from_fn(2, 8, |r, c| f64::from(u8::from(r == c % 2)));
    (x, y)
}

/// The four sections of a (version 2) checkpoint: magic, version and digest come first.
fn sections(checkpoint: &[u8]) -> Vec<Vec<u8>> {
    let mut rest = &checkpoint[8 + 4 + 32..];
    let mut out = Vec::new();
    while !rest.is_empty() {
        let len = u64::from_le_bytes(rest[..8].try_into().unwrap()) as usize;
        out.push(rest[8..8 + len].to_vec());
        rest = &rest[8 + len..];
    }
    assert_eq!(out.len(), 4);
    out
}

/// A version 1 checkpoint (no digest, still read) of these sections, so a section can be
/// damaged without the digest refusing the file first.
fn version_1(checkpoint: &[u8], sections: &[Vec<u8>]) -> Vec<u8> {
    let mut out = checkpoint[..8].to_vec();
    out.extend_from_slice(&1u32.to_le_bytes());
    for section in sections {
        out.extend_from_slice(&(section.len() as u64).to_le_bytes());
        out.extend_from_slice(section);
    }
    out
}

fn file_named_once(line: &str, path: &Path) {
    let name = path.file_name().unwrap().to_str().unwrap();
    assert_eq!(line.matches(name).count(), 1, "{line}");
}

#[test]
fn a_checkpoint_larger_than_the_read_cap_is_refused_before_it_is_read() {
    let dir = Fixture::new("cap");
    let path = dir.write("huge.ckpt", b"");
    // Sparse: the length is claimed, no block is written.
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(nn_train::MAX_CHECKPOINT_BYTES + 1)
        .unwrap();
    let err = Trainer::<f64>::load_checkpoint(&path).unwrap_err();
    let TrainError::Io { source, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(source.kind(), std::io::ErrorKind::FileTooLarge);
    let messages = messages_said_once(&err);
    assert!(
        messages.iter().any(|m| m.contains("more than")),
        "{messages:?}"
    );
}

#[test]
fn a_file_that_is_not_a_checkpoint_is_named_once() {
    let dir = Fixture::new("foreign");
    let path = dir.write("notes-not-a-checkpoint.ckpt", b"epoch,loss\n1,0.5\n");
    let err = Trainer::<f64>::load_checkpoint(&path).unwrap_err();
    assert!(
        matches!(err, TrainError::BadCheckpoint { source: None, .. }),
        "{err:?}"
    );
    let messages = messages_said_once(&err);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("not a training checkpoint"),
        "{messages:?}"
    );
    file_named_once(&messages[0], &path);
}

#[test]
fn an_undecodable_section_is_named_and_the_decoder_error_is_its_cause() {
    let dir = Fixture::new("sections");
    let bytes = trainer(1).checkpoint_bytes().unwrap();
    let good = sections(&bytes);
    // A run section that is JSON but not a run; a network section that is not a model.
    let cases = [
        (0, b"{}".to_vec(), "run section"),
        (2, b"not a model".to_vec(), "network section"),
    ];
    for (index, replacement, named) in cases {
        let mut damaged = good.clone();
        damaged[index] = replacement;
        let path = dir.write("damaged-section.ckpt", &version_1(&bytes, &damaged));
        let err = Trainer::<f64>::load_checkpoint(&path).unwrap_err();
        assert!(
            matches!(
                err,
                TrainError::BadCheckpoint {
                    source: Some(_),
                    ..
                }
            ),
            "{err:?}"
        );
        let messages = messages_said_once(&err);
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains(named), "{messages:?}");
        file_named_once(&messages.join(": "), &path);
    }
}

#[test]
fn bytes_left_after_the_optimizer_state_are_refused() {
    let dir = Fixture::new("optimizer-tail");
    let bytes = trainer(1).checkpoint_bytes().unwrap();
    let mut damaged = sections(&bytes);
    damaged[1].extend_from_slice(&[0xFD; 9]);
    let path = dir.write("tail.ckpt", &version_1(&bytes, &damaged));
    let err = Trainer::<f64>::load_checkpoint(&path).unwrap_err();
    assert!(
        matches!(&err, TrainError::BadCheckpoint { reason, .. } if reason.contains("9 unread bytes")),
        "{err:?}"
    );
}

#[test]
fn a_missing_checkpoint_says_what_was_done_and_ends_with_the_os_error() {
    let dir = Fixture::new("missing");
    let path = dir.0.join("absent-last.ckpt");
    let err = Trainer::<f64>::load_checkpoint(&path).unwrap_err();
    assert!(
        matches!(
            err,
            TrainError::Io {
                operation: "read",
                ..
            }
        ),
        "{err:?}"
    );
    let line = messages_said_once(&err).join(": ");
    assert!(line.starts_with("cannot read "), "{line}");
    file_named_once(&line, &path);
    let os_message = std::fs::read(&path).unwrap_err().to_string();
    assert!(line.ends_with(&os_message), "{line}");
}

#[test]
fn a_failing_after_epoch_function_names_the_epoch_and_keeps_its_chain() {
    #[derive(Debug, thiserror::Error)]
    #[error("cannot score the test set")]
    struct Scoring {
        source: std::io::Error,
    }
    let (x, y) = data();
    let mut t = trainer(3);
    let mut calls = 0;
    let err = t
        .fit_with(&TrainData::new(&x, &y), |_| {
            calls += 1;
            if calls == 2 {
                Err(Scoring {
                    source: std::io::Error::other("test.csv vanished"),
                })
            } else {
                Ok(())
            }
        })
        .unwrap_err();
    assert!(
        matches!(err, TrainError::AfterEpoch { epoch: 2, .. }),
        "{err:?}"
    );
    let messages = messages_said_once(&err);
    assert_eq!(
        messages,
        [
            "the function called after epoch 2 failed",
            "cannot score the test set",
            "test.csv vanished"
        ]
    );
}
