//! The XOR problem: four points, generated.

use nalgebra::DMatrix;

use crate::dataset::{Dataset, Targets};

/// The four XOR points `(0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0` as a 2 × 4 classification set
/// (classes `"0"`, `"1"`; use [`Dataset::binary_targets`] for a single sigmoid output).
pub fn xor() -> Dataset {
    let features = DMatrix::from_column_slice(2, 4, &[0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0]);
    Dataset {
        name: "xor".into(),
        features,
        feature_names: vec!["x1".into(), "x2".into()],
        targets: Targets::Classes {
            labels: vec![0, 1, 1, 0],
            class_names: vec!["0".into(), "1".into()],
        },
    }
}
