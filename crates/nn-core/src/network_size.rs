//! How large a network may be: checked when a dense layer is built, before its weights are
//! allocated, so a typo such as `hidden = [1000000000000]` is an error naming the layer and
//! the memory it would need instead of an allocation that aborts the process.
//!
//! The limit is a parameter count, [`MAX_PARAMETERS`] (2^30, about 1.07 billion). Training
//! holds about [`TRAINING_BYTES_PER_PARAMETER`] bytes per parameter (the `f32` value, its
//! gradient and an optimizer's state, two more values for Adam), so the largest network
//! allowed needs about 17 GB to train. Sizes are counted in `u128`: no product overflows.

/// The most parameters (weights and biases, all layers together) a network may have.
pub const MAX_PARAMETERS: u128 = 1 << 30;

/// Bytes of memory training holds per parameter: 4 bytes each for the value, its gradient
/// and Adam's two moments.
pub const TRAINING_BYTES_PER_PARAMETER: u128 = 16;

/// The most activation values one batch may hold through a network: the batch's columns
/// times every layer's output size (and the input's), 2^30 values, about 4.3 GB as `f32`
/// per copy. A network that fits [`MAX_PARAMETERS`] can still be so wide that one batch of
/// its activations does not fit memory (a few inputs, a hundred million units).
pub const MAX_BATCH_VALUES: u128 = 1 << 30;

/// Bytes a built network holds per parameter: the `f32`-or-wider value and its gradient
/// (8 bytes in `f32`), what building a dense layer allocates.
pub const BUILT_BYTES_PER_PARAMETER: u128 = 8;

/// The memory this process can still allocate, when the system says: the smaller of the
/// memory available on the machine (`MemAvailable` in `/proc/meminfo`) and what the
/// address-space limit (`ulimit -v`, in `/proc/self/limits`) leaves above the process's
/// current size. `None` where these files do not exist (not Linux) or do not parse.
pub fn memory_budget() -> Option<u128> {
    let available = proc_field("/proc/meminfo", "MemAvailable:").map(|kb| kb * 1024);
    let limit = address_space_limit().map(|limit| {
        let used = proc_field("/proc/self/status", "VmSize:").map_or(0, |kb| kb * 1024);
        limit.saturating_sub(used)
    });
    match (available, limit) {
        (Some(a), Some(l)) => Some(a.min(l)),
        (a, l) => a.or(l),
    }
}

/// The first number after `key` in the text file at `path` (a `/proc` file in kB).
fn proc_field(path: &str, key: &str) -> Option<u128> {
    let text = std::fs::read_to_string(path).ok()?;
    let line = text.lines().find(|l| l.starts_with(key))?;
    line[key.len()..].split_whitespace().next()?.parse().ok()
}

/// The soft address-space limit in bytes, `None` when unlimited or unknown.
fn address_space_limit() -> Option<u128> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max address space"))?;
    line["Max address space".len()..]
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Parameters of a dense layer, `inputs × outputs` weights plus `outputs` biases.
pub(crate) fn dense_parameters(inputs: usize, outputs: usize) -> u128 {
    (inputs as u128) * (outputs as u128) + outputs as u128
}

/// What training `parameters` would need, against the limit, for messages.
pub(crate) fn memory_needed_text(parameters: u128) -> String {
    format!(
        "which would need about {} to train; the limit is {MAX_PARAMETERS} parameters (about {})",
        memory_text(parameters.saturating_mul(TRAINING_BYTES_PER_PARAMETER)),
        memory_text(MAX_PARAMETERS * TRAINING_BYTES_PER_PARAMETER),
    )
}

/// What a batch's activations would need, against the limit, for messages.
pub(crate) fn batch_memory_text(values: u128) -> String {
    format!(
        "about {} as f32; the limit is {MAX_BATCH_VALUES} values (about {})",
        memory_text(values.saturating_mul(4)),
        memory_text(MAX_BATCH_VALUES * 4),
    )
}

/// A byte count in decimal units for messages, e.g. `3.1 TB`.
pub(crate) fn memory_text(bytes: u128) -> String {
    const UNITS: [&str; 7] = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_budget_is_known_on_linux_and_below_the_machine() {
        if cfg!(target_os = "linux") {
            let budget = memory_budget().expect("Linux reports its memory");
            let total = proc_field("/proc/meminfo", "MemTotal:").unwrap() * 1024;
            assert!(budget > 0 && budget <= total, "{budget} of {total}");
        }
    }

    #[test]
    fn parameters_and_memory_are_counted_without_overflow() {
        assert_eq!(dense_parameters(784, 128), 784 * 128 + 128);
        let huge = dense_parameters(usize::MAX, usize::MAX);
        assert!(huge > u128::from(u64::MAX));
        assert_eq!(memory_text(999), "999 bytes");
        assert_eq!(memory_text(1_500), "1.5 kB");
        assert_eq!(memory_text(3_136_000_000_000), "3.1 TB");
        assert_eq!(memory_text(u128::MAX).split(' ').nth(1), Some("EB"));
    }
}
