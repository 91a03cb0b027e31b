//! Experiments of the neural-network engine: reproductions of five published MLP studies and
//! the figures that report them.
//!
//! * [`spec`] is the experiment format: one documented TOML file per published result
//!   (`experiments/*.toml`, embedded by [`catalog`]), with data, split, preprocessing, model,
//!   training, published numbers with tolerances and notes on every choice made.
//! * [`prepared_data`] loads and splits the data (statistics fitted on the training part only),
//!   [`runner`] builds and trains the networks and computes the metrics, [`drawing`] draws the
//!   figures, [`report`] compares with the published numbers and [`reproduce`] runs it all
//!   (the `nn-experiments` binary, `cargo xtask reproduce-all`).
//!
//! ```
//! use nn_experiments::catalog::all_specs;
//!
//! let specs = all_specs()?;
//! let grid = specs.iter().find(|s| s.name == "004-grid-sgd").unwrap();
//! assert_eq!(grid.run_count(), 12);
//! # Ok::<(), nn_experiments::spec::SpecError>(())
//! ```
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

pub mod catalog;
pub mod cli;
pub mod csv_source;
pub mod drawing;
pub mod error_text;
pub mod export;
pub mod figures;
pub mod model_bundle;
pub mod prepared_data;
pub mod report;
pub mod reproduce;
pub mod runner;
pub mod spec;
pub mod spec_suggest;
