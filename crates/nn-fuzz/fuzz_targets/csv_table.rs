//! Fuzz target: `nn_fuzz::entry_points::csv_table`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nn_fuzz::entry_points::csv_table(data));
