//! Fuzz targets for every parser of users' files (see `docs/fuzzing.md`).
//!
//! [`entry_points`] is what each target does with its input; [`checksum_repair`] lets the
//! mutators of the model-file and checkpoint targets keep a mutated input's checksums right,
//! so that mutations reach the decoders behind them instead of stopping at the checksum.

pub mod checksum_repair;
pub mod entry_points;
