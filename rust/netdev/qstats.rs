// SPDX-License-Identifier: GPL-2.0

//! Per-queue statistics (C `struct netdev_stat_ops`), which netdev netlink
//! reports (`qstats-get`) next to the device totals.

use core::marker::PhantomData;

use kernel::prelude::*;

use super::bindings;
use super::builder::Builder;
use super::device::Device;
use super::ops::Operations;

/// Statistics of one receive queue. Only the counters a driver sets are
/// reported; the others stay "not collected".
pub struct RxQueueStats<'a>(&'a mut bindings::netdev_queue_stats_rx);

/// Statistics of one transmit queue, like [`RxQueueStats`].
pub struct TxQueueStats<'a>(&'a mut bindings::netdev_queue_stats_tx);

macro_rules! setters {
    ($ty:ident { $($(#[$doc:meta])* $name:ident),* $(,)? }) => {
        impl $ty<'_> {
            $(
                $(#[$doc])*
                pub fn $name(&mut self, value: u64) -> &mut Self {
                    self.0.$name = value;
                    self
                }
            )*
        }
    };
}

setters!(RxQueueStats {
    /// Frames received.
    packets,
    /// Bytes received.
    bytes,
    /// Frames lost because no buffer could be allocated.
    alloc_fail,
    /// Frames the device dropped.
    hw_drops,
    /// Frames the device dropped for lack of room (overruns).
    hw_drop_overruns,
    /// Frames whose checksum the device verified.
    csum_unnecessary,
    /// Frames the device found a bad checksum in.
    csum_bad,
});

setters!(TxQueueStats {
    /// Frames sent (segments count once each).
    packets,
    /// Bytes sent.
    bytes,
    /// Frames the device dropped.
    hw_drops,
    /// Frames the device segmented, and the bytes they carried.
    hw_gso_packets,
    hw_gso_bytes,
    /// Segments and bytes the device put on the wire for them.
    hw_gso_wire_packets,
    hw_gso_wire_bytes,
    /// Times the queue was stopped because the ring was full, and woken.
    stop,
    wake,
});

/// A driver that reports per-queue statistics.
#[vtable]
pub trait QueueStatsOps: Operations {
    /// Statistics of receive queue `queue` (an active one).
    fn rx_queue_stats(dev: &Device<Self>, queue: u32, stats: &mut RxQueueStats<'_>);

    /// Statistics of transmit queue `queue` (an active one).
    fn tx_queue_stats(dev: &Device<Self>, queue: u32, stats: &mut TxQueueStats<'_>);

    /// What the device counted outside its active queues (queues since
    /// removed, say). Every counter the queue callbacks set must be set
    /// here too, zero if there is nothing to add: the core reports device
    /// totals only for counters set here.
    fn base_stats(dev: &Device<Self>, rx: &mut RxQueueStats<'_>, tx: &mut TxQueueStats<'_>);
}

/// Builds the C `netdev_stat_ops` of `T` and owns its callbacks.
struct Adapter<T: QueueStatsOps>(PhantomData<T>);

impl<T: QueueStatsOps> Adapter<T> {
    const VTABLE: bindings::netdev_stat_ops = bindings::netdev_stat_ops {
        get_queue_stats_rx: Some(Self::get_queue_stats_rx),
        get_queue_stats_tx: Some(Self::get_queue_stats_tx),
        get_base_stats: Some(Self::get_base_stats),
    };

    extern "C" fn get_queue_stats_rx(
        dev: *mut bindings::net_device,
        idx: c_int,
        stats: *mut bindings::netdev_queue_stats_rx,
    ) {
        // SAFETY: The core calls us on a device built for `T` with a
        // structure that is ours for the call.
        let (dev, stats) = unsafe { (Device::<T>::from_raw(dev), &mut *stats) };
        T::rx_queue_stats(dev, idx as u32, &mut RxQueueStats(stats));
    }

    extern "C" fn get_queue_stats_tx(
        dev: *mut bindings::net_device,
        idx: c_int,
        stats: *mut bindings::netdev_queue_stats_tx,
    ) {
        // SAFETY: As in `get_queue_stats_rx`.
        let (dev, stats) = unsafe { (Device::<T>::from_raw(dev), &mut *stats) };
        T::tx_queue_stats(dev, idx as u32, &mut TxQueueStats(stats));
    }

    extern "C" fn get_base_stats(
        dev: *mut bindings::net_device,
        rx: *mut bindings::netdev_queue_stats_rx,
        tx: *mut bindings::netdev_queue_stats_tx,
    ) {
        // SAFETY: As in `get_queue_stats_rx`; `rx` and `tx` are distinct.
        let (dev, rx, tx) = unsafe { (Device::<T>::from_raw(dev), &mut *rx, &mut *tx) };
        T::base_stats(dev, &mut RxQueueStats(rx), &mut TxQueueStats(tx));
    }
}

impl<T: QueueStatsOps> Builder<T> {
    /// Installs `T`'s per-queue statistics.
    pub fn set_queue_stats_ops(&mut self) {
        let raw = self.device().as_raw();
        // SAFETY: `raw` is valid and unregistered; the table is `'static`.
        unsafe { (*raw).stat_ops = &Adapter::<T>::VTABLE };
    }
}
