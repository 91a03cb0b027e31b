//! A criterion measurement of the CPU time the benchmarking thread spent running (from
//! `/proc/thread-self/schedstat`), so comparisons hold on a loaded, shared machine where wall
//! time mostly measures the wait for a core. Falls back to wall time where that file is absent.
//! Single-threaded code only: time spent in other threads is not counted. The kernel updates
//! the figure at scheduler ticks, so samples must be long (flat sampling, few samples).

use std::time::Instant;

use criterion::Throughput;
use criterion::measurement::{Measurement, ValueFormatter};

/// Thread CPU time in nanoseconds.
pub struct CpuTime;

/// Nanoseconds this thread has run on a CPU, or `None` if the kernel does not say.
fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// The start of a measured span.
pub enum Start {
    /// Thread CPU time in nanoseconds.
    Cpu(u64),
    /// Wall-clock fallback.
    Wall(Instant),
}

impl Measurement for CpuTime {
    type Intermediate = Start;
    type Value = f64;

    fn start(&self) -> Start {
        thread_cpu_ns().map_or_else(|| Start::Wall(Instant::now()), Start::Cpu)
    }
    fn end(&self, start: Start) -> f64 {
        match start {
            Start::Cpu(ns) => thread_cpu_ns().map_or(0.0, |now| now.saturating_sub(ns) as f64),
            Start::Wall(t) => t.elapsed().as_nanos() as f64,
        }
    }
    fn add(&self, a: &f64, b: &f64) -> f64 {
        a + b
    }
    fn zero(&self) -> f64 {
        0.0
    }
    fn to_f64(&self, value: &f64) -> f64 {
        *value
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuFormatter
    }
}

struct CpuFormatter;

impl ValueFormatter for CpuFormatter {
    fn scale_values(&self, ns: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = if ns < 1e3 {
            (1.0, "ns cpu")
        } else if ns < 1e6 {
            (1e-3, "µs cpu")
        } else if ns < 1e9 {
            (1e-6, "ms cpu")
        } else {
            (1e-9, "s cpu")
        };
        values.iter_mut().for_each(|v| *v *= factor);
        unit
    }

    fn scale_throughputs(
        &self,
        _typical: f64,
        throughput: &Throughput,
        values: &mut [f64],
    ) -> &'static str {
        let per = match *throughput {
            Throughput::Elements(n) | Throughput::ElementsAndBytes { elements: n, .. } => n,
            Throughput::Bytes(n) | Throughput::BytesDecimal(n) => n,
            Throughput::Bits(n) => n,
        } as f64;
        // ns per element
        values.iter_mut().for_each(|v| *v /= per);
        "ns cpu/elem"
    }

    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}
