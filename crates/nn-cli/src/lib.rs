//! nn-cli: the `nn` command-line tool (`cargo install --path crates/nn-cli` installs `nn`).
//!
//! `nn` trains a feedforward network on a user's CSV from a TOML spec (see
//! `docs/experiment-spec.md`), then evaluates it, predicts with it on raw CSV rows, summarises
//! it or exports it. This library holds the commands as functions returning their text; the
//! binary (`src/main.rs`) only parses arguments and prints. A model file written here is the
//! library's [`nn_train`] bundle, so a model trained from Rust works with `nn predict` and the
//! reverse.
//!
//! ```no_run
//! use std::path::Path;
//!
//! // The text `nn summary runs/iris/model.nn` prints.
//! let text = nn_cli::inspect::summary(Path::new("runs/iris/model.nn"))?;
//! println!("{text}");
//! # Ok::<(), anyhow::Error>(())
//! ```

pub mod evaluate;
pub mod export;
pub mod input_file;
pub mod inspect;
mod json_difference;
pub mod metrics_text;
pub mod model_on_csv;
pub mod predict;
pub mod run_lock;
pub mod tabular_data;
pub mod train;
