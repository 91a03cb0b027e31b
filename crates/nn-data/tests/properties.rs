//! Property tests of the scalers, splits and the batch sampler.

use std::collections::BTreeSet;

use nalgebra::DMatrix;
use nn_data::{
    BatchSampler, MinMaxScaler, StandardScaler, fill_batch, mini_batches,
    stratified_train_test_split, stratified_train_val_test_split, train_val_test_split,
};
use proptest::prelude::*;

fn matrix() -> impl Strategy<Value = DMatrix<f32>> {
    (1usize..6, 2usize..40).prop_flat_map(|(rows, cols)| {
        proptest::collection::vec(-1.0e4f32..1.0e4, rows * cols)
            .prop_map(move |v| DMatrix::from_vec(rows, cols, v))
    })
}

fn labels() -> impl Strategy<Value = Vec<usize>> {
    (1usize..6).prop_flat_map(|k| proptest::collection::vec(0..k, 10..200))
}

fn counts(labels: &[usize], indices: &[usize], k: usize) -> Vec<usize> {
    let mut c = vec![0; k];
    for &i in indices {
        c[labels[i]] += 1;
    }
    c
}

fn assert_partition(n: usize, parts: &[&Vec<usize>]) {
    let all: Vec<usize> = parts.iter().flat_map(|p| p.iter().copied()).collect();
    assert_eq!(all.len(), n);
    let set: BTreeSet<usize> = all.into_iter().collect();
    assert_eq!(set, (0..n).collect());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn min_max_maps_training_data_into_unit_interval(x in matrix()) {
        let scaled = MinMaxScaler::fit(&x).unwrap().transform(&x).unwrap();
        prop_assert!(scaled.iter().all(|&v| (0.0..=1.0).contains(&v)));
        for (i, row) in scaled.row_iter().enumerate() {
            let (lo, hi) = x.row(i).iter().fold((f32::MAX, f32::MIN), |(a, b), &v| (a.min(v), b.max(v)));
            prop_assert_eq!(row.min(), 0.0);
            if hi > lo {
                prop_assert_eq!(row.max(), 1.0);
            }
        }
    }

    #[test]
    fn standardisation_gives_zero_mean_unit_std_on_train(x in matrix()) {
        let s = StandardScaler::fit(&x).unwrap();
        let z = s.transform(&x).unwrap();
        for i in 0..x.nrows() {
            let n = x.ncols() as f64;
            let raw: Vec<f64> = x.row(i).iter().map(|&v| f64::from(v)).collect();
            let raw_mean = raw.iter().sum::<f64>() / n;
            let raw_std = (raw.iter().map(|v| (v - raw_mean).powi(2)).sum::<f64>() / n).sqrt();
            let row: Vec<f64> = z.row(i).iter().map(|&v| f64::from(v)).collect();
            let mean = row.iter().sum::<f64>() / n;
            let std = (row.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
            prop_assert!(mean.abs() < 1e-3, "mean {}", mean);
            if raw_std > 1e-2 {
                prop_assert!((std - 1.0).abs() < 1e-3, "std {}", std);
            }
        }
    }

    #[test]
    fn stratified_split_keeps_sizes_and_class_proportions(
        labels in labels(), ratio in 0.05f64..0.6, seed in any::<u64>()
    ) {
        let n = labels.len();
        let k = labels.iter().max().unwrap() + 1;
        let split = stratified_train_test_split(&labels, ratio, seed).unwrap();
        let n_test = (ratio * n as f64 - 1e-9).ceil() as usize;
        prop_assert_eq!(split.test.len(), n_test);
        prop_assert_eq!(split.train.len(), n - n_test);
        assert_partition(n, &[&split.train, &split.test]);
        let total = counts(&labels, &(0..n).collect::<Vec<_>>(), k);
        for (part, size) in [(&split.train, n - n_test), (&split.test, n_test)] {
            for (c, &got) in counts(&labels, part, k).iter().enumerate() {
                let quota = total[c] as f64 * size as f64 / n as f64;
                prop_assert!((got as f64 - quota).abs() < 1.0, "class {} got {} quota {}", c, got, quota);
            }
        }
    }

    #[test]
    fn stratified_three_way_split_keeps_class_proportions(
        labels in labels(), val in 0.05f64..0.3, test in 0.05f64..0.3, seed in any::<u64>()
    ) {
        let n = labels.len();
        let k = labels.iter().max().unwrap() + 1;
        let Ok(split) = stratified_train_val_test_split(&labels, val, test, seed) else {
            // Only possible when a part would be empty.
            prop_assert!((val * n as f64) < 1.0 + 1e-9 || (test * n as f64) < 1.0 + 1e-9);
            return Ok(());
        };
        assert_partition(n, &[&split.train, &split.val, &split.test]);
        let total = counts(&labels, &(0..n).collect::<Vec<_>>(), k);
        for part in [&split.train, &split.val, &split.test] {
            for (c, &got) in counts(&labels, part, k).iter().enumerate() {
                let quota = total[c] as f64 * part.len() as f64 / n as f64;
                prop_assert!((got as f64 - quota).abs() < 1.0, "class {} got {} quota {}", c, got, quota);
            }
        }
        let plain = train_val_test_split(n, val, test, seed).unwrap();
        prop_assert_eq!(
            (plain.train.len(), plain.val.len(), plain.test.len()),
            (split.train.len(), split.val.len(), split.test.len())
        );
    }

    #[test]
    fn stratified_splits_depend_only_on_the_order_of_the_labels(
        labels in labels(), ratio in 0.05f64..0.6, seed in any::<u64>()
    ) {
        // Any increasing relabelling, up to the largest usize, gives the same parts.
        let spread: Vec<usize> = labels
            .iter()
            .map(|&l| if l == 0 { 0 } else { usize::MAX - 1_000_000_007 * (9 - l) })
            .collect();
        prop_assert_eq!(
            stratified_train_test_split(&labels, ratio, seed).unwrap(),
            stratified_train_test_split(&spread, ratio, seed).unwrap()
        );
    }

    #[test]
    fn batch_sampler_yields_each_index_once_per_epoch(
        n in 1usize..300, batch in 1usize..64, seed in any::<u64>(), drop_last in any::<bool>()
    ) {
        let mut sampler = BatchSampler::new(n, batch, seed).unwrap().drop_last(drop_last);
        let expected_batches = sampler.n_batches();
        for _ in 0..2 {
            let batches: Vec<Vec<usize>> = sampler.epoch().map(<[usize]>::to_vec).collect();
            prop_assert_eq!(batches.len(), expected_batches);
            let mut seen: Vec<usize> = batches.iter().flatten().copied().collect();
            prop_assert!(batches.iter().all(|b| b.len() <= batch && !b.is_empty()));
            seen.sort_unstable();
            if drop_last {
                prop_assert_eq!(seen.len(), n / batch * batch);
                seen.dedup();
                prop_assert_eq!(seen.len(), n / batch * batch);
            } else {
                prop_assert_eq!(seen, (0..n).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn gathered_batches_match_their_source_columns(
        n in 1usize..100, batch in 1usize..20, seed in any::<u64>()
    ) {
        let x = DMatrix::<f32>::from_fn(3, n, |r, c| (c * 10 + r) as f32);
        let y = DMatrix::<f32>::from_fn(1, n, |_, c| c as f32);
        let mut sampler = BatchSampler::new(n, batch, seed).unwrap();
        let (mut xb, mut yb) = (DMatrix::zeros(3, batch), DMatrix::zeros(1, batch));
        for indices in sampler.epoch() {
            fill_batch(&x, indices, &mut xb).unwrap();
            fill_batch(&y, indices, &mut yb).unwrap();
            for (j, &i) in indices.iter().enumerate() {
                prop_assert_eq!(xb.column(j), x.column(i));
                prop_assert_eq!(yb[(0, j)], i as f32);
            }
        }
        let mut seen: Vec<usize> = mini_batches(&x, &y, batch, seed)
            .unwrap()
            .flat_map(|(xb, yb)| {
                assert_eq!(xb.ncols(), yb.ncols());
                yb.iter().map(|&v| v as usize).collect::<Vec<_>>()
            })
            .collect();
        seen.sort_unstable();
        prop_assert_eq!(seen, (0..n).collect::<Vec<_>>());
    }
}

#[test]
fn same_seed_same_batches_different_seed_different_batches() {
    let order = |seed| {
        let mut s = BatchSampler::new(50, 8, seed).unwrap();
        s.epoch().flatten().copied().collect::<Vec<_>>()
    };
    assert_eq!(order(1), order(1));
    assert_ne!(order(1), order(2));
}
