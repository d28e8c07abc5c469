//! Model-based tests of the allocator's `Heap`: random sequences of allocations, frees and
//! reallocations of random sizes and alignments, checked against a list of the live blocks: every
//! block is aligned as asked, no two live blocks overlap, and a block's bytes stay what was written
//! into it (across a `realloc`, up to the smaller size) until it is freed.

use std::alloc::Layout;

use iamscope_alloc::{CHUNK, Heap, MAX_SMALL};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Alloc {
        size: usize,
        align_log2: u32,
        zeroed: bool,
    },
    Free {
        pick: usize,
    },
    Realloc {
        pick: usize,
        size: usize,
    },
}

/// Sizes around the class bounds and the small/large bound, plus a few large ones.
fn size() -> impl Strategy<Value = usize> {
    prop_oneof![
        6 => 1usize..=160,
        3 => 1usize..=MAX_SMALL + 64,
        1 => (MAX_SMALL - 8)..=(MAX_SMALL + 8),
        1 => 1usize..=3 * CHUNK,
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (size(), prop_oneof![8 => 0u32..=3, 1 => 4u32..=6], any::<bool>())
            .prop_map(|(size, align_log2, zeroed)| Op::Alloc { size, align_log2, zeroed }),
        3 => any::<usize>().prop_map(|pick| Op::Free { pick }),
        3 => (any::<usize>(), size()).prop_map(|(pick, size)| Op::Realloc { pick, size }),
    ]
}

struct Live {
    ptr: *mut u8,
    layout: Layout,
    fill: u8,
}

fn check_content(b: &Live, len: usize) {
    // SAFETY: `b` is a live block of at least `len` bytes.
    let bytes = unsafe { std::slice::from_raw_parts(b.ptr, len) };
    assert!(
        bytes.iter().all(|&x| x == b.fill),
        "block {:p} lost its content",
        b.ptr
    );
}

fn fill(b: &Live) {
    // SAFETY: `b` is a live block of `layout.size()` bytes.
    unsafe { b.ptr.write_bytes(b.fill, b.layout.size()) };
}

fn check_placement(live: &[Live], b: &Live) {
    assert!(!b.ptr.is_null());
    assert_eq!(
        b.ptr as usize % b.layout.align(),
        0,
        "misaligned {:?}",
        b.layout
    );
    let (s, e) = (b.ptr as usize, b.ptr as usize + b.layout.size());
    for o in live {
        let (os, oe) = (o.ptr as usize, o.ptr as usize + o.layout.size());
        assert!(
            e <= os || oe <= s,
            "{s:#x}..{e:#x} overlaps {os:#x}..{oe:#x}"
        );
    }
}

fn run(ops: &[Op]) {
    let mut heap = Heap::new();
    let mut live: Vec<Live> = Vec::new();
    let mut next_fill = 1u8;
    let mut fresh = || {
        next_fill = next_fill.wrapping_add(1).max(1);
        next_fill
    };
    for op in ops {
        match *op {
            Op::Alloc {
                size,
                align_log2,
                zeroed,
            } => {
                let layout = Layout::from_size_align(size, 1 << align_log2).unwrap();
                // SAFETY: the size is not zero.
                let ptr = unsafe {
                    if zeroed {
                        heap.alloc_zeroed(layout)
                    } else {
                        heap.alloc(layout)
                    }
                };
                let b = Live {
                    ptr,
                    layout,
                    fill: 0,
                };
                check_placement(&live, &b);
                if zeroed {
                    check_content(&b, size);
                }
                let b = Live { fill: fresh(), ..b };
                fill(&b);
                live.push(b);
            }
            Op::Free { pick } if !live.is_empty() => {
                let b = live.swap_remove(pick % live.len());
                check_content(&b, b.layout.size());
                // SAFETY: a live block of this heap with its layout.
                unsafe { heap.dealloc(b.ptr, b.layout) };
            }
            Op::Realloc { pick, size } if !live.is_empty() => {
                let b = live.swap_remove(pick % live.len());
                check_content(&b, b.layout.size());
                // SAFETY: a live block of this heap with its layout; the size is not zero and small.
                let ptr = unsafe { heap.realloc(b.ptr, b.layout, size) };
                let moved = Live {
                    ptr,
                    layout: Layout::from_size_align(size, b.layout.align()).unwrap(),
                    fill: b.fill,
                };
                check_placement(&live, &moved);
                check_content(&moved, size.min(b.layout.size()));
                let moved = Live {
                    fill: fresh(),
                    ..moved
                };
                fill(&moved);
                live.push(moved);
            }
            _ => {}
        }
    }
    for b in live.drain(..) {
        check_content(&b, b.layout.size());
        // SAFETY: a live block of this heap with its layout.
        unsafe { heap.dealloc(b.ptr, b.layout) };
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
    #[test]
    fn random_sequences_keep_blocks_apart_aligned_and_intact(ops in prop::collection::vec(op(), 1..400)) {
        run(&ops);
    }
}

#[test]
fn a_freed_block_is_reused_and_memory_stays_bounded() {
    let mut heap = Heap::new();
    let layout = Layout::from_size_align(40, 8).unwrap();
    // SAFETY: non-zero sizes; every block is freed once with its layout.
    unsafe {
        let a = heap.alloc(layout);
        heap.dealloc(a, layout);
        assert_eq!(heap.alloc(layout), a, "the freed block comes back first");
        heap.dealloc(a, layout);

        // short-lived blocks of every small size, 64 live at a time, in ten equal rounds: the
        // first round takes the chunks the workload needs, the other nine reuse its blocks
        let mut after_first = 0;
        for round in 0..10 {
            let mut held = Vec::new();
            for i in 0..100_000usize {
                let l = Layout::from_size_align(1 + i % MAX_SMALL, 8).unwrap();
                let p = heap.alloc(l);
                assert!(!p.is_null());
                held.push((p, l));
                if held.len() == 64 {
                    for (p, l) in held.drain(..) {
                        heap.dealloc(p, l);
                    }
                }
            }
            for (p, l) in held.drain(..) {
                heap.dealloc(p, l);
            }
            if round == 0 {
                after_first = heap.chunk_bytes();
            }
        }
        assert_eq!(
            heap.chunk_bytes(),
            after_first,
            "later rounds took more chunks"
        );
        // at most 64 blocks of a class live at once (the class sizes add up to 6,912 bytes), plus
        // the chunks' unused ends (less than a block each) and headers
        assert!(
            after_first <= 64 * 6_912 + 2 * CHUNK,
            "{after_first} bytes of chunks"
        );
    }
}

#[test]
fn realloc_within_a_class_stays_in_place_and_across_classes_moves() {
    let mut heap = Heap::new();
    // SAFETY: non-zero sizes; the block is freed once with its final layout.
    unsafe {
        let l = Layout::from_size_align(17, 8).unwrap();
        let p = heap.alloc(l);
        p.write_bytes(7, 17);
        assert_eq!(
            heap.realloc(p, l, 24),
            p,
            "17 and 24 bytes share the 24-byte class"
        );
        let l = Layout::from_size_align(24, 8).unwrap();
        let q = heap.realloc(p, l, 2000);
        assert_ne!(q, p);
        assert!(std::slice::from_raw_parts(q, 17).iter().all(|&b| b == 7));
        let l = Layout::from_size_align(2000, 8).unwrap();
        let r = heap.realloc(q, l, 5000);
        assert!(std::slice::from_raw_parts(r, 17).iter().all(|&b| b == 7));
        heap.dealloc(r, Layout::from_size_align(5000, 8).unwrap());
    }
}
