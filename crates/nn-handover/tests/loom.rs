//! Model checks of the mailbox protocol (the crate docs' "The protocol") with loom.
//!
//! Under `--cfg loom` the crate's atomics, cells, threads and thread-locals are loom's, so each
//! model below runs once per interleaving of its threads' steps and per value the memory model
//! lets each load see; a cell read or written without a happens-before edge to its last write
//! fails the model, and so does a mailbox dropped with its slot in use. Each model also counts
//! the outcomes it reached across all runs, and asserts that every one the protocol allows
//! occurred: a model that never reaches a transition checks nothing about it.
//!
//! ```sh
//! RUSTFLAGS="--cfg loom" cargo test -p nn-handover --release --target-dir target/loom \
//!     --test loom -- --test-threads=1 --nocapture
//! ```
#![cfg(loom)]

use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Mutex, Once};
use std::time::Instant;

use loom::sync::Arc;
use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use loom::thread;
use nn_handover::{Finish, Mailbox, join, join_reporting};

/// The message of the panics the models raise on purpose.
const PLANNED_PANIC: &str = "a job that panics";

/// Runs `model` under loom, once per interleaving (no bound on preemptions: every one),
/// prints how many runs that took, and returns the outcomes the runs recorded.
fn explore(
    name: &str,
    model: impl Fn(&Mutex<BTreeSet<String>>) + Sync + Send + 'static,
) -> BTreeSet<String> {
    let outcomes: std::sync::Arc<Mutex<BTreeSet<String>>> = Default::default();
    let runs = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let start = Instant::now();
    {
        let (outcomes, runs) = (outcomes.clone(), runs.clone());
        let mut builder = loom::model::Builder::new();
        builder.preemption_bound = None;
        builder.check(move || {
            runs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            model(&outcomes);
        });
    }
    let runs = runs.load(std::sync::atomic::Ordering::Relaxed);
    println!(
        "{name}: {runs} runs in {:.2} s",
        start.elapsed().as_secs_f64()
    );
    assert!(runs > 1, "{name}: loom explored a single run");
    outcomes.lock().unwrap().clone()
}

/// Records `outcome` in `outcomes`.
fn record(outcomes: &Mutex<BTreeSet<String>>, outcome: impl Into<String>) {
    outcomes.lock().unwrap().insert(outcome.into());
}

/// The set of `outcomes`, for comparing with what a model recorded.
fn set(outcomes: &[&str]) -> BTreeSet<String> {
    outcomes.iter().map(|&o| o.to_owned()).collect()
}

/// A worker that polls `mailbox` until `stop` is set, and returns how many jobs it ran.
fn polling_worker(mailbox: Arc<Mailbox>, stop: Arc<AtomicBool>) -> thread::JoinHandle<usize> {
    thread::spawn(move || {
        let mut ran = 0;
        while !stop.load(Ordering::Acquire) {
            if mailbox.run_posted() {
                ran += 1;
            } else {
                loom::hint::spin_loop();
            }
        }
        ran
    })
}

/// A worker that tries `tries` times to claim a job from `mailbox`, and returns how many it ran.
fn trying_worker(mailbox: Arc<Mailbox>, tries: usize) -> thread::JoinHandle<usize> {
    thread::spawn(move || (0..tries).filter(|_| mailbox.run_posted()).count())
}

/// Keeps the panics the models raise on purpose out of the output (loom runs them hundreds
/// of times); any other panic is reported as usual.
fn quiet_planned_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if info.payload().downcast_ref::<&str>() != Some(&PLANNED_PANIC) {
                default(info);
            }
        }));
    });
}

/// What a caught panic says, if it was a planned one.
fn is_planned(payload: &(dyn std::any::Any + Send)) -> bool {
    payload.downcast_ref::<&str>() == Some(&PLANNED_PANIC)
}

/// `EMPTY → WRITING → POSTED`, then either `POSTED → RUNNING → DONE → EMPTY` (a worker
/// claimed the job; the owner found it running or done) or `POSTED → WRITING → EMPTY` (the
/// owner took it back). The job's relaxed write must reach the owner by the time the join
/// returns (through `DONE`'s release), and so must its result, read from the owner's frame.
#[test]
fn a_posted_job_is_claimed_or_taken_back_and_its_writes_reach_the_owner() {
    let outcomes = explore("claimed or taken back", |outcomes| {
        let mailbox = Arc::new(Mailbox::new());
        let stop = Arc::new(AtomicBool::new(false));
        let worker = polling_worker(mailbox.clone(), stop.clone());
        let owner = thread::current().id();
        let written = AtomicUsize::new(0);
        let (a, ran_on, finish) = mailbox.run_as_owner(|| {
            join_reporting(
                || 1,
                || {
                    written.store(7, Ordering::Relaxed);
                    thread::current().id()
                },
            )
        });
        assert_eq!(a, 1);
        assert_eq!(written.load(Ordering::Relaxed), 7);
        stop.store(true, Ordering::Release);
        let ran = worker.join().unwrap();
        assert_eq!(ran, usize::from(ran_on != owner));
        assert_eq!(finish == Finish::Alone, ran_on == owner);
        assert!(format!("{mailbox:?}").contains("empty"));
        record(outcomes, format!("{finish:?}"));
    });
    assert_eq!(outcomes, set(&["Alone", "CallerWaited", "WorkerWaited"]));
}

/// A worker that tries once, at any point of the owner's join: before the post, while the job
/// waits (it claims it), or after the owner took it back (it finds nothing and leaves the slot
/// alone).
#[test]
fn a_worker_that_comes_late_finds_nothing_to_run() {
    let outcomes = explore("late worker", |outcomes| {
        let mailbox = Arc::new(Mailbox::new());
        let worker = {
            let mailbox = mailbox.clone();
            thread::spawn(move || mailbox.run_posted())
        };
        let (a, b, finish) = mailbox.run_as_owner(|| join_reporting(|| 1, || 2));
        assert_eq!((a, b), (1, 2));
        let ran = worker.join().unwrap();
        assert_eq!(ran, finish != Finish::Alone);
        assert!(format!("{mailbox:?}").contains("empty"));
        record(outcomes, if ran { "claimed" } else { "taken back" });
    });
    assert_eq!(outcomes, set(&["claimed", "taken back"]));
}

/// A posted job that panics, on the worker or (taken back) on the owner: the panic reaches the
/// owner's join, and the slot serves the next join. The worker tries twice, so it may run
/// neither job, either or both.
#[test]
fn a_panicking_job_reaches_the_owner_and_the_slot_is_reused() {
    quiet_planned_panics();
    let outcomes = explore("panicking job", |outcomes| {
        let mailbox = Arc::new(Mailbox::new());
        let worker = trying_worker(mailbox.clone(), 2);
        let (panicked, next) = mailbox.run_as_owner(|| {
            let panicked =
                panic::catch_unwind(|| join(|| 1, || -> u32 { panic::panic_any(PLANNED_PANIC) }));
            (panicked, join(|| 2, || 3))
        });
        let ran = worker.join().unwrap();
        assert!(is_planned(&*panicked.unwrap_err()));
        assert_eq!(next, (2, 3));
        assert!(format!("{mailbox:?}").contains("empty"));
        record(outcomes, format!("worker ran {ran}"));
    });
    assert_eq!(
        outcomes,
        set(&["worker ran 0", "worker ran 1", "worker ran 2"])
    );
}

/// The owner's own closure panics while the job is posted: the join waits for a worker that
/// claimed the job before the panic goes on (the job's frame is on the unwinding stack), and
/// a job nobody claimed is dropped unrun.
#[test]
fn a_panic_on_the_owner_waits_for_the_claimed_job() {
    quiet_planned_panics();
    let outcomes = explore("panicking owner", |outcomes| {
        let mailbox = Arc::new(Mailbox::new());
        let worker = {
            let mailbox = mailbox.clone();
            thread::spawn(move || mailbox.run_posted())
        };
        let written = AtomicUsize::new(0);
        let panicked = mailbox.run_as_owner(|| {
            panic::catch_unwind(AssertUnwindSafe(|| {
                join(
                    || -> u32 { panic::panic_any(PLANNED_PANIC) },
                    || written.store(7, Ordering::Relaxed),
                )
            }))
        });
        assert!(is_planned(&*panicked.unwrap_err()));
        let ran = worker.join().unwrap();
        assert_eq!(written.load(Ordering::Relaxed), if ran { 7 } else { 0 });
        assert!(format!("{mailbox:?}").contains("empty"));
        record(outcomes, if ran { "ran on the worker" } else { "not run" });
    });
    assert_eq!(outcomes, set(&["not run", "ran on the worker"]));
}

/// Two joins in a row through one slot: the second post must not race with the worker's last
/// touches of the first (its take of the job, its `DONE`). The worker tries twice.
#[test]
fn two_posts_in_a_row_reuse_the_slot() {
    let outcomes = explore("two posts", |outcomes| {
        let mailbox = Arc::new(Mailbox::new());
        let worker = trying_worker(mailbox.clone(), 2);
        let written = AtomicUsize::new(0);
        let results = mailbox.run_as_owner(|| {
            let first = join(|| 1, || written.fetch_add(1, Ordering::Relaxed));
            let second = join(|| 2, || written.fetch_add(10, Ordering::Relaxed));
            (first, second)
        });
        assert_eq!(results, ((1, 0), (2, 1)));
        assert_eq!(written.load(Ordering::Relaxed), 11);
        let ran = worker.join().unwrap();
        assert!(format!("{mailbox:?}").contains("empty"));
        record(outcomes, format!("worker ran {ran}"));
    });
    assert_eq!(
        outcomes,
        set(&["worker ran 0", "worker ran 1", "worker ran 2"])
    );
}

/// Shutdown: after a join the owner stops the worker and lets go of the mailbox, which goes
/// with whichever thread drops it last (loom's build checks, as it drops, that no job is
/// posted and that the slot's last touches happen before).
#[test]
fn a_stopped_worker_leaves_and_the_mailbox_goes_with_the_last_holder() {
    let outcomes = explore("shutdown", |outcomes| {
        let mailbox = Arc::new(Mailbox::new());
        let stop = Arc::new(AtomicBool::new(false));
        let worker = polling_worker(mailbox.clone(), stop.clone());
        assert_eq!(mailbox.run_as_owner(|| join(|| 1, || 2)), (1, 2));
        stop.store(true, Ordering::Release);
        let dropped_here = match Arc::try_unwrap(mailbox) {
            Ok(mailbox) => {
                drop(mailbox);
                true
            }
            Err(shared) => {
                drop(shared);
                false
            }
        };
        worker.join().unwrap();
        record(
            outcomes,
            if dropped_here {
                "owner dropped it"
            } else {
                "worker dropped it"
            },
        );
    });
    assert_eq!(outcomes, set(&["owner dropped it", "worker dropped it"]));
}

/// The failed exchange `EMPTY → WRITING`: a join nested in the owner's closure finds the slot
/// in use and runs both its closures itself, and so does a join inside the posted job when a
/// worker runs it (a worker owns no mailbox). A job the owner took back runs with the slot
/// free again, so a join inside it posts its own second closure, which the worker may claim.
#[test]
fn nested_joins_find_the_slot_in_use_and_leave_it_alone() {
    let outcomes = explore("nested joins", |outcomes| {
        let mailbox = Arc::new(Mailbox::new());
        let worker = trying_worker(mailbox.clone(), 2);
        let (left, right, finish) =
            mailbox.run_as_owner(|| join_reporting(|| join(|| 1, || 2), || join(|| 3, || 4)));
        assert_eq!((left, right), ((1, 2), (3, 4)));
        let ran = worker.join().unwrap();
        if finish != Finish::Alone {
            assert_eq!(
                ran, 1,
                "the worker ran the outer job, and nothing else was posted"
            );
        }
        assert!(format!("{mailbox:?}").contains("empty"));
        record(outcomes, format!("{finish:?}, worker ran {ran}"));
    });
    assert_eq!(
        outcomes,
        set(&[
            "Alone, worker ran 0",
            "Alone, worker ran 1",
            "CallerWaited, worker ran 1",
            "WorkerWaited, worker ran 1",
        ])
    );
}

/// Two threads that own one mailbox: the exchange `EMPTY → WRITING` lets one post at a time;
/// the other, finding the slot in use, runs both its closures itself.
#[test]
fn two_owners_of_one_mailbox_take_turns_with_the_slot() {
    let outcomes = explore("two owners", |outcomes| {
        let mailbox = Arc::new(Mailbox::new());
        let worker = {
            let mailbox = mailbox.clone();
            thread::spawn(move || mailbox.run_posted())
        };
        let other = {
            let mailbox = mailbox.clone();
            thread::spawn(move || mailbox.run_as_owner(|| join_reporting(|| 10, || 20)))
        };
        let (a, b, _) = mailbox.run_as_owner(|| join_reporting(|| 1, || 2));
        let (c, d, _) = other.join().unwrap();
        assert_eq!((a, b, c, d), (1, 2, 10, 20));
        let ran = worker.join().unwrap();
        assert!(format!("{mailbox:?}").contains("empty"));
        record(
            outcomes,
            if ran {
                "worker ran one"
            } else {
                "worker ran none"
            },
        );
    });
    assert_eq!(outcomes, set(&["worker ran none", "worker ran one"]));
}
