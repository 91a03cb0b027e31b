//! Experiments of the neural-network engine: reproductions of five published MLP studies and
//! the figures that report them.
//!
//! The [`figures`] module draws training curves, confusion matrices, prediction grids, scatter,
//! ROC and decision-surface plots from plain data into PNG or SVG files.
//!
//! ```
//! use nn_experiments::figures::{ComparisonChart, Series, comparison_curves};
//!
//! let dir = std::env::temp_dir().join(format!("nn-experiments-doc-{}", std::process::id()));
//! let path = dir.join("optimisers.png");
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
//! assert!(path.exists());
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod figures;
