// SPDX-License-Identifier: GPL-2.0

//! The teardown of a device's virtqueues, which the layer owns, and the
//! record of the device's reset it depends on.
//!
//! Teardown: reset the device, detach every unused buffer and drop its
//! token, delete the queues (C `del_vqs`), free the state. It runs after
//! the driver's `remove` and the layer's reset, as soon as no handle and no
//! binding is left: at once when `remove` dropped them (the interface
//! unregistered, as C does), else when the driver's data is dropped. A
//! handle still alive then (leaked, or kept in a global) would keep using
//! the queues, so they are left in place, reset, and a warning is logged:
//! a leak, never a use after free.
//!
//! Freeing a buffer before the reset would let the device write into
//! freed memory; dropping a handle therefore never frees its queue's
//! buffers, and a probe that fails halfway (its fields dropped before the
//! adapter resets the device) frees none either.

use core::ptr::NonNull;
use core::sync::atomic::Ordering;

use kernel::prelude::*;

use super::bindings;
use super::queues::VqState;

/// Records that the device was reset (by the layer or the driver): the
/// queues' buffers are the driver's again.
pub(super) fn mark_reset(vdev: *mut bindings::virtio_device) {
    // SAFETY: `vdev` is valid; the state, if any, lives until the teardown,
    // which only the bus callbacks run, serialised with this one (`Core`).
    if let Some(state) = unsafe {
        bindings::rnic_virtio_get_priv(vdev)
            .cast::<VqState>()
            .as_ref()
    } {
        state.reset.store(true, Ordering::Release);
    }
}

/// Whether the device was reset with its queues still there.
pub(super) fn is_reset(vdev: *mut bindings::virtio_device) -> bool {
    // SAFETY: As in `mark_reset`.
    unsafe {
        bindings::rnic_virtio_get_priv(vdev)
            .cast::<VqState>()
            .as_ref()
    }
    .is_some_and(|state| state.reset.load(Ordering::Acquire))
}

/// Tears the device's queues down if no handle or binding is left: reset
/// (if not done yet), detach and drop every unused buffer's token, delete
/// the queues, free the state. Otherwise leaves them, and when `last`
/// (nothing will call this again), logs the leak. Returns whether queues
/// are left.
///
/// # Safety
///
/// `vdev` is valid and the caller a bus callback, or the drop of the data
/// the layer keeps for the binding (device lock held, serialised with the
/// other bus callbacks).
pub(super) unsafe fn teardown(vdev: *mut bindings::virtio_device, last: bool) -> bool {
    // SAFETY: `vdev` is valid (guaranteed by the caller).
    let raw = unsafe { bindings::rnic_virtio_get_priv(vdev) }.cast::<VqState>();
    // SAFETY: A non-null driver pointer is the state `find_vqs` stored.
    let Some(state) = (unsafe { raw.as_ref() }) else {
        return false;
    };
    // Acquire: pairs with the release of each user's drop.
    if state.users.load(Ordering::Acquire) != 0 {
        if last {
            pr_warn!("virtio: virtqueue handles outlive the driver; queues left in place\n");
        }
        return true;
    }
    if !state.reset.load(Ordering::Acquire) {
        // SAFETY: A bus callback (or its data's drop) may reset the device.
        unsafe { bindings::virtio_reset_device(vdev) };
        state.reset.store(true, Ordering::Release);
    }
    for slot in state.slots.iter() {
        let vq = slot.vq.load(Ordering::Acquire);
        loop {
            // The device is reset: it uses none of the buffers; no handle
            // is left to use the queue.
            // SAFETY: So the buffers may be detached; `vq` is valid.
            let cookie = unsafe { bindings::virtqueue_detach_unused_buf(vq) };
            let Some(cookie) = NonNull::new(cookie) else {
                break;
            };
            // Every cookie in this queue came from a token of its type.
            // SAFETY: And it is detached, so it is dropped once.
            unsafe { (slot.drop_token)(cookie) };
        }
    }
    // No user is left and the device is reset: no callback runs or can
    // start, and nothing refers to the queues or the state any more.
    // SAFETY: So the queues may be deleted and the state freed.
    unsafe {
        bindings::rnic_virtio_del_vqs(vdev);
        bindings::rnic_virtio_set_priv(vdev, core::ptr::null_mut());
        drop(KBox::from_raw(raw));
    }
    false
}
