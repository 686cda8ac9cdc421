// SPDX-License-Identifier: GPL-2.0

//! Per-end counters, and the `ethtool -S` names of their snapshot.

use crate::netdev::Counter;

/// Per-end counters. Receive counters are written by the end's NAPI poll
/// only, transmit counters by its `start_xmit` only (one TX queue, under
/// the queue lock), so each has a single writer.
#[derive(Default)]
pub(crate) struct EndStats {
    pub(crate) rx_packets: Counter,
    pub(crate) rx_bytes: Counter,
    pub(crate) rx_multicast: Counter,
    pub(crate) rx_dropped: Counter,
    pub(crate) rx_filtered: Counter,
    pub(crate) rx_length_errors: Counter,
    pub(crate) rx_missed: Counter,
    pub(crate) tx_packets: Counter,
    pub(crate) tx_bytes: Counter,
    pub(crate) tx_dropped: Counter,
    pub(crate) tx_queue_stops: Counter,
    pub(crate) tx_queue_wakes: Counter,
}

/// Names of the `ethtool -S` statistics, in `EndStats::snapshot` order.
pub(crate) const STATS_NAMES: [&str; 12] = [
    "rx_packets",
    "rx_bytes",
    "rx_multicast",
    "rx_dropped",
    "rx_filtered",
    "rx_length_errors",
    "rx_missed",
    "tx_packets",
    "tx_bytes",
    "tx_dropped",
    "tx_queue_stops",
    "tx_queue_wakes",
];

impl EndStats {
    pub(crate) fn snapshot(&self) -> [u64; 12] {
        [
            self.rx_packets.get(),
            self.rx_bytes.get(),
            self.rx_multicast.get(),
            self.rx_dropped.get(),
            self.rx_filtered.get(),
            self.rx_length_errors.get(),
            self.rx_missed.get(),
            self.tx_packets.get(),
            self.tx_bytes.get(),
            self.tx_dropped.get(),
            self.tx_queue_stops.get(),
            self.tx_queue_wakes.get(),
        ]
    }
}
