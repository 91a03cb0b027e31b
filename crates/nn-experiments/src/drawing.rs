//! Drawing an experiment's figures from its outcome through the [`nn_plot`] crate.

use std::path::Path;

use anyhow::{Context, Result};

use crate::runner::{SURFACE_RESOLUTION, SeedOutcome};
use crate::spec::{ExperimentSpec, FigureKind, LossKind};
use nn_plot::{
    AxisLabels, ClassPoint, ComparisonChart, CurvePanel, LabelledImage, RocSeries, Series,
    SurfaceGrid, TrainingCurves, comparison_curves, confusion_heatmap, decision_surface,
    loss_curves, prediction_grid, roc_curve, scatter_identity,
};

/// A drawn figure: its caption and its path relative to the output directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrawnFigure {
    /// One-line caption.
    pub caption: String,
    /// Path relative to the output directory, e.g. `figures/001-xor-surface.png`.
    pub relative_path: String,
}

/// Draws every figure `spec` asks for from `outcome` into `out_dir/figures/`.
///
/// # Errors
/// A figure that cannot be drawn or written.
pub fn draw_figures(
    spec: &ExperimentSpec,
    outcome: &SeedOutcome,
    out_dir: &Path,
) -> Result<Vec<DrawnFigure>> {
    let mut drawn = Vec::new();
    for &kind in &spec.figures {
        let file = format!("figures/{}-{}.png", spec.name, file_stem(kind));
        let path = out_dir.join(&file);
        let caption =
            draw_one(spec, outcome, kind, &path).with_context(|| format!("drawing {file}"))?;
        if let Some(caption) = caption {
            drawn.push(DrawnFigure {
                caption,
                relative_path: file,
            });
        }
    }
    Ok(drawn)
}

fn file_stem(kind: FigureKind) -> &'static str {
    match kind {
        FigureKind::Curves => "curves",
        FigureKind::ConfusionMatrix => "confusion",
        FigureKind::PredictionGrid => "predictions",
        FigureKind::Scatter => "scatter",
        FigureKind::Roc => "roc",
        FigureKind::DecisionSurface => "surface",
        FigureKind::OptimizerComparison => "optimizers",
        FigureKind::GridCurves => "grid",
    }
}

fn loss_label(loss: LossKind) -> &'static str {
    match loss {
        LossKind::CrossEntropy => "cross-entropy loss",
        LossKind::BinaryCrossEntropy => "binary cross-entropy",
        LossKind::Mse => "MSE",
    }
}

/// Draws one figure; `None` when the outcome has no data for it (e.g. no history).
fn draw_one(
    spec: &ExperimentSpec,
    o: &SeedOutcome,
    kind: FigureKind,
    path: &Path,
) -> Result<Option<String>> {
    let title = format!("{} (seed {})", spec.name, o.seed);
    match kind {
        FigureKind::Curves => {
            let Some(h) = &o.history else { return Ok(None) };
            let train: Vec<f64> = h.epochs.iter().map(|e| e.train_loss).collect();
            let mut loss_series = vec![Series::per_epoch("train", &train)];
            let val: Vec<f64> = h.epochs.iter().filter_map(|e| e.val_loss).collect();
            if val.len() == train.len() {
                loss_series.push(Series::per_epoch("validation", &val));
            }
            let metric_name = if spec.model.loss == LossKind::Mse {
                "R²"
            } else {
                "accuracy"
            };
            let mut metric_series = Vec::new();
            let tm: Vec<f64> = h.epochs.iter().filter_map(|e| e.train_metric).collect();
            if tm.len() == train.len() {
                metric_series.push(Series::per_epoch("train", &tm));
            }
            let vm: Vec<f64> = h.epochs.iter().filter_map(|e| e.val_metric).collect();
            if vm.len() == train.len() {
                metric_series.push(Series::per_epoch("validation", &vm));
            }
            if o.test_curve.len() == train.len() {
                metric_series.push(Series::per_epoch("test", &o.test_curve));
            }
            let log_y = train.iter().all(|&v| v > 0.0)
                && spec.model.loss == LossKind::Mse
                && train
                    .first()
                    .zip(train.last())
                    .is_some_and(|(a, b)| a / b.max(1e-12) > 20.0);
            let curves = TrainingCurves {
                title,
                loss: CurvePanel {
                    y_label: loss_label(spec.model.loss).into(),
                    series: loss_series,
                    log_y,
                },
                metric: (!metric_series.is_empty()).then(|| CurvePanel {
                    y_label: metric_name.into(),
                    series: metric_series,
                    log_y: false,
                }),
                best_epoch: if h.stopped_early || spec.training.early_stopping.is_some() {
                    h.best_epoch
                } else {
                    None
                },
            };
            loss_curves(path, &curves)?;
            Ok(Some(format!("Training curves ({metric_name} per epoch)")))
        }
        FigureKind::ConfusionMatrix => {
            let Some(counts) = &o.confusion else {
                return Ok(None);
            };
            confusion_heatmap(
                path,
                &format!("{title}: test confusion matrix"),
                counts,
                &o.class_names,
            )?;
            Ok(Some("Confusion matrix on the test set".into()))
        }
        FigureKind::PredictionGrid => {
            if o.images.is_empty() {
                return Ok(None);
            }
            let images: Vec<LabelledImage<'_>> = o
                .images
                .iter()
                .map(|(pixels, t, p)| LabelledImage {
                    pixels,
                    true_label: *t,
                    predicted_label: *p,
                })
                .collect();
            prediction_grid(
                path,
                &format!("{title}: first test digits"),
                &images,
                (28, 28),
                3,
            )?;
            Ok(Some(
                "The first nine test digits, true (T) and predicted (P) labels".into(),
            ))
        }
        FigureKind::Scatter => {
            let Some((truth, pred)) = &o.scatter else {
                return Ok(None);
            };
            let labels = AxisLabels::new(
                format!("{title}: test set"),
                "true value",
                "predicted value",
            );
            scatter_identity(path, &labels, truth, pred)?;
            Ok(Some(
                "Predicted against true values on the test set (identity line dashed)".into(),
            ))
        }
        FigureKind::Roc => {
            let Some((fpr, tpr, auc)) = &o.roc else {
                return Ok(None);
            };
            let series = RocSeries {
                name: "network".into(),
                fpr: fpr.clone(),
                tpr: tpr.clone(),
                auc: *auc,
            };
            roc_curve(path, &format!("{title}: test ROC"), &[series])?;
            Ok(Some(format!("ROC curve on the test set (AUC {auc:.3})")))
        }
        FigureKind::DecisionSurface => {
            let Some((values, points)) = &o.surface else {
                return Ok(None);
            };
            let grid = SurfaceGrid {
                x_range: (-0.5, 1.5),
                y_range: (-0.5, 1.5),
                columns: SURFACE_RESOLUTION,
                rows: SURFACE_RESOLUTION,
                values: values.clone(),
            };
            let points: Vec<ClassPoint> = points
                .iter()
                .map(|&(x, y, class)| ClassPoint { x, y, class })
                .collect();
            let labels = AxisLabels::new(format!("{title}: P(class 1)"), "x1", "x2");
            decision_surface(path, &labels, &grid, &points)?;
            Ok(Some(
                "Decision surface: predicted probability of class 1, 0.5 contour".into(),
            ))
        }
        FigureKind::OptimizerComparison => {
            if o.comparison.is_empty() {
                return Ok(None);
            }
            let chart = ComparisonChart {
                title: format!("{title}: validation loss"),
                x_label: "epoch".into(),
                y_label: format!("validation {}", loss_label(spec.model.loss)),
                series: o
                    .comparison
                    .iter()
                    .map(|(label, curve)| Series::per_epoch(label.clone(), curve))
                    .collect(),
                log_y: true,
            };
            comparison_curves(path, &chart)?;
            Ok(Some("Validation loss per epoch of each optimizer".into()))
        }
        FigureKind::GridCurves => {
            if o.grid.is_empty() {
                return Ok(None);
            }
            let chart = ComparisonChart {
                title: format!("{title}: test accuracy per epoch"),
                x_label: "epoch".into(),
                y_label: "test accuracy".into(),
                series: o
                    .grid
                    .iter()
                    .filter(|g| !g.curve.is_empty())
                    .map(|g| Series::per_epoch(g.point.label(), &g.curve))
                    .collect(),
                log_y: false,
            };
            if chart.series.is_empty() {
                return Ok(None);
            }
            comparison_curves(path, &chart)?;
            Ok(Some(
                "Test accuracy per epoch of every grid combination".into(),
            ))
        }
    }
}
