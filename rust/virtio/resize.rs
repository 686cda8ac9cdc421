// SPDX-License-Identifier: GPL-2.0

//! Resizing a virtqueue (C `virtqueue_resize`, which needs
//! `VIRTIO_F_RING_RESET`): the transport resets the one queue, every
//! buffer the device had not used comes back and is dropped as its token,
//! and the ring is allocated again at the new size (or at the old one, if
//! that fails).
//!
//! The ring's memory is freed and replaced, so nothing else may touch the
//! queue meanwhile: the handle is borrowed exclusively, and the resize
//! goes through [`super::VqNapi::resize`], which makes sure the instance
//! polling the queue is disabled and stays so (its enabling turns the
//! queue's callbacks off, which writes to the ring). The queue's interrupt
//! handler is waited for by the transport before the ring goes.

use core::ffi::c_void;
use core::ptr::NonNull;

use kernel::error::to_result;
use kernel::prelude::*;

use super::bindings;
use super::virtqueue::{Token, Virtqueue};

impl<Tok: Token> Virtqueue<Tok> {
    /// The largest size the device takes for the queue (C `num_max`).
    pub fn size_max(&self) -> u32 {
        // SAFETY: The queue is valid while the handle is; the field is
        // set when the queue is made.
        unsafe { bindings::rnic_virtqueue_num_max(self.raw()) }
    }

    /// Resizes the queue to `num` entries (process context). Errors are
    /// the core's: `E2BIG` above [`Virtqueue::size_max`], `EINVAL` for
    /// zero, `ENOENT` without `VIRTIO_F_RING_RESET`, `ENOMEM` when the
    /// new ring could not be allocated (a size that is not a power of two,
    /// on a split ring); the buffers are gone whenever the queue was
    /// reset, whatever the outcome. `EPERM` in atomic context, `ENODEV`
    /// once the device was reset.
    ///
    /// Only [`super::VqNapi::resize`] calls it, with the queue's instance
    /// disabled.
    pub(super) fn resize(&mut self, num: u32) -> Result {
        if self.queue().is_reset() {
            return Err(ENODEV);
        }
        // The handle is borrowed exclusively, so no add, get or kick runs
        // meanwhile; the caller keeps the instance that polls the queue
        // (and turns its callbacks off) disabled; the transport waits for
        // the queue's interrupt handler before it frees the ring; every
        // buffer comes back to `recycle` once the device's queue was reset.
        // SAFETY: Sound for the reasons just given.
        to_result(unsafe { bindings::rnic_virtqueue_resize(self.raw(), num, Some(recycle::<Tok>)) })
    }
}

/// Drops a buffer the resize took back from the queue, as its token.
///
/// # Safety
///
/// `buf` is the cookie of a buffer of a queue whose tokens are `Tok`,
/// which the device no longer uses, handed over once.
unsafe extern "C" fn recycle<Tok: Token>(_vq: *mut bindings::virtqueue, buf: *mut c_void) {
    if let Some(cookie) = NonNull::new(buf) {
        // Every cookie of the queue comes from a `Tok` (the handle is the
        // only way in), and the core hands it back once.
        // SAFETY: Sound for the reasons just given.
        drop(unsafe { Tok::from_cookie(cookie) });
    }
}
