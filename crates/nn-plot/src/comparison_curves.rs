//! Several named series on one chart, e.g. validation loss of several optimisers.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::canvas::{DrawResult, Figure, render};
use super::error::FigureError;
use super::line_panel::{LinePanel, PanelText};
use super::series::Series;

/// Size of a comparison chart in pixels.
pub const COMPARISON_SIZE: (u32, u32) = (800, 500);

/// Everything [`comparison_curves`] draws.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonChart {
    /// Chart title.
    pub title: String,
    /// x-axis label, e.g. `"epoch"`.
    pub x_label: String,
    /// y-axis label, e.g. `"validation loss"`.
    pub y_label: String,
    /// One line per compared configuration.
    pub series: Vec<Series>,
    /// Draw the y-axis on a logarithmic scale (non-positive values are then skipped).
    pub log_y: bool,
}

/// Draws several series on one 800×500 chart into `path` (`.png` or `.svg`).
///
/// Non-finite values are skipped; no series, or a series with nothing to draw, is an error.
pub fn comparison_curves(path: &Path, chart: &ComparisonChart) -> Result<(), FigureError> {
    let panel = LinePanel::prepare(
        path,
        "comparison chart",
        PanelText {
            caption: "",
            x_label: &chart.x_label,
            y_label: &chart.y_label,
        },
        &chart.series,
        chart.log_y,
        None,
    )?;
    render(
        path,
        &ComparisonFigure {
            title: &chart.title,
            panel,
        },
    )
}

struct ComparisonFigure<'a> {
    title: &'a str,
    panel: LinePanel,
}

impl Figure for ComparisonFigure<'_> {
    fn size(&self) -> (u32, u32) {
        COMPARISON_SIZE
    }

    fn draw<DB>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB: DrawingBackend,
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE)?;
        let body = root.titled(self.title, ("sans-serif", 24))?;
        self.panel.draw(&body)
    }
}
