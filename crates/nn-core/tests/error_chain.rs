//! Every error of a failed model-file read or write says its own part once: the message
//! names the file and what was being done, the cause is reached through `source()` and is
//! not repeated in the message above it.

use std::error::Error;
use std::path::PathBuf;

use nn_core::model_file::{load_model, save_model};
use nn_core::{CoreError, Init, Sequential};
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

fn scratch_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("nn-core-error-chain-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn small_network() -> Sequential<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    Sequential::new(3)
        .dense(2, Init::XavierNormal, &mut rng)
        .unwrap()
}

#[test]
fn a_missing_model_file_names_the_file_once_and_the_os_error_once() {
    let dir = scratch_dir("missing");
    let path = dir.join("absent-net.model");
    let err = load_model::<f32>(&path).unwrap_err();
    assert!(
        matches!(
            err,
            CoreError::Io {
                operation: "read",
                ..
            }
        ),
        "{err:?}"
    );
    let messages = messages_said_once(&err);
    assert_eq!(messages.len(), 2, "{messages:?}");
    let line = messages.join(": ");
    assert_eq!(line.matches("absent-net.model").count(), 1, "{line}");
    assert!(line.starts_with("cannot read "), "{line}");
    let os_message = std::fs::read(&path).unwrap_err().to_string();
    assert!(
        line.ends_with(&os_message),
        "{line} (expected the OS error `{os_message}` at the end)"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_truncated_model_file_says_so_without_a_repeated_cause() {
    let dir = scratch_dir("truncated");
    let path = dir.join("cut.model");
    save_model(&path, &small_network(), b"").unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() - 5]).unwrap();
    let err = load_model::<f32>(&path).unwrap_err();
    assert!(matches!(err, CoreError::ModelLength { .. }), "{err:?}");
    let messages = messages_said_once(&err);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("truncated"), "{messages:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failed_write_names_the_file_once() {
    let dir = scratch_dir("write");
    let taken = dir.join("a-directory.model");
    std::fs::create_dir_all(&taken).unwrap();
    let err = save_model(&taken, &small_network(), b"").unwrap_err();
    assert!(
        matches!(
            err,
            CoreError::Io {
                operation: "write",
                ..
            }
        ),
        "{err:?}"
    );
    let line = messages_said_once(&err).join(": ");
    assert_eq!(line.matches("a-directory.model").count(), 1, "{line}");
    assert!(line.starts_with("cannot write "), "{line}");
    std::fs::remove_dir_all(&dir).unwrap();
}
