//! One line-chart panel (several named series, optional log y-axis, optional vertical marker),
//! shared by the training-curve and comparison figures.

use std::path::Path;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;

use super::axis_range::{bounds, padded_linear, padded_log};
use super::axis_text::describe_axes;
use super::canvas::DrawResult;
use super::error::FigureError;
use super::legend_placement::{least_crowded_corner, normalise};
use super::log_axis::LogAxis;
use super::palette::{ALERT_RED, series_colour};
use super::series::Series;

/// Series with more points than this are drawn as plain lines, without point markers.
const MAX_POINTS_WITH_MARKERS: usize = 40;

/// A vertical dashed line across a panel, with its legend text.
#[derive(Debug, Clone)]
pub(crate) struct VerticalMarker {
    /// Where the line is drawn on the x-axis.
    pub(crate) x: f64,
    /// Its legend entry.
    pub(crate) label: String,
}

/// A series ready to draw: only drawable points, and its colour.
#[derive(Debug, Clone)]
struct PreparedLine {
    name: String,
    colour: RGBColor,
    points: Vec<(f64, f64)>,
}

/// A checked line-chart panel: every series has points, and the axis ranges are known.
#[derive(Debug, Clone)]
pub(crate) struct LinePanel {
    caption: String,
    x_label: String,
    y_label: String,
    log_y: bool,
    lines: Vec<PreparedLine>,
    marker: Option<VerticalMarker>,
    x_range: (f64, f64),
    y_range: (f64, f64),
}

/// The text of a line panel: caption (may be empty) and axis descriptions.
pub(crate) struct PanelText<'a> {
    pub(crate) caption: &'a str,
    pub(crate) x_label: &'a str,
    pub(crate) y_label: &'a str,
}

impl LinePanel {
    /// Checks `series` and computes the axis ranges. `what` names the panel in error messages.
    pub(crate) fn prepare(
        path: &Path,
        what: &str,
        text: PanelText<'_>,
        series: &[Series],
        log_y: bool,
        marker: Option<VerticalMarker>,
    ) -> Result<Self, FigureError> {
        if series.is_empty() {
            return Err(FigureError::invalid(
                path,
                format!("{what}: no series given"),
            ));
        }
        let mut lines = Vec::with_capacity(series.len());
        for (index, s) in series.iter().enumerate() {
            let points = s.drawable_points(log_y);
            if points.is_empty() {
                let why = if s.points.is_empty() {
                    "has no points"
                } else if log_y {
                    "has no finite positive values to draw on a log axis"
                } else {
                    "has no finite values"
                };
                return Err(FigureError::invalid(
                    path,
                    format!("{what}: series '{}' {why}", s.name),
                ));
            }
            lines.push(PreparedLine {
                name: s.name.clone(),
                colour: series_colour(index),
                points,
            });
        }
        if let Some(m) = &marker
            && !m.x.is_finite()
        {
            return Err(FigureError::invalid(
                path,
                format!("{what}: marker '{}' is at a non-finite x", m.label),
            ));
        }
        let all_points = || lines.iter().flat_map(|l| l.points.iter().copied());
        // Invariant: every line has at least one finite point, so both bounds exist.
        let x_bounds = bounds(
            all_points()
                .map(|p| p.0)
                .chain(marker.as_ref().map(|m| m.x)),
        )
        .unwrap_or((0.0, 1.0));
        let y_bounds = bounds(all_points().map(|p| p.1)).unwrap_or((0.0, 1.0));
        // A single epoch gets a whole epoch of room on each side.
        let x_range = if x_bounds.1 > x_bounds.0 {
            x_bounds
        } else {
            (x_bounds.0 - 1.0, x_bounds.1 + 1.0)
        };
        let y_range = if log_y {
            padded_log(y_bounds)
        } else {
            padded_linear(y_bounds, 0.05)
        };
        Ok(Self {
            caption: text.caption.to_string(),
            x_label: text.x_label.to_string(),
            y_label: text.y_label.to_string(),
            log_y,
            lines,
            marker,
            x_range,
            y_range,
        })
    }

    /// Draws the panel into `area`.
    pub(crate) fn draw<DB>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB: DrawingBackend,
        DB::ErrorType: 'static,
    {
        let (y0, y1) = self.y_range;
        if self.log_y {
            self.draw_with_y(area, LogAxis::new(y0, y1))
        } else {
            self.draw_with_y(area, y0..y1)
        }
    }

    fn draw_with_y<DB, Y>(&self, area: &DrawingArea<DB, Shift>, y_spec: Y) -> DrawResult
    where
        DB: DrawingBackend,
        DB::ErrorType: 'static,
        Y: AsRangedCoord<Value = f64>,
        Y::CoordDescType: ValueFormatter<f64>,
    {
        let (x0, x1) = self.x_range;
        let mut builder = ChartBuilder::on(area);
        builder
            .margin(12)
            .margin_right(24)
            .x_label_area_size(50)
            .y_label_area_size(70);
        if !self.caption.is_empty() {
            builder.caption(&self.caption, ("sans-serif", 20));
        }
        let mut chart = builder.build_cartesian_2d(x0..x1, y_spec)?;
        describe_axes(&mut chart.configure_mesh(), &self.x_label, &self.y_label)
            .x_labels(10)
            .y_labels(8)
            .light_line_style(RGBColor(242, 242, 242))
            .bold_line_style(RGBColor(210, 210, 210))
            .draw()?;

        for line in &self.lines {
            let colour = line.colour;
            chart
                .draw_series(LineSeries::new(
                    line.points.iter().copied(),
                    colour.stroke_width(2),
                ))?
                .label(line.name.as_str())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(3))
                });
            if line.points.len() <= MAX_POINTS_WITH_MARKERS {
                chart.draw_series(
                    line.points
                        .iter()
                        .map(|&p| Circle::new(p, 3, colour.filled())),
                )?;
            }
        }
        if let Some(marker) = &self.marker {
            let style = ALERT_RED.stroke_width(2);
            let (ylo, yhi) = self.y_range;
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(marker.x, ylo), (marker.x, yhi)],
                    8,
                    5,
                    style,
                ))?
                .label(marker.label.as_str())
                .legend(move |(x, y)| {
                    EmptyElement::at((x, y))
                        + PathElement::new(vec![(0, 0), (8, 0)], style)
                        + PathElement::new(vec![(14, 0), (24, 0)], style)
                });
        }

        let normalised: Vec<_> = self
            .lines
            .iter()
            .map(|l| normalise(&l.points, self.x_range, self.y_range, self.log_y))
            .collect();
        chart
            .configure_series_labels()
            .position(least_crowded_corner(&normalised))
            .label_font(("sans-serif", 15))
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(160, 160, 160))
            .margin(10)
            .draw()?;
        Ok(())
    }
}
