//! MNIST: 60,000 training and 10,000 test digits, 28×28 pixels scaled to [0, 1].

use nalgebra::DMatrix;

use crate::data_dir::DataDir;
use crate::dataset::{Dataset, Targets};
use crate::error::{DataError, Result};
use crate::idx::{decode_gz_images_scaled, decode_gz_labels};
use crate::split::{Split, stratified_train_test_split};

/// Relative path of the training images.
pub const TRAIN_IMAGES: &str = "mnist/train-images-idx3-ubyte.gz";
/// Relative path of the training labels.
pub const TRAIN_LABELS: &str = "mnist/train-labels-idx1-ubyte.gz";
/// Relative path of the test images.
pub const TEST_IMAGES: &str = "mnist/t10k-images-idx3-ubyte.gz";
/// Relative path of the test labels.
pub const TEST_LABELS: &str = "mnist/t10k-labels-idx1-ubyte.gz";

/// The official MNIST train and test sets.
#[derive(Debug, Clone)]
pub struct Mnist {
    /// 60,000 training digits (784 × 60000).
    pub train: Dataset,
    /// 10,000 test digits (784 × 10000).
    pub test: Dataset,
}

impl Mnist {
    /// All 70,000 digits in one data set (training digits first).
    pub fn pooled(&self) -> Result<Dataset> {
        let rows = self.train.n_features();
        let mut data = Vec::with_capacity(rows * (self.train.n_samples() + self.test.n_samples()));
        data.extend_from_slice(self.train.features.as_slice());
        data.extend_from_slice(self.test.features.as_slice());
        let n = data.len() / rows.max(1);
        let mut labels = Vec::with_capacity(n);
        labels.extend_from_slice(self.train.labels().unwrap_or(&[]));
        labels.extend_from_slice(self.test.labels().unwrap_or(&[]));
        Dataset::new(
            "mnist-70k",
            DMatrix::from_vec(rows, n, data),
            self.train.feature_names.clone(),
            Targets::Classes {
                labels,
                class_names: digit_names(),
            },
        )
    }

    /// The 70,000 pooled digits split by a seeded stratified split (`test_ratio` = 0.2 gives
    /// the 56,000/14,000 split the studies built from the OpenML copy).
    ///
    /// The same as splitting [`Mnist::pooled`], but the parts are gathered straight from the
    /// two official sets, so the 70,000 digits are never held a third time.
    pub fn pooled_split(&self, test_ratio: f64, seed: u64) -> Result<(Dataset, Dataset)> {
        let mut labels = self.train.labels().unwrap_or(&[]).to_vec();
        labels.extend_from_slice(self.test.labels().unwrap_or(&[]));
        let split: Split = stratified_train_test_split(&labels, test_ratio, seed)?;
        Ok((
            self.select_pooled(&split.train, &labels)?,
            self.select_pooled(&split.test, &labels)?,
        ))
    }

    /// [`Mnist::pooled_split`], consuming the sets: they are pooled in the training images'
    /// buffer and the training part is gathered in place there
    /// ([`Dataset::into_split`]), so at most the 70,000 digits plus the test part are held
    /// at once.
    pub fn into_pooled_split(self, test_ratio: f64, seed: u64) -> Result<(Dataset, Dataset)> {
        let mut labels = self.train.labels().unwrap_or(&[]).to_vec();
        labels.extend_from_slice(self.test.labels().unwrap_or(&[]));
        let split: Split = stratified_train_test_split(&labels, test_ratio, seed)?;
        let rows = self.train.n_features();
        let feature_names = self.train.feature_names.clone();
        // The training images' buffer grows to hold the test images too (a large allocation
        // grows in place, without a copy).
        let mut pooled: Vec<f32> = self.train.features.data.into();
        pooled.reserve_exact(self.test.features.len());
        pooled.extend_from_slice(self.test.features.as_slice());
        drop(self.test);
        let n = pooled.len() / rows.max(1);
        let all = Dataset::new(
            "mnist-70k",
            DMatrix::from_vec(rows, n, pooled),
            feature_names,
            Targets::Classes {
                labels,
                class_names: digit_names(),
            },
        )?;
        all.into_split(&split)
    }

    /// The pooled digits `indices` (training set first, then test set), in that order.
    fn select_pooled(&self, indices: &[usize], labels: &[usize]) -> Result<Dataset> {
        let rows = self.train.n_features();
        let n_train = self.train.n_samples();
        let mut data = Vec::with_capacity(rows * indices.len());
        for &i in indices {
            let (set, j) = if i < n_train {
                (&self.train, i)
            } else {
                (&self.test, i - n_train)
            };
            data.extend_from_slice(&set.features.as_slice()[j * rows..(j + 1) * rows]);
        }
        Dataset::new(
            "mnist-70k",
            DMatrix::from_vec(rows, indices.len(), data),
            self.train.feature_names.clone(),
            Targets::Classes {
                labels: indices.iter().map(|&i| labels[i]).collect(),
                class_names: digit_names(),
            },
        )
    }
}

fn digit_names() -> Vec<String> {
    (0..10).map(|d| d.to_string()).collect()
}

fn pixel_names(rows: usize, cols: usize) -> Vec<String> {
    (0..rows * cols)
        .map(|k| format!("pixel_r{}_c{}", k / cols, k % cols))
        .collect()
}

/// Loads and verifies one gzip'd IDX images file; returns (784 × count scaled pixels, rows, cols).
pub fn load_images(dir: &DataDir, relative: &str) -> Result<(DMatrix<f32>, usize, usize)> {
    let file = dir.path(relative).display().to_string();
    dir.load_verified(relative, |compressed| {
        let images = decode_gz_images_scaled(compressed, &file)?;
        Ok((
            DMatrix::from_vec(images.rows * images.cols, images.count, images.pixels),
            images.rows,
            images.cols,
        ))
    })
}

/// Loads and verifies one gzip'd IDX labels file (digits 0–9).
pub fn load_labels(dir: &DataDir, relative: &str) -> Result<Vec<usize>> {
    let file = dir.path(relative).display().to_string();
    dir.load_verified(relative, |compressed| {
        Ok(decode_gz_labels(compressed, &file, 10)?
            .iter()
            .map(|&l| usize::from(l))
            .collect())
    })
}

/// One MNIST part from an images file and a labels file.
pub fn load_part(dir: &DataDir, name: &str, images: &str, labels: &str) -> Result<Dataset> {
    let (x, rows, cols) = load_images(dir, images)?;
    let y = load_labels(dir, labels)?;
    if x.ncols() != y.len() {
        return Err(DataError::CountMismatch {
            images_file: dir.path(images).display().to_string(),
            images: x.ncols(),
            labels_file: dir.path(labels).display().to_string(),
            labels: y.len(),
        });
    }
    // Built directly: pixels are byte / 255 (finite by construction) and labels were
    // checked to be < 10 while parsing, so `Dataset::new`'s full scan is not needed.
    Ok(Dataset {
        name: name.to_string(),
        features: x,
        feature_names: pixel_names(rows, cols),
        targets: Targets::Classes {
            labels: y,
            class_names: digit_names(),
        },
    })
}

/// The 60,000 training digits.
pub fn mnist_train(dir: &DataDir) -> Result<Dataset> {
    load_part(dir, "mnist-train", TRAIN_IMAGES, TRAIN_LABELS)
}

/// The 10,000 test digits.
pub fn mnist_test(dir: &DataDir) -> Result<Dataset> {
    load_part(dir, "mnist-test", TEST_IMAGES, TEST_LABELS)
}

/// Both official parts.
pub fn mnist(dir: &DataDir) -> Result<Mnist> {
    Ok(Mnist {
        train: mnist_train(dir)?,
        test: mnist_test(dir)?,
    })
}
