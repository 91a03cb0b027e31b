//! MNIST loader tests; the files are loaded once per test binary.

use std::sync::OnceLock;

use nn_data::{DataDir, Mnist, mnist};

fn data() -> &'static Mnist {
    static DATA: OnceLock<Mnist> = OnceLock::new();
    DATA.get_or_init(|| mnist(&DataDir::default_location()).expect("MNIST files load and verify"))
}

#[test]
fn shapes_are_784_by_count() {
    let m = data();
    assert_eq!((m.train.n_features(), m.train.n_samples()), (784, 60_000));
    assert_eq!((m.test.n_features(), m.test.n_samples()), (784, 10_000));
    assert_eq!(m.train.n_classes(), Some(10));
}

#[test]
fn train_digit_counts_match_the_published_ones() {
    assert_eq!(
        data().train.class_counts(),
        Some(vec![
            5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949
        ])
    );
}

#[test]
fn test_digit_counts_match_the_published_ones() {
    assert_eq!(
        data().test.class_counts(),
        Some(vec![980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
    );
}

#[test]
fn pixels_are_scaled_to_unit_interval_with_the_known_mean() {
    let x = &data().train.features();
    assert!(x.iter().all(|&p| (0.0..=1.0).contains(&p)));
    assert!(x.iter().any(|&p| p == 1.0));
    let mean = x.iter().map(|&p| f64::from(p)).sum::<f64>() / x.len() as f64;
    // Reference: mean of the raw bytes / 255, computed with Python's gzip module.
    assert!((mean - 0.130_660_476_273_842_9).abs() < 1e-6, "mean {mean}");
}

#[test]
fn first_image_is_a_five_with_a_blank_corner() {
    let train = &data().train;
    assert_eq!(train.labels().map(|l| l[0]), Some(5));
    // Column-major: sample 0 is the first contiguous 784 values; the top-left pixel is blank.
    assert_eq!(train.features()[(0, 0)], 0.0);
    let ink: f32 = train.features().column(0).iter().sum();
    assert!(ink > 50.0, "a digit has ink, got {ink}");
}

#[test]
fn pooled_split_is_80_20_and_stratified() {
    let m = data();
    let (train, test) = m.pooled_split(0.2, 42).unwrap();
    assert_eq!((train.n_samples(), test.n_samples()), (56_000, 14_000));
    let all = [6903, 7877, 6990, 7141, 6824, 6313, 6876, 7293, 6825, 6958];
    let counts = test.class_counts().unwrap();
    for (c, (&k, &total)) in counts.iter().zip(&all).enumerate() {
        let quota = total as f64 * 0.2;
        assert!((k as f64 - quota).abs() < 1.0, "digit {c}: {k} vs {quota}");
    }
    // Gathered from the two sets, the parts are exactly those of splitting the pooled set.
    let all = m.pooled().unwrap();
    let split = nn_data::stratified_train_test_split(all.labels().unwrap(), 0.2, 42).unwrap();
    let (train_ref, test_ref) = all.apply_split(&split).unwrap();
    assert_eq!(train.features(), train_ref.features());
    assert_eq!(test.features(), test_ref.features());
    assert_eq!(train.labels(), train_ref.labels());
    assert_eq!(test.labels(), test_ref.labels());
    // And consuming the sets (gathering the training part in place) gives the same parts.
    let (train_moved, test_moved) = m.clone().into_pooled_split(0.2, 42).unwrap();
    assert_eq!(train_moved.features(), train_ref.features());
    assert_eq!(test_moved.features(), test_ref.features());
    assert_eq!(train_moved.labels(), train_ref.labels());
    assert_eq!(test_moved.labels(), test_ref.labels());
}
