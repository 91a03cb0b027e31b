//! Fuzz target: `nn_fuzz::entry_points::checksums`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nn_fuzz::entry_points::checksums(data));
