//! How many threads the engine computes with, and the pool it computes in.
//!
//! Large products (and long optimizer updates in `nn-optim`) split their work across the
//! threads of the current rayon pool; everything else runs on the calling thread. A training
//! run installs a pool of [`default_threads`] threads (or its configured count): `NN_THREADS`
//! when set, else the number of physical cores. Work is split so that every number comes out
//! the same whatever the thread count: a seeded run is bit-reproducible with 1 thread or 8.
//!
//! Code that calls the engine outside such a pool runs in rayon's global pool.
//!
//! An idle rayon worker goes to sleep within microseconds, and waking it again costs tens of
//! microseconds on a virtual machine: longer than half of a training step's products. A
//! training loop therefore runs inside [`keep_workers_spinning`], which keeps the pool's
//! other workers polling for work for as long as the loop runs, and lets them nap once no
//! work has come for a millisecond (a network too small to split anything). The engine's
//! splits go through [`nn_handover::join`]: inside such a loop the calling thread hands the
//! other half straight to a polling worker through one shared slot, cheaper than a
//! `rayon::join`; anywhere else it is a `rayon::join`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use nn_handover::Mailbox;

use crate::CoreError;

/// Weights (and other tensors) with fewer values than this stay on one core: their layer's
/// products and their optimizer update run on the calling thread. A larger weight is split in
/// two halves, each kept by one core from the forward pass through the update.
///
/// Measured on the benchmark machine (`docs/decisions/2026-11-24-small-weights-on-one-core.md`): splitting the 128 → 64 layer of
/// the MNIST network (8,192 weights; 2¹⁸ multiply-adds per product at batch 32) cost more
/// than it saved, since each core must first fetch the activations the other one wrote; the
/// 784 → 128 layer (100,352 weights) gains from it at every batch size.
pub const SPLIT_TENSORS_FROM: usize = 1 << 14;

/// The environment variable that sets the thread count.
pub const THREADS_ENV: &str = "NN_THREADS";

/// The number of threads to use: `NN_THREADS` when set, else [`physical_cores`].
///
/// # Errors
/// [`CoreError::InvalidThreads`] if `NN_THREADS` is set to anything but a positive integer.
pub fn default_threads() -> Result<usize, CoreError> {
    match std::env::var(THREADS_ENV) {
        Ok(value) => parse_threads(&value, THREADS_ENV),
        Err(std::env::VarError::NotPresent) => Ok(physical_cores()),
        Err(std::env::VarError::NotUnicode(value)) => Err(CoreError::InvalidThreads {
            origin: THREADS_ENV,
            value: value.to_string_lossy().into_owned(),
        }),
    }
}

/// Parses a thread count given by `origin` (a setting's name, for the error message).
fn parse_threads(value: &str, origin: &'static str) -> Result<usize, CoreError> {
    match value.trim().parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(CoreError::InvalidThreads {
            origin,
            value: value.to_owned(),
        }),
    }
}

/// A pool of `threads` worker threads to [`rayon::ThreadPool::install`] a computation in.
///
/// # Errors
/// [`CoreError::InvalidThreads`] for 0 threads, [`CoreError::ThreadPool`] if the operating
/// system refuses to start them.
pub fn thread_pool(threads: usize) -> Result<rayon::ThreadPool, CoreError> {
    if threads == 0 {
        return Err(CoreError::InvalidThreads {
            origin: "thread count",
            value: "0".into(),
        });
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("nn-worker-{i}"))
        .build()
        .map_err(|source| CoreError::ThreadPool { threads, source })
}

/// Runs `f` on the calling thread while the other workers of the current rayon pool poll for
/// work (taking the halves of products and optimizer updates the moment they are offered)
/// instead of sleeping between them. While work keeps coming, each spins on a whole core:
/// meant for a training loop on a pool no larger than the free cores. A worker that has found
/// no work for [`SPIN_WITHOUT_WORK`] naps [`NAP`] at a time between polls, so a network too
/// small for any split does not keep the other cores busy; it spins again from its next job.
///
/// The calling thread owns an [`nn_handover::Mailbox`] while `f` runs, and the workers poll it
/// before rayon's queues: that is where [`nn_handover::join`] on this thread posts its
/// second half.
///
/// Outside a rayon pool, or in a pool of one thread, it just calls `f`.
pub fn keep_workers_spinning<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    let owner = rayon::current_thread_index();
    let threads = rayon::current_num_threads();
    if owner.is_none() || threads < 2 {
        return f();
    }
    let done = AtomicBool::new(false);
    let mailbox = Mailbox::new();
    rayon::scope(|scope| {
        // A broadcast, not `threads − 1` spawns: a spawned job can be run by any thread,
        // the calling one included (it runs queued jobs while it waits in a join), and a
        // poller it picked up would return at once and leave a worker asleep. A broadcast
        // gives each worker its own poller whatever the order of stealing.
        scope.spawn_broadcast(|_, _| poll_for_work(&done, &mailbox, owner));
        // `nn_handover::join` on this thread hands its second closure to the pollers.
        let result = mailbox.run_as_owner(f);
        done.store(true, Ordering::Release);
        result
    })
}

/// How long a worker under [`keep_workers_spinning`] polls without finding work before it
/// starts to nap. A training step of the networks that split their work offers a job every few
/// tens of microseconds, so they never reach it.
pub const SPIN_WITHOUT_WORK: Duration = Duration::from_millis(1);

/// A napping worker's sleep between polls. A job offered meanwhile is not lost: the thread
/// that offered it runs it itself when nobody has taken it by the time its own half is done.
pub const NAP: Duration = Duration::from_micros(50);

/// A worker's loop under [`keep_workers_spinning`]: run any pending job, else spin, or nap
/// after [`SPIN_WITHOUT_WORK`] without a job. Every thread of the pool gets one; the calling
/// thread's returns at once, since that thread has its own work to go back to.
fn poll_for_work(done: &AtomicBool, mailbox: &Mailbox, owner: Option<usize>) {
    if rayon::current_thread_index() == owner {
        return;
    }
    let mut idle_polls = 0u32;
    let mut idle_since: Option<Instant> = None;
    while !done.load(Ordering::Acquire) {
        if mailbox.run_posted() || rayon::yield_now() == Some(rayon::Yield::Executed) {
            idle_polls = 0;
            idle_since = None;
            continue;
        }
        idle_polls = idle_polls.wrapping_add(1);
        if !idle_polls.is_multiple_of(64) {
            std::hint::spin_loop();
        } else if idle_since.get_or_insert_with(Instant::now).elapsed() < SPIN_WITHOUT_WORK {
            // Let another runnable thread have the core when there are more threads than
            // cores (a no-op otherwise); never sleeps.
            std::thread::yield_now();
        } else {
            std::thread::sleep(NAP);
        }
    }
}

/// Physical cores of this machine (Linux: distinct (package, core) pairs in `/proc/cpuinfo`),
/// else the number of logical processors.
pub fn physical_cores() -> usize {
    let logical = std::thread::available_parallelism().map_or(1, |n| n.get());
    let Ok(info) = std::fs::read_to_string("/proc/cpuinfo") else {
        return logical;
    };
    let cores = distinct_cores(&info);
    if cores == 0 {
        logical
    } else {
        cores.min(logical)
    }
}

/// Counts the distinct (physical id, core id) pairs of a `/proc/cpuinfo` text.
fn distinct_cores(info: &str) -> usize {
    let mut cores = std::collections::BTreeSet::new();
    for block in info.split("\n\n") {
        let field = |name: &str| {
            block.lines().find_map(|line| {
                let (key, value) = line.split_once(':')?;
                (key.trim() == name).then(|| value.trim().to_owned())
            })
        };
        if let (Some(package), Some(core)) = (field("physical id"), field("core id")) {
            cores.insert((package, core));
        }
    }
    cores.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_counts_must_be_positive_integers() {
        assert_eq!(parse_threads(" 3 ", "x").unwrap(), 3);
        for bad in ["0", "-1", "two", ""] {
            let e = parse_threads(bad, THREADS_ENV).unwrap_err().to_string();
            assert!(e.contains("NN_THREADS") && e.contains(bad), "{e}");
        }
        assert!(thread_pool(0).is_err());
        assert_eq!(thread_pool(2).unwrap().current_num_threads(), 2);
    }

    #[test]
    fn spinning_workers_run_joins_and_return_the_result() {
        let pool = thread_pool(2).unwrap();
        let sum = pool.install(|| {
            keep_workers_spinning(|| {
                (0..100)
                    .map(|i| {
                        let (a, b) = rayon::join(|| i, || 2 * i);
                        a + b
                    })
                    .sum::<usize>()
            })
        });
        assert_eq!(sum, 3 * 4950);
        // Outside any pool it is a plain call.
        assert_eq!(keep_workers_spinning(|| 7), 7);
    }

    #[test]
    fn the_engines_joins_hand_their_second_half_to_a_polling_worker() {
        use std::sync::atomic::AtomicBool;
        let pool = thread_pool(2).unwrap();
        let (caller, second_halves) = pool.install(|| {
            keep_workers_spinning(|| {
                let halves: Vec<_> = (0..50)
                    .map(|_| {
                        let started = AtomicBool::new(false);
                        let deadline = Instant::now() + Duration::from_secs(10);
                        nn_handover::join(
                            || {
                                while !started.load(Ordering::Acquire) && Instant::now() < deadline
                                {
                                    std::thread::yield_now();
                                }
                            },
                            || {
                                started.store(true, Ordering::Release);
                                std::thread::current().id()
                            },
                        )
                        .1
                    })
                    .collect();
                (std::thread::current().id(), halves)
            })
        });
        assert!(second_halves.iter().all(|&id| id != caller));
    }

    /// Nanoseconds the calling thread has run on a CPU, where the kernel says (Linux).
    fn thread_cpu_ns() -> Option<u64> {
        let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        text.split_whitespace().next()?.parse().ok()
    }

    #[test]
    fn workers_nap_when_no_work_comes() {
        let pool = thread_pool(2).unwrap();
        let cpu =
            || -> Option<Vec<u64>> { pool.broadcast(|_| thread_cpu_ns()).into_iter().collect() };
        let Some(before) = cpu() else {
            eprintln!("skipped: no per-thread CPU time on this system");
            return;
        };
        let start = Instant::now();
        // A "training loop" that never offers a job, like the fit of a tiny network.
        pool.install(|| keep_workers_spinning(|| std::thread::sleep(Duration::from_millis(200))));
        let wall = start.elapsed();
        let after = cpu().expect("CPU times read a moment ago");
        let busiest = after
            .iter()
            .zip(&before)
            .map(|(a, b)| Duration::from_nanos(a - b))
            .max()
            .expect("two workers");
        // Spinning all along would use about the whole 200 ms (less on a loaded machine, never
        // more); napping after 1 ms uses a few.
        assert!(
            busiest < wall / 4,
            "a worker ran {busiest:?} of {wall:?} with no work to do"
        );
    }

    #[test]
    fn hyper_threads_count_once() {
        let info = "processor\t: 0\nphysical id\t: 0\ncore id\t: 0\n\n\
                    processor\t: 1\nphysical id\t: 0\ncore id\t: 0\n\n\
                    processor\t: 2\nphysical id\t: 0\ncore id\t: 1\n\n\
                    processor\t: 3\nphysical id\t: 1\ncore id\t: 0\n";
        assert_eq!(distinct_cores(info), 3);
        assert_eq!(distinct_cores("processor\t: 0\n"), 0);
        assert!(physical_cores() >= 1);
    }
}
