//! The emulator binary's global allocator: mimalloc, asked for plain blocks whenever the
//! alignment allows. Public so that the throughput bench serves its bare hyper server, the
//! ceiling, with the same allocator.
//!
//! The `mimalloc` crate sends every request through `mi_malloc_aligned`. Its fast path only
//! takes blocks of up to 1 KiB whose free block happens to be aligned; anything else (hyper's
//! buffers, a response body, a moved future) goes through its generic path and is
//! over-allocated, at several times the cost. Every mimalloc block is aligned to a word, so for
//! word alignment and less `mi_malloc` gives the same guarantee on its fast path.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys::{
    mi_free, mi_malloc, mi_malloc_aligned, mi_realloc, mi_realloc_aligned, mi_zalloc,
    mi_zalloc_aligned,
};

/// The alignment of every block `mi_malloc` returns.
const BLOCK_ALIGNMENT: usize = std::mem::align_of::<usize>();

/// mimalloc, through its unaligned entry points where they suffice.
#[derive(Clone, Copy, Debug, Default)]
pub struct Mimalloc;

// SAFETY: every method passes the layout's size and alignment on to mimalloc, whose functions
// return blocks of at least that size, aligned to at least `BLOCK_ALIGNMENT` (the plain ones)
// or to the alignment asked (the `_aligned` ones), or null when out of memory; `mi_free` and
// the `realloc` functions accept any block either kind returned.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= BLOCK_ALIGNMENT {
                mi_malloc(layout.size()).cast()
            } else {
                mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= BLOCK_ALIGNMENT {
                mi_zalloc(layout.size()).cast()
            } else {
                mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from one of the functions above (the caller's contract).
        unsafe { mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from one of the functions above, with `layout` (the caller's
        // contract); the new block keeps the alignment.
        unsafe {
            if layout.align() <= BLOCK_ALIGNMENT {
                mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every size class up to a few pages, at every alignment up to a page: the block is
    /// aligned, writable over its whole size, and survives growing and shrinking.
    #[test]
    fn blocks_are_aligned_and_usable() {
        let mut size = 1;
        while size <= 64 * 1024 {
            let mut align = 1;
            while align <= 4096 {
                let layout = Layout::from_size_align(size, align).expect("a valid layout");
                // SAFETY: `layout` has a non-zero size; each block is freed once, with the
                // layout it was allocated with.
                unsafe {
                    let block = Mimalloc.alloc(layout);
                    assert!(!block.is_null());
                    assert_eq!(block as usize % align, 0, "size {size}, align {align}");
                    block.write_bytes(0xA5, size);
                    let grown = Mimalloc.realloc(block, layout, size * 3);
                    assert_eq!(grown as usize % align, 0, "size {size}, align {align}");
                    assert_eq!(*grown.add(size - 1), 0xA5);
                    let grown_layout = Layout::from_size_align(size * 3, align).expect("valid");
                    Mimalloc.dealloc(grown, grown_layout);
                    let zeroed = Mimalloc.alloc_zeroed(layout);
                    assert_eq!(zeroed as usize % align, 0, "size {size}, align {align}");
                    assert!((0..size).all(|i| *zeroed.add(i) == 0));
                    Mimalloc.dealloc(zeroed, layout);
                }
                align *= 2;
            }
            size = size * 3 / 2 + 1;
        }
    }
}
