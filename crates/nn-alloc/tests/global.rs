//! The allocator installed as a program's global allocator, as the engine's binaries do.

use nn_alloc::{ALIGN, CacheLineAllocator, MAX_SIZE, MIN_SIZE};

#[global_allocator]
static ALLOCATOR: CacheLineAllocator = CacheLineAllocator;

#[test]
fn vectors_of_weights_start_on_a_cache_line() {
    // Many sizes, some served from the heap and some by `mmap`, each kept alive so the next
    // one lands somewhere else.
    let kept: Vec<Vec<f32>> = (0..200)
        .map(|i| vec![1.0_f32; MIN_SIZE / 4 + 37 * i])
        .chain([vec![0.0_f32; 128 * 784], vec![0.0_f32; 784 * 64]])
        .collect();
    for v in &kept {
        assert_eq!(v.as_ptr() as usize % ALIGN, 0, "{} floats", v.len());
    }
}

#[test]
fn a_growing_vector_stays_aligned_and_keeps_its_values() {
    let mut v = Vec::new();
    for i in 0..100_000_u32 {
        v.push(i);
        if (MIN_SIZE..MAX_SIZE).contains(&(v.capacity() * 4)) {
            assert_eq!(v.as_ptr() as usize % ALIGN, 0, "at {} values", v.len());
        }
    }
    assert!(v.iter().enumerate().all(|(i, &x)| x == i as u32));
    v.truncate(10);
    v.shrink_to_fit();
    assert_eq!(v, (0..10).collect::<Vec<_>>());
}
