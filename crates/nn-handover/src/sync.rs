//! The primitives the mailbox is built from: std's, or loom's models of them when the crate is
//! built with `--cfg loom` (for the model checks in `tests/loom.rs`).
//!
//! The rest of the crate names only these (and declares its one thread-local for each build,
//! as loom's macro takes no `const` initialiser), so one source serves both builds. In a normal
//! build every item is std's own, or a wrapper that inlines to it: no extra work, the same
//! orderings. Under loom, atomics, cells, threads and spinning are the model's, which explores
//! every interleaving and every value a weak memory order lets a load see, and flags a cell
//! read or written without a happens-before edge to its last write.

#[cfg(not(loom))]
pub(crate) use std::{
    hint::spin_loop,
    sync::atomic::{AtomicU8, Ordering},
    thread,
};

#[cfg(loom)]
pub(crate) use loom::{
    hint::spin_loop,
    sync::atomic::{AtomicU8, Ordering},
    thread,
};

#[cfg(not(loom))]
use std::cell::UnsafeCell as InnerUnsafeCell;

#[cfg(loom)]
use loom::cell::UnsafeCell as InnerUnsafeCell;

/// Where no mailbox can take the second closure: `rayon::join`.
#[cfg(not(loom))]
pub(crate) use rayon::join as pool_join;

/// Where no mailbox can take the second closure: under loom, both closures in turn on the
/// calling thread, because rayon's threads are outside the model (a closure run there could
/// not touch the model's atomics or thread-locals).
#[cfg(loom)]
pub(crate) fn pool_join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA,
    B: FnOnce() -> RB,
{
    (a(), b())
}

/// An `UnsafeCell` with loom's access API, so both builds share one: every access goes through
/// [`with`](Self::with) or [`with_mut`](Self::with_mut) with a raw pointer that must not
/// escape the closure. Under loom each access is checked against the others for a data race.
pub(crate) struct UnsafeCell<T>(InnerUnsafeCell<T>);

impl<T> UnsafeCell<T> {
    /// A cell holding `value`.
    #[inline(always)]
    pub(crate) fn new(value: T) -> Self {
        Self(InnerUnsafeCell::new(value))
    }

    /// Calls `f` with a pointer for reading the value.
    #[cfg_attr(
        not(loom),
        expect(dead_code, reason = "only loom's checks read without writing")
    )]
    #[inline(always)]
    pub(crate) fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        #[cfg(not(loom))]
        return f(self.0.get());
        #[cfg(loom)]
        return self.0.with(f);
    }

    /// Calls `f` with a pointer for reading or writing the value.
    #[inline(always)]
    pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        #[cfg(not(loom))]
        return f(self.0.get());
        #[cfg(loom)]
        return self.0.with_mut(f);
    }

    /// The value. Under loom this counts as a read, checked like one: moving a value out of a
    /// cell that another thread wrote reads that thread's write.
    #[inline(always)]
    pub(crate) fn into_inner(self) -> T {
        #[cfg(loom)]
        self.0.with(|_| ());
        self.0.into_inner()
    }
}
