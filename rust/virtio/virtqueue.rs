// SPDX-License-Identifier: GPL-2.0

//! A virtqueue handle ([`Virtqueue`]) and what travels through it: typed
//! tokens ([`Token`]) that describe their own buffers ([`OutBuf`],
//! [`InBuf`]).
//!
//! A buffer goes in with an owned token, which becomes the queue's
//! `void *data` cookie, and comes back as that token, of the queue's one
//! token type, from [`Virtqueue::get_buf`] (or, after the device's reset,
//! [`Virtqueue::detach_unused_buf`] and the layer's teardown, which drop
//! it). A failed add gives the token back. So safe code can neither lose a
//! token nor get one back as another type.
//!
//! Every operation takes `&mut self`: a driver keeps each handle where one
//! context at a time reaches it (the lock its transmit path and completion
//! poll share, the receive poll's lock), and the hard-IRQ callback is the
//! layer's own, which never touches a buffer (see [`super::queues`]).
//!
//! Without `VIRTIO_F_ACCESS_PLATFORM` the transport maps the buffers
//! itself (to guest-physical addresses), so the buffers are described by
//! scatterlists of kernel memory, not mapped by the driver.

use core::ffi::c_void;
use core::marker::PhantomData;
use core::pin::Pin;
use core::ptr::NonNull;

use kernel::alloc::Flags;
use kernel::prelude::*;
use kernel::types::{ForeignOwnable, Opaque};

use super::bindings;
use super::queues::QueueRef;
use crate::netdev::napi::{Rearm, RearmKey};

/// An owned value that can travel through a virtqueue as a buffer's
/// cookie (C `void *data`), like the kernel crate's `ForeignOwnable`.
///
/// # Safety
///
/// `into_cookie` gives up ownership of `self` as a non-null pointer that
/// `from_cookie` turns back into the same value; `received` keeps the
/// value valid whatever `len` is (a device's word, not trusted).
pub unsafe trait Token: Send + Sized + 'static {
    /// Gives up the value as a cookie.
    fn into_cookie(self) -> NonNull<c_void>;

    /// Takes the value back.
    ///
    /// # Safety
    ///
    /// `cookie` comes from `into_cookie` of this type and is taken back
    /// once.
    unsafe fn from_cookie(cookie: NonNull<c_void>) -> Self;

    /// The device returned the buffer with `len` bytes written (for a
    /// buffer it writes): [`Virtqueue::get_buf`] calls it, once, before
    /// giving the token back. Only it can make the [`UsedKey`].
    fn received(&mut self, _len: u32, _key: &UsedKey) {}

    /// The device returned the buffer, which went in with context `ctx`
    /// ([`super::InBufCtx`]; 0 for a buffer added without one):
    /// [`Virtqueue::get_buf`] calls it, once, before [`Token::received`].
    fn received_ctx(&mut self, _ctx: usize, _key: &UsedKey) {}

    /// Whether the queue carries a context per buffer (C's `ctx` in
    /// `struct virtqueue_info`: then no indirect descriptors). True for
    /// every [`super::InBufCtx`].
    const CTX: bool = false;

    /// Whether the queue these tokens travel through gets the layer's
    /// callback (an interrupt when the device uses a buffer). A queue
    /// whose user polls it for the answer (the control queue) has none,
    /// as in C.
    const CALLBACK: bool = true;
}

/// Proof that the caller is [`Virtqueue::get_buf`]: a driver cannot call
/// [`Token::received`] (which makes the bytes the device wrote part of
/// a receive buffer) on a buffer the device never had, or twice.
pub struct UsedKey(());

/// A token whose buffer the device reads.
///
/// # Safety
///
/// `map_out` describes memory that the token owns (or keeps alive) and
/// that nobody writes until the token is dropped or taken back; it fills
/// at most [`SgTable::LEN`] entries and marks the last one as the end.
pub unsafe trait OutBuf: Token {
    /// Describes the buffer in `sg`; returns the number of entries.
    fn map_out(&self, sg: &mut SgTable) -> Result<u32>;
}

/// A token whose buffer the device writes.
///
/// # Safety
///
/// `map_in` describes memory that the token owns and that nothing else
/// reads or writes until the token is taken back or dropped; it fills at
/// most [`SgTable::LEN`] entries and marks the last one as the end.
pub unsafe trait InBuf: Token {
    /// Describes the buffer in `sg`; returns the number of entries.
    fn map_in(&mut self, sg: &mut SgTable) -> Result<u32>;
}

/// The scatterlist a handle builds each buffer's description in: room for
/// a header, a frame's linear part and every page fragment it may have.
pub struct SgTable(KBox<[Opaque<bindings::scatterlist>; SgTable::LEN]>);

impl SgTable {
    /// Entries in a table (C `MAX_SKB_FRAGS + 2`).
    pub const LEN: usize = bindings::RNIC_VIRTIO_SG_MAX as usize;

    /// A new table.
    pub(super) fn new() -> Result<Self> {
        Ok(Self(KBox::new(
            [const { Opaque::uninit() }; Self::LEN],
            GFP_KERNEL,
        )?))
    }

    /// The first entry, for the layer's token types.
    pub(super) fn as_mut_ptr(&mut self) -> *mut bindings::scatterlist {
        self.0.as_mut_ptr().cast()
    }
}

/// The C allocation flags for `gfp`. The kernel crate keeps `Flags`' bits
/// to itself: `GFP_KERNEL` is passed on, anything else allocates
/// atomically (never sleeps).
pub(super) fn raw_gfp(gfp: Flags) -> bindings::gfp_t {
    if gfp == GFP_KERNEL {
        bindings::GFP_KERNEL
    } else {
        bindings::GFP_ATOMIC
    }
}

/// The handle of one virtqueue, whose buffers carry `Tok` tokens.
///
/// Made by [`super::Device::find_vqs`], one per queue, never cloned.
/// Dropping it leaves the queue's buffers in the queue: the layer drops
/// their tokens after the device's reset.
///
/// It is `Send` but not `Sync`: data shared between CPUs (an interface's
/// private data) can hold it only behind a lock, which gives the `&mut`
/// every ring operation takes.
pub struct Virtqueue<Tok: Token> {
    queue: QueueRef,
    sg: SgTable,
    _tok: PhantomData<Tok>,
    _not_sync: PhantomData<core::cell::Cell<()>>,
}

impl<Tok: Token> Virtqueue<Tok> {
    /// The handle of `queue`, building descriptions in `sg`.
    pub(super) fn new(queue: QueueRef, sg: SgTable) -> Self {
        Self {
            queue,
            sg,
            _tok: PhantomData,
            _not_sync: PhantomData,
        }
    }

    /// The layer's reference to the queue (for [`super::VqNapi::new`]).
    pub(super) fn queue(&self) -> &QueueRef {
        &self.queue
    }

    pub(super) fn raw(&self) -> *mut bindings::virtqueue {
        self.queue.vq()
    }

    /// The scatterlist the handle describes buffers in.
    pub(super) fn sg_table(&mut self) -> &mut SgTable {
        &mut self.sg
    }

    /// Adds the buffer described by `map` with `tok` as its cookie, and
    /// `ctx` as its context if not null (only on a queue made for
    /// contexts, [`Token::CTX`]).
    pub(super) fn add(
        &mut self,
        mut tok: Tok,
        map: impl FnOnce(&mut Tok, &mut SgTable) -> Result<u32>,
        out: bool,
        ctx: *mut c_void,
        gfp: Flags,
    ) -> Result<(), (Error, Tok)> {
        // The core refuses (`BUG()`) a context on a queue with indirect
        // descriptors, which a queue made without contexts may have.
        if !ctx.is_null() && (out || !Tok::CTX) {
            return Err((EINVAL, tok));
        }
        let count = match map(&mut tok, &mut self.sg) {
            Ok(count) => count,
            Err(e) => return Err((e, tok)),
        };
        let gfp = raw_gfp(gfp);
        let sg = self.sg.as_mut_ptr();
        let cookie = tok.into_cookie();
        let vq = self.raw();
        // `sg` holds `count` entries (the end marked) describing memory the
        // token owns (`OutBuf`/`InBuf`); the handle is the queue's only
        // user here (`&mut self`).
        // SAFETY: So the add is sound; the core copies the entries out.
        let ret = unsafe {
            if out {
                bindings::virtqueue_add_outbuf(vq, sg, count, cookie.as_ptr(), gfp)
            } else if !ctx.is_null() {
                bindings::virtqueue_add_inbuf_ctx(vq, sg, count, cookie.as_ptr(), ctx, gfp)
            } else {
                bindings::virtqueue_add_inbuf(vq, sg, count, cookie.as_ptr(), gfp)
            }
        };
        if ret != 0 {
            // The queue did not take the buffer.
            // SAFETY: So the cookie is still ours, taken back once.
            return Err((Error::from_errno(ret), unsafe { Tok::from_cookie(cookie) }));
        }
        Ok(())
    }

    /// Adds a buffer the device reads (C `virtqueue_add_outbuf`). `gfp`
    /// is for an indirect descriptor table: `GFP_KERNEL` where sleeping is
    /// allowed, any other value allocates as `GFP_ATOMIC`. On failure
    /// (`ENOSPC` when full) the token comes back.
    pub fn add_outbuf(&mut self, tok: Tok, gfp: Flags) -> Result<(), (Error, Tok)>
    where
        Tok: OutBuf,
    {
        self.add(
            tok,
            |tok, sg| tok.map_out(sg),
            true,
            core::ptr::null_mut(),
            gfp,
        )
    }

    /// Adds a buffer the device writes (C `virtqueue_add_inbuf`); as
    /// [`Virtqueue::add_outbuf`].
    pub fn add_inbuf(&mut self, tok: Tok, gfp: Flags) -> Result<(), (Error, Tok)>
    where
        Tok: InBuf,
    {
        self.add(
            tok,
            |tok, sg| tok.map_in(sg),
            false,
            core::ptr::null_mut(),
            gfp,
        )
    }

    /// Tells the device about the buffers added, if it wants to know
    /// (C `virtqueue_kick`). Returns `false` if the device is broken.
    pub fn kick(&mut self) -> bool {
        // SAFETY: The queue is valid while the handle is; `&mut self`
        // serialises it with the other operations.
        unsafe { bindings::virtqueue_kick(self.raw()) }
    }

    /// The first half of [`Virtqueue::kick`] (C `virtqueue_kick_prepare`):
    /// whether the device must be notified.
    pub fn kick_prepare(&mut self) -> bool {
        // SAFETY: As in `kick`.
        unsafe { bindings::virtqueue_kick_prepare(self.raw()) }
    }

    /// Notifies the device (C `virtqueue_notify`), after
    /// [`Virtqueue::kick_prepare`] said so. Returns `false` if the device
    /// is broken.
    pub fn notify(&mut self) -> bool {
        // SAFETY: As in `kick`.
        unsafe { bindings::virtqueue_notify(self.raw()) }
    }

    /// The next buffer the device is done with, as its token and the
    /// length the device wrote (C `virtqueue_get_buf_ctx`; a buffer's
    /// context goes back into its token, [`super::InBufCtx`]).
    pub fn get_buf(&mut self) -> Option<(Tok, u32)> {
        let mut len = 0;
        let mut ctx = core::ptr::null_mut();
        // SAFETY: As in `kick`; `len` and `ctx` are writable.
        let cookie = NonNull::new(unsafe {
            bindings::virtqueue_get_buf_ctx(self.raw(), &mut len, &mut ctx)
        })?;
        // Every cookie of this queue comes from a `Tok` (the handle is the
        // only way in), and the device returned this one: it is ours.
        // SAFETY: So it is taken back once, as its own type.
        let mut tok = unsafe { Tok::from_cookie(cookie) };
        // The context added with this very buffer (or null), kept beside it.
        tok.received_ctx(ctx as usize, &UsedKey(()));
        tok.received(len, &UsedKey(()));
        Some((tok, len))
    }

    /// An unused buffer back (C `virtqueue_detach_unused_buf`), only once
    /// the device was reset (before that it may still use it): `None`
    /// before, and when no buffer is left. The layer's teardown detaches
    /// what is left anyway.
    pub fn detach_unused_buf(&mut self) -> Option<Tok> {
        if !self.queue.is_reset() {
            return None;
        }
        // SAFETY: As in `kick`; the device was reset, so it uses none of
        // the buffers.
        let cookie = NonNull::new(unsafe { bindings::virtqueue_detach_unused_buf(self.raw()) })?;
        // SAFETY: As in `get_buf`.
        Some(unsafe { Tok::from_cookie(cookie) })
    }

    /// Free descriptors (C `vq->num_free`).
    pub fn num_free(&self) -> u32 {
        // SAFETY: The queue is valid; the field changes only in operations
        // that take `&mut self`.
        unsafe { (*self.raw()).num_free }
    }

    /// Whether the queue is broken (C `virtqueue_is_broken`): the device
    /// did something wrong, or is being removed, and uses no buffer any
    /// more.
    pub fn is_broken(&self) -> bool {
        // SAFETY: The queue is valid; the call need not be serialised.
        unsafe { bindings::virtqueue_is_broken(self.raw()) }
    }

    /// The queue's size (C `virtqueue_get_vring_size`).
    pub fn size(&self) -> u32 {
        // SAFETY: The queue is valid; the call need not be serialised.
        unsafe { bindings::virtqueue_get_vring_size(self.raw()) }
    }
}

// The NAPI completion protocol: `PollContext::complete_done_rearm` calls
// these with the handle held exclusively by the poll. `napi` is the
// instance whose schedule turns this queue's callbacks off (the binding
// `VqNapi` made); `pending` and `disable` need no serialisation in C.
// SAFETY: So the protocol's requirements hold.
unsafe impl<Tok: Token> Rearm for Virtqueue<Tok> {
    fn napi(&self) -> *mut bindings::napi_struct {
        let binding = self
            .queue
            .slot()
            .binding
            .load(core::sync::atomic::Ordering::Acquire);
        if binding.is_null() {
            return core::ptr::null_mut();
        }
        // A binding lives until it is cleared.
        // SAFETY: So it is live here.
        unsafe { ((*binding).napi)(binding) }
    }

    fn prepare(&mut self, _key: &RearmKey) -> u32 {
        // SAFETY: As in `kick`.
        unsafe { bindings::virtqueue_enable_cb_prepare(self.raw()) }
    }

    fn pending(&mut self, _key: &RearmKey, state: u32) -> bool {
        // SAFETY: The queue is valid; the call need not be serialised.
        unsafe { bindings::virtqueue_poll(self.raw(), state) }
    }

    fn disable(&mut self, _key: &RearmKey) {
        // SAFETY: The queue is valid; the call need not be serialised.
        unsafe { bindings::virtqueue_disable_cb(self.raw()) }
    }
}

// SAFETY: `KBox::into_raw` gives up ownership as a non-null pointer, which
// `KBox::from_raw` takes back; `received` does nothing.
unsafe impl<T: Send + 'static> Token for KBox<T> {
    fn into_cookie(self) -> NonNull<c_void> {
        // SAFETY: A box's pointer is never null.
        unsafe { NonNull::new_unchecked(KBox::into_raw(self).cast()) }
    }

    unsafe fn from_cookie(cookie: NonNull<c_void>) -> Self {
        // SAFETY: The caller guarantees the pointer came from `into_cookie`.
        unsafe { KBox::from_raw(cookie.as_ptr().cast()) }
    }
}

// SAFETY: `ForeignOwnable` gives up ownership as a non-null pointer, which
// `from_foreign` takes back; `received` does nothing.
unsafe impl<T: Send + 'static> Token for Pin<KBox<T>> {
    fn into_cookie(self) -> NonNull<c_void> {
        // SAFETY: `into_foreign` never returns null.
        unsafe { NonNull::new_unchecked(self.into_foreign()) }
    }

    unsafe fn from_cookie(cookie: NonNull<c_void>) -> Self {
        // SAFETY: The caller guarantees the pointer came from `into_cookie`.
        unsafe { <Self as ForeignOwnable>::from_foreign(cookie.as_ptr()) }
    }
}
