//! Fuzz target: `nn_fuzz::entry_points::spec`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nn_fuzz::entry_points::spec(data));
