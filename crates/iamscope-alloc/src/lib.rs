//! The global allocator of iamscope's WebAssembly module (crates/iamscope-wasm): segregated free
//! lists of small size classes in front of the system allocator (Rust's `System`, which is
//! dlmalloc on wasm32).
//!
//! Most of what the engine allocates is small (strings of a trace, nodes, short vectors) and is
//! freed soon after. dlmalloc spends a good part of its time on such blocks splitting and merging
//! chunks and keeping its bins sorted. Here a block of up to [`MAX_SMALL`] bytes with an alignment
//! of at most 8 takes the size of its class (multiples of 8 up to 128 bytes, then four classes per
//! power of two), comes from that class's free list, or else is carved off the end of a chunk of
//! [`CHUNK`] bytes taken from the system allocator, and goes back onto its class's list when it is
//! freed. Rust passes the block's layout to `dealloc`, so a block needs no header: its class is
//! computed from the size again. Everything else (larger blocks, larger alignments) goes to the
//! system allocator unchanged.
//!
//! Memory: a freed block is reused by its own class only, and chunks are never given back, so the
//! memory this front holds is the sum over classes of the most bytes that class ever held at once,
//! plus the unused end of each chunk (less than [`MAX_SMALL`]); the most a block wastes is a
//! quarter of its size (the classes above 128 bytes) or 7 bytes.
//!
//! [`Heap`] is the allocator's state and is tested natively (tests/model.rs). [`Alloc`], the
//! `GlobalAlloc` over one `Heap`, exists only on wasm32 without the atomics feature, where there is
//! exactly one thread.

use std::alloc::{GlobalAlloc, Layout, System};
use std::ptr;

/// The largest size served from the size classes; larger blocks go to the system allocator.
pub const MAX_SMALL: usize = 1024;

/// The largest alignment served from the size classes: every class size is a multiple of 8 and
/// every chunk starts at a multiple of 8, so every block of a class does too.
pub const MAX_SMALL_ALIGN: usize = 8;

/// The bytes taken from the system allocator at a time, to be cut into blocks.
pub const CHUNK: usize = 32 * 1024;

/// The bytes at the start of a chunk that link it to the previous chunk (for `Drop`).
const CHUNK_HEADER: usize = 8;

/// Classes: 16 of multiples of 8 up to 128 bytes, then four per power of two up to `MAX_SMALL`.
const CLASSES: usize = 16 + 4 * (MAX_SMALL.trailing_zeros() as usize - 7);

/// The class of a block of `size` bytes (`size <= MAX_SMALL`).
#[inline]
fn class_of(size: usize) -> usize {
    if size <= 128 {
        size.saturating_sub(1) >> 3
    } else {
        let s = size - 1;
        // s >= 128, so its highest set bit k is at least 7.
        let k = (usize::BITS - 1 - s.leading_zeros()) as usize;
        16 + (k - 7) * 4 + ((s >> (k - 2)) & 3)
    }
}

/// The size of the blocks of class `class` (the largest size `class_of` maps to it).
#[inline]
fn class_size(class: usize) -> usize {
    if class < 16 {
        (class + 1) * 8
    } else {
        let j = class - 16;
        let k = 7 + j / 4;
        (1 << k) + (j % 4 + 1) * (1 << (k - 2))
    }
}

/// The class of a layout, or `None` for one the system allocator serves.
#[inline]
fn small_class(layout: Layout) -> Option<usize> {
    if layout.size() <= MAX_SMALL && layout.align() <= MAX_SMALL_ALIGN {
        Some(class_of(layout.size()))
    } else {
        None
    }
}

/// The allocator's state. Its methods have `GlobalAlloc`'s contracts, with `&mut self`.
pub struct Heap {
    /// The first free block of each class; each free block's first word holds the next one (or
    /// null). Every class is at least 8 bytes and 8-aligned, so a pointer fits.
    free: [*mut u8; CLASSES],
    /// The part of the newest chunk not handed out yet: `next..end`, or null..null.
    next: *mut u8,
    end: *mut u8,
    /// The newest chunk (its first word points to the previous one), or null.
    chunks: *mut u8,
    /// How many chunks were taken (for tests and measurements).
    chunk_count: usize,
}

impl Default for Heap {
    fn default() -> Self {
        Self::new()
    }
}

impl Heap {
    /// An empty heap; it takes its first chunk at the first small allocation.
    pub const fn new() -> Self {
        Heap {
            free: [ptr::null_mut(); CLASSES],
            next: ptr::null_mut(),
            end: ptr::null_mut(),
            chunks: ptr::null_mut(),
            chunk_count: 0,
        }
    }

    /// The bytes of chunks this heap took from the system allocator.
    pub fn chunk_bytes(&self) -> usize {
        self.chunk_count * CHUNK
    }

    /// As `GlobalAlloc::alloc`.
    ///
    /// # Safety
    /// `layout` has a non-zero size (as `GlobalAlloc::alloc` requires).
    #[inline]
    pub unsafe fn alloc(&mut self, layout: Layout) -> *mut u8 {
        match small_class(layout) {
            Some(class) => {
                let head = self.free[class];
                if head.is_null() {
                    self.carve(class)
                } else {
                    // SAFETY: `head` is a free block of this class (pushed by `dealloc`), at least
                    // 8 bytes and 8-aligned, whose first word `dealloc` set to the next free block.
                    self.free[class] = unsafe { head.cast::<*mut u8>().read() };
                    head
                }
            }
            // SAFETY: the caller's contract is `System.alloc`'s.
            None => unsafe { System.alloc(layout) },
        }
    }

    /// A new block of class `class` from the current chunk, or from a new chunk when the current
    /// one has too little left (its end is left unused). Null if the system allocator has no
    /// chunk to give.
    #[cold]
    fn carve(&mut self, class: usize) -> *mut u8 {
        let size = class_size(class);
        if (self.end as usize) - (self.next as usize) < size {
            // SAFETY: CHUNK and 8 form a valid layout with a non-zero size (checked at compile
            // time below).
            let chunk = unsafe { System.alloc(Layout::from_size_align_unchecked(CHUNK, 8)) };
            if chunk.is_null() {
                return ptr::null_mut();
            }
            // SAFETY: the chunk is CHUNK bytes, 8-aligned, ours; its first word links the previous
            // chunk, and `next..end` stays inside it.
            unsafe {
                chunk.cast::<*mut u8>().write(self.chunks);
                self.next = chunk.add(CHUNK_HEADER);
                self.end = chunk.add(CHUNK);
            }
            self.chunks = chunk;
            self.chunk_count += 1;
        }
        let block = self.next;
        // SAFETY: `end - next >= size`, so `next + size` is within the chunk or its end.
        self.next = unsafe { block.add(size) };
        block
    }

    /// As `GlobalAlloc::dealloc`.
    ///
    /// # Safety
    /// `block` was returned by this heap's `alloc`, `alloc_zeroed` or `realloc` with `layout` (for
    /// `realloc`, its layout's alignment and the new size), and is not used afterwards.
    #[inline]
    pub unsafe fn dealloc(&mut self, block: *mut u8, layout: Layout) {
        match small_class(layout) {
            Some(class) => {
                // SAFETY: the block came from this class (same layout, so the same class): it is
                // at least 8 bytes and 8-aligned, and no longer in use, so its first word can
                // hold the list's link.
                unsafe { block.cast::<*mut u8>().write(self.free[class]) };
                self.free[class] = block;
            }
            // SAFETY: a layout without a class was served by `System` with this layout.
            None => unsafe { System.dealloc(block, layout) },
        }
    }

    /// As `GlobalAlloc::alloc_zeroed`.
    ///
    /// # Safety
    /// As [`Heap::alloc`].
    #[inline]
    pub unsafe fn alloc_zeroed(&mut self, layout: Layout) -> *mut u8 {
        if small_class(layout).is_none() {
            // SAFETY: the caller's contract is `System.alloc_zeroed`'s.
            return unsafe { System.alloc_zeroed(layout) };
        }
        // SAFETY: the caller's contract.
        let block = unsafe { self.alloc(layout) };
        if !block.is_null() {
            // SAFETY: the block has at least `layout.size()` writable bytes.
            unsafe { block.write_bytes(0, layout.size()) };
        }
        block
    }

    /// As `GlobalAlloc::realloc`: in place when the new size has the same class, the system
    /// allocator's `realloc` when neither size has a class, else a new block, a copy and a free.
    ///
    /// # Safety
    /// As `GlobalAlloc::realloc`: `block` came from this heap with `layout`, `new_size` is not
    /// zero and, rounded up to `layout.align()`, does not overflow `isize`.
    #[inline]
    pub unsafe fn realloc(&mut self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees the size and alignment form a valid layout.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        match (small_class(layout), small_class(new_layout)) {
            (Some(old), Some(new)) if old == new => block,
            // SAFETY: both layouts are the system allocator's (neither has a class), and the
            // caller's contract is `System.realloc`'s.
            (None, None) => unsafe { System.realloc(block, layout, new_size) },
            _ => {
                // SAFETY: `new_layout` is valid with a non-zero size (the caller's contract).
                let moved = unsafe { self.alloc(new_layout) };
                if !moved.is_null() {
                    // SAFETY: both blocks hold at least the smaller size; they are distinct live
                    // blocks, so they do not overlap; the old one is freed with its own layout.
                    unsafe {
                        ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                        self.dealloc(block, layout);
                    }
                }
                moved
            }
        }
    }
}

impl Drop for Heap {
    /// Gives the chunks back (blocks of the size classes die with them; larger blocks are the
    /// system allocator's and their owners').
    fn drop(&mut self) {
        let mut chunk = self.chunks;
        while !chunk.is_null() {
            // SAFETY: `chunk` is a chunk this heap took with this layout; its first word links the
            // previous chunk (written by `carve`), read before the chunk is freed.
            unsafe {
                let previous = chunk.cast::<*mut u8>().read();
                System.dealloc(chunk, Layout::from_size_align_unchecked(CHUNK, 8));
                chunk = previous;
            }
        }
    }
}

const _: () = {
    assert!(CHUNK.is_power_of_two() && CHUNK >= 2 * MAX_SMALL + CHUNK_HEADER);
    assert!(MAX_SMALL.is_power_of_two() && MAX_SMALL >= 256);
    assert!(std::mem::size_of::<*mut u8>() <= 8);
};

/// The `GlobalAlloc` of the WebAssembly module: one [`Heap`]. Only on wasm32 without the atomics
/// feature, where there is one thread and so no two calls run at once.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
pub struct Alloc {
    heap: std::cell::UnsafeCell<Heap>,
}

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
impl Alloc {
    /// The allocator, for `#[global_allocator] static A: Alloc = Alloc::new();`.
    pub const fn new() -> Self {
        Alloc {
            heap: std::cell::UnsafeCell::new(Heap::new()),
        }
    }
}

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
impl Default for Alloc {
    fn default() -> Self {
        Self::new()
    }
}

// SAFETY: wasm32 without the atomics feature runs one thread, so `Alloc` is never reached from
// two threads (this is how std's own dlmalloc wrapper treats that target).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
unsafe impl Sync for Alloc {}

// SAFETY: each method forwards to the `Heap` method with the same contract. The `&mut Heap` is
// unique: there is one thread (above) and no method calls back into the allocator while it holds
// it (`Heap` calls only `System`, which is a separate allocator).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
unsafe impl GlobalAlloc for Alloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe { (*self.heap.get()).alloc(layout) }
    }
    #[inline]
    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // SAFETY: see the impl.
        unsafe { (*self.heap.get()).dealloc(block, layout) }
    }
    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe { (*self.heap.get()).alloc_zeroed(layout) }
    }
    #[inline]
    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe { (*self.heap.get()).realloc(block, layout, new_size) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_cover_every_small_size_in_order() {
        assert_eq!(class_of(MAX_SMALL), CLASSES - 1);
        assert_eq!(class_size(CLASSES - 1), MAX_SMALL);
        for size in 0..=MAX_SMALL {
            let c = class_of(size);
            assert!(size <= class_size(c), "size {size} class {c}");
            assert_eq!(class_size(c) % 8, 0);
            if c > 0 {
                assert!(size > class_size(c - 1), "size {size} fits class {}", c - 1);
            }
            // at most a quarter (or 7 bytes) wasted
            assert!(
                class_size(c) - size.max(1) <= (size / 4).max(7),
                "size {size}"
            );
        }
    }
}
