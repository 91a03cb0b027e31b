//! Training curves: a loss panel and an optional metric panel, x = epoch.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::canvas::{DrawResult, Figure, render};
use super::error::FigureError;
use super::line_panel::{LinePanel, PanelText, VerticalMarker};
use super::series::Series;

/// Size of a figure with only the loss panel.
pub const SINGLE_PANEL_SIZE: (u32, u32) = (800, 500);
/// Size of a figure with a loss panel and a metric panel side by side.
pub const TWO_PANEL_SIZE: (u32, u32) = (1400, 500);

/// One panel of training curves: a y-axis label and its series (e.g. train and validation).
#[derive(Debug, Clone, PartialEq)]
pub struct CurvePanel {
    /// The y-axis label, e.g. `"cross-entropy loss"` or `"accuracy"`.
    pub y_label: String,
    /// The lines of this panel, usually `train` and `validation`, x = epoch.
    pub series: Vec<Series>,
    /// Draw the y-axis on a logarithmic scale.
    pub log_y: bool,
}

/// Everything [`loss_curves`] draws.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingCurves {
    /// Title over the whole figure.
    pub title: String,
    /// The loss panel (left, or alone).
    pub loss: CurvePanel,
    /// An optional metric panel (right), e.g. accuracy or R².
    pub metric: Option<CurvePanel>,
    /// The epoch kept by early stopping, drawn as a dashed red vertical line in every panel.
    pub best_epoch: Option<usize>,
}

/// Draws training curves into `path` (`.png` or `.svg`): 800×500 with the loss panel alone,
/// 1400×500 with a metric panel beside it.
///
/// Non-finite values (a diverged run) are skipped; a panel without series, or a series with
/// nothing finite to draw, is an error.
pub fn loss_curves(path: &Path, curves: &TrainingCurves) -> Result<(), FigureError> {
    let marker = curves.best_epoch.map(|epoch| VerticalMarker {
        x: epoch as f64,
        label: format!("best epoch ({epoch})"),
    });
    let panel = |what: &str, p: &CurvePanel| {
        LinePanel::prepare(
            path,
            what,
            PanelText {
                caption: "",
                x_label: "epoch",
                y_label: &p.y_label,
            },
            &p.series,
            p.log_y,
            marker.clone(),
        )
    };
    let loss = panel("loss panel", &curves.loss)?;
    let metric = curves
        .metric
        .as_ref()
        .map(|m| panel("metric panel", m))
        .transpose()?;
    render(
        path,
        &CurvesFigure {
            title: &curves.title,
            loss,
            metric,
        },
    )
}

struct CurvesFigure<'a> {
    title: &'a str,
    loss: LinePanel,
    metric: Option<LinePanel>,
}

impl Figure for CurvesFigure<'_> {
    fn size(&self) -> (u32, u32) {
        if self.metric.is_some() {
            TWO_PANEL_SIZE
        } else {
            SINGLE_PANEL_SIZE
        }
    }

    fn draw<DB>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB: DrawingBackend,
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE)?;
        let body = root.titled(self.title, ("sans-serif", 24))?;
        match &self.metric {
            None => self.loss.draw(&body)?,
            Some(metric) => {
                let (left, right) = body.split_horizontally(body.dim_in_pixel().0 / 2);
                self.loss.draw(&left)?;
                metric.draw(&right)?;
            }
        }
        Ok(())
    }
}
