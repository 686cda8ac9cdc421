// SPDX-License-Identifier: GPL-2.0

//! Per-queue statistics over netdev netlink (`qstats-get`), as C reports
//! them without `VIRTIO_NET_F_DEVICE_STATS`: packets and bytes each way,
//! and the transmit queue's stops and wakes; and, beyond C, the receive
//! queue's failed allocations (`alloc-fail`: refills that ran out of
//! memory, frames dropped for want of a socket buffer).

use crate::iface::VirtnetIface;
use crate::netdev::{Device, QueueStatsOps, RxQueueStats, TxQueueStats};
use kernel::prelude::*;

/// One queue pair whose counters live as long as the interface: queue 0
/// holds everything, the base adds nothing (C: "the queue stats of the
/// virtio-net will not be reset").
#[vtable]
impl QueueStatsOps for VirtnetIface {
    fn rx_queue_stats(dev: &Device<Self>, _queue: u32, stats: &mut RxQueueStats<'_>) {
        let s = &dev.data().stats;
        stats
            .packets(s.rx_packets.get())
            .bytes(s.rx_bytes.get())
            .alloc_fail(s.rx_alloc_fails.get());
    }

    fn tx_queue_stats(dev: &Device<Self>, _queue: u32, stats: &mut TxQueueStats<'_>) {
        let s = &dev.data().stats;
        stats
            .packets(s.tx_packets.get())
            .bytes(s.tx_bytes.get())
            .stop(s.tx_stops.get())
            .wake(s.tx_wakes.get());
    }

    fn base_stats(_dev: &Device<Self>, rx: &mut RxQueueStats<'_>, tx: &mut TxQueueStats<'_>) {
        rx.packets(0).bytes(0).alloc_fail(0);
        tx.packets(0).bytes(0).stop(0).wake(0);
    }
}
