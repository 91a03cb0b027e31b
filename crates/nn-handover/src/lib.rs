//! A fork-join that hands one closure straight to a spinning worker thread.
//!
//! `rayon::join(a, b)` offers `b` on the calling thread's deque, where an idle worker steals
//! it, and signals its end through a latch. On the 2-core machine of nn-core's benchmarks
//! that costs about 0.55–0.8 µs per join above the work itself, even with the other worker
//! spinning; a training step of the reference MNIST network makes several joins (the first
//! layer's two products and its optimizer update), so at batch 32 the hand-overs alone were
//! a few percent of a step.
//!
//! [`join`] does the same with one shared slot, a [`Mailbox`]. A thread that runs a loop of
//! joins *owns* a mailbox ([`Mailbox::run_as_owner`]) and other threads poll it
//! ([`Mailbox::run_posted`]) while the loop runs. On the owning thread [`join`] posts `b` in
//! the slot, runs `a`, then takes `b` back if no worker has started it (and runs it itself),
//! or waits for the worker that did: about 0.15–0.3 µs per join on the same machine (measured
//! on a stand-alone prototype of this protocol; in the engine, epochs got 2–3 % faster). Anywhere
//! else (a thread that owns no mailbox, or a join nested inside a posted one, which finds the
//! slot taken) [`join`] is `rayon::join`.
//!
//! nn-core's `threads::keep_workers_spinning` sets this up for a training loop: it owns a
//! mailbox on the calling thread and has every other worker of the pool poll it.
//!
//! # The protocol
//!
//! A mailbox is one job slot and an atomic state. The state says which thread may touch the
//! slot, and the posted job's *frame* (the closure and its result slot, on the owner's stack):
//!
//! | state | meaning | who may touch the slot and the frame |
//! |---|---|---|
//! | `EMPTY` | nothing posted | nobody |
//! | `WRITING` | an owner writes a job in, or clears the job it took back | that owner |
//! | `POSTED` | a job waits to be claimed or taken back | nobody |
//! | `RUNNING` | a worker claimed the job and runs it | that worker |
//! | `DONE` | the worker is finished; the result waits in the frame | the owner |
//!
//! | transition | by | operation | what its ordering carries |
//! |---|---|---|---|
//! | `EMPTY → WRITING` | an owner starting a join | acquire exchange | the last touches of the slot by its previous user (losing it, the slot is in use by an enclosing join or another owner: `rayon::join` instead) |
//! | `WRITING → POSTED` | that owner, the job written | release store | the job, to the worker that claims it |
//! | `POSTED → RUNNING` | a worker | acquire exchange, tried once a relaxed load saw `POSTED` | the job, from the owner |
//! | `RUNNING → DONE` | that worker, the job returned or its panic caught | release store | the result and all the job's writes, to the owner; the worker touches neither slot nor frame afterwards |
//! | `DONE → EMPTY` | the owner, the result read | release store | the worker's touches of the slot, to the next user |
//! | `POSTED → WRITING` | the owner, its own closure returned and no worker claimed the job | acquire exchange | nothing new: the slot was last written by this owner |
//! | `WRITING → EMPTY` | that owner, the slot cleared | release store | the cleared slot, to the next user |
//!
//! So one thread at a time touches the job, and the frame outlives every access: the join
//! that owns it returns only after `DONE` or after taking the job back. Whenever no thread
//! borrows a mailbox its state is `EMPTY` and its slot holds nothing. `tests/loom.rs` checks
//! each transition, a panicking job, slot reuse and shutdown under loom, over every
//! interleaving and every value the memory model lets a load see:
//! `RUSTFLAGS="--cfg loom" cargo test -p nn-handover --release --test loom`.
//!
//! ```
//! use std::sync::atomic::{AtomicBool, Ordering};
//!
//! let mailbox = nn_handover::Mailbox::new();
//! let done = AtomicBool::new(false);
//! let total = std::thread::scope(|s| {
//!     // A worker that polls the mailbox until the loop ends.
//!     s.spawn(|| {
//!         while !done.load(Ordering::Acquire) {
//!             if !mailbox.run_posted() {
//!                 std::hint::spin_loop();
//!             }
//!         }
//!     });
//!     let data: Vec<u64> = (1..=1000).collect();
//!     let (left, right) = data.split_at(500);
//!     let (a, b) = mailbox.run_as_owner(|| {
//!         // `right.iter().sum()` runs on the worker if it claims it in time, else here.
//!         nn_handover::join(|| left.iter().sum::<u64>(), || right.iter().sum::<u64>())
//!     });
//!     done.store(true, Ordering::Release);
//!     a + b
//! });
//! assert_eq!(total, 500_500);
//! ```

mod sync;

use std::cell::Cell;
use std::marker::PhantomData;
use std::panic::{self, AssertUnwindSafe};

use sync::{AtomicU8, Ordering, UnsafeCell};

/// Nothing posted.
const EMPTY: u8 = 0;
/// A thread that owns the mailbox is writing a job into it.
const WRITING: u8 = 4;
/// A job waits to be claimed by a worker or taken back by its owner.
const POSTED: u8 = 1;
/// A worker claimed the job and is running it.
const RUNNING: u8 = 2;
/// The worker finished the job; its owner has not read the result yet.
const DONE: u8 = 3;

/// A type-erased pointer to a [`Frame`] on the owner's stack, with the function that runs it.
///
/// Invariant: `execute` is `Frame::<B, RB>::execute` for the very `B` and `RB` of the frame at
/// `frame`, and the frame lives until its join returns, which is after the job is taken back
/// or after `DONE`: so calling `execute(frame)` is sound for the one thread that claimed the
/// job, between its `POSTED → RUNNING` and its `RUNNING → DONE`.
#[derive(Clone, Copy)]
struct JobRef {
    frame: *const (),
    execute: unsafe fn(*const ()),
}

/// One job slot, shared by the thread that owns it and the workers that poll it.
///
/// `state` follows [the protocol](crate#the-protocol): an owner takes the empty slot by the
/// exchange `EMPTY → WRITING` (so two threads owning the same mailbox never write it at once),
/// writes the job, then publishes it by storing `POSTED`. A worker reads the job only after
/// winning the exchange `POSTED → RUNNING`, and stores `DONE` once the job has returned. The
/// owner then either wins `POSTED → WRITING` itself (it takes the job back, clears it and
/// stores `EMPTY`) or waits for `DONE`, reads the result and stores `EMPTY`. So one thread at
/// a time touches the job, and the frame it points to outlives every access.
#[repr(align(128))] // its own cache lines: polled by one core, written by another
pub struct Mailbox {
    state: AtomicU8,
    job: UnsafeCell<Option<JobRef>>,
}

// SAFETY: `job` is read and written only under the protocol of the crate docs, which gives one
// thread at a time exclusive access, with acquire/release ordering on `state` between them
// (model-checked in tests/loom.rs). The frame it points to holds closures and results that are
// `Send` (the bounds of `join`), so running one on another thread is sound.
unsafe impl Sync for Mailbox {}

// SAFETY: a mailbox moves only while nothing borrows it, and then no job is posted: every
// `join` takes its job back or sees it taken before it returns, so `job` is `None` and no
// pointer into another thread's stack goes along (checked under loom, as the mailbox drops).
unsafe impl Send for Mailbox {}

/// Under loom, checks what the `Send` impl relies on: a mailbox no thread borrows any more has
/// no job posted, and the last touches of its slot happen before it goes.
#[cfg(loom)]
impl Drop for Mailbox {
    fn drop(&mut self) {
        if std::thread::panicking() {
            // A failed model unwinding, maybe past the model's end, where loom's atomics
            // cannot be read: the failure is reported already.
            return;
        }
        let state = self.state.load(Ordering::Relaxed);
        assert_eq!(
            state, EMPTY,
            "a mailbox dropped in state {state}, not EMPTY"
        );
        // SAFETY: `&mut self`: no other thread can touch the slot now.
        let posted = self.job.with(|job| unsafe { (*job).is_some() });
        assert!(!posted, "a mailbox dropped with a job in its slot");
    }
}

impl std::fmt::Debug for Mailbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match self.state.load(Ordering::Relaxed) {
            EMPTY => "empty",
            WRITING => "writing",
            POSTED => "posted",
            RUNNING => "running",
            _ => "done",
        };
        f.debug_struct("Mailbox").field("state", &state).finish()
    }
}

impl Default for Mailbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Mailbox {
    /// An empty slot.
    pub fn new() -> Self {
        Self {
            state: AtomicU8::new(EMPTY),
            job: UnsafeCell::new(None),
        }
    }

    /// Runs `f` on the calling thread with this mailbox as the thread's own: [`join`] on this
    /// thread posts its second closure here while `f` runs. Afterwards (also after a panic)
    /// the thread owns what it owned before, so owners nest.
    ///
    /// A closure, not a guard: a guard could be leaked (`std::mem::forget`) and leave the
    /// thread pointing at a mailbox that no longer exists.
    pub fn run_as_owner<R>(&self, f: impl FnOnce() -> R) -> R {
        let _owned = Ownership {
            previous: OWNED.with(|owned| owned.replace(self)),
            _mailbox: PhantomData,
        };
        f()
    }

    /// Runs the posted closure if there is one and this thread claims it first; returns
    /// whether it ran one. Meant for the polling loop of a worker thread; a panic in the
    /// closure is caught and resumed by the [`join`] that posted it.
    pub fn run_posted(&self) -> bool {
        if self.state.load(Ordering::Relaxed) != POSTED
            || self
                .state
                .compare_exchange(POSTED, RUNNING, Ordering::Acquire, Ordering::Relaxed)
                .is_err()
        {
            return false;
        }
        // SAFETY: winning POSTED → RUNNING gives this thread the job. The owner wrote it
        // before its release store of POSTED, which the acquire exchange synchronises with.
        let job = self.job.with_mut(|job| unsafe { (*job).take() });
        if let Some(job) = job {
            // SAFETY: `JobRef`'s invariant: the owner keeps the frame alive until it sees
            // DONE, stored below only after `execute` has returned, and `execute` is that
            // frame's own function. Between RUNNING and DONE no other thread touches the frame
            // (the owner only waits), so this thread has it to itself, as `execute` requires.
            unsafe { (job.execute)(job.frame) };
        }
        self.state.store(DONE, Ordering::Release);
        true
    }
}

#[cfg(not(loom))]
std::thread_local! {
    /// The mailbox this thread owns ([`Mailbox::run_as_owner`]), or null.
    static OWNED: Cell<*const Mailbox> = const { Cell::new(std::ptr::null()) };
}

// The same under loom, one per model thread. Loom's macro takes no `const` initialiser, which
// std's needs to skip a lazy-initialisation check on every `join`.
#[cfg(loom)]
loom::thread_local! {
    /// The mailbox this thread owns ([`Mailbox::run_as_owner`]), or null.
    static OWNED: Cell<*const Mailbox> = Cell::new(std::ptr::null());
}

/// While it lives, the thread that made it owns a mailbox; dropping it restores what the
/// thread owned before. Private to [`Mailbox::run_as_owner`], so it cannot be leaked.
struct Ownership<'a> {
    previous: *const Mailbox,
    _mailbox: PhantomData<&'a Mailbox>,
}

impl Drop for Ownership<'_> {
    fn drop(&mut self) {
        OWNED.with(|owned| owned.set(self.previous));
    }
}

/// A posted closure and, once a worker has run it, what it returned or panicked with.
///
/// It lives on the owner's stack and is touched by one thread at a time: the worker that
/// claimed its job between `RUNNING` and `DONE`, the owner otherwise (after `DONE` or after
/// taking the job back). It stays in place while a `JobRef` points to it: the owner moves its
/// parts out (`into_inner`) only after `DONE` or after taking the job back.
struct Frame<B, RB> {
    job: UnsafeCell<Option<B>>,
    result: UnsafeCell<Option<std::thread::Result<RB>>>,
}

impl<B: FnOnce() -> RB, RB> Frame<B, RB> {
    /// Runs the closure of the frame at `frame` and stores its result or its panic.
    ///
    /// # Safety
    /// `frame` points to a live `Frame<B, RB>` to which the caller has exclusive access.
    unsafe fn execute(frame: *const ()) {
        // SAFETY: a live `Frame<B, RB>`, guaranteed by the caller.
        let frame = unsafe { &*frame.cast::<Self>() };
        // SAFETY: exclusive access, guaranteed by the caller.
        let job = frame.job.with_mut(|job| unsafe { (*job).take() });
        if let Some(job) = job {
            let result = panic::catch_unwind(AssertUnwindSafe(job));
            // SAFETY: exclusive access, as above.
            frame
                .result
                .with_mut(|slot| unsafe { *slot = Some(result) });
        }
    }
}

/// How the two closures of a [`join_reporting`] finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Finish {
    /// Both ran on the calling thread, or went through `rayon::join`: no comparison.
    Alone,
    /// A worker ran `b` and was still running it when `a` returned: `b`'s side took longer.
    CallerWaited,
    /// A worker ran `b` and had finished it when `a` returned: `a`'s side took longer.
    WorkerWaited,
}

/// [`join`], also saying which side finished first when the two closures ran on two threads:
/// the signal for a split that balances itself between a faster and a slower core.
pub fn join_reporting<A, B, RA, RB>(a: A, b: B) -> (RA, RB, Finish)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    let owned = OWNED.with(Cell::get);
    // SAFETY: a non-null pointer was set by `Mailbox::run_as_owner` from a reference that
    // outlives the call, and the call resets the pointer when it returns or unwinds.
    match unsafe { owned.as_ref() } {
        Some(mailbox) => post_and_run(mailbox, a, b),
        None => {
            let (ra, rb) = sync::pool_join(a, b);
            (ra, rb, Finish::Alone)
        }
    }
}

/// Runs `a` and `b`, possibly at the same time on two threads, and returns both results.
///
/// On a thread that owns a [`Mailbox`] with an empty slot, `b` is posted there for a polling
/// worker while `a` runs on the calling thread; if no worker has claimed `b` by the time `a`
/// returns, the calling thread runs it. Otherwise this is `rayon::join(a, b)`. A panic in
/// either closure is resumed on the calling thread once neither of them is running.
pub fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    let (ra, rb, _) = join_reporting(a, b);
    (ra, rb)
}

/// [`join_reporting`] on a thread that owns `mailbox`.
fn post_and_run<A, B, RA, RB>(mailbox: &Mailbox, a: A, b: B) -> (RA, RB, Finish)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    if mailbox
        .state
        .compare_exchange(EMPTY, WRITING, Ordering::Acquire, Ordering::Relaxed)
        .is_err()
    {
        // The slot is taken: by a join that this one is nested in, or by another thread that
        // owns the same mailbox.
        let (ra, rb) = sync::pool_join(a, b);
        return (ra, rb, Finish::Alone);
    }
    let frame = Frame {
        job: UnsafeCell::new(Some(b)),
        result: UnsafeCell::new(None),
    };
    // SAFETY: this thread moved the slot from EMPTY to WRITING, so it alone touches `job`.
    mailbox.job.with_mut(|job| unsafe {
        *job = Some(JobRef {
            frame: std::ptr::from_ref(&frame).cast(),
            execute: Frame::<B, RB>::execute,
        });
    });
    mailbox.state.store(POSTED, Ordering::Release);
    let ra = panic::catch_unwind(AssertUnwindSafe(a));
    let mut finish = Finish::Alone;
    let rb = if mailbox
        .state
        .compare_exchange(POSTED, WRITING, Ordering::Acquire, Ordering::Relaxed)
        .is_ok()
    {
        // Taken back before any worker claimed it.
        // SAFETY: back in WRITING, this thread has the slot to itself again.
        mailbox.job.with_mut(|job| unsafe { *job = None });
        mailbox.state.store(EMPTY, Ordering::Release);
        match (&ra, frame.job.into_inner()) {
            (Ok(_), Some(b)) => Some(panic::catch_unwind(AssertUnwindSafe(b))),
            // `a` panicked: that panic is resumed below, `b` is not run.
            _ => None,
        }
    } else {
        finish = if wait_for_done(mailbox) {
            Finish::CallerWaited
        } else {
            Finish::WorkerWaited
        };
        let result = frame.result.into_inner();
        mailbox.state.store(EMPTY, Ordering::Release);
        result
    };
    match (ra, rb) {
        (Ok(ra), Some(Ok(rb))) => (ra, rb, finish),
        (Err(payload), _) | (_, Some(Err(payload))) => panic::resume_unwind(payload),
        // A worker that claims `b` stores a result before DONE, and `b` is taken back unrun
        // only when `a` panicked, handled above.
        (Ok(_), None) => unreachable!("the posted closure neither ran nor was taken back"),
    }
}

/// Spins until the worker that claimed the posted closure stores `DONE`, and says whether it
/// had to (the closure was still running). Now and then it yields the core, in case that
/// worker waits for it (more threads than cores).
fn wait_for_done(mailbox: &Mailbox) -> bool {
    if mailbox.state.load(Ordering::Acquire) == DONE {
        return false;
    }
    let mut polls = 0u32;
    while mailbox.state.load(Ordering::Acquire) != DONE {
        polls = polls.wrapping_add(1);
        if polls.is_multiple_of(1024) {
            sync::thread::yield_now();
        } else {
            sync::spin_loop();
        }
    }
    true
}

// Under loom these would touch the model's atomics outside a model: `tests/loom.rs` runs then.
#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;
    use std::thread::ThreadId;
    use std::time::Duration;

    /// Runs `f` on a thread that owns a mailbox polled by `workers` other threads.
    fn with_workers<R: Send>(workers: usize, f: impl FnOnce() -> R + Send) -> R {
        let mailbox = Mailbox::new();
        let done = AtomicBool::new(false);
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| {
                    while !done.load(Ordering::Acquire) {
                        if !mailbox.run_posted() {
                            std::hint::spin_loop();
                        }
                    }
                });
            }
            let result = mailbox.run_as_owner(f);
            done.store(true, Ordering::Release);
            result
        })
    }

    #[test]
    fn a_mailbox_can_be_shared_through_an_arc() {
        let mailbox = std::sync::Arc::new(Mailbox::new());
        let done = std::sync::Arc::new(AtomicBool::new(false));
        let worker = {
            let (mailbox, done) = (mailbox.clone(), done.clone());
            std::thread::spawn(move || {
                while !done.load(Ordering::Acquire) {
                    if !mailbox.run_posted() {
                        std::hint::spin_loop();
                    }
                }
            })
        };
        let sum = mailbox.run_as_owner(|| (0..1000u32).map(|i| join(|| i, || i).1).sum::<u32>());
        done.store(true, Ordering::Release);
        worker.join().unwrap();
        assert_eq!(sum, (0..1000).sum());
    }

    #[test]
    fn join_reporting_says_which_side_finished_first() {
        // Long enough that a descheduled thread on a loaded machine does not swap the order.
        let slow = || std::thread::sleep(Duration::from_millis(200));
        let mailbox_less = join_reporting(|| 1, || 2);
        assert_eq!(mailbox_less, (1, 2, Finish::Alone));
        let (caller_waited, worker_waited) = with_workers(1, || {
            // Once claimed, `b` sleeps while `a` returns at once: the caller waits.
            let claimed = AtomicBool::new(false);
            let (_, _, first) = join_reporting(
                || {
                    while !claimed.load(Ordering::Acquire) {
                        std::thread::yield_now();
                    }
                },
                || {
                    claimed.store(true, Ordering::Release);
                    slow();
                },
            );
            // `a` sleeps well past the worker's trivial `b`.
            let claimed = AtomicBool::new(false);
            let (_, _, second) = join_reporting(
                || {
                    while !claimed.load(Ordering::Acquire) {
                        std::thread::yield_now();
                    }
                    slow();
                },
                || claimed.store(true, Ordering::Release),
            );
            (first, second)
        });
        assert_eq!(caller_waited, Finish::CallerWaited);
        assert_eq!(worker_waited, Finish::WorkerWaited);
    }

    #[test]
    fn without_a_mailbox_it_is_rayon_join() {
        assert_eq!(join(|| 1, || "two"), (1, "two"));
    }

    #[test]
    fn joins_return_both_results_nested_or_not() {
        for workers in [1, 3] {
            let total = with_workers(workers, || {
                (0..5000u64)
                    .map(|i| {
                        let ((a, b), c) = join(|| join(|| i, || 2 * i), || 3 * i);
                        let (d, (e, f)) = join(|| 4 * i, || join(|| 5 * i, || 6 * i));
                        a + b + c + d + e + f
                    })
                    .sum::<u64>()
            });
            assert_eq!(total, 21 * (0..5000u64).sum::<u64>());
        }
    }

    #[test]
    fn the_second_closure_goes_to_a_worker_that_is_free() {
        let owner = std::thread::current().id();
        let ran_on: Vec<ThreadId> = with_workers(1, || {
            (0..200)
                .map(|_| {
                    let started = AtomicBool::new(false);
                    join(
                        // Waits (up to a generous bound, for a loaded machine) until the
                        // worker has claimed the other closure.
                        || {
                            let deadline = std::time::Instant::now() + Duration::from_secs(10);
                            while !started.load(Ordering::Acquire)
                                && std::time::Instant::now() < deadline
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
                .collect()
        });
        assert!(ran_on.iter().all(|&id| id != owner));
    }

    #[test]
    fn with_no_worker_the_owner_runs_both() {
        let mailbox = Mailbox::new();
        let me = std::thread::current().id();
        let (a, b) = mailbox.run_as_owner(|| {
            join(
                || std::thread::current().id(),
                || std::thread::current().id(),
            )
        });
        assert_eq!((a, b), (me, me));
        assert!(format!("{mailbox:?}").contains("empty"));
    }

    #[test]
    fn ownership_ends_with_the_call_nests_and_survives_a_panic() {
        let outer = Mailbox::new();
        let inner = Mailbox::new();
        let is_owned = |m: &Mailbox| OWNED.with(Cell::get) == std::ptr::from_ref(m);
        outer.run_as_owner(|| {
            assert!(is_owned(&outer));
            inner.run_as_owner(|| assert!(is_owned(&inner)));
            assert!(is_owned(&outer));
            let unwound = panic::catch_unwind(AssertUnwindSafe(|| {
                inner.run_as_owner(|| panic!("inside"));
            }));
            assert!(unwound.is_err());
            assert!(is_owned(&outer));
        });
        assert!(OWNED.with(Cell::get).is_null());
    }

    #[test]
    fn two_threads_owning_one_mailbox_take_turns_with_the_slot() {
        let mailbox = Mailbox::new();
        let done = AtomicBool::new(false);
        let sums: Vec<u64> = std::thread::scope(|s| {
            s.spawn(|| {
                while !done.load(Ordering::Acquire) {
                    if !mailbox.run_posted() {
                        std::hint::spin_loop();
                    }
                }
            });
            let owners: Vec<_> = (0..2u64)
                .map(|k| {
                    let mailbox = &mailbox;
                    s.spawn(move || {
                        mailbox.run_as_owner(|| {
                            (0..5000u64)
                                .map(|i| {
                                    let (a, b) = join(|| i + k, || 2 * i);
                                    a + b
                                })
                                .sum::<u64>()
                        })
                    })
                })
                .collect();
            let sums = owners.into_iter().map(|h| h.join().unwrap()).collect();
            done.store(true, Ordering::Release);
            sums
        });
        let n: u64 = (0..5000u64).sum();
        assert_eq!(sums, vec![3 * n, 3 * n + 5000]);
    }

    #[test]
    fn a_panic_in_either_closure_reaches_the_caller_and_the_slot_is_reused() {
        with_workers(1, || {
            for round in 0..100u32 {
                let first = panic::catch_unwind(|| join(|| panic!("first {round}"), || round));
                assert!(first.is_err());
                let second =
                    panic::catch_unwind(|| join(|| round, || -> u32 { panic!("second {round}") }));
                assert!(second.is_err());
                assert_eq!(join(|| round, || round + 1), (round, round + 1));
            }
        });
    }

    #[test]
    fn closures_borrow_the_callers_data_mutably() {
        let mut left = vec![0u32; 10_000];
        let mut right = vec![0u32; 10_000];
        with_workers(1, || {
            for _ in 0..100 {
                join(
                    || left.iter_mut().for_each(|v| *v += 1),
                    || right.iter_mut().for_each(|v| *v += 2),
                );
            }
        });
        assert!(left.iter().all(|&v| v == 100));
        assert!(right.iter().all(|&v| v == 200));
    }
}
