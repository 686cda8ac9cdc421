// SPDX-License-Identifier: GPL-2.0

//! Page pools (`struct page_pool`): receive buffers in page fragments that
//! go up the stack inside frames and come back to their pool when the
//! frames are freed, instead of being copied out of fixed buffers.
//!
//! A [`PagePool`] hands out [`PoolFrag`]s, owned fragments: dropping one
//! returns it to its pool; [`SkBuff::add_pool_frag`](super::SkBuff::add_pool_frag)
//! moves it into a frame, which returns it when freed
//! (`skb_mark_for_recycle`). A NAPI instance may have a pool of its own,
//! which recycles directly (see `napi_pool`). Allocation is not
//! thread-safe in C (a lockless per-pool cache), so it takes
//! `&mut PagePool`: the driver keeps the pool with the receive queue it
//! fills, serialised by that queue's NAPI poll or lock. Returning
//! fragments is safe from any context and any CPU, also after the pool was
//! dropped: `page_pool_destroy` keeps the pool's memory until the last
//! fragment in flight has come back.
//!
//! The CPU never holds a Rust reference into a fragment: bytes leave it by
//! copy ([`SkBuff::put_from_frag`](super::SkBuff::put_from_frag)) or by
//! moving the fragment into a frame,
//! as for [`super::DmaBuffers`].

use core::ptr::NonNull;

use kernel::device::{Bound, Device};
use kernel::dma::DmaAddress;
use kernel::error::to_result;
use kernel::prelude::*;

use super::bindings;

/// Largest fragment a pool hands out: one page.
pub const MAX_FRAG: u32 = kernel::page::PAGE_SIZE as u32;

/// A page pool of order-0 pages for receive buffers.
///
/// # Invariants
///
/// `pool` was created by `page_pool_create` and is destroyed only by drop.
pub struct PagePool {
    pool: NonNull<bindings::page_pool>,
    mapped: bool,
}

// SAFETY: A pool may be used and destroyed from any thread; allocation,
// which must not run concurrently, takes `&mut self`.
unsafe impl Send for PagePool {}
// SAFETY: `&PagePool` gives nothing that touches the pool's state.
unsafe impl Sync for PagePool {}

impl PagePool {
    /// A pool of plain pages (the device reaches them through a transport
    /// that maps buffers itself, like virtio without `ACCESS_PLATFORM`),
    /// caching up to `pool_size` pages, for fragments of up to `max_len`
    /// bytes. Process context.
    pub fn new(pool_size: u32, max_len: u32) -> Result<Self> {
        Self::create(core::ptr::null_mut(), pool_size, max_len, false)
    }

    /// A pool whose pages are mapped for `dev` to write into (and synced
    /// for it, whole, when recycled), for fragments of up to `max_len`
    /// bytes. Process context.
    pub fn new_mapped(dev: &Device<Bound>, pool_size: u32, max_len: u32) -> Result<Self> {
        let dev: *const Device<Bound> = dev;
        Self::create(dev.cast_mut().cast(), pool_size, max_len, true)
    }

    fn create(
        dev: *mut bindings::device,
        pool_size: u32,
        max_len: u32,
        mapped: bool,
    ) -> Result<Self> {
        let mut pool = core::ptr::null_mut();
        // `dev` is null or a bound `struct device` (`kernel::device::Device`
        // wraps it transparently), which the pool holds a reference to
        // while it maps pages for it; `pool` is written on success only.
        // SAFETY: So the call is sound; the helper checks `max_len`.
        to_result(unsafe {
            bindings::rnic_page_pool_create(
                dev,
                core::ptr::null_mut(),
                pool_size,
                max_len,
                &mut pool,
            )
        })?;
        Ok(Self {
            pool: NonNull::new(pool).ok_or(ENOMEM)?,
            mapped,
        })
    }

    /// A fragment of `len` bytes, or `None` if memory ran out or `len` is
    /// zero or larger than a page. Any context (it does not sleep).
    pub fn alloc_frag(&mut self, len: u32) -> Option<PoolFrag> {
        if len == 0 || len > MAX_FRAG {
            return None;
        }
        let mut offset = 0;
        // The pool is valid (invariant) and `&mut self` keeps allocations
        // from running concurrently.
        // SAFETY: So the allocation is sound.
        let page =
            unsafe { bindings::rnic_page_pool_alloc_frag(self.pool.as_ptr(), &mut offset, len) };
        Some(PoolFrag {
            pool: self.pool,
            page: NonNull::new(page)?,
            offset,
            len,
            mapped: self.mapped,
        })
    }

    /// A fragment of at least `len` bytes, sized as C `page_pool_dev_alloc`
    /// sizes it: a whole page for more than half a page, and grown to the
    /// end of its page when no other fragment of `len` bytes would fit
    /// after it (so the rest of the page counts in its truesize instead of
    /// being lost). `None` if memory ran out or `len` is zero or larger
    /// than a page. Any context (it does not sleep).
    pub fn alloc(&mut self, len: u32) -> Option<PoolFrag> {
        // The pool is valid (invariant) and `&mut self` keeps allocations
        // from running concurrently.
        // SAFETY: So the allocation is sound.
        unsafe { PoolFrag::alloc_from(self.pool, self.mapped, len) }
    }
}

impl Drop for PagePool {
    fn drop(&mut self) {
        // The pool is valid and dropped once (invariant); fragments in
        // flight keep its memory until they come back. From atomic context
        // the helper defers the destruction to a work item.
        // SAFETY: So destroying it here is sound.
        unsafe { bindings::rnic_page_pool_destroy(self.pool.as_ptr()) }
    }
}

/// A fragment of a pool page, owned: dropping it returns it to its pool.
///
/// # Invariants
///
/// `page` was allocated from `pool` with one fragment reference, which
/// this value owns; `offset + len` is within the page.
pub struct PoolFrag {
    pool: NonNull<bindings::page_pool>,
    pub(super) page: NonNull<bindings::page>,
    pub(super) offset: u32,
    pub(super) len: u32,
    mapped: bool,
}

// SAFETY: A fragment may be returned to its pool from any CPU and context.
unsafe impl Send for PoolFrag {}
// SAFETY: `&PoolFrag` gives only its address and a copy of its bytes.
unsafe impl Sync for PoolFrag {}

impl PoolFrag {
    /// A fragment of at least `len` bytes from `pool` (see
    /// [`PagePool::alloc`]); `mapped` says whether the pool maps its
    /// pages.
    ///
    /// # Safety
    ///
    /// `pool` is a live pool, no other allocation from it runs at the same
    /// time, and `mapped` is true only if it maps its pages.
    pub(super) unsafe fn alloc_from(
        pool: NonNull<bindings::page_pool>,
        mapped: bool,
        len: u32,
    ) -> Option<Self> {
        if len == 0 || len > MAX_FRAG {
            return None;
        }
        let mut offset = 0;
        let mut size = len;
        // The caller guarantees a live pool and serialised allocation;
        // `size` is written with the size handed out.
        // SAFETY: So the allocation is sound.
        let page = unsafe { bindings::rnic_page_pool_alloc(pool.as_ptr(), &mut offset, &mut size) };
        let frag = Self {
            pool,
            page: NonNull::new(page)?,
            offset,
            len: size,
            mapped,
        };
        // The pool hands out at least what was asked, within a page; a
        // fragment that broke that goes back rather than be trusted.
        if size < len || offset.checked_add(size).is_none_or(|end| end > MAX_FRAG) {
            return None;
        }
        Some(frag)
    }

    /// Its length in bytes.
    pub fn len(&self) -> u32 {
        self.len
    }

    /// Whether it is empty (never: pools hand out non-empty fragments).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bus address of its first byte, for a descriptor, if the pool
    /// maps its pages ([`PagePool::new_mapped`]).
    pub fn dma_addr(&self) -> Option<DmaAddress> {
        if !self.mapped {
            return None;
        }
        // SAFETY: `page` is a page of a mapping pool (invariant).
        let base = unsafe { bindings::rnic_page_pool_dma_addr(self.page.as_ptr()) };
        Some(base + DmaAddress::from(self.offset))
    }

    /// The address of its first byte in the kernel's mapping, for layers
    /// whose transport maps buffers itself (virtio).
    pub(crate) fn as_ptr(&self) -> *mut u8 {
        // SAFETY: `page` is a valid lowmem page (pool pages are order 0,
        // from the page allocator, and x86-64 maps all memory).
        let base = unsafe { bindings::rnic_page_address(self.page.as_ptr()) };
        base.cast::<u8>().wrapping_add(self.offset as usize)
    }

    /// Whether its pool maps its pages for a device.
    pub fn is_mapped(&self) -> bool {
        self.mapped
    }

    /// Copies bytes from byte `offset` of the fragment into `dst` (the
    /// CPU never holds a reference into a fragment the device may write).
    /// Fails without copying if the range is outside the fragment.
    pub fn read(&self, offset: u32, dst: &mut [u8]) -> Result {
        let len = u32::try_from(dst.len()).map_err(|_| EINVAL)?;
        let end = offset.checked_add(len).ok_or(EINVAL)?;
        if end > self.len {
            return Err(EINVAL);
        }
        self.sync_for_cpu(end);
        let src = self.as_ptr().wrapping_add(offset as usize);
        // `src..src + len` lies within the fragment (checked above), which
        // no Rust reference covers; `dst` is another, writable buffer.
        // SAFETY: So the copy is sound.
        unsafe { core::ptr::copy_nonoverlapping(src, dst.as_mut_ptr(), dst.len()) };
        Ok(())
    }

    /// Gives up the fragment as its pool and page, whose fragment
    /// reference the caller takes over (a helper that builds a frame
    /// around the page, or returns it).
    pub(super) fn into_page(self) -> (NonNull<bindings::page_pool>, NonNull<bindings::page>) {
        let parts = (self.pool, self.page);
        core::mem::forget(self);
        parts
    }

    /// Gives up the fragment as the address of its first byte, which
    /// [`PoolFrag::from_va`] takes back (a layer's queue cookie, C's
    /// `buf`).
    pub(crate) fn into_va(self) -> NonNull<u8> {
        let va = self.as_ptr();
        core::mem::forget(self);
        // A lowmem page's address is never null.
        NonNull::new(va).unwrap_or(NonNull::dangling())
    }

    /// Takes back a fragment given up by [`PoolFrag::into_va`], as `len`
    /// bytes long.
    ///
    /// # Safety
    ///
    /// `va` comes from `into_va` of a fragment of a pool that does not map
    /// its pages, at least `len` bytes long, and is taken back once.
    pub(crate) unsafe fn from_va(va: NonNull<u8>, len: u32) -> Self {
        let mut offset = 0;
        let mut pool = core::ptr::null_mut();
        // `va` is the address of a pool fragment (guaranteed by the
        // caller): its page is a pool page, which records its pool.
        // SAFETY: So the look-up is sound.
        let page =
            unsafe { bindings::rnic_page_pool_frag_of(va.as_ptr().cast(), &mut offset, &mut pool) };
        // A pool page and its pool are never null; the reference `into_va`
        // gave up comes back here, once.
        // SAFETY: So the fragment owns it again.
        unsafe {
            Self {
                pool: NonNull::new_unchecked(pool),
                page: NonNull::new_unchecked(page),
                offset,
                len,
                mapped: false,
            }
        }
    }

    /// Makes the first `len` bytes, which the device wrote, visible to the
    /// CPU (a no-op on coherent platforms).
    pub(super) fn sync_for_cpu(&self, len: u32) {
        if !self.mapped {
            // Plain pages: nothing to sync (and no device to sync for).
            return;
        }
        // `page` belongs to `pool`, which maps its pages, and
        // `offset + len` is within the page (invariant; callers clamp
        // `len` to the fragment).
        // SAFETY: So the sync is sound.
        unsafe {
            bindings::rnic_page_pool_sync_for_cpu(
                self.pool.as_ptr(),
                self.page.as_ptr(),
                self.offset,
                len,
            )
        }
    }
}

impl Drop for PoolFrag {
    fn drop(&mut self) {
        // This value owns one fragment reference of a page of `pool`
        // (invariant); the pool outlives its fragments in flight.
        // SAFETY: So the reference can be returned, once, here.
        unsafe { bindings::rnic_page_pool_put_page(self.pool.as_ptr(), self.page.as_ptr()) }
    }
}
