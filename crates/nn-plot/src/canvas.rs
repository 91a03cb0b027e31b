//! Picks the output format from the file extension and runs a figure's drawing code on it.

use std::error::Error;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::error::FigureError;
use super::font::{dejavu_sans, ensure_fonts_registered};
use super::text_backend::TextBackend;

/// What a figure's drawing code returns: any plotting error, turned into a message later.
pub(crate) type DrawResult = Result<(), Box<dyn Error>>;

/// A figure whose data has already been checked: it only has to be drawn.
pub(crate) trait Figure {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);

    /// Draws the whole figure on `root` (already sized, not yet filled).
    fn draw<DB>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB: DrawingBackend,
        DB::ErrorType: 'static;
}

/// The file formats a figure can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OutputFormat {
    Png,
    Svg,
}

impl OutputFormat {
    fn from_path(path: &Path) -> Result<Self, FigureError> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("png") => Ok(Self::Png),
            Some("svg") => Ok(Self::Svg),
            _ => Err(FigureError::UnsupportedFormat {
                path: path.to_path_buf(),
            }),
        }
    }
}

/// Draws `figure` into `path` (PNG or SVG by extension), creating the parent folder if needed.
pub(crate) fn render(path: &Path, figure: &impl Figure) -> Result<(), FigureError> {
    let format = OutputFormat::from_path(path)?;
    let fonts = match dejavu_sans() {
        Some(fonts) if ensure_fonts_registered() => fonts,
        _ => {
            return Err(FigureError::Font {
                path: path.to_path_buf(),
            });
        }
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| FigureError::CreateDir {
            path: path.to_path_buf(),
            source,
        })?;
    }
    let drawing_failed = |message: String| FigureError::Drawing {
        path: path.to_path_buf(),
        message,
    };
    match format {
        OutputFormat::Png => {
            // Bitmap text goes through the wrapper, which places glyphs correctly.
            let backend = TextBackend::new(BitMapBackend::new(path, figure.size()), fonts);
            let root = backend.into_drawing_area();
            figure
                .draw(&root)
                .map_err(|e| drawing_failed(e.to_string()))?;
            root.present().map_err(|e| drawing_failed(e.to_string()))
        }
        OutputFormat::Svg => {
            let root = SVGBackend::new(path, figure.size()).into_drawing_area();
            figure
                .draw(&root)
                .map_err(|e| drawing_failed(e.to_string()))?;
            root.present().map_err(|e| drawing_failed(e.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_follows_the_extension_case_insensitively() {
        assert_eq!(
            OutputFormat::from_path(Path::new("a/b.PNG")).ok(),
            Some(OutputFormat::Png)
        );
        assert_eq!(
            OutputFormat::from_path(Path::new("b.svg")).ok(),
            Some(OutputFormat::Svg)
        );
        for bad in ["b.jpg", "b", "png"] {
            assert!(matches!(
                OutputFormat::from_path(Path::new(bad)),
                Err(FigureError::UnsupportedFormat { .. })
            ));
        }
    }
}
