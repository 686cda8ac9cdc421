// SPDX-License-Identifier: GPL-2.0

//! Counters: the software counters of the data path, the hardware
//! counters folded in from the clear-on-read statistics registers, and
//! what the stack reads of them (`ndo_get_stats64`, the per-queue
//! statistics of netdev netlink).

use kernel::io::Io;
use kernel::prelude::*;

use crate::adapter::E1000;
use crate::hw::Hw;
use crate::netdev::{Counter, Device, LinkStats64, QueueStatsOps, RxQueueStats, TxQueueStats};
use crate::regs::*;

/// Software counters. Receive counters are written by the NAPI poll,
/// `tx_packets`/`tx_bytes` by transmit completion (also the poll), the
/// other transmit counters by `start_xmit`: one writer each.
#[derive(Default)]
pub(crate) struct Stats {
    pub(crate) rx_packets: Counter,
    pub(crate) rx_bytes: Counter,
    pub(crate) rx_multicast: Counter,
    pub(crate) rx_alloc_failed: Counter,
    pub(crate) rx_length_errors: Counter,
    pub(crate) rx_frame_errors: Counter,
    pub(crate) tx_packets: Counter,
    pub(crate) tx_bytes: Counter,
    pub(crate) tx_dropped: Counter,
    pub(crate) tx_busy: Counter,
    pub(crate) tx_restart_queue: Counter,
    pub(crate) tx_queue_stopped: Counter,
    pub(crate) tx_timeout: Counter,
    pub(crate) rx_csum_good: Counter,
    pub(crate) rx_csum_errors: Counter,
}

/// Hardware counters, accumulated from the clear-on-read registers.
#[derive(Default, Clone, Copy)]
pub(crate) struct HwStats {
    pub(crate) crcerrs: u64,
    pub(crate) algnerrc: u64,
    pub(crate) rxerrc: u64,
    pub(crate) mpc: u64,
    pub(crate) colc: u64,
    pub(crate) rlec: u64,
    pub(crate) ruc: u64,
    pub(crate) roc: u64,
    pub(crate) rnbc: u64,
    pub(crate) xonrxc: u64,
    pub(crate) xontxc: u64,
    pub(crate) xoffrxc: u64,
    pub(crate) xofftxc: u64,
    pub(crate) gprc: u64,
    pub(crate) gptc: u64,
    pub(crate) bprc: u64,
    pub(crate) mprc: u64,
    pub(crate) bptc: u64,
    pub(crate) mptc: u64,
    pub(crate) tpr: u64,
    pub(crate) tpt: u64,
    pub(crate) tsctc: u64,
    pub(crate) tsctfc: u64,
}

impl HwStats {
    /// Adds what the statistics registers counted since they were last
    /// read (which clears them).
    pub(crate) fn update(&mut self, hw: &Hw<'_>) {
        let io = hw.io();
        let add = |field: &mut u64, count: u32| *field += u64::from(count);
        add(&mut self.crcerrs, io.read(CRCERRS).count());
        add(&mut self.algnerrc, io.read(ALGNERRC).count());
        add(&mut self.rxerrc, io.read(RXERRC).count());
        add(&mut self.mpc, io.read(MPC).count());
        add(&mut self.colc, io.read(COLC).count());
        add(&mut self.rlec, io.read(RLEC).count());
        add(&mut self.ruc, io.read(RUC).count());
        add(&mut self.roc, io.read(ROC).count());
        add(&mut self.rnbc, io.read(RNBC).count());
        add(&mut self.xonrxc, io.read(XONRXC).count());
        add(&mut self.xontxc, io.read(XONTXC).count());
        add(&mut self.xoffrxc, io.read(XOFFRXC).count());
        add(&mut self.xofftxc, io.read(XOFFTXC).count());
        add(&mut self.gprc, io.read(GPRC).count());
        add(&mut self.gptc, io.read(GPTC).count());
        add(&mut self.bprc, io.read(BPRC).count());
        add(&mut self.mprc, io.read(MPRC).count());
        add(&mut self.bptc, io.read(BPTC).count());
        add(&mut self.mptc, io.read(MPTC).count());
        add(&mut self.tpr, io.read(TPR).count());
        add(&mut self.tpt, io.read(TPT).count());
        add(&mut self.tsctc, io.read(TSCTC).count());
        add(&mut self.tsctfc, io.read(TSCTFC).count());
    }
}

impl E1000 {
    /// Fills the interface statistics (`ndo_get_stats64`), folding in the
    /// hardware counters first when the device is there.
    pub(crate) fn fill_link_stats(dev: &Device<Self>, stats: &mut LinkStats64) {
        let e = dev.data();
        let hw = {
            let mut acc = e.hw_stats.lock();
            let mut copy = *acc;
            if E1000::with_hw(dev, |hw| acc.update(hw)).is_some() {
                copy = *acc;
            }
            copy
        };
        let s = &e.stats;
        let length_errors = s.rx_length_errors.get() + hw.rlec + hw.ruc + hw.roc;
        let crc = hw.crcerrs;
        let frame = s.rx_frame_errors.get() + hw.algnerrc;
        stats
            .rx_packets(s.rx_packets.get())
            .rx_bytes(s.rx_bytes.get())
            .multicast(s.rx_multicast.get())
            .rx_dropped(s.rx_alloc_failed.get())
            .rx_length_errors(length_errors)
            .rx_crc_errors(crc)
            .rx_frame_errors(frame)
            .rx_missed_errors(hw.mpc)
            .rx_errors(length_errors + crc + frame + hw.rxerrc)
            .tx_packets(s.tx_packets.get())
            .tx_bytes(s.tx_bytes.get())
            .tx_dropped(s.tx_dropped.get())
            .collisions(hw.colc);
    }
}

/// One queue pair whose counters live as long as the device: queue 0 holds
/// everything, the base adds nothing.
#[vtable]
impl QueueStatsOps for E1000 {
    fn rx_queue_stats(dev: &Device<Self>, _queue: u32, stats: &mut RxQueueStats<'_>) {
        let s = &dev.data().stats;
        stats
            .packets(s.rx_packets.get())
            .bytes(s.rx_bytes.get())
            .alloc_fail(s.rx_alloc_failed.get())
            .csum_unnecessary(s.rx_csum_good.get())
            .csum_bad(s.rx_csum_errors.get());
    }

    fn tx_queue_stats(dev: &Device<Self>, _queue: u32, stats: &mut TxQueueStats<'_>) {
        let s = &dev.data().stats;
        stats
            .packets(s.tx_packets.get())
            .bytes(s.tx_bytes.get())
            .stop(s.tx_queue_stopped.get())
            .wake(s.tx_restart_queue.get());
    }

    fn base_stats(_dev: &Device<Self>, rx: &mut RxQueueStats<'_>, tx: &mut TxQueueStats<'_>) {
        rx.packets(0)
            .bytes(0)
            .alloc_fail(0)
            .csum_unnecessary(0)
            .csum_bad(0);
        tx.packets(0).bytes(0).stop(0).wake(0);
    }
}
