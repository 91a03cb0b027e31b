//! Predicted against true values, with the identity line y = x (a perfect model's points).

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axis_labels::AxisLabels;
use super::axis_range::{bounds, padded_linear};
use super::axis_text::describe_axes;
use super::canvas::{DrawResult, Figure, render};
use super::error::FigureError;
use super::palette::series_colour;

/// Size of a scatter figure in pixels (nearly square, so y = x runs at 45°).
pub const SCATTER_SIZE: (u32, u32) = (680, 620);

/// Draws one point per sample at (`truth[i]`, `predicted[i]`) into `path` (`.png` or `.svg`),
/// 680×620, with the dashed identity line. Both axes share one range.
///
/// Pairs with a non-finite value are skipped; unequal lengths or nothing finite is an error.
pub fn scatter_identity(
    path: &Path,
    labels: &AxisLabels,
    truth: &[f64],
    predicted: &[f64],
) -> Result<(), FigureError> {
    if truth.len() != predicted.len() {
        return Err(FigureError::invalid(
            path,
            format!(
                "{} true values but {} predictions",
                truth.len(),
                predicted.len()
            ),
        ));
    }
    let points: Vec<(f64, f64)> = truth
        .iter()
        .zip(predicted)
        .map(|(&t, &p)| (t, p))
        .filter(|(t, p)| t.is_finite() && p.is_finite())
        .collect();
    let Some(span) = bounds(points.iter().flat_map(|&(t, p)| [t, p])) else {
        return Err(FigureError::invalid(
            path,
            if truth.is_empty() {
                "no values to scatter"
            } else {
                "no pair of finite true and predicted values"
            },
        ));
    };
    render(
        path,
        &ScatterFigure {
            labels,
            points,
            range: padded_linear(span, 0.05),
        },
    )
}

struct ScatterFigure<'a> {
    labels: &'a AxisLabels,
    points: Vec<(f64, f64)>,
    range: (f64, f64),
}

impl Figure for ScatterFigure<'_> {
    fn size(&self) -> (u32, u32) {
        SCATTER_SIZE
    }

    fn draw<DB>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB: DrawingBackend,
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE)?;
        let (lo, hi) = self.range;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.labels.title, ("sans-serif", 24))
            .margin(12)
            .margin_right(24)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(lo..hi, lo..hi)?;
        describe_axes(&mut chart.configure_mesh(), &self.labels.x, &self.labels.y)
            .light_line_style(RGBColor(235, 235, 235))
            .bold_line_style(RGBColor(210, 210, 210))
            .draw()?;
        // Many points overlap: smaller and more transparent as their number grows.
        let (radius, alpha) = if self.points.len() > 2000 {
            (2, 0.35)
        } else if self.points.len() > 300 {
            (3, 0.5)
        } else {
            (4, 0.7)
        };
        let colour = series_colour(0);
        chart
            .draw_series(
                self.points
                    .iter()
                    .map(|&p| Circle::new(p, radius, colour.mix(alpha).filled())),
            )?
            .label("samples")
            .legend(move |(x, y)| Circle::new((x + 12, y), 4, colour.filled()));
        let line_style = BLACK.stroke_width(2);
        chart
            .draw_series(DashedLineSeries::new(
                vec![(lo, lo), (hi, hi)],
                10,
                6,
                line_style,
            ))?
            .label("y = x")
            .legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + PathElement::new(vec![(0, 0), (9, 0)], line_style)
                    + PathElement::new(vec![(15, 0), (24, 0)], line_style)
            });
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .label_font(("sans-serif", 15))
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(160, 160, 160))
            .margin(10)
            .draw()?;
        Ok(())
    }
}
