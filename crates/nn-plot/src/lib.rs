//! nn-plot: the figures of training runs, drawn from plain data (slices, vectors and the small
//! structs below) into SVG or PNG files. It knows nothing of networks: the experiments and the
//! `nn` tool turn their results into these inputs.
//!
//! Every function writes one file and picks the format from its extension: `.png` (bitmap) or
//! `.svg`. Missing parent folders are created. Bad input (no data, mismatched lengths, nothing
//! finite to draw) gives a [`FigureError`] naming the output file; NaN or infinite values inside
//! otherwise good data (e.g. a diverged run) are skipped, never a panic.
//!
//! | function | shows |
//! |---|---|
//! | [`loss_curves`] | training curves: loss panel, optional metric panel, best-epoch marker |
//! | [`comparison_curves`] | several named series on one chart, optional log y-axis |
//! | [`confusion_heatmap`] | confusion matrix counts as a heat map |
//! | [`prediction_grid`] | grey-scale images captioned with true and predicted label |
//! | [`scatter_identity`] | predicted against true values with the line y = x |
//! | [`roc_curve`] | ROC curves with the chance line and AUC in the legend |
//! | [`decision_surface`] | a 2-D classifier's probability map with the data points |
//!
//! Text is drawn with DejaVu Sans compiled into the binary (from the `dejavu` crate), so no
//! system font is needed. SVG files name the font family but do not embed it. Plotters and the
//! font live in this crate only: a crate that trains or predicts never compiles them.
//!
//! ```
//! use nn_plot::{ComparisonChart, Series, comparison_curves};
//!
//! let dir = std::env::temp_dir().join(format!("nn-plot-doc-{}", std::process::id()));
//! let path = dir.join("optimisers.svg");
//! let chart = ComparisonChart {
//!     title: "Validation loss".into(),
//!     x_label: "epoch".into(),
//!     y_label: "loss".into(),
//!     series: vec![
//!         Series::per_epoch("SGD", &[1.0, 0.7, 0.55, 0.5]),
//!         Series::per_epoch("Adam", &[0.8, 0.4, 0.3, 0.28]),
//!     ],
//!     log_y: true,
//! };
//! comparison_curves(&path, &chart)?;
//! assert!(std::fs::read_to_string(&path)?.starts_with("<svg"));
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod axis_labels;
mod axis_range;
mod axis_text;
mod canvas;
mod colour_bar;
mod comparison_curves;
mod confusion_heatmap;
mod contour;
mod decision_surface;
mod error;
mod font;
mod legend_placement;
mod line_panel;
mod log_axis;
mod loss_curves;
mod palette;
mod prediction_grid;
mod roc_curve;
mod scatter_identity;
mod series;
mod text_backend;

pub use axis_labels::AxisLabels;
pub use comparison_curves::{COMPARISON_SIZE, ComparisonChart, comparison_curves};
pub use confusion_heatmap::{CONFUSION_SIZE, confusion_heatmap};
pub use decision_surface::{ClassPoint, SURFACE_SIZE, SurfaceGrid, decision_surface};
pub use error::FigureError;
pub use loss_curves::{CurvePanel, SINGLE_PANEL_SIZE, TWO_PANEL_SIZE, TrainingCurves, loss_curves};
pub use prediction_grid::{LabelledImage, prediction_grid, prediction_grid_size};
pub use roc_curve::{ROC_SIZE, RocSeries, roc_curve};
pub use scatter_identity::{SCATTER_SIZE, scatter_identity};
pub use series::Series;
