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

pub mod catalog;
pub mod csv_source;
pub mod drawing;
pub mod prepared_data;
pub mod report;
pub mod reproduce;
pub mod runner;
pub mod spec;
pub mod spec_suggest;
