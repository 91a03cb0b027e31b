//! A global allocator that starts every large allocation on a 64-byte cache line.
//!
//! The engine's matrices are nalgebra matrices, whose storage is a `Vec`. The system allocator
//! starts a `Vec<f32>` on a 16-byte boundary; a large one (glibc serves it with `mmap`)
//! typically starts 16 bytes past a page. Then every 64-byte AVX-512 load of a weight column,
//! and every store of an output column, touches two cache lines. On the machine of
//! `docs/decisions/2026-11-23-cache-line-aligned-buffers.md`, a bare 4 × 4-vector multiply-add
//! loop ran 1.7 times slower over a 128 × 784 weight matrix that started 16 bytes past a line
//! than over one that started on a line; the engine's first-layer forward pass on one core was
//! about 13 % slower, and a whole training epoch 5–9 % slower.
//!
//! [`CacheLineAllocator`] forwards to [`std::alloc::System`], asking for 64-byte alignment
//! for every allocation from [`MIN_SIZE`] up to (not including) [`MAX_SIZE`] bytes. It
//! changes where buffers start, never what is computed: results are the same to the last bit
//! with or without it.
//!
//! A library cannot choose the global allocator of the program that uses it, so this is
//! opt-in: a binary (or a test or benchmark target) installs it with two lines. The
//! engine's own binaries, `nn`, `nn-experiments` and `nn-bench`, do.
//!
//! # Example
//!
//! ```
//! use nn_alloc::CacheLineAllocator;
//!
//! #[global_allocator]
//! static ALLOCATOR: CacheLineAllocator = CacheLineAllocator;
//!
//! let weights = vec![0.0_f32; 128 * 784];
//! assert_eq!(weights.as_ptr() as usize % nn_alloc::ALIGN, 0);
//! ```

use std::alloc::{GlobalAlloc, Layout, System};

/// The alignment given to large allocations: one cache line, and one AVX-512 vector.
pub const ALIGN: usize = 64;

/// Allocations of at least this many bytes start on a cache line; smaller ones (strings,
/// small vectors) keep the system allocator's alignment and its cheaper, denser blocks.
pub const MIN_SIZE: usize = 1024;

/// Allocations of this many bytes or more keep the system allocator's alignment. They are
/// whole datasets, which the kernels stream or gather from rather than load as vectors, and
/// the system grows them in place (`mremap`), while an over-aligned block is grown by copying
/// it: growing a 200 MB vector that way would briefly hold it twice. Every buffer of a
/// training step, and the 10,000-column outputs of inference, are far below it.
pub const MAX_SIZE: usize = 16 << 20;

/// The system allocator, with every allocation from [`MIN_SIZE`] up to [`MAX_SIZE`] bytes
/// aligned to [`ALIGN`] bytes. Install it with `#[global_allocator]` (see the crate example).
#[derive(Debug, Clone, Copy, Default)]
pub struct CacheLineAllocator;

/// The layout this allocator asks the system for, in place of `layout`. It depends on the
/// layout alone, so `dealloc` and `realloc` recompute exactly the layout `alloc` used.
pub fn system_layout(layout: Layout) -> Layout {
    if (MIN_SIZE..MAX_SIZE).contains(&layout.size()) && layout.align() < ALIGN {
        // `align_to` keeps the size and fails only when that size, rounded up to a multiple
        // of `ALIGN`, would pass `isize::MAX`; such a layout is left as it is, which is
        // still a function of the layout alone.
        layout.align_to(ALIGN).unwrap_or(layout)
    } else {
        layout
    }
}

// SAFETY: every method forwards to `System` with `system_layout(layout)`: a layout of the same
// size whose alignment is at least `layout`'s, so the memory returned fits `layout`. Because
// `system_layout` is a function of the layout alone, the layout the caller passes back to
// `dealloc` or `realloc` (the one it allocated with, as `GlobalAlloc` requires) maps to the
// very layout `System` allocated with.
unsafe impl GlobalAlloc for CacheLineAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: `layout` has a non-zero size (the caller's duty) and so does
        // `system_layout(layout)`, which has the same size.
        unsafe { System.alloc(system_layout(layout)) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        unsafe { System.alloc_zeroed(system_layout(layout)) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator with `layout`, so from `System` with
        // `system_layout(layout)`.
        unsafe { System.dealloc(ptr, system_layout(layout)) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = system_layout(layout);
        // The caller guarantees that `new_size` with `layout.align()` is a valid layout.
        let Ok(requested) = Layout::from_size_align(new_size, layout.align()) else {
            return std::ptr::null_mut();
        };
        let new = system_layout(requested);
        if new.align() == old.align() {
            // SAFETY: `ptr` was allocated by `System` with `old`; `System::realloc` keeps
            // `old.align()`, which is what `new` asks for, and `new_size` is non-zero and
            // valid with that alignment (it is `new`'s size).
            return unsafe { System.realloc(ptr, old, new.size()) };
        }
        // Crossing `MIN_SIZE` or `MAX_SIZE`: the alignment changes, so move the block by hand.
        // SAFETY: `new` has a non-zero size.
        let moved = unsafe { System.alloc(new) };
        if !moved.is_null() {
            // SAFETY: both blocks are valid for the smaller of the two sizes, and distinct
            // (the old one is still allocated); `ptr` came from `System` with `old`.
            unsafe {
                std::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                System.dealloc(ptr, old);
            }
        }
        moved
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_layouts_ask_for_a_cache_line_and_small_ones_are_left_alone() {
        let large = Layout::from_size_align(MIN_SIZE, 4).unwrap();
        assert_eq!(system_layout(large).align(), ALIGN);
        assert_eq!(system_layout(large).size(), MIN_SIZE);
        let small = Layout::from_size_align(MIN_SIZE - 1, 4).unwrap();
        assert_eq!(system_layout(small), small);
        let huge = Layout::from_size_align(MAX_SIZE, 4).unwrap();
        assert_eq!(system_layout(huge), huge);
        let just_below = Layout::from_size_align(MAX_SIZE - 4, 4).unwrap();
        assert_eq!(system_layout(just_below).align(), ALIGN);
        let wider = Layout::from_size_align(4096, 4096).unwrap();
        assert_eq!(system_layout(wider), wider);
    }

    /// Allocates, grows across `MIN_SIZE` and shrinks back through the allocator directly,
    /// checking the alignment and that the contents move along.
    #[test]
    fn realloc_keeps_contents_and_alignment_across_the_threshold() {
        let a = CacheLineAllocator;
        let sizes = [
            16,
            1000,
            MIN_SIZE,
            5000,
            400_000,
            MAX_SIZE + 8,
            MAX_SIZE - 8,
            3000,
            100,
            8,
        ];
        let first = Layout::from_size_align(sizes[0], 4).unwrap();
        // SAFETY: a non-zero size.
        let mut ptr = unsafe { a.alloc(first) };
        assert!(!ptr.is_null());
        let mut layout = first;
        for (i, &size) in sizes.iter().enumerate().skip(1) {
            let kept = layout.size().min(size);
            // SAFETY: `ptr` holds `layout.size()` initialised-or-not bytes we own; we write them.
            unsafe { std::ptr::write_bytes(ptr, i as u8, layout.size()) };
            // SAFETY: `ptr` came from `a` with `layout`; `size` is non-zero.
            ptr = unsafe { a.realloc(ptr, layout, size) };
            assert!(!ptr.is_null());
            layout = Layout::from_size_align(size, 4).unwrap();
            if (MIN_SIZE..MAX_SIZE).contains(&size) {
                assert_eq!(ptr as usize % ALIGN, 0, "{size} bytes");
            }
            // SAFETY: the first `kept` bytes were copied from the old block.
            let bytes = unsafe { std::slice::from_raw_parts(ptr, kept) };
            assert!(bytes.iter().all(|&b| b == i as u8), "{size} bytes");
        }
        // SAFETY: `ptr` came from `a` with `layout`.
        unsafe { a.dealloc(ptr, layout) };
    }
}
