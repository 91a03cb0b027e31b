//! The text report of a model on one labelled part: a classification report and confusion
//! matrix for classifiers, R², MSE, RMSE and MAE for regressors.

use std::fmt::Write;

use anyhow::Result;
use nn_core::{Loss, Matrix};

use nn_experiments::prepared_data::Part;

/// The report of predictions already made (after the loss's link) on `part`, for a model
/// trained with `loss`; `class_names` label the classes.
///
/// # Errors
/// Predictions that do not fit the part, or a metric that cannot be computed. (A regression
/// part of one sample gets its errors without R², which needs two.)
pub fn report_of_predictions(
    pred: &Matrix<f32>,
    loss: Loss,
    part: &Part,
    class_names: Option<&[String]>,
) -> Result<String> {
    let mut s = String::new();
    match (&part.labels, loss) {
        (Some(truth), Loss::CrossEntropy | Loss::BinaryCrossEntropy) => {
            let predicted = nn_train::predicted_labels(pred, 0.5);
            let n_classes = class_names.map_or_else(|| pred.nrows().max(2), <[String]>::len);
            let mut cm = nn_metrics::confusion_matrix(truth, &predicted, n_classes)?;
            let mut report = nn_metrics::ClassificationReport::from_confusion_matrix(&cm);
            if let Some(names) = class_names {
                report = report.with_class_names(names.iter().cloned())?;
                cm = cm.with_class_names(names.iter().cloned())?;
            }
            // Writing into a String cannot fail.
            let _ = writeln!(
                s,
                "accuracy {:.4} ({} of {} samples)\n",
                cm.accuracy(),
                cm.trace(),
                cm.total()
            );
            let _ = writeln!(s, "{report}");
            let _ = writeln!(
                s,
                "confusion matrix (rows: true class, columns: predicted):"
            );
            let _ = writeln!(s, "{cm}");
        }
        _ => {
            let truth: Vec<f64> = part.y.iter().map(|&v| f64::from(v)).collect();
            let values: Vec<f64> = pred.iter().map(|&v| f64::from(v)).collect();
            if truth.len() == 1 {
                // R² compares with the part's own mean, which needs two samples.
                let mse = nn_metrics::mean_squared_error(&truth, &values)?;
                let _ = writeln!(
                    s,
                    "R² undefined (one sample)  MSE {mse:.6}  RMSE {:.6}  MAE {:.6}  (1 sample)",
                    mse.sqrt(),
                    nn_metrics::mean_absolute_error(&truth, &values)?
                );
                return Ok(s);
            }
            let r = nn_metrics::regression_report(&truth, &values)?;
            let _ = writeln!(
                s,
                "R² {:.4}  MSE {:.6}  RMSE {:.6}  MAE {:.6}  ({} samples)",
                r.r2, r.mse, r.rmse, r.mae, r.n_samples
            );
        }
    }
    Ok(s)
}
