//! The one error type of the figures module.

use std::path::PathBuf;

/// Why a figure could not be drawn. Every variant names the output file it was meant for.
#[derive(Debug, thiserror::Error)]
pub enum FigureError {
    /// The data handed in cannot be drawn (empty, mismatched lengths, nothing finite, ...).
    #[error("figure {path}: invalid data: {message}")]
    InvalidData {
        /// The output file the figure was meant for.
        path: PathBuf,
        /// What is wrong with the data.
        message: String,
    },
    /// The file extension is neither `.png` nor `.svg`.
    #[error("figure {path}: unsupported file extension (expected .png or .svg)")]
    UnsupportedFormat {
        /// The output file the figure was meant for.
        path: PathBuf,
    },
    /// The folder for the output file could not be created.
    #[error("figure {path}: cannot create the output folder")]
    CreateDir {
        /// The output file the figure was meant for.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The embedded font could not be registered with the plotting library.
    #[error("figure {path}: the embedded DejaVu Sans font could not be loaded")]
    Font {
        /// The output file the figure was meant for.
        path: PathBuf,
    },
    /// The plotting library failed while drawing or writing the file.
    #[error("figure {path}: drawing failed: {message}")]
    Drawing {
        /// The output file the figure was meant for.
        path: PathBuf,
        /// The plotting library's message.
        message: String,
    },
}

impl FigureError {
    /// Shorthand for [`FigureError::InvalidData`].
    pub(crate) fn invalid(path: &std::path::Path, message: impl Into<String>) -> Self {
        Self::InvalidData {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}
