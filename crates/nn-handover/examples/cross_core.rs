//! What it costs one core to use data another core has just touched, on this machine.
//!
//! Two threads take turns over one buffer. Each measurement times one pass of one thread:
//!
//! - a read (a vectorisable sum) of data the other thread has just written, against data the
//!   same thread has just written;
//! - a write of every value of data the other thread has just read, against data the same
//!   thread has just read.
//!
//! A split product pays these costs each step: the worker's partial sums are read by the
//! calling thread, the batch gathered by one thread is multiplied by the other, the output
//! gradient one thread computed feeds the other's weight gradient.
//!
//! ```sh
//! cargo run --release -p nn-handover --example cross_core [KIB ...]
//! ```
//!
//! Sizes default to 16, 50, 100 and 200 KiB (a batch-32 first-layer output is 16 KiB, half of
//! a batch-32 MNIST input 49 KiB). Medians of many turns, in microseconds per pass. The threads
//! are not pinned: on a machine with more cores than two the OS may move them.

use std::hint::black_box;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Instant;

/// Turns per measurement.
const TURNS: usize = 4_000;

/// What a thread does to the buffer in its part of a turn.
#[derive(Clone, Copy, PartialEq)]
enum Touch {
    Read,
    Write,
}

/// A sum that the compiler vectorises (sixteen independent lanes).
fn read(values: &[f32]) -> f32 {
    let mut lanes = [0f32; 16];
    for chunk in values.chunks_exact(16) {
        for (lane, x) in lanes.iter_mut().zip(chunk) {
            *lane += x;
        }
    }
    lanes.iter().sum()
}

/// A store to every value (a fill, as fast as stores go).
fn write(values: &mut [f32], turn: usize) {
    values.fill(turn as f32);
}

fn touch(values: &mut [f32], how: Touch, turn: usize) {
    match how {
        Touch::Read => {
            black_box(read(black_box(values)));
        }
        Touch::Write => write(values, turn),
    }
}

/// The median time, in microseconds, of the measuring thread's `second` touch when the
/// `first` touch of each turn was made by the other thread (`across`) or by itself.
fn measure(len: usize, first: Touch, second: Touch, across: bool) -> f64 {
    let buffer = Mutex::new(vec![1f32; len]);
    // Turn t: 2t + 1 when the first touch is done, 2t + 2 when the second is.
    let progress = AtomicUsize::new(0);
    let wait_for = |value: usize| {
        while progress.load(Ordering::Acquire) != value {
            std::hint::spin_loop();
        }
    };
    let mut times = Vec::with_capacity(TURNS);
    thread::scope(|scope| {
        scope.spawn(|| {
            for turn in 0..TURNS {
                wait_for(2 * turn);
                if across {
                    let mut values = buffer.lock().unwrap_or_else(|e| e.into_inner());
                    touch(&mut values, first, turn);
                }
                progress.store(2 * turn + 1, Ordering::Release);
            }
        });
        for turn in 0..TURNS {
            wait_for(2 * turn + 1);
            let mut values = buffer.lock().unwrap_or_else(|e| e.into_inner());
            if !across {
                touch(&mut values, first, turn);
            }
            let started = Instant::now();
            touch(&mut values, second, turn);
            times.push(started.elapsed().as_secs_f64() * 1e6);
            drop(values);
            progress.store(2 * turn + 2, Ordering::Release);
        }
    });
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .map(|arg| arg.parse().expect("sizes in KiB, e.g. 16 50"))
        .collect();
    let sizes = if sizes.is_empty() {
        vec![16, 50, 100, 200]
    } else {
        sizes
    };
    println!("median µs per pass over the buffer ({TURNS} turns each)");
    println!(
        "{:>8} | {:>24} | {:>24}",
        "KiB", "read: written by", "write: last read by"
    );
    println!(
        "{:>8} | {:>11} {:>12} | {:>11} {:>12}",
        "", "other core", "same core", "other core", "same core"
    );
    for kib in sizes {
        let len = kib * 1024 / 4;
        let reads = [true, false].map(|across| measure(len, Touch::Write, Touch::Read, across));
        let writes = [true, false].map(|across| measure(len, Touch::Read, Touch::Write, across));
        println!(
            "{kib:>8} | {:>11.2} {:>12.2} | {:>11.2} {:>12.2}",
            reads[0], reads[1], writes[0], writes[1]
        );
    }
}
