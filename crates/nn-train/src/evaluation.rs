//! Turning network outputs into labels and per-epoch metric values.

use nn_core::{Float, Matrix};

use crate::{MetricKind, TrainError};

/// The predicted class of each column: arg-max over rows, or `output ≥ threshold` when there is
/// a single output row (a sigmoid probability with threshold 0.5, or a logit with threshold 0).
pub fn predicted_labels<T: Float>(outputs: &Matrix<T>, threshold: f64) -> Vec<usize> {
    if outputs.nrows() == 1 {
        outputs
            .iter()
            .map(|&v| usize::from(v.as_f64() >= threshold))
            .collect()
    } else {
        outputs.column_iter().map(|c| arg_max(c.iter())).collect()
    }
}

/// The true class of each target column: arg-max of a one-hot column, or `target ≥ 0.5` for a
/// single 0/1 row.
pub fn target_labels<T: Float>(targets: &Matrix<T>) -> Vec<usize> {
    predicted_labels(targets, 0.5)
}

fn arg_max<'a, T: Float>(values: impl Iterator<Item = &'a T>) -> usize {
    let mut best = (0, f64::NEG_INFINITY);
    for (i, v) in values.enumerate() {
        let v = v.as_f64();
        if v > best.1 {
            best = (i, v);
        }
    }
    best.0
}

/// The metric of `kind` for network `predictions` (after the loss's link: probabilities or
/// values) against `targets` (same shape). `None` for [`MetricKind::None`], and for R² of a
/// single value, which it does not define (it compares with the targets' own mean).
pub fn metric_value<T: Float>(
    kind: MetricKind,
    predictions: &Matrix<T>,
    targets: &Matrix<T>,
) -> Result<Option<f64>, TrainError> {
    if predictions.shape() != targets.shape() {
        return Err(TrainError::Data(format!(
            "predictions are {:?} but targets are {:?}",
            predictions.shape(),
            targets.shape()
        )));
    }
    Ok(match kind {
        MetricKind::None => None,
        MetricKind::Accuracy => Some(nn_metrics::accuracy(
            &target_labels(targets),
            &predicted_labels(predictions, 0.5),
        )?),
        MetricKind::R2 if targets.len() < 2 => None,
        MetricKind::R2 => {
            let truth: Vec<f64> = targets.iter().map(|v| v.as_f64()).collect();
            let pred: Vec<f64> = predictions.iter().map(|v| v.as_f64()).collect();
            Some(nn_metrics::r2_score(&truth, &pred)?)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r2_of_one_value_is_undefined_not_an_error() {
        let one = Matrix::from_element(1, 1, 2.0f64);
        assert_eq!(metric_value(MetricKind::R2, &one, &one).unwrap(), None);
        let two = Matrix::from_column_slice(1, 2, &[1.0f64, 3.0]);
        assert_eq!(metric_value(MetricKind::R2, &two, &two).unwrap(), Some(1.0));
    }

    #[test]
    fn labels_from_argmax_and_threshold() {
        let multi = Matrix::from_column_slice(3, 2, &[0.1, 0.7, 0.2, 0.5, 0.2, 0.3]);
        assert_eq!(predicted_labels(&multi, 0.5), vec![1, 0]);
        let single = Matrix::from_row_slice(1, 3, &[0.2, 0.5, 0.9]);
        assert_eq!(predicted_labels(&single, 0.5), vec![0, 1, 1]);
    }

    #[test]
    fn accuracy_and_r2() {
        let y = Matrix::from_column_slice(2, 3, &[1.0, 0.0, 0.0, 1.0, 1.0, 0.0]);
        let p = Matrix::from_column_slice(2, 3, &[0.9, 0.1, 0.3, 0.7, 0.4, 0.6]);
        let acc = metric_value(MetricKind::Accuracy, &p, &y).unwrap().unwrap();
        assert!((acc - 2.0 / 3.0).abs() < 1e-12);
        let t = Matrix::from_row_slice(1, 3, &[1.0, 2.0, 3.0]);
        let r2 = metric_value(MetricKind::R2, &t, &t).unwrap().unwrap();
        assert_eq!(r2, 1.0);
        assert!(metric_value(MetricKind::R2, &p, &t).is_err());
    }
}
