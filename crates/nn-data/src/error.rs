//! The one error type of this crate.

use std::path::PathBuf;

/// Shorthand for results whose error is [`DataError`].
pub type Result<T> = std::result::Result<T, DataError>;

/// Everything that can go wrong while finding, verifying, parsing or preparing data.
///
/// Every variant names the culprit (file, line, column, value) so that the message alone
/// tells the user what to fix.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// A data file (or `SHA256SUMS`) does not exist.
    #[error(
        "data file {path} is missing; re-copy the `datasets/` folder from the release \
         (if the project uses git lfs, run `git lfs pull`), or point NN_DATA_DIR at a folder that has it"
    )]
    MissingFile {
        /// The path that was looked for.
        path: PathBuf,
    },
    /// A file exists but could not be read.
    #[error("cannot read {path}")]
    Io {
        /// The file being read.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// A file's SHA-256 differs from the one recorded in `SHA256SUMS`.
    #[error(
        "checksum mismatch for {path}: SHA256SUMS expects {expected} but the file hashes to {actual}; \
         the file is corrupted or was replaced: re-copy it from the release \
         (if it is a git lfs pointer, run `git lfs pull`)"
    )]
    ChecksumMismatch {
        /// The file whose bytes do not match.
        path: PathBuf,
        /// Hex digest recorded in `SHA256SUMS`.
        expected: String,
        /// Hex digest of the bytes actually read.
        actual: String,
    },
    /// A file has no line in `SHA256SUMS`.
    #[error(
        "{file} has no line in {sums}; add `<sha256>  {file}` to it (e.g. with `sha256sum {file}`)"
    )]
    NotInChecksums {
        /// The relative path that was looked up.
        file: String,
        /// The checksum list that was searched.
        sums: PathBuf,
    },
    /// A line of `SHA256SUMS` is not `<64 hex digits>  <path>`.
    #[error("line {line} of {path} is not `<64 hex digits>  <relative path>`")]
    MalformedChecksums {
        /// The checksum list.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
    },
    /// A gzip stream could not be decompressed.
    #[error(
        "cannot decompress {file} (the gzip stream is damaged or truncated; re-copy the file \
         from the release)"
    )]
    Decompress {
        /// The compressed file.
        file: String,
        /// The decoder's error.
        source: std::io::Error,
    },
    /// A gzip'd IDX file inflates to (or its gzip trailer records) more bytes than its IDX
    /// header describes: inflating stopped there.
    #[error(
        "{file} decompresses to more than the {expected} bytes its IDX header describes; it is \
         not a valid IDX file (re-copy it from the release)"
    )]
    InflatesBeyondHeader {
        /// The compressed file.
        file: String,
        /// Bytes the header describes (header included).
        expected: usize,
    },
    /// A gzip stream inflates to more than the size its trailer records.
    #[error(
        "{file} decompresses to more than the {recorded} bytes its gzip trailer records; the \
         gzip stream is damaged (re-copy the file from the release)"
    )]
    InflatesBeyondTrailer {
        /// The compressed file.
        file: String,
        /// The trailer's ISIZE.
        recorded: u32,
    },
    /// An IDX file starts with the wrong magic number.
    #[error("{file} is not an IDX {what} file: magic number is {found}, expected {expected}")]
    WrongMagic {
        /// The IDX file.
        file: String,
        /// "images" or "labels".
        what: &'static str,
        /// The magic number required.
        expected: u32,
        /// The magic number found.
        found: u32,
    },
    /// A binary file is shorter than its header says.
    #[error(
        "{file} is truncated: its header promises {expected} bytes but only {found} are present"
    )]
    Truncated {
        /// The file.
        file: String,
        /// Bytes the header requires.
        expected: usize,
        /// Bytes present.
        found: usize,
    },
    /// A binary file is longer than its header says.
    #[error(
        "{file} has {found} bytes but its header describes exactly {expected}; it is not a valid IDX file"
    )]
    TrailingBytes {
        /// The file.
        file: String,
        /// Bytes the header describes.
        expected: usize,
        /// Bytes present.
        found: usize,
    },
    /// Image and label files disagree on the number of samples.
    #[error("{images_file} holds {images} images but {labels_file} holds {labels} labels")]
    CountMismatch {
        /// The images file.
        images_file: String,
        /// Number of images.
        images: usize,
        /// The labels file.
        labels_file: String,
        /// Number of labels.
        labels: usize,
    },
    /// A class label is outside the allowed range.
    #[error("{file}: label {value} at sample {index} is out of range (expected < {n_classes})")]
    InvalidLabel {
        /// The file.
        file: String,
        /// 0-based sample index.
        index: usize,
        /// The offending label.
        value: usize,
        /// Number of classes.
        n_classes: usize,
    },
    /// A file has no content at all (no header).
    #[error("{file} is empty")]
    EmptyFile {
        /// The file.
        file: String,
    },
    /// A CSV file has a header but no data rows.
    #[error("{file} has a header but no data rows")]
    NoRows {
        /// The file.
        file: String,
    },
    /// A quoted field is never closed: the csv reader would take the rest of the file as
    /// that field.
    #[error(
        "{file}, line {line}: a quote `\"` opens a field that is never closed (close it, or \
         double it as `\"\"` inside a quoted field)"
    )]
    UnterminatedQuote {
        /// The file.
        file: String,
        /// 1-based line of the opening quote.
        line: u64,
    },
    /// A CSV record has a different number of fields than the header.
    #[error("{file}, line {line}: {found} fields but the header has {expected}")]
    ColumnCount {
        /// The file.
        file: String,
        /// 1-based line number.
        line: u64,
        /// Fields in the header.
        expected: usize,
        /// Fields in this record.
        found: usize,
    },
    /// A CSV file that this crate refuses although it parses (e.g. a column name twice in
    /// the header).
    #[error("{file}: {message}")]
    Csv {
        /// The file.
        file: String,
        /// What is wrong with it.
        message: String,
    },
    /// A CSV line that is not UTF-8 text.
    #[error("{file}, line {line}: the text is not UTF-8 (save the file with UTF-8 encoding)")]
    NotUtf8 {
        /// The file.
        file: String,
        /// 1-based line number.
        line: u64,
        /// Which field and byte the CSV reader stopped at.
        #[source]
        source: csv::Utf8Error,
    },
    /// Any other error of the CSV reader.
    #[error("{file} cannot be read as CSV")]
    CsvSyntax {
        /// The file.
        file: String,
        /// What the CSV reader reported.
        #[source]
        source: csv::Error,
    },
    /// A column required by the options or by a fitted preprocessor is absent.
    #[error(
        "{file} has no column `{column}` (columns: {available}){}",
        one_column_hint(available)
    )]
    MissingColumn {
        /// The file.
        file: String,
        /// The column looked for.
        column: String,
        /// The header, comma-separated.
        available: String,
    },
    /// The requested target column is not in the header.
    #[error(
        "target column `{column}` is not in {file} (columns: {available}){}",
        one_column_hint(available)
    )]
    UnknownTargetColumn {
        /// The file.
        file: String,
        /// The target column asked for.
        column: String,
        /// The header, comma-separated.
        available: String,
    },
    /// A value in a numeric column is not a number.
    #[error(
        "{file}, line {line}, column `{column}`: `{value}` is not a number (the column is numeric: \
         fix the value, or, for a feature column of names, declare it categorical when training)"
    )]
    NotNumeric {
        /// The file.
        file: String,
        /// 1-based line number.
        line: u64,
        /// Column name.
        column: String,
        /// The raw cell.
        value: String,
    },
    /// A column whose first cell is text but whose cells are mostly numbers: most likely a
    /// typo in that cell, which would otherwise make the whole column categorical.
    #[error(
        "{file}, line {line}, column `{column}`: `{value}` is not a number, but {numbers} of the \
         column's {cells} cells are (fix the value, mark it missing with `missing_markers`, or \
         declare the column categorical)"
    )]
    MixedColumn {
        /// The file.
        file: String,
        /// 1-based line number of the first cell that is not a number.
        line: u64,
        /// Column name.
        column: String,
        /// That cell.
        value: String,
        /// Non-missing cells that parse as numbers.
        numbers: usize,
        /// Non-missing cells.
        cells: usize,
    },
    /// A numeric cell is NaN or infinite, or a number too large for `f32`.
    #[error(
        "{file}, line {line}, column `{column}`: `{value}` {}",
        non_finite_reason(value)
    )]
    NonFinite {
        /// The file.
        file: String,
        /// 1-based line number.
        line: u64,
        /// Column name.
        column: String,
        /// The raw cell.
        value: String,
    },
    /// A finite cell whose scaled value is beyond `f32` (a value far outside the training
    /// range).
    #[error(
        "{file}, line {line}, feature `{feature}`: the value is too large to scale (its scaled \
         value is not a finite f32)"
    )]
    ScaledNonFinite {
        /// The file.
        file: String,
        /// 1-based line number.
        line: u64,
        /// The encoded feature's name.
        feature: String,
    },
    /// A matrix given to a fit/transform contains NaN or an infinity.
    #[error("{context}: value at feature {row}, sample {col} is not finite")]
    NonFiniteMatrix {
        /// Who was checking.
        context: &'static str,
        /// Row (feature) index.
        row: usize,
        /// Column (sample) index.
        col: usize,
    },
    /// A cell is missing and the policy rejects missing values (or it is a target cell).
    #[error(
        "{file}, line {line}, column `{column}`: value is missing (fill it in; a missing feature \
         can also be imputed by a missing-value policy chosen when training, a missing target \
         cannot)"
    )]
    MissingValue {
        /// The file.
        file: String,
        /// 1-based line number.
        line: u64,
        /// Column name.
        column: String,
    },
    /// A categorical value never seen when the encoder was fitted.
    #[error(
        "{file}, line {line}, column `{column}`: category `{value}` was not seen in training (known: {known})"
    )]
    UnknownCategory {
        /// The file (or "<input>").
        file: String,
        /// 1-based line number (0 when not from a file).
        line: u64,
        /// Column name.
        column: String,
        /// The unseen value.
        value: String,
        /// The categories seen in training, comma-separated.
        known: String,
    },
    /// Input that has nothing in it where something is needed.
    #[error("{what} is empty")]
    EmptyInput {
        /// What was empty.
        what: &'static str,
    },
    /// Shapes or lengths that must agree do not.
    #[error("{what}: expected {expected}, found {found}")]
    ShapeMismatch {
        /// What was compared.
        what: &'static str,
        /// Expected size.
        expected: usize,
        /// Size found.
        found: usize,
    },
    /// A sample index beyond the data.
    #[error("sample index {index} is out of range for {len} samples")]
    IndexOutOfRange {
        /// The index.
        index: usize,
        /// Number of samples.
        len: usize,
    },
    /// A split ratio or a batch size that cannot work.
    #[error("invalid {what}: {reason}")]
    InvalidParameter {
        /// Which parameter.
        what: &'static str,
        /// Why it is invalid.
        reason: String,
    },
    /// An operation for classification called on regression data, or the reverse.
    #[error("{operation} needs {expected} targets, but this data set has {found} targets")]
    WrongTask {
        /// The operation.
        operation: &'static str,
        /// Task required.
        expected: &'static str,
        /// Task present.
        found: &'static str,
    },
}

/// For a header read as a single column that holds another usual separator: a hint to set
/// the delimiter.
fn one_column_hint(available: &str) -> String {
    if available.contains(", ") {
        return String::new();
    }
    [';', '\t', '|', ',']
        .into_iter()
        .find(|&c| available.contains(c))
        .map(|c| {
            let shown = if c == '\t' { "\\t".to_owned() } else { c.to_string() };
            format!("; the header reads as one column: is the file separated by `{shown}`? (set `delimiter`)")
        })
        .unwrap_or_default()
}

/// For a cell spelled as NaN: how to read it as a missing value instead.
/// Why a cell that reads as an `f32` NaN or infinity is refused: a finite number beyond
/// `f32` (like `1e308`) is too large, not "not finite"; `NaN` may be a missing-value marker.
fn non_finite_reason(value: &str) -> &'static str {
    let value = value.trim();
    if value.parse::<f64>().is_ok_and(f64::is_finite) {
        "does not fit an f32 (numbers are read as f32, whose largest magnitude is about 3.4e38)"
    } else if value.eq_ignore_ascii_case("nan") {
        "is not a finite number (if it marks a missing value, list it in `missing_markers`)"
    } else {
        "is not a finite number"
    }
}
