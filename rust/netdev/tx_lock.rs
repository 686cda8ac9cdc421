// SPDX-License-Identifier: GPL-2.0

//! A transmit queue's xmit lock, the one the core holds around
//! `start_xmit` ([`TxLock`]), and data only that lock reaches
//! ([`TxLocked`]).
//!
//! A driver that guards its transmit ring with a lock of its own, taken in
//! `start_xmit` and in its completion poll, opens a deadlock: a message
//! printed while anything but `start_xmit` holds the driver's lock (a ring
//! resize in process context, say) goes to netconsole, netpoll's
//! `HARD_TX_TRYLOCK` succeeds (the core's lock is free), and `start_xmit`
//! spins on the driver's lock, held by the same CPU. C drivers guard the
//! ring with the core's lock instead (`__netif_tx_lock` in the poll): then
//! netpoll's try fails, and it does not poll a device whose queue lock
//! this CPU holds (`netif_local_xmit_active`).
//!
//! Here the ring lives in a [`TxLocked`] in the private data, which gives
//! `&mut` access only against a [`TxLock`] of its queue: `start_xmit` gets
//! one from the layer's adapter (the core holds the lock), anything else
//! takes one with [`Device::lock_tx_queue`].

use core::cell::UnsafeCell;
use core::marker::PhantomData;

use kernel::prelude::*;

use super::bindings;
use super::device::Device;

/// How a [`TxLock`] holds its lock, so that dropping it undoes exactly
/// that.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Held {
    /// The core holds it (around `start_xmit`); the core releases it.
    ByCore,
    /// Taken here with bottom halves already off, or only tried.
    Plain,
    /// Taken here with bottom halves turned off for the time held.
    Bh,
}

/// Proof that this context holds the xmit lock of transmit queue
/// [`TxLock::queue`] of a device (C `__netif_tx_lock`). Dropping a lock
/// taken with [`Device::lock_tx_queue`] releases it.
///
/// It cannot leave the context that holds the lock (not `Send`): a spin
/// lock is released where it was taken. At most one exists per queue at
/// a time: the lock excludes other holders, and this CPU's own nested
/// attempts are refused (see [`Device::lock_tx_queue`]).
pub struct TxLock<'a, T> {
    dev: &'a Device<T>,
    queue: u32,
    held: Held,
    _not_send: PhantomData<*mut ()>,
}

impl<'a, T> TxLock<'a, T> {
    /// The proof the adapter gives `start_xmit` for `skb_queue`, the queue
    /// the core chose for the frame and locked; `None` if this CPU does
    /// not hold that lock (never, for a device of this layer).
    ///
    /// # Safety
    ///
    /// Called only by the adapter of `ndo_start_xmit`, for the duration of
    /// that call, with the frame's queue.
    pub(super) unsafe fn held_by_core(dev: &'a Device<T>, skb_queue: u32) -> Option<Self> {
        // The core takes the queue's lock before it calls `start_xmit`
        // (`HARD_TX_LOCK`, on a device without `lltx`, which the layer
        // never sets); the check makes sure.
        // SAFETY: `dev` is a valid device; the call only reads.
        let held = unsafe { bindings::rnic_netif_tx_held_here(dev.as_raw(), skb_queue) };
        held.then_some(Self {
            dev,
            queue: skb_queue,
            held: Held::ByCore,
            _not_send: PhantomData,
        })
    }

    /// The transmit queue whose lock this is.
    pub fn queue(&self) -> u32 {
        self.queue
    }

    /// The device.
    pub fn device(&self) -> &'a Device<T> {
        self.dev
    }
}

impl<T> Drop for TxLock<'_, T> {
    fn drop(&mut self) {
        let mode = match self.held {
            Held::ByCore => return,
            Held::Plain => 1,
            Held::Bh => 2,
        };
        // This context took the lock in `mode` (`lock_tx_queue`), and
        // still holds it: the guard does not move to another context.
        // SAFETY: So releasing it here, once, is correct.
        unsafe { bindings::rnic_netif_tx_unlock(self.dev.as_raw(), self.queue, mode) }
    }
}

impl<T> Device<T> {
    /// Takes the xmit lock of transmit queue `queue`, as the context
    /// allows (C `__netif_tx_lock` from softirq, `__netif_tx_lock_bh` from
    /// process context), and returns the proof. With interrupts off or in
    /// hard IRQ context (netpoll's zero-budget poll) it only tries.
    ///
    /// Fails with `EINVAL` for a queue the device does not have,
    /// `EDEADLK` if this CPU holds the lock already (in `start_xmit`, or
    /// in a context the caller interrupted), `EBUSY` if a try found it
    /// taken.
    pub fn lock_tx_queue(&self, queue: u32) -> Result<TxLock<'_, T>> {
        self.take_tx_lock(queue, true)
    }

    /// As [`Device::lock_tx_queue`], but never waits: `EBUSY` if the
    /// lock is taken.
    pub fn try_lock_tx_queue(&self, queue: u32) -> Result<TxLock<'_, T>> {
        self.take_tx_lock(queue, false)
    }

    fn take_tx_lock(&self, queue: u32, wait: bool) -> Result<TxLock<'_, T>> {
        // SAFETY: `self` is a valid, registered device; the helper checks
        // the queue index and the context before it takes the lock.
        let mode = unsafe { bindings::rnic_netif_tx_lock(self.as_raw(), queue, wait) };
        let held = match mode {
            1 => Held::Plain,
            2 => Held::Bh,
            e => return Err(Error::from_errno(e.min(-1))),
        };
        Ok(TxLock {
            dev: self,
            queue,
            held,
            _not_send: PhantomData,
        })
    }
}

/// A value in a device's private data that only the holder of transmit
/// queue `queue`'s xmit lock reaches, with a [`TxLock`] of that queue and
/// device: a transmit ring that `start_xmit` and the completion poll
/// share, without a lock of the driver's own.
pub struct TxLocked<D> {
    queue: u32,
    value: UnsafeCell<D>,
}

// The value is reached only through `get`, with the queue's lock held
// (or through `&mut self`); so it moves between CPUs, never shared.
// SAFETY: Hence `D: Send` suffices for the container to be shared.
unsafe impl<D: Send> Sync for TxLocked<D> {}

impl<D> TxLocked<D> {
    /// `value`, guarded by the xmit lock of transmit queue `queue` of the
    /// device whose private data will hold it.
    pub const fn new(queue: u32, value: D) -> Self {
        Self {
            queue,
            value: UnsafeCell::new(value),
        }
    }

    /// The transmit queue whose lock guards the value.
    pub fn queue(&self) -> u32 {
        self.queue
    }

    /// The value, while `lock` is held. Fails with `EINVAL` if `lock` is
    /// another queue's, or `self` does not lie in the private data of
    /// `lock`'s device (another device's lock proves nothing about it).
    pub fn get<'g, T>(&'g self, lock: &'g mut TxLock<'_, T>) -> Result<&'g mut D> {
        if lock.queue != self.queue || !lock.dev.holds(self) {
            return Err(EINVAL);
        }
        // `self` belongs to `lock`'s device and queue, whose xmit lock this
        // context holds for as long as `lock` lives; `lock` is borrowed
        // exclusively for `'g`, and no other `TxLock` of that queue exists
        // meanwhile (see `TxLock`), so no other reference to the value
        // does either.
        // SAFETY: Sound for the reasons just given.
        Ok(unsafe { &mut *self.value.get() })
    }

    /// The value, through an exclusive reference (no lock needed).
    pub fn get_mut(&mut self) -> &mut D {
        self.value.get_mut()
    }
}
