// SPDX-License-Identifier: GPL-2.0

//! A device's transmit queue: stopping and waking it around a full ring,
//! batching doorbells, and byte queue limits.

use super::bindings;
use super::device::{Device, Registered};

impl<T, S> Device<T, S> {
    /// Allows the stack to call `start_xmit` (usually from `open`).
    pub fn start_queue(&self) {
        // SAFETY: `self` is a valid device (see `Device::carrier_on`).
        unsafe { bindings::rnic_netif_start_queue(self.as_raw()) }
    }

    /// Stops the stack calling `start_xmit`, e.g. when the TX ring is full.
    pub fn stop_queue(&self) {
        // SAFETY: `self` is a valid device (see `Device::carrier_on`).
        unsafe { bindings::rnic_netif_stop_queue(self.as_raw()) }
    }

    /// Restarts a stopped queue and kicks the qdisc.
    pub fn wake_queue(&self) {
        // SAFETY: `self` is a valid device (see `Device::carrier_on`).
        unsafe { bindings::rnic_netif_wake_queue(self.as_raw()) }
    }

    /// From `start_xmit`, after queueing a frame: stops the queue unless
    /// `room()` says a largest frame still fits. A completion that makes
    /// room between the check and the stop would miss the stopped queue,
    /// so `room()` is asked again after a full barrier (it pairs with the
    /// one in [`Device::wake_queue_if_room`]) and the queue restarted if
    /// the frame fits by then. Returns whether the queue stayed stopped.
    pub fn maybe_stop_queue(&self, room: impl Fn() -> bool) -> bool {
        if room() {
            return false;
        }
        self.stop_queue();
        // The stop is visible before we look at the ring again.
        kernel::sync::barrier::smp_mb();
        if !room() {
            return true;
        }
        self.start_queue();
        false
    }

    /// From transmit completion, after reclaiming descriptors: restarts the
    /// queue if it is stopped and `room` (computed after the reclaim) says
    /// a largest frame fits. Returns whether it restarted the queue.
    pub fn wake_queue_if_room(&self, room: bool) -> bool {
        if !room {
            return false;
        }
        // The reclaim is visible before we look at the queue state.
        kernel::sync::barrier::smp_mb();
        if !self.queue_stopped() {
            return false;
        }
        self.wake_queue();
        true
    }

    /// From `start_xmit`: whether the hardware may be told about this frame
    /// later. The stack hands frames over in batches and says so for every
    /// one but the last (`netdev_xmit_more`); a driver then writes its tail
    /// (doorbell) register once per batch, unless the queue stopped, by the
    /// driver or by byte queue limits (`netif_xmit_stopped`), in which case
    /// no next frame may come to flush the batch. Every call of
    /// `start_xmit` that gets `false` must tell the hardware, whatever it
    /// did with its own frame.
    pub fn xmit_may_defer_kick(&self) -> bool {
        // SAFETY: Only reads the per-CPU transmit state and the queue's
        // state bits; `self` is a valid device (see `Device::carrier_on`).
        unsafe {
            bindings::rnic_netdev_xmit_more() && !bindings::rnic_netif_xmit_stopped(self.as_raw())
        }
    }

    /// Microseconds since transmit queue `queue` last handed a frame to
    /// the driver (its `trans_start`), for a transmit timeout's report; 0
    /// for a queue the device does not have.
    pub fn tx_queue_idle_usecs(&self, queue: u32) -> u32 {
        // SAFETY: `self` is a valid device; the helper checks the index and
        // only reads.
        unsafe { bindings::rnic_netif_tx_idle_usecs(self.as_raw(), queue) }
    }

    /// Whether the queue is stopped.
    pub fn queue_stopped(&self) -> bool {
        // SAFETY: `self` is a valid device (see `Device::carrier_on`).
        unsafe { bindings::rnic_netif_queue_stopped(self.as_raw()) }
    }
}

/// Byte queue limits, on a registered device only: the core sets up the
/// queue's scheduler at registration, and a completion on a device being
/// built may reach a queue without one.
impl<T> Device<T, Registered> {
    /// Byte queue limits: `bytes` were handed to the hardware.
    pub fn sent_queue(&self, bytes: u32) {
        // SAFETY: `self` is a valid device (see `Device::carrier_on`).
        unsafe { bindings::rnic_netdev_sent_queue(self.as_raw(), bytes) }
    }

    /// Byte queue limits: the hardware finished `packets` frames of `bytes`.
    /// More bytes than are in flight is a driver bug, which C's byte queue
    /// limits answer with `BUG()`: the completion is capped and logged.
    pub fn completed_queue(&self, packets: u32, bytes: u32) {
        // SAFETY: `self` is a valid device (see `Device::carrier_on`).
        unsafe { bindings::rnic_netdev_completed_queue(self.as_raw(), packets, bytes) }
    }

    /// Byte queue limits: forget what is in flight (after a ring reset).
    pub fn reset_queue(&self) {
        // SAFETY: `self` is a valid device (see `Device::carrier_on`).
        unsafe { bindings::rnic_netdev_reset_queue(self.as_raw()) }
    }
}
