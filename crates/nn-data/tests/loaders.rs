//! Shape, class counts and one feature mean per CSV loader; reference values were computed
//! independently with Python's csv module.

use nn_data::{
    DataDir, Scaling, Targets, diabetes, iris, students, students_uci, titanic_split,
    titanic_table, xor,
};

fn dir() -> DataDir {
    DataDir::default_location()
}

fn row_mean(m: &nalgebra::DMatrix<f32>, row: usize) -> f64 {
    m.row(row).iter().map(|&v| f64::from(v)).sum::<f64>() / m.ncols() as f64
}

#[test]
fn iris_has_150_samples_4_features_3_balanced_classes() {
    let ds = iris(&dir()).unwrap();
    assert_eq!((ds.n_features(), ds.n_samples()), (4, 150));
    assert_eq!(ds.class_counts(), Some(vec![50, 50, 50]));
    assert_eq!(
        ds.class_names().unwrap(),
        ["Iris-setosa", "Iris-versicolor", "Iris-virginica"]
    );
    assert_eq!(ds.feature_names()[0], "sepal_length");
    assert!((row_mean(ds.features(), 0) - 5.843_333).abs() < 1e-4);
}

#[test]
fn xor_has_four_points_with_xor_labels() {
    let ds = xor();
    assert_eq!((ds.n_features(), ds.n_samples()), (2, 4));
    for j in 0..4 {
        let a = ds.features()[(0, j)] > 0.5;
        let b = ds.features()[(1, j)] > 0.5;
        assert_eq!(ds.labels().unwrap()[j], usize::from(a ^ b));
    }
}

#[test]
fn titanic_table_has_891_rows_and_342_survivors() {
    let table = titanic_table(&dir(), Scaling::None).unwrap();
    assert_eq!(table.n_rows(), 891);
    let (enc, labels) = table.class_labels().unwrap();
    assert_eq!(enc.classes(), ["0", "1"]);
    assert_eq!(labels.iter().filter(|&&l| l == 1).count(), 342);
}

#[test]
fn titanic_split_imputes_from_training_rows_only() {
    let prepared = titanic_split(&dir(), 0.2, 7, Scaling::None).unwrap();
    let (train, test) = (&prepared.train, &prepared.test);
    assert_eq!((train.n_samples(), test.n_samples()), (712, 179));
    assert_eq!(
        train.feature_names(),
        [
            "Pclass",
            "Sex_female",
            "Sex_male",
            "Age",
            "SibSp",
            "Parch",
            "Fare",
            "Embarked_C",
            "Embarked_Q",
            "Embarked_S"
        ]
    );
    // Survivors split within one sample of 342 · 179 / 891.
    let test_survivors = test.class_counts().unwrap()[1] as f64;
    assert!((test_survivors - 342.0 * 179.0 / 891.0).abs() < 1.0);
    // The Age fill equals the median of the training rows' observed ages, recomputed here
    // from the raw table.
    let table = titanic_table(&dir(), Scaling::None).unwrap();
    let age = table.column_index("Age").unwrap();
    let split = table.split_indices(0.2, 7).unwrap();
    let mut ages: Vec<f32> = split
        .train
        .iter()
        .filter_map(|&r| table.numeric_cell(r, age).unwrap())
        .collect();
    ages.sort_by(f32::total_cmp);
    let median = if ages.len() % 2 == 1 {
        ages[ages.len() / 2]
    } else {
        (ages[ages.len() / 2 - 1] + ages[ages.len() / 2]) / 2.0
    };
    let fill = prepared
        .preprocessor
        .columns()
        .iter()
        .find_map(|c| match c {
            nn_data::ColumnEncoding::Numeric { column, fill } if column == "Age" => *fill,
            _ => None,
        });
    assert_eq!(fill, Some(median));
    // Every row has exactly one sex and one port after imputation.
    for ds in [train, test] {
        for col in ds.features().column_iter() {
            assert_eq!(col[1] + col[2], 1.0);
            assert_eq!(col[7] + col[8] + col[9], 1.0);
        }
    }
}

#[test]
fn titanic_scaling_is_fitted_on_train() {
    // Fitted on the training rows, every feature that varies there spans exactly [0, 1]
    // over them. Fitted on all rows, a feature whose extreme fell in the test part would not:
    // over ten seeds some extreme lands in a test part (checked: seed 4 does).
    for seed in 0..10 {
        let prepared = titanic_split(&dir(), 0.2, seed, Scaling::MinMax).unwrap();
        for (i, row) in prepared.train.features().row_iter().enumerate() {
            let (min, max) = row
                .iter()
                .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
                    (lo.min(v), hi.max(v))
                });
            if min < max {
                assert_eq!((min, max), (0.0, 1.0), "feature {i}, seed {seed}");
            }
        }
    }
    let prepared = titanic_split(&dir(), 0.2, 3, Scaling::MinMax).unwrap();
    let female = (0..prepared.train.n_samples())
        .filter(|&j| prepared.train.features()[(1, j)] == 1.0)
        .count()
        + (0..prepared.test.n_samples())
            .filter(|&j| prepared.test.features()[(1, j)] == 1.0)
            .count();
    assert_eq!(female, 314);
}

#[test]
fn students_has_10000_rows_5_features_and_yes_no_as_binary() {
    let ds = students(&dir()).unwrap();
    assert_eq!((ds.n_features(), ds.n_samples()), (5, 10_000));
    assert_eq!(ds.feature_names()[2], "Extracurricular Activities");
    let yes = ds.features().row(2).iter().filter(|&&v| v == 1.0).count();
    let no = ds.features().row(2).iter().filter(|&&v| v == 0.0).count();
    assert_eq!((yes, no), (4948, 5052));
    let values = ds.values().unwrap();
    let mean = values.iter().map(|&v| f64::from(v)).sum::<f64>() / values.len() as f64;
    assert!((mean - 55.2248).abs() < 1e-3);
}

#[test]
fn students_uci_has_395_rows_50_features_target_g3() {
    let ds = students_uci(&dir()).unwrap();
    assert_eq!((ds.n_features(), ds.n_samples()), (50, 395));
    match &ds.targets() {
        Targets::Regression { name, values } => {
            assert_eq!(name, "G3");
            let mean = values.iter().map(|&v| f64::from(v)).sum::<f64>() / 395.0;
            assert!((mean - 10.415_19).abs() < 1e-4);
        }
        Targets::Classes { .. } => panic!("G3 is a regression target"),
    }
    // G1 is quoted in the file but numeric.
    let g1 = ds.feature_names().iter().position(|n| n == "G1").unwrap();
    assert!((row_mean(ds.features(), g1) - 10.908_86).abs() < 1e-4);
    for job in ["at_home", "health", "other", "services", "teacher"] {
        assert!(ds.feature_names().contains(&format!("Mjob_{job}")));
    }
    // yes/no columns become one 0/1 row.
    assert!(ds.feature_names().contains(&"romantic".to_string()));
    assert!(
        !ds.feature_names()
            .iter()
            .any(|n| n.starts_with("romantic_"))
    );
}

#[test]
fn diabetes_has_442_rows_10_raw_features_target_y() {
    let ds = diabetes(&dir()).unwrap();
    assert_eq!((ds.n_features(), ds.n_samples()), (10, 442));
    assert_eq!(ds.feature_names()[2], "bmi");
    assert!((row_mean(ds.features(), 2) - 26.375_79).abs() < 1e-3);
    let values = ds.values().unwrap();
    let mean = values.iter().map(|&v| f64::from(v)).sum::<f64>() / values.len() as f64;
    assert!((mean - 152.133_48).abs() < 1e-3);
}

#[test]
fn regression_split_has_the_requested_sizes() {
    let ds = diabetes(&dir()).unwrap();
    let (train, val, test) = ds.train_val_test_split(0.15, 0.15, 1).unwrap();
    assert_eq!(test.n_samples(), 67); // ceil(0.15 · 442)
    assert_eq!(val.n_samples(), 133 - 67); // ceil(0.30 · 442) − 67
    assert_eq!(train.n_samples() + val.n_samples() + test.n_samples(), 442);
}
