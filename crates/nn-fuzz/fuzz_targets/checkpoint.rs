//! Fuzz target: `nn_fuzz::entry_points::checkpoint`. Its mutator keeps the checksums of
//! three mutated inputs in four right, so mutations reach the decoders behind them.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nn_fuzz::entry_points::checkpoint(data));

libfuzzer_sys::fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    let size = libfuzzer_sys::fuzzer_mutate(data, size, max_size);
    if seed % 4 != 0 {
        nn_fuzz::checksum_repair::repair_checkpoint(&mut data[..size]);
    }
    size
});
