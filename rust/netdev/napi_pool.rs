// SPDX-License-Identifier: GPL-2.0

//! A page pool that belongs to a NAPI instance (C `pp_params.napi`), the
//! way C drivers give each receive queue its pool.
//!
//! Such a pool recycles directly: a page freed in softirq on the CPU where
//! its instance is scheduled goes back to the pool's lockless cache
//! instead of the ring behind a lock (`page_pool_napi_local`). That cache
//! is also where allocations come from, so the kernel's rule is that only
//! the instance's own poll allocates, or nobody while the instance can be
//! scheduled. The layer makes the rule the API:
//!
//! - [`Napi::create_page_pool`] gives an instance its pool, once.
//! - Only [`PollContext::alloc_pool_frag`] allocates from it: a context
//!   exists only inside a poll of that instance, and a netpoll poll (zero
//!   budget, any CPU, interrupts off) gets nothing.
//! - The instance destroys its pool when it is dropped, disabled (the
//!   kernel checks that no CPU owns it), and waits for softirqs that may
//!   still look at the instance (`synchronize_net`) before its memory can
//!   go. Fragments in flight keep the pool's memory, not the instance's.
//!
//! A driver that refills from process context (C's refill work, `open`)
//! schedules the poll instead, which refills.

use core::ptr::NonNull;
use core::sync::atomic::Ordering;

use kernel::device::{Bound, Device};
use kernel::error::to_result;
use kernel::prelude::*;

use super::bindings;
use super::napi::{Napi, Poll, PollContext};
use super::page_pool::PoolFrag;

impl<T: Poll> Napi<T> {
    /// Gives the instance a pool of plain pages (for a transport that maps
    /// buffers itself, like virtio without `ACCESS_PLATFORM`), caching up
    /// to `pool_size` pages, for fragments of up to `max_len` bytes. Only
    /// its polls allocate from it ([`PollContext::alloc_pool_frag`]). Call
    /// once the instance is attached (`Builder::add_napi`), from process
    /// context. Fails with `EINVAL` before that, `EBUSY` if it has a pool.
    pub fn create_page_pool(&self, pool_size: u32, max_len: u32) -> Result {
        self.set_page_pool(core::ptr::null_mut(), pool_size, max_len)
    }

    /// As [`Napi::create_page_pool`], a pool whose pages are mapped for
    /// `dev` to write into (and synced for it, whole, when recycled).
    pub fn create_mapped_page_pool(
        &self,
        dev: &Device<Bound>,
        pool_size: u32,
        max_len: u32,
    ) -> Result {
        let dev: *const Device<Bound> = dev;
        self.set_page_pool(dev.cast_mut().cast(), pool_size, max_len)
    }

    fn set_page_pool(&self, dev: *mut bindings::device, pool_size: u32, max_len: u32) -> Result {
        if !self.is_attached() {
            return Err(EINVAL);
        }
        if !self.pool.load(Ordering::Acquire).is_null() {
            return Err(EBUSY);
        }
        let mut pool = core::ptr::null_mut();
        // `dev` is null or a bound `struct device` (`Device` wraps it
        // transparently), which the pool holds a reference to while it
        // maps pages for it; the instance is attached, so its `dev` is
        // set, and it destroys the pool (drop) before its memory goes;
        // `pool` is written on success only.
        // SAFETY: So the call is sound; the helper checks `max_len`.
        to_result(unsafe {
            bindings::rnic_page_pool_create(dev, self.as_raw(), pool_size, max_len, &mut pool)
        })?;
        let tagged = pool.wrapping_byte_add(usize::from(!dev.is_null()));
        if self
            .pool
            .compare_exchange(
                core::ptr::null_mut(),
                tagged,
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .is_err()
        {
            // Another caller set one first; ours never handed out a page.
            // SAFETY: `pool` is ours alone, empty, and made for this
            // instance, which is attached and not polling from it.
            unsafe { bindings::rnic_page_pool_destroy(pool) };
            return Err(EBUSY);
        }
        Ok(())
    }

    /// Destroys the instance's pool, if any, from its drop: after
    /// `disable`, so that no CPU owns the instance. An instance still
    /// enabled (a drop in atomic context, which the layer's teardown never
    /// does) keeps the pool, leaked, rather than race its polls.
    pub(super) fn destroy_page_pool(&self) {
        if self.is_enabled() {
            if !self.pool.load(Ordering::Acquire).is_null() {
                pr_warn!("rust-nic: a NAPI instance dropped while enabled leaks its page pool\n");
            }
            return;
        }
        let (pool, _) = untag(self.pool.swap(core::ptr::null_mut(), Ordering::AcqRel));
        if pool.is_null() {
            return;
        }
        // The pool was made for this instance, which is disabled and polls
        // no more, and it is destroyed once (swapped out above); drop runs
        // in process context (the device's teardown).
        // SAFETY: So the helper may destroy it and wait for softirqs.
        unsafe { bindings::rnic_napi_page_pool_destroy(pool) }
    }
}

impl<T: Poll> PollContext<'_, T> {
    /// A fragment of at least `len` bytes from the page pool of the
    /// instance being polled, sized as [`super::PagePool::alloc`] sizes
    /// it. `None` if the instance has no pool, in a netpoll poll (zero
    /// budget), on failure injection (the device's `FailAlloc`), if memory
    /// ran out, or if `len` is zero or larger than a page.
    pub fn alloc_pool_frag(&self, len: u32) -> Option<PoolFrag> {
        if !self.may_receive() || self.device().alloc_fails() {
            return None;
        }
        let (pool, mapped) = untag(self.napi().pool.load(Ordering::Acquire));
        let pool = NonNull::new(pool)?;
        // `pool` is this instance's, alive until the instance is dropped,
        // which waits for its polls; allocation runs only here, in a poll
        // of the instance in softirq context (non-zero budget), and the
        // context is not `Sync`, so never twice at once.
        // SAFETY: So the allocation is serialised as the pool requires.
        unsafe { PoolFrag::alloc_from(pool, mapped, len) }
    }
}

impl<T: Poll> Napi<T> {
    /// The instance's pool, if it has one that does not map its pages.
    pub(super) fn plain_pool(&self) -> Option<NonNull<bindings::page_pool>> {
        let (pool, mapped) = untag(self.pool.load(Ordering::Acquire));
        if mapped {
            return None;
        }
        NonNull::new(pool)
    }
}

/// The pool and its "maps its pages" flag, from the instance's tagged
/// pointer (see `Napi::pool`).
fn untag(tagged: *mut bindings::page_pool) -> (*mut bindings::page_pool, bool) {
    let mapped = tagged as usize & 1 != 0;
    (tagged.wrapping_byte_sub(usize::from(mapped)), mapped)
}
