//! Seeded train/test and train/validation/test splits, stratified for classification.
//!
//! Sizes follow scikit-learn's convention: the test part gets `ceil(test_ratio · n)` samples;
//! in a three-way split the validation part gets `ceil((test_ratio + val_ratio) · n) − n_test`,
//! so every part is within one sample of its ratio. A stratified split also keeps each class's
//! count in each part within one sample of `class_count · part_size / n` (the class proportions of
//! the whole set), with exact part sizes; this is a small integer transportation problem solved by
//! augmenting paths.

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::error::{DataError, Result};

/// Sample indices of a two-way split.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Split {
    /// Training indices.
    pub train: Vec<usize>,
    /// Test indices.
    pub test: Vec<usize>,
}

/// Sample indices of a three-way split.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreeWaySplit {
    /// Training indices.
    pub train: Vec<usize>,
    /// Validation indices.
    pub val: Vec<usize>,
    /// Test indices.
    pub test: Vec<usize>,
}

fn check_ratio(what: &'static str, r: f64) -> Result<()> {
    if r.is_finite() && r > 0.0 && r < 1.0 {
        Ok(())
    } else {
        Err(DataError::InvalidParameter {
            what,
            reason: format!("{r} is not strictly between 0 and 1"),
        })
    }
}

/// `ceil(x)` that ignores floating-point noise just above an integer (0.2 · 150 → 30).
fn ceil_fuzzy(x: f64) -> usize {
    (x - 1e-9).ceil().max(0.0) as usize
}

/// Part sizes `[train, val, test]` (val = 0 for a two-way split).
fn part_sizes(n: usize, val_ratio: Option<f64>, test_ratio: f64) -> Result<[usize; 3]> {
    check_ratio("test ratio", test_ratio)?;
    let n_test = ceil_fuzzy(test_ratio * n as f64);
    let mut n_val = 0;
    if let Some(v) = val_ratio {
        check_ratio("validation ratio", v)?;
        n_val = ceil_fuzzy((test_ratio + v) * n as f64).saturating_sub(n_test);
        if n_val == 0 {
            return Err(DataError::InvalidParameter {
                what: "validation ratio",
                reason: format!("{v} of {n} samples leaves the validation part empty"),
            });
        }
    }
    if n_test == 0 || n_test + n_val >= n {
        let ratios = match val_ratio {
            None => format!("a held-out ratio of {test_ratio}"),
            Some(v) => format!("a test ratio of {test_ratio} and a validation ratio of {v}"),
        };
        let empty = if n_test == 0 {
            "the held-out part empty"
        } else {
            "no training sample"
        };
        return Err(DataError::InvalidParameter {
            what: "split ratios",
            reason: format!("{ratios} of {n} samples leaves {empty}"),
        });
    }
    Ok([n - n_test - n_val, n_val, n_test])
}

fn shuffled(n: usize, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    order
}

fn plain_split(n: usize, sizes: [usize; 3], seed: u64) -> [Vec<usize>; 3] {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let order = shuffled(n, &mut rng);
    let test = order[..sizes[2]].to_vec();
    let val = order[sizes[2]..sizes[2] + sizes[1]].to_vec();
    let train = order[sizes[2] + sizes[1]..].to_vec();
    [train, val, test]
}

/// Seeded shuffled split of `0..n`; the test part has `ceil(test_ratio · n)` samples.
pub fn train_test_split(n: usize, test_ratio: f64, seed: u64) -> Result<Split> {
    let sizes = part_sizes(n, None, test_ratio)?;
    let [train, _, test] = plain_split(n, sizes, seed);
    Ok(Split { train, test })
}

/// Seeded shuffled three-way split of `0..n`.
pub fn train_val_test_split(
    n: usize,
    val_ratio: f64,
    test_ratio: f64,
    seed: u64,
) -> Result<ThreeWaySplit> {
    let sizes = part_sizes(n, Some(val_ratio), test_ratio)?;
    let [train, val, test] = plain_split(n, sizes, seed);
    Ok(ThreeWaySplit { train, val, test })
}

/// Seeded split of `0..labels.len()` that keeps class proportions (within one sample).
pub fn stratified_train_test_split(labels: &[usize], test_ratio: f64, seed: u64) -> Result<Split> {
    let sizes = part_sizes(labels.len(), None, test_ratio)?;
    let [train, _, test] = stratified(labels, sizes, seed);
    Ok(Split { train, test })
}

/// Seeded three-way split that keeps class proportions (within one sample) in every part.
pub fn stratified_train_val_test_split(
    labels: &[usize],
    val_ratio: f64,
    test_ratio: f64,
    seed: u64,
) -> Result<ThreeWaySplit> {
    let sizes = part_sizes(labels.len(), Some(val_ratio), test_ratio)?;
    let [train, val, test] = stratified(labels, sizes, seed);
    Ok(ThreeWaySplit { train, val, test })
}

/// How many samples of each class go to each part: `counts[c][p]` is `floor` or `ceil` of
/// `class_count[c] · part_size[p] / n`, rows sum to the class counts, columns to the part sizes.
/// The part sizes must sum to `n`, the number of samples (as [`part_sizes`] makes them).
fn stratified_counts(class_counts: &[usize], part_sizes: &[usize]) -> Vec<Vec<usize>> {
    let n: usize = class_counts.iter().sum();
    let parts = part_sizes.len();
    let mut base = vec![vec![0usize; parts]; class_counts.len()];
    let mut fractional = vec![vec![false; parts]; class_counts.len()];
    for (c, &nc) in class_counts.iter().enumerate() {
        for (p, &np) in part_sizes.iter().enumerate() {
            let product = nc * np;
            base[c][p] = product.checked_div(n).unwrap_or(0);
            fractional[c][p] = n > 0 && product % n != 0;
        }
    }
    // Extra units each class still has to place, and each part still accepts.
    let mut class_extra: Vec<usize> = class_counts
        .iter()
        .zip(&base)
        .map(|(&nc, row)| nc - row.iter().sum::<usize>())
        .collect();
    let mut part_room: Vec<usize> = (0..parts)
        .map(|p| part_sizes[p].saturating_sub(base.iter().map(|row| row[p]).sum::<usize>()))
        .collect();
    let mut extra = vec![vec![false; parts]; class_counts.len()];
    for c in 0..class_counts.len() {
        while class_extra[c] > 0 {
            let mut visited = vec![false; parts];
            let placed = augment(c, &fractional, &mut extra, &mut part_room, &mut visited);
            if !placed {
                // Cannot happen when part sizes sum to n (the fractional solution exists, so an
                // integral one does); keep the sums exact anyway by relaxing the bound.
                let p = (0..parts).max_by_key(|&p| part_room[p]).unwrap_or(0);
                base[c][p] += 1;
                part_room[p] = part_room[p].saturating_sub(1);
            }
            class_extra[c] -= 1;
        }
    }
    for c in 0..class_counts.len() {
        for p in 0..parts {
            if extra[c][p] {
                base[c][p] += 1;
            }
        }
    }
    base
}

/// Gives class `c` one extra unit in some part, moving other classes' units along an
/// alternating path if needed.
fn augment(
    c: usize,
    fractional: &[Vec<bool>],
    extra: &mut [Vec<bool>],
    room: &mut [usize],
    visited: &mut [bool],
) -> bool {
    let parts = room.len();
    for p in 0..parts {
        if !fractional[c][p] || extra[c][p] || visited[p] {
            continue;
        }
        visited[p] = true;
        if room[p] > 0 {
            room[p] -= 1;
            extra[c][p] = true;
            return true;
        }
        for other in 0..extra.len() {
            if other != c && extra[other][p] && augment(other, fractional, extra, room, visited) {
                extra[other][p] = false;
                extra[c][p] = true;
                return true;
            }
        }
    }
    false
}

fn stratified(labels: &[usize], sizes: [usize; 3], seed: u64) -> [Vec<usize>; 3] {
    // Samples grouped by label, in increasing label order. Labels may be any numbers (a
    // label of 10⁹ costs nothing); a label with no sample would change no count and draw no
    // random number, so the parts are those of a dense `0..=max` grouping.
    let mut grouped: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &l) in labels.iter().enumerate() {
        grouped.entry(l).or_default().push(i);
    }
    let mut by_class: Vec<Vec<usize>> = grouped.into_values().collect();
    let class_counts: Vec<usize> = by_class.iter().map(Vec::len).collect();
    let counts = stratified_counts(&class_counts, &sizes);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut parts: [Vec<usize>; 3] = [
        Vec::with_capacity(sizes[0]),
        Vec::with_capacity(sizes[1]),
        Vec::with_capacity(sizes[2]),
    ];
    for (members, count) in by_class.iter_mut().zip(&counts) {
        members.shuffle(&mut rng);
        let mut start = 0;
        // Deal test first, then validation, then train (order of `sizes` is train, val, test).
        for p in [2, 1, 0] {
            parts[p].extend_from_slice(&members[start..start + count[p]]);
            start += count[p];
        }
    }
    for part in &mut parts {
        part.shuffle(&mut rng);
    }
    parts
}
