//! A 2-D classifier's probability over the plane as a colour map, with the data points on top.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axis_labels::AxisLabels;
use super::axis_text::describe_axes;
use super::canvas::{DrawResult, Figure, render};
use super::colour_bar::{COLOUR_BAR_WIDTH, draw_colour_bar, round_ticks};
use super::contour::level_segments;
use super::error::FigureError;
use super::palette::{blue_white_red, lighten, series_colour};

/// Size of a decision-surface figure in pixels.
pub const SURFACE_SIZE: (u32, u32) = (800, 640);

/// Margin around the plot, shared by the chart and the colour bar so that they line up.
const MARGIN: i32 = 12;
/// Height reserved under the plot for the x-axis labels.
const X_LABEL_AREA: i32 = 50;

/// A classifier's output sampled on a regular grid of cells covering a rectangle.
///
/// Cell (column `c`, row `r`) covers `[x0 + c·dx, x0 + (c+1)·dx] × [y0 + r·dy, y0 + (r+1)·dy]`
/// with `dx = (x1 − x0) / columns`, `dy = (y1 − y0) / rows`; its value, sampled at the cell
/// centre, is `values[r * columns + c]` (row 0 at the bottom).
#[derive(Debug, Clone, PartialEq)]
pub struct SurfaceGrid {
    /// `(x0, x1)`: the horizontal extent.
    pub x_range: (f64, f64),
    /// `(y0, y1)`: the vertical extent.
    pub y_range: (f64, f64),
    /// Number of cells across.
    pub columns: usize,
    /// Number of cells up.
    pub rows: usize,
    /// One value per cell, usually the probability of class 1 (drawn on a 0–1 scale).
    pub values: Vec<f64>,
}

impl SurfaceGrid {
    /// Samples `probability(x, y)` at the centre of every cell of a `columns × rows` grid.
    pub fn from_fn(
        x_range: (f64, f64),
        y_range: (f64, f64),
        columns: usize,
        rows: usize,
        probability: impl Fn(f64, f64) -> f64,
    ) -> Self {
        let dx = (x_range.1 - x_range.0) / columns.max(1) as f64;
        let dy = (y_range.1 - y_range.0) / rows.max(1) as f64;
        let values = (0..rows)
            .flat_map(|r| (0..columns).map(move |c| (c, r)))
            .map(|(c, r)| {
                probability(
                    x_range.0 + (c as f64 + 0.5) * dx,
                    y_range.0 + (r as f64 + 0.5) * dy,
                )
            })
            .collect();
        Self {
            x_range,
            y_range,
            columns,
            rows,
            values,
        }
    }

    fn cell_size(&self) -> (f64, f64) {
        (
            (self.x_range.1 - self.x_range.0) / self.columns as f64,
            (self.y_range.1 - self.y_range.0) / self.rows as f64,
        )
    }
}

/// A data point of a 2-D classification problem.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassPoint {
    /// First feature (horizontal axis).
    pub x: f64,
    /// Second feature (vertical axis).
    pub y: f64,
    /// Its class, which picks its colour (0 blue, 1 red, others from the line palette).
    pub class: usize,
}

/// The colour of probability `p` in the map: the diverging scale, lightened so that the points
/// drawn on top stand out.
fn surface_colour(p: f64) -> RGBColor {
    lighten(blue_white_red(p), 0.25)
}

/// The colour of class `class` in the point layer.
fn class_colour(class: usize) -> RGBColor {
    match class {
        0 => RGBColor(33, 102, 172),
        1 => RGBColor(178, 24, 43),
        k => series_colour(k),
    }
}

/// Draws `grid` as a blue (0) – white (0.5) – red (1) colour map with a colour bar, the 0.5
/// contour as a black line, and `points` coloured by class, into `path` (`.png` or `.svg`),
/// 800×640.
///
/// NaN cells are left blank and non-finite points skipped; an empty or inconsistent grid, or
/// one without a finite value, is an error. `points` may be empty.
pub fn decision_surface(
    path: &Path,
    labels: &AxisLabels,
    grid: &SurfaceGrid,
    points: &[ClassPoint],
) -> Result<(), FigureError> {
    let (x0, x1) = grid.x_range;
    let (y0, y1) = grid.y_range;
    if !(x0.is_finite() && x1.is_finite() && x1 > x0 && y0.is_finite() && y1.is_finite() && y1 > y0)
    {
        return Err(FigureError::invalid(
            path,
            format!(
                "the surface covers an empty or non-finite rectangle [{x0}, {x1}] × [{y0}, {y1}]"
            ),
        ));
    }
    if grid.columns == 0 || grid.rows == 0 || grid.values.len() != grid.columns * grid.rows {
        return Err(FigureError::invalid(
            path,
            format!(
                "a {}×{} surface grid needs {} values, got {}",
                grid.columns,
                grid.rows,
                grid.columns * grid.rows,
                grid.values.len()
            ),
        ));
    }
    if !grid.values.iter().any(|v| v.is_finite()) {
        return Err(FigureError::invalid(
            path,
            "the surface grid has no finite value",
        ));
    }
    render(
        path,
        &SurfaceFigure {
            labels,
            grid,
            points,
        },
    )
}

struct SurfaceFigure<'a> {
    labels: &'a AxisLabels,
    grid: &'a SurfaceGrid,
    points: &'a [ClassPoint],
}

impl Figure for SurfaceFigure<'_> {
    fn size(&self) -> (u32, u32) {
        SURFACE_SIZE
    }

    fn draw<DB>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB: DrawingBackend,
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE)?;
        let body = root.titled(&self.labels.title, ("sans-serif", 24))?;
        let (width, height) = body.dim_in_pixel();
        let (plot_area, bar_area) =
            body.split_horizontally(width as i32 - COLOUR_BAR_WIDTH - MARGIN);
        let grid = self.grid;
        let (x0, x1) = grid.x_range;
        let (y0, y1) = grid.y_range;
        let mut chart = ChartBuilder::on(&plot_area)
            .margin(MARGIN)
            .x_label_area_size(X_LABEL_AREA)
            .y_label_area_size(70)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        describe_axes(&mut chart.configure_mesh(), &self.labels.x, &self.labels.y)
            .disable_mesh()
            .draw()?;

        let (dx, dy) = grid.cell_size();
        chart.draw_series(grid.values.iter().enumerate().filter_map(|(k, &v)| {
            if v.is_nan() {
                return None;
            }
            let (c, r) = ((k % grid.columns) as f64, (k / grid.columns) as f64);
            let corner = (x0 + c * dx, y0 + r * dy);
            Some(Rectangle::new(
                [corner, (corner.0 + dx, corner.1 + dy)],
                surface_colour(v).filled(),
            ))
        }))?;

        let to_data = |(c, r): (f64, f64)| (x0 + (c + 0.5) * dx, y0 + (r + 0.5) * dy);
        let segments = level_segments(&grid.values, grid.columns, grid.rows, 0.5);
        if !segments.is_empty() {
            let style = BLACK.stroke_width(2);
            chart
                .draw_series(
                    segments
                        .iter()
                        .map(|&(p, q)| PathElement::new(vec![to_data(p), to_data(q)], style)),
                )?
                .label("p = 0.5")
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], style));
        }

        let mut classes: Vec<usize> = self.points.iter().map(|p| p.class).collect();
        classes.sort_unstable();
        classes.dedup();
        for class in classes {
            let colour = class_colour(class);
            let members = self
                .points
                .iter()
                .filter(|p| p.class == class && p.x.is_finite() && p.y.is_finite());
            chart
                .draw_series(members.map(|p| {
                    EmptyElement::at((p.x, p.y))
                        + Circle::new((0, 0), 5, colour.filled())
                        + Circle::new((0, 0), 5, BLACK.stroke_width(1))
                }))?
                .label(format!("class {class}"))
                .legend(move |(x, y)| {
                    EmptyElement::at((x + 12, y))
                        + Circle::new((0, 0), 5, colour.filled())
                        + Circle::new((0, 0), 5, BLACK.stroke_width(1))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font(("sans-serif", 15))
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(160, 160, 160))
            .margin(10)
            .draw()?;

        draw_colour_bar(
            &bar_area,
            (8, MARGIN, height as i32 - MARGIN - X_LABEL_AREA),
            (0.0, 1.0),
            &round_ticks(0.0, 1.0),
            surface_colour,
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_fn_samples_cell_centres_row_by_row_from_the_bottom() {
        let grid = SurfaceGrid::from_fn((0.0, 2.0), (0.0, 4.0), 2, 2, |x, y| 10.0 * x + y);
        // Centres: x ∈ {0.5, 1.5}, y ∈ {1, 3}.
        assert_eq!(grid.values, vec![6.0, 16.0, 8.0, 18.0]);
        assert_eq!(grid.cell_size(), (1.0, 2.0));
    }
}
