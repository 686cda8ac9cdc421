// SPDX-License-Identifier: GPL-2.0

//! Receive buffers with a context (C `virtqueue_add_inbuf_ctx`), and the
//! one such buffer of virtio-net: [`RxFrag`], a page-pool fragment that a
//! mergeable receive buffer is made of (C `add_recvbuf_mergeable`).
//!
//! A context is a number the queue keeps beside a buffer's cookie and
//! hands back with it. C virtio_net keeps each mergeable buffer's truesize
//! there, so that the cookie is the buffer's address alone. Here the token
//! makes its own context ([`InBufCtx::ctx`]) and takes it back
//! ([`Token::received_ctx`], called by [`Virtqueue::get_buf`] only), so a
//! driver never sees a context apart from its buffer, and cannot pair a
//! buffer with another's.

use core::ffi::c_void;
use core::ptr::NonNull;

use kernel::alloc::Flags;
use kernel::prelude::*;

use super::bindings;
use super::virtqueue::{InBuf, SgTable, Token, UsedKey, Virtqueue};
use crate::netdev::page_pool::MAX_FRAG;
use crate::netdev::PoolFrag;

/// A token whose buffer goes in with a context.
///
/// # Safety
///
/// `ctx` is never zero, and the type's [`Token::CTX`] is true (its queue
/// is made for contexts, so it has no indirect descriptors, which C
/// refuses with `BUG()` beside a context).
pub unsafe trait InBufCtx: InBuf {
    /// The context to keep beside the buffer.
    fn ctx(&self) -> usize;
}

impl<Tok: InBufCtx> Virtqueue<Tok> {
    /// Adds a buffer the device writes, with its context (C
    /// `virtqueue_add_inbuf_ctx`); [`Virtqueue::get_buf`] gives the token
    /// back with its context restored. On failure (`ENOSPC` when full) the
    /// token comes back.
    pub fn add_inbuf_ctx(&mut self, tok: Tok, gfp: Flags) -> Result<(), (Error, Tok)> {
        let ctx = tok.ctx();
        if ctx == 0 || !Tok::CTX {
            return Err((EINVAL, tok));
        }
        let ctx = core::ptr::without_provenance_mut::<c_void>(ctx);
        self.add(tok, |tok, sg| tok.map_in(sg), false, ctx, gfp)
    }
}

/// A mergeable receive buffer: a fragment of a page pool that does not
/// map its pages (the virtio transport maps buffers itself), which the
/// device writes a header and (part of) a frame into. Its truesize (the
/// fragment's length) is the queue's context for it, as in C.
///
/// # Invariants
///
/// `va` is the address of a fragment of such a pool, at least `len` bytes
/// long, whose reference this value owns (given up by
/// [`PoolFrag::into_va`]); `written <= len`.
pub struct RxFrag {
    va: NonNull<u8>,
    len: u32,
    written: u32,
}

// SAFETY: A fragment may be returned to its pool from any CPU.
unsafe impl Send for RxFrag {}

impl RxFrag {
    /// Offers `frag` to the device. Gives it back if its pool maps its
    /// pages (a device behind an IOMMU, which this buffer does not
    /// describe).
    pub fn new(frag: PoolFrag) -> Result<Self, PoolFrag> {
        if frag.is_mapped() || frag.is_empty() || frag.len() > MAX_FRAG {
            return Err(frag);
        }
        let len = frag.len();
        Ok(Self {
            va: frag.into_va(),
            len,
            written: 0,
        })
    }

    /// The bytes the device wrote (at most [`RxFrag::truesize`]).
    pub fn written(&self) -> u32 {
        self.written
    }

    /// The length of the fragment, as the frame that takes it counts it
    /// (C's truesize): 0 for a buffer that came back without its context.
    pub fn truesize(&self) -> u32 {
        self.len
    }

    /// The fragment, [`RxFrag::truesize`] bytes long.
    pub fn into_frag(self) -> PoolFrag {
        let (va, len) = (self.va, self.len);
        core::mem::forget(self);
        // The reference is ours, and the fragment at least `len` bytes
        // long (invariant); `self` is forgotten, so it is taken back once.
        // SAFETY: So the fragment is whole again.
        unsafe { PoolFrag::from_va(va, len) }
    }
}

impl Drop for RxFrag {
    fn drop(&mut self) {
        // As in `into_frag`, as an empty fragment, only to return it.
        // SAFETY: This is the last use of the reference.
        drop(unsafe { PoolFrag::from_va(self.va, 0) });
    }
}

// SAFETY: The cookie is the fragment's address (never null), owning its
// reference. A token from a cookie is 0 bytes long until `received_ctx`
// restores the length `ctx` gave (the queue hands back the context added
// with this very cookie, or 0); `received` caps what was written at it.
unsafe impl Token for RxFrag {
    const CTX: bool = true;

    fn into_cookie(self) -> NonNull<c_void> {
        let va = self.va;
        core::mem::forget(self);
        va.cast()
    }

    unsafe fn from_cookie(cookie: NonNull<c_void>) -> Self {
        Self {
            va: cookie.cast(),
            len: 0,
            written: 0,
        }
    }

    fn received_ctx(&mut self, ctx: usize, _key: &UsedKey) {
        self.len = u32::try_from(ctx).unwrap_or(0).min(MAX_FRAG);
    }

    fn received(&mut self, len: u32, _key: &UsedKey) {
        self.written = len.min(self.len);
    }
}

// SAFETY: The one entry covers the `len` bytes of the fragment, which the
// token owns and nothing else reads or writes while the device has it (no
// Rust reference ever covers a fragment).
unsafe impl InBuf for RxFrag {
    fn map_in(&mut self, sg: &mut SgTable) -> Result<u32> {
        if self.len == 0 {
            return Err(EINVAL);
        }
        // SAFETY: `sg` has room for an entry; `va` and `len` describe
        // memory the token owns.
        unsafe { bindings::sg_init_one(sg.as_mut_ptr(), self.va.as_ptr().cast(), self.len) };
        self.written = 0;
        Ok(1)
    }
}

// SAFETY: The context is the length, never zero (`new` refuses an empty
// fragment, and `map_in` one that came back without its context, which a
// length of zero here would mean); `CTX` is true.
unsafe impl InBufCtx for RxFrag {
    fn ctx(&self) -> usize {
        self.len as usize
    }
}
