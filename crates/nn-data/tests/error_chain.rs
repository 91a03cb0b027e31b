//! Every error of a failed read says its own part once: the message names the file (and the
//! line) and what was being done, the cause is reached through `source()` and is not repeated
//! in the message above it. Fixtures are written into a fresh temporary directory per test.

use std::error::Error;
use std::io::Write;
use std::path::PathBuf;

use flate2::Compression;
use flate2::write::GzEncoder;
use nn_data::idx::gunzip;
use nn_data::{ChecksumStatus, CsvOptions, CsvTable, DataDir, DataError, Task, sha256_hex};

/// A fresh directory under the system temp dir, unique per test and process, removed when
/// dropped.
struct Fixture(PathBuf);

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn fixture_dir(test: &str) -> Fixture {
    let dir = std::env::temp_dir().join(format!("nn-data-chain-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Fixture(dir)
}

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

/// Iris-like rows whose second line (the first data row) holds a byte that is not UTF-8.
const NOT_UTF8_ON_LINE_2: &[u8] =
    b"sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,Iris-set\xffosa\n";

#[test]
fn a_csv_with_invalid_utf8_on_line_2_names_the_file_and_line_once() {
    let dir = fixture_dir("utf8");
    let path = dir.0.join("latin1-flowers.csv");
    std::fs::write(&path, NOT_UTF8_ON_LINE_2).unwrap();
    let err =
        CsvTable::from_path(&path, &CsvOptions::new("species", Task::Classification)).unwrap_err();
    assert!(matches!(err, DataError::NotUtf8 { line: 2, .. }), "{err:?}");
    let messages = messages_said_once(&err);
    assert_eq!(messages.len(), 2, "{messages:?}");
    let line = messages.join(": ");
    assert_eq!(line.matches("latin1-flowers.csv").count(), 1, "{line}");
    assert_eq!(line.matches("line 2").count(), 1, "{line}");
    // The reader's own detail (which field) is still there, once, at the end.
    assert!(messages[1].contains("field 4"), "{line}");
    assert_eq!(line.matches(&messages[1]).count(), 1, "{line}");
}

#[test]
fn an_unreadable_file_names_it_once_and_ends_with_the_os_error() {
    let dir = fixture_dir("unreadable");
    // A directory exists, so it is not "missing", but it cannot be read as a file.
    let path = dir.0.join("a-folder.csv");
    std::fs::create_dir_all(&path).unwrap();
    let err = CsvTable::from_path(&path, &CsvOptions::new("y", Task::Regression)).unwrap_err();
    assert!(matches!(err, DataError::Io { .. }), "{err:?}");
    let messages = messages_said_once(&err);
    assert_eq!(messages.len(), 2, "{messages:?}");
    let line = messages.join(": ");
    assert!(line.starts_with("cannot read "), "{line}");
    assert_eq!(line.matches("a-folder.csv").count(), 1, "{line}");
    let os_message = std::fs::read(&path).unwrap_err().to_string();
    assert!(line.ends_with(&os_message), "{line}");
}

#[test]
fn a_damaged_gzip_stream_keeps_the_decoder_error_as_its_cause() {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(&[7u8; 4096]).unwrap();
    let mut gz = enc.finish().unwrap();
    let mid = gz.len() / 2;
    gz.truncate(mid);
    let err = gunzip(&gz, "cut-labels.gz").unwrap_err();
    assert!(matches!(err, DataError::Decompress { .. }), "{err:?}");
    let messages = messages_said_once(&err);
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert_eq!(messages.join(": ").matches("cut-labels.gz").count(), 1);
}

#[test]
fn the_inventory_shows_a_failure_with_its_cause() {
    let dir = fixture_dir("inventory");
    let iris = dir.0.join(nn_data::iris::IRIS_FILE);
    std::fs::create_dir_all(iris.parent().unwrap()).unwrap();
    std::fs::write(&iris, NOT_UTF8_ON_LINE_2).unwrap();
    let sums = format!(
        "{}  {}\n",
        sha256_hex(NOT_UTF8_ON_LINE_2),
        nn_data::iris::IRIS_FILE
    );
    std::fs::write(dir.0.join("SHA256SUMS"), sums).unwrap();
    let inventory = nn_data::inventory(&DataDir::new(&dir.0));
    let row = inventory.rows.iter().find(|r| r.name == "iris").unwrap();
    let ChecksumStatus::Failed { message } = &row.status else {
        panic!("{:?}", row.status);
    };
    let cause = csv_utf8_detail();
    assert!(
        message.contains("line 2") && message.ends_with(&cause),
        "{message}"
    );
    assert_eq!(message.matches(&cause).count(), 1, "{message}");
    assert_eq!(row.error.as_deref(), Some(message.as_str()));
}

#[test]
fn the_inventory_fails_on_a_listed_file_that_is_missing() {
    let dir = fixture_dir("inventory-missing");
    std::fs::write(
        dir.0.join("SHA256SUMS"),
        format!("{}  extra/gone.csv\n", sha256_hex(b"x")),
    )
    .unwrap();
    let inventory = nn_data::inventory(&DataDir::new(&dir.0));
    assert!(!inventory.all_ok());
    let row = inventory
        .rows
        .iter()
        .find(|r| r.name == "SHA256SUMS")
        .expect("a row for the missing listed file");
    assert!(
        matches!(&row.status, ChecksumStatus::Missing { file } if file.ends_with("gone.csv")),
        "{:?}",
        row.status
    );
    assert!(
        row.error
            .as_deref()
            .unwrap()
            .contains("lists `extra/gone.csv`")
    );
    // Once the file is there, that row is gone.
    std::fs::create_dir_all(dir.0.join("extra")).unwrap();
    std::fs::write(dir.0.join("extra/gone.csv"), b"x").unwrap();
    let inventory = nn_data::inventory(&DataDir::new(&dir.0));
    assert!(inventory.rows.iter().all(|r| r.name != "SHA256SUMS"));
}

/// What the CSV reader says about the bad byte of [`NOT_UTF8_ON_LINE_2`].
fn csv_utf8_detail() -> String {
    let err = CsvTable::from_bytes(
        "x.csv",
        NOT_UTF8_ON_LINE_2,
        &CsvOptions::new("species", Task::Classification),
    )
    .unwrap_err();
    err.source().expect("a cause").to_string()
}
