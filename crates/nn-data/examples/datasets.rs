//! Prints one row per built-in data set (samples, features, classes or target, checksum
//! status) and exits with status 1, naming the file, if any file is missing or corrupted.
//!
//! Run with `cargo run -p nn-data --release --example datasets` (set `NN_DATA_DIR` to check
//! another folder).

use std::process::ExitCode;

use nn_data::{DataDir, inventory};

fn main() -> ExitCode {
    let dir = DataDir::default_location();
    println!("data directory: {}", dir.root().display());
    let inv = inventory(&dir);
    print!("{inv}");
    if inv.all_ok() {
        println!("all data sets verified");
        ExitCode::SUCCESS
    } else {
        for row in inv.failures() {
            eprintln!(
                "error: {}: {}",
                row.name,
                row.error.as_deref().unwrap_or("failed")
            );
        }
        ExitCode::FAILURE
    }
}
