//! The `nn` command-line tool's commands, as functions returning their text (the binary
//! `src/bin/nn.rs` only parses arguments and prints): train from a TOML spec, evaluate,
//! predict on a raw CSV, summarise and export a model file.

pub mod evaluate;
pub mod input_file;
pub mod inspect;
mod json_difference;
pub mod metrics_text;
pub mod model_on_csv;
pub mod predict;
pub mod tabular_data;
pub mod train;
