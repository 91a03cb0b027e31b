//! Reading any CSV file into a raw table of strings, with the options that say how to
//! turn it into features and targets (see [`crate::preprocessor::Preprocessor`]).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::data_dir::{DataDir, read_file};
use crate::encoder::{LabelEncoder, UnknownCategory};
use crate::error::{DataError, Result};
use crate::imputer::ImputeStrategy;
use crate::scaler::Scaling;
use crate::split::{
    Split, ThreeWaySplit, stratified_train_test_split, stratified_train_val_test_split,
    train_test_split, train_val_test_split,
};

/// What the target column is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Task {
    /// Class names (any strings); encoded with a [`LabelEncoder`].
    Classification,
    /// Real numbers.
    Regression,
}

/// What to do with missing cells (empty, or equal to one of the missing markers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MissingPolicy {
    /// A missing feature cell is an error naming file, line and column.
    Reject,
    /// Numeric columns are filled with this statistic of the training split; categorical
    /// columns always with their most frequent training value. Missing targets are still errors.
    Impute(ImputeStrategy),
}

/// Whether a feature column holds numbers or categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ColumnKind {
    /// Parsed as `f32`; a non-numeric cell is an error.
    Numeric,
    /// One-hot encoded (or a single 0/1 column when the values are yes/no or true/false).
    Categorical,
}

/// How to read the text of a CSV file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvFormat {
    /// Field separator (`b','`, `b';'`...).
    pub delimiter: u8,
    /// Cells (after trimming) that mean "missing"; the empty string is always missing.
    pub missing_markers: Vec<String>,
}

impl Default for CsvFormat {
    fn default() -> Self {
        Self {
            delimiter: b',',
            missing_markers: Vec::new(),
        }
    }
}

/// Options for turning a CSV file into a data set.
///
/// Column kinds are inferred: a column whose first non-missing cell parses as a number is
/// numeric (every other cell must then be a number too), otherwise it is categorical, unless
/// most of its other cells are numbers: with a target set (reading training data), the first
/// cell is then reported as a likely typo.
/// `column_kinds` overrides the inference (e.g. to one-hot a numeric code).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CsvOptions {
    /// Delimiter and missing markers.
    pub format: CsvFormat,
    /// Name of the target column (`None` for a file of features only, e.g. to predict on).
    pub target: Option<String>,
    /// Classification or regression.
    pub task: Task,
    /// Missing-value policy for feature cells.
    pub missing: MissingPolicy,
    /// Columns to ignore (ids, free text...).
    pub drop_columns: Vec<String>,
    /// Explicit kinds for some columns.
    pub column_kinds: Vec<(String, ColumnKind)>,
    /// Policy for categories not seen in training.
    pub unknown_category: UnknownCategory,
    /// Scaler fitted on the encoded training features.
    pub scaling: Scaling,
}

impl CsvOptions {
    /// Comma-separated, missing values rejected, no scaling, unseen categories rejected.
    pub fn new(target: impl Into<String>, task: Task) -> Self {
        Self {
            format: CsvFormat::default(),
            target: Some(target.into()),
            task,
            missing: MissingPolicy::Reject,
            drop_columns: Vec::new(),
            column_kinds: Vec::new(),
            unknown_category: UnknownCategory::Error,
            scaling: Scaling::None,
        }
    }

    /// Sets the field separator.
    pub fn delimiter(mut self, delimiter: u8) -> Self {
        self.format.delimiter = delimiter;
        self
    }

    /// Sets the missing-value policy.
    pub fn missing(mut self, policy: MissingPolicy) -> Self {
        self.missing = policy;
        self
    }

    /// Adds cell texts that mean "missing" (besides the empty cell), e.g. `"NA"`, `"?"`.
    pub fn missing_markers(mut self, markers: &[&str]) -> Self {
        self.format
            .missing_markers
            .extend(markers.iter().map(|m| m.to_string()));
        self
    }

    /// Adds columns to ignore.
    pub fn drop_columns(mut self, columns: &[&str]) -> Self {
        self.drop_columns
            .extend(columns.iter().map(|c| c.to_string()));
        self
    }

    /// Forces a column's kind.
    pub fn column_kind(mut self, column: &str, kind: ColumnKind) -> Self {
        self.column_kinds.push((column.to_string(), kind));
        self
    }

    /// Sets the unseen-category policy.
    pub fn unknown_category(mut self, policy: UnknownCategory) -> Self {
        self.unknown_category = policy;
        self
    }

    /// Sets the scaler fitted on the training features.
    pub fn scaling(mut self, scaling: Scaling) -> Self {
        self.scaling = scaling;
        self
    }
}

/// A CSV file held as raw text cells, with line numbers for error messages and the kind of
/// every feature column.
#[derive(Debug, Clone)]
pub struct CsvTable {
    source: String,
    headers: Vec<String>,
    /// Each header's index: lookups by name stay O(1) on a file of many columns.
    column_positions: HashMap<String, usize>,
    records: Vec<csv::StringRecord>,
    lines: Vec<u64>,
    options: CsvOptions,
    kinds: Vec<Option<ColumnKind>>,
    target_index: Option<usize>,
}

impl CsvTable {
    /// Reads a CSV file (no checksum: for users' own files).
    pub fn from_path(path: impl AsRef<Path>, options: &CsvOptions) -> Result<Self> {
        let path = path.as_ref();
        let bytes = read_file(path)?;
        Self::from_bytes(&path.display().to_string(), &bytes, options)
    }

    /// Reads a file of a [`DataDir`], verified against its `SHA256SUMS`.
    pub fn from_data_dir(dir: &DataDir, relative: &str, options: &CsvOptions) -> Result<Self> {
        let source = dir.path(relative).display().to_string();
        dir.load_verified(relative, |bytes| Self::from_bytes(&source, bytes, options))
    }

    /// Parses CSV text; `source` names the file in error messages.
    pub fn from_bytes(source: &str, bytes: &[u8], options: &CsvOptions) -> Result<Self> {
        let file = source.to_string();
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if text.iter().all(u8::is_ascii_whitespace) {
            return Err(DataError::EmptyFile { file });
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(options.format.delimiter)
            .has_headers(true)
            .trim(csv::Trim::All)
            .flexible(false)
            .from_reader(bytes);
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| csv_error(&file, bytes, options.format.delimiter, e))?
            .iter()
            .map(str::to_string)
            .collect();
        let mut column_positions = HashMap::with_capacity(headers.len());
        for (i, h) in headers.iter().enumerate() {
            if column_positions.insert(h.clone(), i).is_some() {
                return Err(DataError::Csv {
                    file,
                    message: format!("column name `{h}` appears twice in the header"),
                });
            }
        }
        let mut records = Vec::new();
        let mut lines = Vec::new();
        let mut line_counter = LineCounter::new(bytes);
        for record in reader.records() {
            let record =
                record.map_err(|e| csv_error(&file, bytes, options.format.delimiter, e))?;
            lines.push(
                record
                    .position()
                    .map_or(0, |p| line_counter.line_at(p.byte())),
            );
            records.push(record);
        }
        // A quote never closed swallows the rest of the file into the last record (or the
        // header), which may still have the right number of fields: look from its start.
        let last_start = records
            .last()
            .and_then(|r| r.position())
            .map_or(0, |p| p.byte());
        if let Some(line) = unterminated_quote_line(bytes, options.format.delimiter, last_start) {
            return Err(DataError::UnterminatedQuote { file, line });
        }
        if records.is_empty() {
            return Err(DataError::NoRows { file });
        }
        let mut table = Self {
            source: file,
            headers,
            column_positions,
            records,
            lines,
            options: options.clone(),
            kinds: Vec::new(),
            target_index: None,
        };
        table.resolve_columns()?;
        Ok(table)
    }

    fn resolve_columns(&mut self) -> Result<()> {
        let options = &self.options;
        if let Some(target) = &options.target {
            self.target_index =
                Some(self.column_positions.get(target).copied().ok_or_else(|| {
                    DataError::UnknownTargetColumn {
                        file: self.source.clone(),
                        column: target.clone(),
                        available: self.headers.join(", "),
                    }
                })?);
        }
        for name in options
            .drop_columns
            .iter()
            .chain(options.column_kinds.iter().map(|(n, _)| n))
        {
            self.column_index(name)?;
        }
        // The target is never a feature; listing it among the dropped or re-typed feature
        // columns is a mistake about which column is which.
        if let Some(target) = &options.target
            && let Some(place) = [
                ("drop_columns", options.drop_columns.contains(target)),
                (
                    "column kinds (`categorical` in a spec)",
                    options.column_kinds.iter().any(|(n, _)| n == target),
                ),
            ]
            .into_iter()
            .find_map(|(place, listed)| listed.then_some(place))
        {
            return Err(DataError::InvalidParameter {
                what: place,
                reason: format!(
                    "lists the target column `{target}`, which is not a feature (the target is \
                     never an input)"
                ),
            });
        }
        let dropped: HashSet<&str> = options.drop_columns.iter().map(String::as_str).collect();
        let mut forced_kinds: HashMap<&str, ColumnKind> = HashMap::new();
        for (name, kind) in &options.column_kinds {
            // The first entry for a column wins, as a search in order would find it.
            forced_kinds.entry(name.as_str()).or_insert(*kind);
        }
        let mut kinds = Vec::with_capacity(self.headers.len());
        for (i, name) in self.headers.iter().enumerate() {
            if Some(i) == self.target_index || dropped.contains(name.as_str()) {
                kinds.push(None);
                continue;
            }
            let forced = forced_kinds.get(name.as_str()).copied();
            // Without a target the table is read for a fitted preprocessor (predicting),
            // which encodes each column as it was fitted: the inferred kinds are not used,
            // and a column the model ignores must not fail the read.
            let kind = match forced {
                Some(kind) => kind,
                None => self.inferred_kind(i, options.target.is_some())?,
            };
            kinds.push(Some(kind));
        }
        self.kinds = kinds;
        Ok(())
    }

    /// The kind of column `col` from its cells: numeric when the first non-missing cell is a
    /// number (a later cell that is not is an error when it is read), categorical when it is
    /// text. Text first and numbers in most other cells is an error naming that first cell
    /// when `check_mixed`: a typo there would otherwise turn the whole column into categories
    /// in silence.
    fn inferred_kind(&self, col: usize, check_mixed: bool) -> Result<ColumnKind> {
        let mut cells = (0..self.records.len()).filter_map(|r| Some((r, self.cell(r, col)?)));
        let Some((first_row, first)) = cells.next() else {
            return Ok(ColumnKind::Numeric);
        };
        if first.parse::<f32>().is_ok() {
            return Ok(ColumnKind::Numeric);
        }
        if !check_mixed {
            return Ok(ColumnKind::Categorical);
        }
        let (mut numbers, mut total) = (0, 1);
        for (_, cell) in cells {
            total += 1;
            numbers += usize::from(cell.parse::<f32>().is_ok());
        }
        if 2 * numbers > total {
            return Err(DataError::MixedColumn {
                file: self.source.clone(),
                line: self.line(first_row),
                column: self.headers[col].clone(),
                value: first.to_string(),
                numbers,
                cells: total,
            });
        }
        Ok(ColumnKind::Categorical)
    }

    /// The file name used in messages.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Column names.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Number of data rows.
    pub fn n_rows(&self) -> usize {
        self.records.len()
    }

    /// The options the table was read with.
    pub fn options(&self) -> &CsvOptions {
        &self.options
    }

    /// 1-based line number of a data row in the file.
    pub fn line(&self, row: usize) -> u64 {
        self.lines.get(row).copied().unwrap_or(0)
    }

    /// Index of a column, or [`DataError::MissingColumn`].
    pub fn column_index(&self, name: &str) -> Result<usize> {
        self.column_positions
            .get(name)
            .copied()
            .ok_or_else(|| DataError::MissingColumn {
                file: self.source.clone(),
                column: name.to_string(),
                available: self.headers.join(", "),
            })
    }

    /// The trimmed cell at (`row`, `col`), or `None` if it is missing (empty or a marker).
    pub fn cell(&self, row: usize, col: usize) -> Option<&str> {
        let v = self.records.get(row)?.get(col)?;
        if v.is_empty() || self.options.format.missing_markers.iter().any(|m| m == v) {
            None
        } else {
            Some(v)
        }
    }

    /// Feature columns (not target, not dropped) with their kinds, in file order.
    pub fn feature_columns(&self) -> Vec<(&str, ColumnKind)> {
        self.headers
            .iter()
            .zip(&self.kinds)
            .filter_map(|(h, k)| k.map(|k| (h.as_str(), k)))
            .collect()
    }

    /// Index of the target column, if the options name one.
    pub fn target_index(&self) -> Option<usize> {
        self.target_index
    }

    fn require_target(&self) -> Result<usize> {
        self.target_index.ok_or(DataError::UnknownTargetColumn {
            file: self.source.clone(),
            column: "<none given in the options>".into(),
            available: self.headers.join(", "),
        })
    }

    /// The raw target cell of every row; a missing target is an error.
    pub fn target_strings(&self) -> Result<Vec<&str>> {
        let t = self.require_target()?;
        (0..self.n_rows())
            .map(|r| {
                self.cell(r, t).ok_or_else(|| DataError::MissingValue {
                    file: self.source.clone(),
                    line: self.line(r),
                    column: self.headers[t].clone(),
                })
            })
            .collect()
    }

    /// Label encoder fitted on the target column of all rows, and every row's class index.
    /// (The set of class names is part of the task, not a statistic, so using all rows
    /// leaks nothing.)
    pub fn class_labels(&self) -> Result<(LabelEncoder, Vec<usize>)> {
        if self.options.task != Task::Classification {
            return Err(DataError::WrongTask {
                operation: "class_labels",
                expected: "classification",
                found: "regression",
            });
        }
        let targets = self.target_strings()?;
        let encoder = LabelEncoder::fit(&targets)?;
        let labels = encoder.transform(&targets)?;
        Ok((encoder, labels))
    }

    /// Seeded split of the rows: stratified by class for classification.
    pub fn split_indices(&self, test_ratio: f64, seed: u64) -> Result<Split> {
        match self.options.task {
            Task::Classification => {
                let (_, labels) = self.class_labels()?;
                stratified_train_test_split(&labels, test_ratio, seed)
            }
            Task::Regression => train_test_split(self.n_rows(), test_ratio, seed),
        }
    }

    /// Seeded train/validation/test split of the rows: stratified by class for
    /// classification (every class keeps its proportion in each part, within one row), plain
    /// shuffled for regression. Ratios in (0, 1); see [`crate::split`] for the part sizes.
    /// Fit a [`crate::Preprocessor`] on the training rows with [`ThreeWaySplit::prepare`].
    ///
    /// ```
    /// use nn_data::{CsvOptions, CsvTable, Task};
    ///
    /// let mut text = String::from("x,kind\n");
    /// for i in 0..20 {
    ///     text.push_str(&format!("{i},{}\n", if i % 4 == 0 { "rare" } else { "common" }));
    /// }
    /// let options = CsvOptions::new("kind", Task::Classification);
    /// let table = CsvTable::from_bytes("kinds.csv", text.as_bytes(), &options)?;
    /// let split = table.train_val_test_split(0.2, 0.2, 42)?;
    /// assert_eq!((split.train.len(), split.val.len(), split.test.len()), (12, 4, 4));
    /// let data = split.prepare(&table)?;
    /// // 5 of the 20 rows are rare: a quarter of each part.
    /// assert_eq!(data.test.class_counts(), Some(vec![3, 1]));
    /// assert_eq!(data.train.class_counts(), Some(vec![9, 3]));
    /// # Ok::<(), nn_data::DataError>(())
    /// ```
    ///
    /// # Errors
    /// Invalid ratios, or (classification) a missing target cell.
    pub fn train_val_test_split(
        &self,
        val_ratio: f64,
        test_ratio: f64,
        seed: u64,
    ) -> Result<ThreeWaySplit> {
        match self.options.task {
            Task::Classification => {
                let (_, labels) = self.class_labels()?;
                stratified_train_val_test_split(&labels, val_ratio, test_ratio, seed)
            }
            Task::Regression => train_val_test_split(self.n_rows(), val_ratio, test_ratio, seed),
        }
    }

    /// The task the target column's cells suggest: regression when every cell is a number,
    /// classification when one is not (class names). Numeric class codes (`0`, `1`, `2`) read
    /// as regression: say [`Task::Classification`] for them.
    ///
    /// ```
    /// use nn_data::{CsvOptions, CsvTable, Task};
    ///
    /// let options = CsvOptions::new("y", Task::Regression);
    /// let table = CsvTable::from_bytes("t.csv", b"x,y\n1,cat\n2,dog\n", &options)?;
    /// assert_eq!(table.suggested_task()?, Task::Classification);
    /// let table = table.with_task(Task::Classification);
    /// assert_eq!(table.class_labels()?.1, [0, 1]);
    /// # Ok::<(), nn_data::DataError>(())
    /// ```
    ///
    /// # Errors
    /// No target column in the options, or a missing target cell (named by line).
    pub fn suggested_task(&self) -> Result<Task> {
        let all_numbers = self
            .target_strings()?
            .iter()
            .all(|cell| cell.parse::<f32>().is_ok_and(f32::is_finite));
        Ok(if all_numbers {
            Task::Regression
        } else {
            Task::Classification
        })
    }

    /// The same table with another task for its target column (the feature columns do not
    /// depend on it), e.g. the one [`CsvTable::suggested_task`] gives.
    pub fn with_task(mut self, task: Task) -> Self {
        self.options.task = task;
        self
    }

    /// Parses the numeric cell at (`row`, `col`): `Ok(None)` if missing; non-numbers and
    /// non-finite numbers are errors naming file, line and column.
    pub fn numeric_cell(&self, row: usize, col: usize) -> Result<Option<f32>> {
        let Some(text) = self.cell(row, col) else {
            return Ok(None);
        };
        let value = text.parse::<f32>().map_err(|_| DataError::NotNumeric {
            file: self.source.clone(),
            line: self.line(row),
            column: self.headers[col].clone(),
            value: text.to_string(),
        })?;
        if !value.is_finite() {
            return Err(DataError::NonFinite {
                file: self.source.clone(),
                line: self.line(row),
                column: self.headers[col].clone(),
                value: text.to_string(),
            });
        }
        Ok(Some(value))
    }
}

/// The line (from 1) on which the record at a byte offset of a file starts, for offsets in
/// increasing order: each newline is counted once. The csv reader's own line numbers, and
/// the offsets it gives, stop short of the `\n` of a record ending in `\r\n` (and of blank
/// lines), so line ends at the offset are skipped: no record starts with one.
struct LineCounter<'a> {
    bytes: &'a [u8],
    scanned: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            scanned: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, byte: u64) -> u64 {
        let mut end = usize::try_from(byte).map_or(self.bytes.len(), |b| b.min(self.bytes.len()));
        while let Some(b'\r' | b'\n') = self.bytes.get(end) {
            end += 1;
        }
        if end > self.scanned {
            let newlines = self.bytes[self.scanned..end]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.line += newlines as u64;
            self.scanned = end;
        }
        self.line
    }
}

/// The line of a quote that opens a field and is never closed, scanning from the record that
/// starts at byte `from` to the end of the file, or `None` when every quote closes. As for
/// the csv reader, a quote opens a field only as its first byte (after the delimiter or a line
/// end); elsewhere in an unquoted field it is a plain character. A quote doubled inside a quoted field toggles
/// twice, so it changes nothing.
fn unterminated_quote_line(bytes: &[u8], delimiter: u8, from: u64) -> Option<u64> {
    let from = usize::try_from(from).ok()?.min(bytes.len());
    let mut open_at: Option<usize> = None;
    // Where the field that a quote just closed had opened: a quote right after it is a
    // doubled quote, and the field goes on.
    let mut just_closed: Option<usize> = None;
    let mut at_field_start = true;
    for (i, &b) in bytes[from..].iter().enumerate() {
        if open_at.is_some() {
            if b == b'"' {
                just_closed = open_at.take();
            }
            continue;
        }
        if b == b'"' {
            if let Some(opened) = just_closed.take() {
                open_at = Some(opened);
                continue;
            }
            if at_field_start {
                open_at = Some(from + i);
                continue;
            }
        }
        just_closed = None;
        at_field_start = match b {
            b'\n' | b'\r' => true,
            _ => b == delimiter,
        };
    }
    let open_at = open_at?;
    Some(1 + bytes[..open_at].iter().filter(|&&b| b == b'\n').count() as u64)
}

fn csv_error(file: &str, bytes: &[u8], delimiter: u8, e: csv::Error) -> DataError {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { pos, .. }
            if let Some(line) = pos
                .as_ref()
                .and_then(|p| unterminated_quote_line(bytes, delimiter, p.byte())) =>
        {
            DataError::UnterminatedQuote {
                file: file.to_string(),
                line,
            }
        }
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => DataError::ColumnCount {
            file: file.to_string(),
            line: pos
                .as_ref()
                .map_or(0, |p| LineCounter::new(bytes).line_at(p.byte())),
            expected: *expected_len as usize,
            found: *len as usize,
        },
        csv::ErrorKind::Utf8 {
            pos: Some(pos),
            err,
        } => DataError::NotUtf8 {
            file: file.to_string(),
            line: LineCounter::new(bytes).line_at(pos.byte()),
            source: err.clone(),
        },
        _ => DataError::CsvSyntax {
            file: file.to_string(),
            source: e,
        },
    }
}
