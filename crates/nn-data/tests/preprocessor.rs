//! The fitted pipeline re-applies exactly the training transformations to a new raw CSV,
//! survives serialisation, and never looks at test rows when fitting.

use nn_data::{
    CsvOptions, CsvTable, Dataset, ImputeStrategy, MinMaxScaler, MissingPolicy, Preprocessor,
    Scaling, Split, StandardScaler, Task, prepare_split,
};

const TRAIN: &str = "id,size,colour,member,label\n\
1,1.0,red,yes,cat\n\
2,3.0,blue,no,dog\n\
3,,red,yes,cat\n\
4,5.0,green,no,dog\n\
5,100.0,blue,yes,cat\n";

fn options() -> CsvOptions {
    CsvOptions::new("label", Task::Classification)
        .drop_columns(&["id"])
        .missing(MissingPolicy::Impute(ImputeStrategy::Median))
        .scaling(Scaling::MinMax)
}

#[test]
fn statistics_come_from_training_rows_only() {
    let table = CsvTable::from_bytes("t.csv", TRAIN.as_bytes(), &options()).unwrap();
    // Row 4 (size 100) is the test row: it must not move the median nor the min-max range.
    let split = Split {
        train: vec![0, 1, 2, 3],
        test: vec![4],
    };
    let prepared = prepare_split(&table, &split).unwrap();
    let names = prepared.preprocessor.feature_names();
    assert_eq!(
        names,
        [
            "size",
            "colour_blue",
            "colour_green",
            "colour_red",
            "member"
        ]
    );
    // Training sizes 1, 3, (missing → median 3), 5 → min-max over [1, 5].
    let train = &prepared.train.features();
    assert_eq!(train[(0, 0)], 0.0);
    assert_eq!(train[(0, 2)], 0.5);
    assert_eq!(train[(0, 3)], 1.0);
    assert_eq!(prepared.test.features()[(0, 0)], (100.0 - 1.0) / 4.0);
    assert_eq!(prepared.train.labels().unwrap(), [0, 1, 0, 1]);
    assert_eq!(prepared.train.class_names().unwrap(), ["cat", "dog"]);
}

#[test]
fn a_saved_pipeline_reapplies_the_same_transformations_to_a_new_csv() {
    let table = CsvTable::from_bytes("t.csv", TRAIN.as_bytes(), &options()).unwrap();
    let rows: Vec<usize> = (0..table.n_rows()).collect();
    let pre = Preprocessor::fit(&table, &rows).unwrap();
    let expected = pre.transform_all(&table).unwrap();

    let json = serde_json::to_string(&pre).unwrap();
    let restored: Preprocessor = serde_json::from_str(&json).unwrap();
    assert_eq!(restored, pre);
    // A stored pipeline that `fit` could not have made is refused when read, not when used.
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["feature_names"].as_array_mut().unwrap().pop();
    let err = serde_json::from_value::<Preprocessor>(value).unwrap_err();
    assert!(err.to_string().contains("feature names"), "{err}");

    // The same rows, columns reordered, no target and no id: identical features.
    let dir = std::env::temp_dir().join(format!("nn-data-reapply-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("new.csv");
    std::fs::write(
        &path,
        "member,colour,size\nyes,red,1.0\nno,blue,3.0\nyes,red,\nno,green,5.0\nyes,blue,100.0\n",
    )
    .unwrap();
    let new = restored.read_csv(&path).unwrap();
    let features = restored.transform_all_features(&new).unwrap();
    assert_eq!(&features, expected.features());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn stored_scalers_and_data_sets_are_checked_when_read() {
    for bad in [
        r#"{"min":[0.0,0.0],"range":[2.0]}"#,
        r#"{"min":[0.0],"range":[0.0]}"#,
        r#"{"min":[0.0],"range":[-1.0]}"#,
    ] {
        assert!(serde_json::from_str::<MinMaxScaler>(bad).is_err(), "{bad}");
    }
    for bad in [
        r#"{"mean":[0.0],"std":[0.0]}"#,
        r#"{"mean":[0.0],"std":[1e39]}"#,
    ] {
        assert!(
            serde_json::from_str::<StandardScaler>(bad).is_err(),
            "{bad}"
        );
    }
    // The widest finite spread still has a finite standard deviation, and scales to ±1.
    let extremes = nalgebra::DMatrix::from_row_slice(1, 2, &[-f32::MAX, f32::MAX]);
    let widest = StandardScaler::fit(&extremes).unwrap();
    assert_eq!(widest.std(), [f32::MAX]);
    let scaled = widest.transform(&extremes).unwrap();
    assert_eq!(scaled.as_slice(), [-1.0, 1.0]);
    let good = r#"{"mean":[1.5],"std":[2.0]}"#;
    assert_eq!(
        serde_json::from_str::<StandardScaler>(good).unwrap().std(),
        [2.0]
    );

    let table = CsvTable::from_bytes("t.csv", TRAIN.as_bytes(), &options()).unwrap();
    let rows: Vec<usize> = (0..table.n_rows()).collect();
    let data = Preprocessor::fit(&table, &rows)
        .unwrap()
        .transform_all(&table)
        .unwrap();
    let json = serde_json::to_string(&data).unwrap();
    assert_eq!(serde_json::from_str::<Dataset>(&json).unwrap(), data);
    // A label beyond the class names would make class_counts index out of range.
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let label = &mut value["targets"]["Classes"]["labels"][0];
    assert!(label.is_u64(), "the path names a stored label");
    *label = 7.into();
    let err = serde_json::from_value::<Dataset>(value).unwrap_err();
    assert!(err.to_string().contains('7'), "{err}");
}

/// An infinite divisor cannot come from JSON (serde_json refuses 1e39 as an `f32`) but can
/// from a binary model file: it would scale every value of its feature to 0.
#[test]
fn stored_scalers_with_an_infinite_divisor_are_refused() {
    #[derive(serde::Serialize)]
    struct Stored {
        offsets: Vec<f32>,
        divisors: Vec<f32>,
    }
    let config = bincode::config::standard();
    let encode = |divisor: f32| {
        let stored = Stored {
            offsets: vec![0.0],
            divisors: vec![divisor],
        };
        bincode::serde::encode_to_vec(&stored, config).unwrap()
    };
    let decode_min_max =
        |bytes: &[u8]| bincode::serde::decode_from_slice::<MinMaxScaler, _>(bytes, config);
    let decode_standard =
        |bytes: &[u8]| bincode::serde::decode_from_slice::<StandardScaler, _>(bytes, config);
    assert!(decode_min_max(&encode(2.0)).is_ok());
    assert!(decode_standard(&encode(2.0)).is_ok());
    for divisor in [f32::INFINITY, f32::NAN, 0.0] {
        assert!(decode_min_max(&encode(divisor)).is_err(), "{divisor}");
        assert!(decode_standard(&encode(divisor)).is_err(), "{divisor}");
    }
}

#[test]
fn a_csv_table_splits_three_ways_stratified_and_prepares_from_its_training_rows() {
    // 30 rows: classes a, b, c in 15/10/5, and a numeric feature that gives the row number.
    let mut text = String::from("n,label\n");
    for i in 0..30 {
        let label = match i % 6 {
            0..=2 => "a",
            3 | 4 => "b",
            _ => "c",
        };
        text.push_str(&format!("{i},{label}\n"));
    }
    let options = CsvOptions::new("label", Task::Classification).scaling(Scaling::MinMax);
    let table = CsvTable::from_bytes("abc.csv", text.as_bytes(), &options).unwrap();
    let split = table.train_val_test_split(0.2, 0.2, 7).unwrap();
    assert_eq!(
        (split.train.len(), split.val.len(), split.test.len()),
        (18, 6, 6)
    );
    let mut all: Vec<usize> = [&split.train, &split.val, &split.test]
        .into_iter()
        .flatten()
        .copied()
        .collect();
    all.sort_unstable();
    assert_eq!(all, (0..30).collect::<Vec<_>>());
    let data = split.prepare(&table).unwrap();
    assert_eq!(data.val.class_counts(), Some(vec![3, 2, 1]));
    assert_eq!(data.test.class_counts(), Some(vec![3, 2, 1]));
    assert_eq!(data.train.class_counts(), Some(vec![9, 6, 3]));
    // The scaler saw the training rows only: their range is exactly [0, 1].
    let train = data.train.features();
    assert_eq!(train.min(), 0.0);
    assert_eq!(train.max(), 1.0);
    let rows = |part: &[usize]| part.iter().map(|&r| r as f32).collect::<Vec<_>>();
    let (lo, hi) = rows(&split.train)
        .iter()
        .fold((f32::MAX, f32::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let expected: Vec<f32> = rows(&split.test)
        .iter()
        .map(|v| (v - lo) / (hi - lo))
        .collect();
    assert_eq!(data.test.features().as_slice(), expected.as_slice());
    // The same seed gives the same split; another seed another one.
    assert_eq!(table.train_val_test_split(0.2, 0.2, 7).unwrap(), split);
    assert_ne!(table.train_val_test_split(0.2, 0.2, 8).unwrap(), split);
}

#[test]
fn a_regression_table_splits_three_ways_and_the_target_suggests_its_task() {
    let mut text = String::from("x,y\n");
    for i in 0..10 {
        text.push_str(&format!("{i},{}.5\n", i * 2));
    }
    let table = CsvTable::from_bytes(
        "r.csv",
        text.as_bytes(),
        &CsvOptions::new("y", Task::Classification),
    )
    .unwrap();
    assert_eq!(table.suggested_task().unwrap(), Task::Regression);
    let table = table.with_task(Task::Regression);
    let split = table.train_val_test_split(0.2, 0.3, 1).unwrap();
    assert_eq!(
        (split.train.len(), split.val.len(), split.test.len()),
        (5, 2, 3)
    );
    let data = split.prepare(&table).unwrap();
    assert!(!data.test.is_classification());
    assert_eq!(data.val.target_matrix().shape(), (1, 2));
    let bad = table.train_val_test_split(0.5, 0.5, 1).unwrap_err();
    assert!(bad.to_string().contains("no training sample"), "{bad}");
    // A missing target cell is named when the task is asked for.
    let gap = CsvTable::from_bytes(
        "gap.csv",
        b"x,y\n1,2\n2,\n",
        &CsvOptions::new("y", Task::Regression),
    )
    .unwrap();
    let err = gap.suggested_task().unwrap_err();
    assert!(err.to_string().contains("line 3"), "{err}");
}
