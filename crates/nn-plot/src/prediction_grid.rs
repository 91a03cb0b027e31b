//! A grid of small grey-scale images, each captioned with its true and predicted label.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::{DrawResult, Figure, render};
use super::error::FigureError;
use super::palette::ALERT_RED;

/// Side of the square drawing space for each image, in pixels.
const IMAGE_BOX: u32 = 140;
/// Height of the caption above each image.
const CAPTION_HEIGHT: u32 = 30;
/// Space between and around cells.
const GAP: u32 = 16;
/// Height of the figure title band.
const TITLE_HEIGHT: u32 = 44;

/// One image of a prediction grid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelledImage<'a> {
    /// Grey levels in [0, 1] (0 black, 1 white; values outside are clamped), row-major: pixel
    /// (row r, column c) is `pixels[r * width + c]`, as in the MNIST IDX files.
    pub pixels: &'a [f32],
    /// The true class.
    pub true_label: usize,
    /// The class the model predicted; the caption is red when it differs from `true_label`.
    pub predicted_label: usize,
}

/// Pixel size of a prediction grid of `count` images in rows of `columns`.
pub fn prediction_grid_size(count: usize, columns: usize) -> (u32, u32) {
    let columns = columns.clamp(1, count.max(1)) as u32;
    let rows = count.div_ceil(columns as usize).max(1) as u32;
    let width = columns * IMAGE_BOX + (columns + 1) * GAP;
    let height = TITLE_HEIGHT + rows * (CAPTION_HEIGHT + IMAGE_BOX) + (rows + 1) * GAP;
    (width, height)
}

/// Draws `images` in rows of `columns` into `path` (`.png` or `.svg`), each captioned
/// `"T: 7 P: 7"` (true / predicted), wrong predictions in red. Every image must hold
/// `height × width` finite pixels, with `image_shape = (height, width)`, e.g. `(28, 28)`.
/// The figure size is [`prediction_grid_size`].
pub fn prediction_grid(
    path: &Path,
    title: &str,
    images: &[LabelledImage<'_>],
    image_shape: (usize, usize),
    columns: usize,
) -> Result<(), FigureError> {
    let (height, width) = image_shape;
    if images.is_empty() {
        return Err(FigureError::invalid(
            path,
            "no images given for the prediction grid",
        ));
    }
    if height == 0 || width == 0 {
        return Err(FigureError::invalid(
            path,
            format!("image shape {height}×{width} has no pixels"),
        ));
    }
    if columns == 0 {
        return Err(FigureError::invalid(
            path,
            "a prediction grid needs at least one column",
        ));
    }
    for (index, image) in images.iter().enumerate() {
        if image.pixels.len() != height * width {
            return Err(FigureError::invalid(
                path,
                format!(
                    "image {index} has {} pixels, expected {height}×{width} = {}",
                    image.pixels.len(),
                    height * width
                ),
            ));
        }
        if let Some(at) = image.pixels.iter().position(|p| !p.is_finite()) {
            return Err(FigureError::invalid(
                path,
                format!("image {index} has a non-finite pixel at index {at}"),
            ));
        }
    }
    render(
        path,
        &GridFigure {
            title,
            images,
            height,
            width,
            columns: columns.min(images.len()),
        },
    )
}

struct GridFigure<'a, 'b> {
    title: &'a str,
    images: &'a [LabelledImage<'b>],
    height: usize,
    width: usize,
    columns: usize,
}

impl Figure for GridFigure<'_, '_> {
    fn size(&self) -> (u32, u32) {
        prediction_grid_size(self.images.len(), self.columns)
    }

    fn draw<DB>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB: DrawingBackend,
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE)?;
        let (figure_width, _) = root.dim_in_pixel();
        root.draw(&Text::new(
            self.title,
            (figure_width as i32 / 2, TITLE_HEIGHT as i32 / 2 + 4),
            ("sans-serif", 22)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
        // Whole screen pixels per image pixel, so every image pixel is a crisp square.
        let scale = (IMAGE_BOX as usize / self.width.max(self.height)).max(1) as i32;
        let (drawn_w, drawn_h) = (scale * self.width as i32, scale * self.height as i32);
        for (index, image) in self.images.iter().enumerate() {
            let (row, column) = (index / self.columns, index % self.columns);
            let cell_x = (GAP + column as u32 * (IMAGE_BOX + GAP)) as i32;
            let cell_y =
                (TITLE_HEIGHT + GAP + row as u32 * (CAPTION_HEIGHT + IMAGE_BOX + GAP)) as i32;
            let correct = image.true_label == image.predicted_label;
            let caption_colour = if correct { BLACK } else { ALERT_RED };
            root.draw(&Text::new(
                format!("T: {} P: {}", image.true_label, image.predicted_label),
                (
                    cell_x + IMAGE_BOX as i32 / 2,
                    cell_y + CAPTION_HEIGHT as i32 / 2,
                ),
                ("sans-serif", 18)
                    .into_font()
                    .color(&caption_colour)
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            ))?;
            let x0 = cell_x + (IMAGE_BOX as i32 - drawn_w) / 2;
            let y0 = cell_y + CAPTION_HEIGHT as i32 + (IMAGE_BOX as i32 - drawn_h) / 2;
            for (k, &value) in image.pixels.iter().enumerate() {
                let grey = (f64::from(value).clamp(0.0, 1.0) * 255.0).round() as u8;
                let (r, c) = ((k / self.width) as i32, (k % self.width) as i32);
                let (px, py) = (x0 + c * scale, y0 + r * scale);
                root.draw(&Rectangle::new(
                    [(px, py), (px + scale, py + scale)],
                    RGBColor(grey, grey, grey).filled(),
                ))?;
            }
            if !correct {
                root.draw(&Rectangle::new(
                    [(x0 - 2, y0 - 2), (x0 + drawn_w + 1, y0 + drawn_h + 1)],
                    ALERT_RED.stroke_width(2),
                ))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_size_grows_with_rows_and_columns() {
        let (w3, h3) = prediction_grid_size(9, 3);
        let (w5, h5) = prediction_grid_size(10, 5);
        assert!(w5 > w3 && h3 > h5);
        assert_eq!(prediction_grid_size(2, 5), prediction_grid_size(2, 2));
    }
}
