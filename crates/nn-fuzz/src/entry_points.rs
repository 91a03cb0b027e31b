//! What each fuzz target does with its input: public library calls only, in the way the `nn`
//! tool and the loaders make them. Every function must return for any bytes (the result, Ok
//! or Err, is dropped); a panic, abort, hang or runaway allocation is a bug in the parser.
//!
//! The fuzz targets (`fuzz_targets/*.rs`) call these functions, and the stable regression test
//! `crates/nn-cli/tests/fuzz_corpus.rs` includes this very file and runs each function over
//! the target's `corpus/` and `regressions/` folders, so the two cannot drift apart.

use std::path::Path;

use nn_data::{
    ChecksumList, ColumnKind, CsvOptions, CsvTable, ImputeStrategy, MissingPolicy, Scaling, Task,
    UnknownCategory, idx,
};
use nn_experiments::spec_suggest::parse_spec;
use nn_train::{ModelBundle, Trainer};

/// What a fuzz target does with one input.
pub type EntryPoint = fn(&[u8]);

/// The fuzz targets, by name: each one's folder under `corpus/` and `regressions/`.
pub const TARGETS: [(&str, EntryPoint); 8] = [
    ("idx_raw", idx_raw),
    ("idx_gzip", idx_gzip),
    ("csv_table", csv_table),
    ("csv_with_options", csv_with_options),
    ("model_bundle", model_bundle),
    ("checkpoint", checkpoint),
    ("spec", spec),
    ("checksums", checksums),
];

/// A decompressed IDX file, read as images and as labels of ten classes.
pub fn idx_raw(data: &[u8]) {
    let _ = idx::parse_images(data, "fuzz-idx3-ubyte");
    let _ = idx::parse_labels(data, "fuzz-idx1-ubyte", 10);
}

/// A gzip'd IDX file: decompressed whole and parsed, and decoded straight to scaled pixels.
pub fn idx_gzip(data: &[u8]) {
    if let Ok(raw) = idx::gunzip(data, "fuzz-ubyte.gz") {
        idx_raw(&raw);
    }
    let _ = idx::decode_gz_images_scaled(data, "fuzz-idx3-ubyte.gz");
}

/// A CSV file read as `nn predict` reads one (no target), then with its last column as a
/// classification and as a regression target, split and prepared as `nn train` does.
pub fn csv_table(data: &[u8]) {
    let mut options = CsvOptions::new("", Task::Classification);
    options.target = None;
    let Ok(table) = CsvTable::from_bytes("fuzz.csv", data, &options) else {
        return;
    };
    let Some(last) = table.headers().last() else {
        return;
    };
    for task in [Task::Classification, Task::Regression] {
        split_and_prepare(data, &CsvOptions::new(last.as_str(), task));
    }
}

/// A CSV file read with the options a spec's `[data]` table can give, taken from the
/// input's first line: its first byte is the delimiter, its second the flags (bit 0
/// regression, bits 1–2 the missing policy, bit 3 unseen categories as zeros, bits 4–5 the
/// scaling), then tab-separated fields: the target, and missing markers (`?NA`), dropped
/// columns (`-id`) and categorical columns (`#zip`). The rest of the input is the CSV file.
pub fn csv_with_options(data: &[u8]) {
    let Some(newline) = data.iter().position(|&b| b == b'\n') else {
        return;
    };
    let (line, csv) = (&data[..newline], &data[newline + 1..]);
    let ([delimiter, flags, ..], Ok(fields)) =
        (line, std::str::from_utf8(line.get(2..).unwrap_or_default()))
    else {
        return;
    };
    let mut fields = fields.split('\t');
    let task = [Task::Classification, Task::Regression][usize::from(flags & 1)];
    let mut options = CsvOptions::new(fields.next().unwrap_or_default(), task)
        .delimiter(*delimiter)
        .missing(match (flags >> 1) & 3 {
            0 => MissingPolicy::Reject,
            1 => MissingPolicy::Impute(ImputeStrategy::Mean),
            _ => MissingPolicy::Impute(ImputeStrategy::Median),
        })
        .scaling(match (flags >> 4) & 3 {
            0 => Scaling::None,
            1 => Scaling::MinMax,
            _ => Scaling::Standard,
        });
    if flags & 8 != 0 {
        options = options.unknown_category(UnknownCategory::AllZeros);
    }
    for field in fields {
        options = match field.split_at_checked(1) {
            Some(("?", marker)) => options.missing_markers(&[marker]),
            Some(("-", column)) => options.drop_columns(&[column]),
            Some(("#", column)) => options.column_kind(column, ColumnKind::Categorical),
            _ => options,
        };
    }
    split_and_prepare(csv, &options);
}

/// Reads a table with `options`, asks for its suggested task, splits it 60/20/20 and fits and
/// applies the preprocessing, as `nn train` does.
fn split_and_prepare(data: &[u8], options: &CsvOptions) {
    let Ok(table) = CsvTable::from_bytes("fuzz.csv", data, options) else {
        return;
    };
    let _ = table.suggested_task();
    if let Ok(split) = table.train_val_test_split(0.2, 0.2, 42) {
        let _ = split.prepare(&table);
    }
}

/// A model file read as a bundle (`nn predict`, `evaluate`, `summary`, `export`); a bundle
/// that reads then predicts one row of zeros in its own input columns.
pub fn model_bundle(data: &[u8]) {
    let Ok(bundle) = ModelBundle::from_bytes(data, "fuzz.model") else {
        return;
    };
    let columns = bundle.input_columns();
    let row = vec!["0"; columns.len()];
    let csv = format!("{}\n{}\n", columns.join(","), row.join(","));
    if let Ok(table) = bundle.read_csv_bytes("fuzz.csv", csv.as_bytes()) {
        let _ = bundle.predict(&table);
    }
}

/// A training checkpoint, read as `nn train --resume` reads one.
pub fn checkpoint(data: &[u8]) {
    let _ = Trainer::<f32>::from_checkpoint_bytes(data, Path::new("fuzz.ckpt"));
}

/// An experiment spec, read as `nn train` reads one (text first, then TOML), with its CSV
/// settings resolved.
pub fn spec(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(spec) = parse_spec("fuzz.toml", text) {
        let _ = spec.data.csv_source();
    }
}

/// A `SHA256SUMS` list.
pub fn checksums(data: &[u8]) {
    let _ = ChecksumList::parse(data, Path::new("SHA256SUMS"));
}
