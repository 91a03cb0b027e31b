//! Confusion matrix as a heat map: true class per row, predicted class per column.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::{DrawResult, Figure, render};
use super::colour_bar::{COLOUR_BAR_WIDTH, draw_colour_bar, round_ticks};
use super::error::FigureError;
use super::palette::{blues, needs_white_text};

/// Size of a confusion-matrix figure in pixels.
pub const CONFUSION_SIZE: (u32, u32) = (800, 680);

/// Draws `counts[true][predicted]` as a heat map into `path` (`.png` or `.svg`), 800×680.
///
/// Each cell shows its count (white on dark cells); rows are labelled with the true class,
/// columns with the predicted class, and a colour bar gives the scale. `counts` must be square
/// and match `class_names` in size.
pub fn confusion_heatmap(
    path: &Path,
    title: &str,
    counts: &[Vec<usize>],
    class_names: &[String],
) -> Result<(), FigureError> {
    let n = counts.len();
    if n == 0 {
        return Err(FigureError::invalid(
            path,
            "the confusion matrix has no rows",
        ));
    }
    if let Some((row, r)) = counts.iter().enumerate().find(|(_, r)| r.len() != n) {
        return Err(FigureError::invalid(
            path,
            format!(
                "the confusion matrix is not square: row {row} has {} counts, expected {n}",
                r.len()
            ),
        ));
    }
    if class_names.len() != n {
        return Err(FigureError::invalid(
            path,
            format!(
                "{} class names given for a {n}×{n} confusion matrix",
                class_names.len()
            ),
        ));
    }
    render(
        path,
        &ConfusionFigure {
            title,
            counts,
            class_names,
        },
    )
}

struct ConfusionFigure<'a> {
    title: &'a str,
    counts: &'a [Vec<usize>],
    class_names: &'a [String],
}

impl Figure for ConfusionFigure<'_> {
    fn size(&self) -> (u32, u32) {
        CONFUSION_SIZE
    }

    fn draw<DB>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB: DrawingBackend,
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE)?;
        let area = root.titled(self.title, ("sans-serif", 24))?;
        let (width, height) = area.dim_in_pixel();
        let (width, height) = (width as i32, height as i32);
        let n = self.counts.len() as i32;

        let name_font = ("sans-serif", 16).into_font();
        let measuring_style = name_font.clone().color(&BLACK);
        let name_width = self
            .class_names
            .iter()
            .map(|name| {
                area.estimate_text_size(name, &measuring_style)
                    .map(|(w, _)| w as i32)
            })
            .try_fold(0, |widest, w| w.map(|w| widest.max(w)))?;

        // Left: rotated axis description and row names. Bottom: column names (rotated when
        // they do not fit under a cell) and the axis description. Right: the colour bar.
        let left = 40 + name_width + 10;
        let right_space = COLOUR_BAR_WIDTH + 20;
        let top = 10;
        let max_cell_w = (width - left - right_space) / n;
        let rotate_columns = name_width + 6 > max_cell_w;
        let bottom_space = if rotate_columns { name_width + 50 } else { 70 };
        let cell = max_cell_w.min((height - top - bottom_space) / n).max(4);
        let grid_w = cell * n;
        let grid_bottom = top + grid_w;

        let max_count = self.counts.iter().flatten().copied().max().unwrap_or(0);
        let shade = |count: usize| {
            if max_count == 0 {
                0.0
            } else {
                count as f64 / max_count as f64
            }
        };
        let widest_count = max_count.to_string().len().max(1) as f64;
        let count_size = (f64::from(cell) * 0.4)
            .min(f64::from(cell) * 0.85 / (0.62 * widest_count))
            .clamp(6.0, 22.0);

        for (i, row) in self.counts.iter().enumerate() {
            for (j, &count) in row.iter().enumerate() {
                let (x0, y0) = (left + j as i32 * cell, top + i as i32 * cell);
                let fill = blues(shade(count));
                area.draw(&Rectangle::new(
                    [(x0, y0), (x0 + cell, y0 + cell)],
                    fill.filled(),
                ))?;
                let text_colour = if needs_white_text(fill) { WHITE } else { BLACK };
                area.draw(&Text::new(
                    count.to_string(),
                    (x0 + cell / 2, y0 + cell / 2),
                    ("sans-serif", count_size)
                        .into_font()
                        .color(&text_colour)
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                ))?;
            }
        }
        area.draw(&Rectangle::new(
            [(left, top), (left + grid_w, grid_bottom)],
            RGBColor(120, 120, 120).stroke_width(1),
        ))?;

        let row_style = name_font
            .clone()
            .color(&BLACK)
            .pos(Pos::new(HPos::Right, VPos::Center));
        for (i, name) in self.class_names.iter().enumerate() {
            let y = top + i as i32 * cell + cell / 2;
            area.draw(&Text::new(name.as_str(), (left - 8, y), row_style.clone()))?;
        }
        let column_style = if rotate_columns {
            name_font
                .clone()
                .transform(FontTransform::Rotate270)
                .color(&BLACK)
                .pos(Pos::new(HPos::Right, VPos::Center))
        } else {
            name_font
                .clone()
                .color(&BLACK)
                .pos(Pos::new(HPos::Center, VPos::Top))
        };
        for (j, name) in self.class_names.iter().enumerate() {
            let x = left + j as i32 * cell + cell / 2;
            area.draw(&Text::new(
                name.as_str(),
                (x, grid_bottom + 8),
                column_style.clone(),
            ))?;
        }

        let description = ("sans-serif", 18).into_font().color(&BLACK);
        area.draw(&Text::new(
            "predicted",
            (left + grid_w / 2, grid_bottom + bottom_space - 20),
            description.pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
        area.draw(&Text::new(
            "true",
            (14, top + grid_w / 2),
            ("sans-serif", 18)
                .into_font()
                .transform(FontTransform::Rotate270)
                .color(&BLACK)
                .pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;

        // An all-zero matrix still gets a readable 0–1 scale.
        let max = (max_count as f64).max(1.0);
        draw_colour_bar(
            &area,
            (left + grid_w + 24, top, grid_bottom),
            (0.0, max),
            &round_ticks(0.0, max),
            blues,
        )?;
        Ok(())
    }
}
