//! `NN_DATA_DIR` is honoured: the runner reads its data from there, and a directory without
//! the files is an error naming the missing file, not a fallback to the workspace copy.
//! (A subprocess, since setting an environment variable in-process needs `unsafe`.)

use std::process::Command;

#[test]
fn an_empty_nn_data_dir_is_refused_naming_the_missing_file() {
    let dir = std::env::temp_dir().join(format!("nn-data-dir-{}", std::process::id()));
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_nn-experiments"))
        .args([
            "reproduce-all",
            "--quick",
            "--only",
            "000-iris-sgd",
            "--out",
        ])
        .arg(dir.join("out"))
        .env("NN_DATA_DIR", &data)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "should fail: {stderr}");
    assert!(
        stderr.contains(&data.display().to_string()) && stderr.contains("SHA256SUMS"),
        "the error should name the file under NN_DATA_DIR: {stderr}"
    );
}
