//! Every kind of bad input gives a typed error that names the culprit, never a panic.
//! Fixtures are written into a fresh temporary directory per test.

use std::io::Write;
use std::path::PathBuf;

use flate2::Compression;
use flate2::write::GzEncoder;
use nn_data::idx::{gunzip, parse_images, parse_labels};
use nn_data::mnist::load_part;
use nn_data::{
    ColumnKind, CsvOptions, CsvTable, DataDir, DataError, MissingPolicy, Preprocessor, Scaling,
    Task, iris, sha256_hex,
};

/// A fresh directory under the system temp dir, unique per test and process, removed
/// when dropped.
struct Fixture(PathBuf);

impl std::ops::Deref for Fixture {
    type Target = PathBuf;
    fn deref(&self) -> &PathBuf {
        &self.0
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn fixture_dir(test: &str) -> Fixture {
    let dir = std::env::temp_dir().join(format!("nn-data-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Fixture(dir)
}

/// Writes files into `dir` and a `SHA256SUMS` listing them.
fn write_with_sums(dir: &PathBuf, files: &[(&str, Vec<u8>)]) -> DataDir {
    let mut sums = String::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        sums.push_str(&format!("{}  {name}\n", sha256_hex(bytes)));
    }
    std::fs::write(dir.join("SHA256SUMS"), sums).unwrap();
    DataDir::new(dir)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn idx_images(count: u32, rows: u32, cols: u32, pixels: usize) -> Vec<u8> {
    let mut b = Vec::new();
    for v in [2051u32, count, rows, cols] {
        b.extend_from_slice(&v.to_be_bytes());
    }
    b.extend(std::iter::repeat_n(7u8, pixels));
    b
}

fn idx_labels(labels: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&2049u32.to_be_bytes());
    b.extend_from_slice(&(labels.len() as u32).to_be_bytes());
    b.extend_from_slice(labels);
    b
}

#[test]
fn valid_idx_parses() {
    let bytes = idx_images(3, 2, 2, 12);
    let images = parse_images(&bytes, "ok.idx").unwrap();
    assert_eq!((images.count, images.rows, images.cols), (3, 2, 2));
    assert_eq!(images.pixels.len(), 12);
    let labels = idx_labels(&[1, 2, 9]);
    assert_eq!(parse_labels(&labels, "l.idx", 10).unwrap(), [1, 2, 9]);
}

#[test]
fn truncated_idx_is_reported_with_sizes() {
    let bytes = idx_images(3, 2, 2, 11);
    let err = parse_images(&bytes, "short.idx").unwrap_err();
    assert!(matches!(
        err,
        DataError::Truncated {
            expected: 28,
            found: 27,
            ..
        }
    ));
    assert!(err.to_string().contains("short.idx"));
    // A header cut short is also truncation, not a panic.
    let err = parse_images(&bytes[..10], "tiny.idx").unwrap_err();
    assert!(matches!(err, DataError::Truncated { .. }));
    let err = parse_labels(&idx_labels(&[1, 2])[..9], "l.idx", 10).unwrap_err();
    assert!(matches!(err, DataError::Truncated { .. }));
}

#[test]
fn trailing_bytes_in_idx_are_rejected() {
    let bytes = idx_images(1, 2, 2, 5);
    assert!(matches!(
        parse_images(&bytes, "long.idx"),
        Err(DataError::TrailingBytes { .. })
    ));
}

#[test]
fn wrong_magic_is_reported() {
    let labels = idx_labels(&[1]);
    let err = parse_images(&labels, "labels-as-images.idx").unwrap_err();
    assert!(matches!(
        err,
        DataError::WrongMagic {
            expected: 2051,
            found: 2049,
            ..
        }
    ));
    let images = idx_images(1, 1, 1, 1);
    let err = parse_labels(&images, "images-as-labels.idx", 10).unwrap_err();
    assert!(matches!(
        err,
        DataError::WrongMagic {
            expected: 2049,
            found: 2051,
            ..
        }
    ));
}

#[test]
fn out_of_range_label_is_reported() {
    let err = parse_labels(&idx_labels(&[1, 12]), "l.idx", 10).unwrap_err();
    assert!(matches!(
        err,
        DataError::InvalidLabel {
            index: 1,
            value: 12,
            ..
        }
    ));
}

#[test]
fn corrupted_gzip_is_a_decompress_error() {
    let mut gz = gzip(&idx_labels(&[1, 2, 3]));
    let mid = gz.len() / 2;
    gz.truncate(mid);
    assert!(matches!(
        gunzip(&gz, "cut.gz"),
        Err(DataError::Decompress { .. })
    ));
}

#[test]
fn image_label_count_mismatch_names_both_files() {
    let dir = fixture_dir("count-mismatch");
    let data = write_with_sums(
        &dir,
        &[
            ("img.gz", gzip(&idx_images(3, 2, 2, 12))),
            ("lab.gz", gzip(&idx_labels(&[0, 1]))),
        ],
    );
    let err = load_part(&data, "tiny", "img.gz", "lab.gz").unwrap_err();
    assert!(matches!(
        err,
        DataError::CountMismatch {
            images: 3,
            labels: 2,
            ..
        }
    ));
    let msg = err.to_string();
    assert!(msg.contains("img.gz") && msg.contains("lab.gz"), "{msg}");
    // And the valid pair loads, scaled to [0, 1].
    let data = write_with_sums(
        &dir,
        &[
            ("img.gz", gzip(&idx_images(3, 2, 2, 12))),
            ("lab.gz", gzip(&idx_labels(&[0, 1, 2]))),
        ],
    );
    let ds = load_part(&data, "tiny", "img.gz", "lab.gz").unwrap();
    assert_eq!((ds.n_features(), ds.n_samples()), (4, 3));
    assert!((ds.features()[(0, 0)] - 7.0 / 255.0).abs() < 1e-7);
}

#[test]
fn truncated_or_padded_gzip_images_are_reported() {
    let dir = fixture_dir("gz-images");
    let mut short = idx_images(3, 2, 2, 12);
    short.truncate(20);
    let mut long = idx_images(3, 2, 2, 12);
    long.push(0);
    let data = write_with_sums(
        &dir,
        &[
            ("short.gz", gzip(&short)),
            ("long.gz", gzip(&long)),
            ("lab.gz", gzip(&idx_labels(&[0, 1, 2]))),
        ],
    );
    let err = load_part(&data, "t", "short.gz", "lab.gz").unwrap_err();
    assert!(
        matches!(
            err,
            DataError::Truncated {
                expected: 28,
                found: 20,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("short.gz"));
    let err = load_part(&data, "t", "long.gz", "lab.gz").unwrap_err();
    assert!(matches!(err, DataError::TrailingBytes { .. }), "{err:?}");
    let err = load_part(&data, "t", "lab.gz", "lab.gz").unwrap_err();
    assert!(
        matches!(err, DataError::WrongMagic { expected: 2051, .. }),
        "{err:?}"
    );
}

#[test]
fn an_images_header_claiming_terabytes_is_a_truncation_not_an_allocation() {
    let dir = fixture_dir("huge-header");
    // 2³² − 1 images of 65,536 × 1 pixels: a quarter of a petabyte, in a 40-byte file.
    let huge = gzip(&idx_images(u32::MAX, 1 << 16, 1, 8));
    let data = write_with_sums(
        &dir,
        &[("huge.gz", huge), ("lab.gz", gzip(&idx_labels(&[0])))],
    );
    let err = load_part(&data, "t", "huge.gz", "lab.gz").unwrap_err();
    assert!(
        matches!(err, DataError::Truncated { found: 24, .. }),
        "{err:?}"
    );
}

#[test]
fn checksum_mismatch_names_the_file_and_the_fix() {
    let dir = fixture_dir("checksum");
    let data = write_with_sums(&dir, &[("iris/iris.csv", b"a,species\n1,x\n".to_vec())]);
    std::fs::write(dir.join("iris/iris.csv"), b"a,species\n2,x\n").unwrap();
    let err = iris(&data).unwrap_err();
    assert!(matches!(err, DataError::ChecksumMismatch { .. }));
    let msg = err.to_string();
    assert!(msg.contains("iris.csv") && msg.contains("re-copy"), "{msg}");
}

#[test]
fn missing_file_names_the_file_and_the_fix() {
    let dir = fixture_dir("missing");
    let data = write_with_sums(&dir, &[("iris/iris.csv", b"a,species\n1,x\n".to_vec())]);
    std::fs::remove_file(dir.join("iris/iris.csv")).unwrap();
    let err = iris(&data).unwrap_err();
    assert!(matches!(err, DataError::MissingFile { .. }));
    assert!(err.to_string().contains("iris.csv"));
    // A directory without SHA256SUMS is also a missing file.
    let err = iris(&DataDir::new(dir.join("nowhere"))).unwrap_err();
    assert!(err.to_string().contains("SHA256SUMS"), "{err}");
}

#[test]
fn file_without_a_checksum_line_is_refused() {
    let dir = fixture_dir("unlisted");
    let data = write_with_sums(&dir, &[("other.csv", b"a\n1\n".to_vec())]);
    std::fs::create_dir_all(dir.join("iris")).unwrap();
    std::fs::write(dir.join("iris/iris.csv"), b"a,species\n1,x\n").unwrap();
    assert!(matches!(iris(&data), Err(DataError::NotInChecksums { .. })));
}

fn table(text: &str, options: &CsvOptions) -> nn_data::Result<CsvTable> {
    CsvTable::from_bytes("fixture.csv", text.as_bytes(), options)
}

fn regression() -> CsvOptions {
    CsvOptions::new("y", Task::Regression)
}

#[test]
fn empty_csv_is_reported() {
    assert!(matches!(
        table("", &regression()),
        Err(DataError::EmptyFile { .. })
    ));
    assert!(matches!(
        table("\u{feff}\n", &regression()),
        Err(DataError::EmptyFile { .. })
    ));
    assert!(matches!(
        table("x,y\n", &regression()),
        Err(DataError::NoRows { .. })
    ));
}

#[test]
fn wrong_column_count_names_the_line() {
    let err = table("x,y\n1,2\n3,4,5\n", &regression()).unwrap_err();
    assert!(matches!(
        err,
        DataError::ColumnCount {
            line: 3,
            expected: 2,
            found: 3,
            ..
        }
    ));
    assert!(err.to_string().contains("fixture.csv"));
}

#[test]
fn an_unterminated_quote_is_reported_with_its_line_not_as_a_field_count() {
    for (text, line) in [
        ("x,y\n1,2\n\"3,4\n5,6\n", 3),
        ("x,y\n1,2\n3,\"four\n5,6\n7,8\n", 3),
        ("x,y\n1,\"a \"\"quoted\"\" word\n2,3\n", 2),
        ("x,\"y\n1,2\n", 1),
    ] {
        let err = table(text, &regression()).unwrap_err();
        assert!(
            matches!(err, DataError::UnterminatedQuote { line: l, .. } if l == line),
            "{text:?}: {err:?}"
        );
        assert!(err.to_string().contains("never closed"), "{err}");
    }
    // A quote inside an unquoted field is a plain character: a wrong field count there is
    // still reported as one.
    let err = table("x,y\n1,2\n3 \"inch,4,5\n", &regression()).unwrap_err();
    assert!(
        matches!(err, DataError::ColumnCount { line: 3, .. }),
        "{err:?}"
    );
    // Doubled quotes inside a closed quoted field are fine.
    assert!(
        table(
            "x,y\n1,\"a \"\"b\"\"\"\n",
            &CsvOptions::new("x", Task::Regression)
        )
        .is_ok()
    );
}

#[test]
fn a_csv_larger_than_the_read_cap_is_refused_before_it_is_read() {
    let dir = fixture_dir("csv-cap");
    let path = dir.join("huge.csv");
    // Sparse: the length is claimed, no block is written.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(nn_data::data_dir::MAX_DATA_FILE_BYTES + 1)
        .unwrap();
    let err = CsvTable::from_path(&path, &regression()).unwrap_err();
    let DataError::Io { source, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(source.kind(), std::io::ErrorKind::FileTooLarge);
    assert!(
        source.to_string().contains("more than 1073741824 bytes"),
        "{source}"
    );
}

#[test]
fn the_header_checks_are_linear_in_the_number_of_columns() {
    // 200,000 columns: a quadratic duplicate check or name lookup would take minutes.
    let n = 200_000;
    let names: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
    let mut text = names.join(",");
    text.push('\n');
    text.push_str(&vec!["1"; n].join(","));
    text.push('\n');
    let start = std::time::Instant::now();
    let options = CsvOptions::new(format!("c{}", n - 1), Task::Regression)
        .drop_columns(&["c0", "c1"])
        .column_kind("c2", ColumnKind::Categorical);
    let t = table(&text, &options).unwrap();
    for name in &names {
        t.column_index(name).unwrap();
    }
    assert_eq!(t.feature_columns().len(), n - 3);
    let duplicated = format!("{},c7\n{}\n", names.join(","), vec!["1"; n + 1].join(","));
    let err = table(&duplicated, &options).unwrap_err();
    assert!(err.to_string().contains("`c7` appears twice"), "{err}");
    let elapsed = start.elapsed();
    assert!(elapsed.as_secs() < 30, "{elapsed:?}");
}

#[test]
fn line_numbers_count_crlf_blank_and_quoted_lines() {
    let cases = [
        ("x,y\n1,2\n3,4\nabc,5\n", 4),
        ("x,y\r\n1,2\r\n3,4\r\nabc,5\r\n", 4),
        ("\u{feff}x,y\r\n1,2\r\n\r\n3,4\r\nabc,5", 5),
        ("x,y,note\n1,2,\"two\nlines\"\n\n\nabc,5,z\n", 6),
    ];
    for (text, expected) in cases {
        let t = table(text, &regression()).unwrap();
        match Preprocessor::fit(&t, &(0..t.n_rows()).collect::<Vec<_>>()) {
            Err(DataError::NotNumeric {
                line, ref value, ..
            }) => {
                assert_eq!((line, value.as_str()), (expected, "abc"), "{text:?}");
            }
            other => panic!("{text:?}: expected NotNumeric, got {other:?}"),
        }
    }
    let bad_utf8 =
        CsvTable::from_bytes("f.csv", b"x,y\r\n1,2\r\n3,\xff\r\n", &regression()).unwrap_err();
    assert!(
        matches!(bad_utf8, DataError::NotUtf8 { line: 3, .. }),
        "{bad_utf8:?}"
    );
    assert!(bad_utf8.to_string().contains("line 3"), "{bad_utf8}");
    let err = table("x,y\r\n1,2\r\n3,4,5\r\n", &regression()).unwrap_err();
    assert!(
        matches!(err, DataError::ColumnCount { line: 3, .. }),
        "{err:?}"
    );
}

#[test]
fn a_value_that_scaling_takes_beyond_f32_names_its_line() {
    let options = regression().scaling(Scaling::MinMax);
    let train = table("x,y\n0,1\n1e-30,2\n", &options).unwrap();
    let pre = Preprocessor::fit(&train, &[0, 1]).unwrap();
    // (1e10 − 0) / 1e-30 = 1e40: finite as a cell, infinite once scaled.
    let new = table("x,y\n0.5e-30,1\n1e10,1\n", &options).unwrap();
    match pre.transform_all_features(&new) {
        Err(DataError::ScaledNonFinite { line, feature, .. }) => {
            assert_eq!((line, feature.as_str()), (3, "x"));
        }
        other => panic!("expected ScaledNonFinite, got {other:?}"),
    }
}

#[test]
fn unknown_target_column_lists_the_columns() {
    let err = table("x,z\n1,2\n", &regression()).unwrap_err();
    assert!(matches!(err, DataError::UnknownTargetColumn { .. }));
    let msg = err.to_string();
    assert!(msg.contains("`y`") && msg.contains("x, z"), "{msg}");
}

#[test]
fn missing_column_in_options_or_new_file() {
    let err = table("x,y\n1,2\n", &regression().drop_columns(&["id"])).unwrap_err();
    assert!(matches!(err, DataError::MissingColumn { ref column, .. } if column == "id"));

    let dir = fixture_dir("missing-column");
    let t = table("a,b,y\n1,2,3\n4,5,6\n", &regression()).unwrap();
    let pre = Preprocessor::fit(&t, &[0, 1]).unwrap();
    std::fs::write(dir.join("new.csv"), "a,y\n1,2\n").unwrap();
    let new = pre.read_csv(dir.join("new.csv")).unwrap();
    let err = pre.transform_all_features(&new).unwrap_err();
    assert!(matches!(err, DataError::MissingColumn { ref column, .. } if column == "b"));
}

#[test]
fn non_numeric_value_names_file_line_and_column() {
    let t = table("x,y\n1,2\n3,4\nabc,5\n", &regression()).unwrap();
    let err = Preprocessor::fit(&t, &[0, 1, 2]).unwrap_err();
    match &err {
        DataError::NotNumeric {
            file,
            line,
            column,
            value,
        } => {
            assert_eq!(
                (file.as_str(), *line, column.as_str(), value.as_str()),
                ("fixture.csv", 4, "x", "abc")
            );
        }
        other => panic!("expected NotNumeric, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(msg.contains("line 4") && msg.contains("`x`"), "{msg}");
    // A non-numeric regression target is reported the same way.
    let t = table("x,y\n1,2\n3,oops\n", &regression()).unwrap();
    assert!(matches!(
        Preprocessor::fit(&t, &[0, 1]).and_then(|p| p.transform_all(&t)),
        Err(DataError::NotNumeric { line: 3, .. })
    ));
}

#[test]
fn the_target_cannot_be_dropped_or_retyped_as_a_feature() {
    let text = "x,y\n1,2\n3,4\n";
    let err = table(text, &regression().drop_columns(&["y"])).unwrap_err();
    assert!(
        matches!(
            err,
            DataError::InvalidParameter {
                what: "drop_columns",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("target column `y`"), "{err}");
    let retyped = regression().column_kind("y", ColumnKind::Categorical);
    let err = table(text, &retyped).unwrap_err().to_string();
    assert!(err.contains("`categorical` in a spec"), "{err}");
    assert!(table(text, &regression().drop_columns(&["x"])).is_ok());
}

#[test]
fn a_header_read_as_one_column_suggests_the_delimiter() {
    let options = regression();
    let err = table("x;y\n1;2\n", &options).unwrap_err().to_string();
    assert!(
        err.contains("is the file separated by `;`? (set `delimiter`)"),
        "{err}"
    );
    let err = table("x\ty\n1\t2\n", &options).unwrap_err().to_string();
    assert!(err.contains("separated by `\\t`"), "{err}");
    // Several columns, none of them the target: no hint.
    let err = table("a,b\n1,2\n", &options).unwrap_err().to_string();
    assert!(!err.contains("delimiter"), "{err}");
}

#[test]
fn text_first_in_a_column_of_numbers_is_named_as_a_likely_typo() {
    // Text in the first row and numbers below: the typo is named where it is, instead of
    // making `x` a column of categories that fails far away (or not at all).
    let err = table("x,y\nabc,2\n3,4\n5,6\n", &regression()).unwrap_err();
    match &err {
        DataError::MixedColumn {
            line,
            column,
            value,
            numbers,
            cells,
            ..
        } => assert_eq!(
            (*line, column.as_str(), value.as_str(), *numbers, *cells),
            (2, "x", "abc", 2, 3)
        ),
        other => panic!("expected MixedColumn, got {other:?}"),
    }
    assert!(
        err.to_string().contains("declare the column categorical"),
        "{err}"
    );
    // Declared categorical, or mostly text, it is a column of categories.
    let declared = regression().column_kind("x", ColumnKind::Categorical);
    assert!(table("x,y\nabc,2\n3,4\n5,6\n", &declared).is_ok());
    assert!(table("x,y\nabc,2\ndef,4\n5,6\n", &regression()).is_ok());
    // A missing marker in the first row is not text.
    let marked = regression().missing_markers(&["?"]);
    assert!(table("x,y\n?,2\n3,4\n5,6\n", &marked).is_ok());
    // Read to predict (no target), the kinds are the fitted preprocessor's: a column the
    // model ignores must not fail the read.
    let t = table("x,y\n1,2\n3,4\n", &regression()).unwrap();
    let pre = Preprocessor::fit(&t, &[0, 1]).unwrap();
    let dir = std::env::temp_dir().join(format!("nn-mixed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("new.csv");
    std::fs::write(&path, "notes,x\nn/a,1\n7,2\n8,3\n").unwrap();
    let new = pre.read_csv(&path).unwrap();
    assert_eq!(pre.transform_all_features(&new).unwrap().ncols(), 3);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn nan_and_infinite_values_are_rejected() {
    for bad in ["NaN", "inf", "-inf", "1e60"] {
        let t = table(&format!("x,y\n1,2\n{bad},3\n"), &regression()).unwrap();
        let err = Preprocessor::fit(&t, &[0, 1]).unwrap_err();
        assert!(
            matches!(err, DataError::NonFinite { line: 3, ref column, .. } if column == "x"),
            "{bad}: {err:?}"
        );
        // Only a NaN cell may mean "missing": it alone is pointed to `missing_markers`.
        assert_eq!(
            err.to_string().contains("missing_markers"),
            bad == "NaN",
            "{bad}: {err}"
        );
        // A finite number too large for f32 is said to be that, not "not finite".
        assert_eq!(
            err.to_string().contains("does not fit an f32"),
            bad == "1e60",
            "{bad}: {err}"
        );
        assert_eq!(
            err.to_string().contains("not a finite number"),
            bad != "1e60",
            "{bad}: {err}"
        );
    }
    let mut m = nalgebra::DMatrix::<f32>::zeros(2, 3);
    m[(1, 2)] = f32::NAN;
    assert!(matches!(
        nn_data::StandardScaler::fit(&m),
        Err(DataError::NonFiniteMatrix { row: 1, col: 2, .. })
    ));
    m[(1, 2)] = f32::INFINITY;
    assert!(nn_data::MinMaxScaler::fit(&m).is_err());
}

#[test]
fn missing_values_are_rejected_or_imputed_per_policy() {
    let text = "x,c,y\n1,a,1\n,b,2\n3,,3\n5,a,4\n";
    let t = table(text, &regression()).unwrap();
    let err = Preprocessor::fit(&t, &[0, 1, 2, 3]).unwrap_err();
    assert!(matches!(err, DataError::MissingValue { line: 3, ref column, .. } if column == "x"));

    let opts = regression().missing(MissingPolicy::Impute(nn_data::ImputeStrategy::Mean));
    let t = table(text, &opts).unwrap();
    let pre = Preprocessor::fit(&t, &[0, 1, 2, 3]).unwrap();
    let ds = pre.transform_all(&t).unwrap();
    assert_eq!(ds.feature_names(), ["x", "c_a", "c_b"]);
    assert_eq!(ds.features()[(0, 1)], 3.0); // mean of 1, 3, 5
    assert_eq!((ds.features()[(1, 2)], ds.features()[(2, 2)]), (1.0, 0.0)); // mode `a`

    // A missing target is always an error.
    let t = table("x,y\n1,\n2,3\n", &opts).unwrap();
    let pre = Preprocessor::fit(&t, &[0, 1]).unwrap();
    assert!(matches!(
        pre.transform_all(&t),
        Err(DataError::MissingValue { line: 2, .. })
    ));
}

#[test]
fn unseen_category_is_an_error_by_default() {
    let dir = fixture_dir("unseen");
    let t = table("c,y\nred,1\nblue,2\n", &regression()).unwrap();
    let pre = Preprocessor::fit(&t, &[0, 1]).unwrap();
    std::fs::write(dir.join("new.csv"), "c\nred\ngreen\n").unwrap();
    let new = pre.read_csv(dir.join("new.csv")).unwrap();
    let err = pre.transform_all_features(&new).unwrap_err();
    assert!(matches!(
        err,
        DataError::UnknownCategory { line: 3, ref value, .. } if value == "green"
    ));
    assert!(err.to_string().contains("blue, red"));
}

#[test]
fn bad_parameters_are_errors() {
    assert!(nn_data::train_test_split(10, 0.0, 1).is_err());
    assert!(nn_data::train_test_split(10, 1.5, 1).is_err());
    assert!(nn_data::train_val_test_split(10, 0.5, 0.5, 1).is_err());
    assert!(nn_data::BatchSampler::new(10, 0, 1).is_err());
    let ds = nn_data::xor();
    assert!(matches!(
        ds.select(&[4]),
        Err(DataError::IndexOutOfRange { index: 4, len: 4 })
    ));
    assert!(ds.one_hot(1).is_err());
}
