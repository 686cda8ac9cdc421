// SPDX-License-Identifier: GPL-2.0

//! The network interface, through the netdev layer: its private data (the
//! two queues, each with its NAPI instance, the control queue and the
//! counters), `open` and `stop`, the statistics, the receive filter, the
//! station address and the VLAN filter (through the control queue,
//! `ctrl`), and which poll a NAPI instance runs.
//!
//! Each virtqueue handle lives where one context at a time reaches it: the
//! receive queue behind the lock its NAPI poll takes (and a resize, while
//! that poll cannot run), which alone fills it; the transmit queue
//! behind the netdev queue's xmit lock, which the core holds around
//! `start_xmit` and the transmit poll takes.

use kernel::debugfs;
use kernel::prelude::*;

use crate::ctrl::Ctrl;
use crate::netdev::napi::{PollContext, PollDone};
use crate::netdev::{
    AddrList, Counter, Device, DeviceTask, FailAlloc, LinkStats64, MacAddress, Poll, QueueKind,
    SkBuff, Sleepable, SpinLockBh, Task, TxLock, TxLocked,
};
use crate::rx::{RxQueue, RxVq};
use crate::rx_mergeable::Mergeable;
use crate::tx::TxQueue;
use crate::virtio::{TxFrame, Virtqueue, VqNapi};

/// The private data of the interface.
#[pin_data]
pub(crate) struct VirtnetIface {
    /// Polls the receive queue.
    #[pin]
    pub(crate) rx_napi: VqNapi<Self>,
    /// Polls the transmit queue for completions (C's `napi_tx`).
    #[pin]
    pub(crate) tx_napi: VqNapi<Self>,
    /// The receive queue: its poll, and a resize while the poll is off.
    #[pin]
    pub(crate) rx: SpinLockBh<RxQueue>,
    /// The transmit queue: `start_xmit` and the transmit poll, under the
    /// netdev queue's xmit lock.
    pub(crate) tx: TxLocked<TxQueue>,
    /// Polls the receive queue again after a refill ran out of memory (C
    /// `refill`, which refills itself).
    #[pin]
    pub(crate) refill: DeviceTask<Self>,
    /// The control queue, if any, and what the device takes on it.
    pub(crate) ctrl: Ctrl,
    /// Counters, each with one writer at a time (see [`Stats`]).
    pub(crate) stats: Stats,
    /// Speed and duplex, as `ethtool` reports them.
    pub(crate) link: crate::ethtool::LinkInfo,
    /// The transport's device name (the PCI address), NUL-padded: the bus
    /// information ethtool reports.
    pub(crate) bus_info: [u8; BUS_INFO_LEN],
    /// Allocation failure injection for tests, `fail_alloc` in debugfs
    /// (see `netdev::FailAlloc`): receive buffers, small or mergeable.
    #[pin]
    pub(crate) fail_alloc: debugfs::File<FailAlloc>,
}

/// Room for the bus information (C `ETHTOOL_BUSINFO_LEN`).
pub(crate) const BUS_INFO_LEN: usize = 32;

/// Software counters. The receive ones are written by the receive poll,
/// under the receive queue's lock, `tx_packets`/`tx_bytes` by the
/// transmit poll, `tx_dropped` and `tx_kicks` by `start_xmit`: each under
/// its queue's lock; `tx_timeouts` by the core's watchdog timer (one at a
/// time).
#[derive(Default)]
pub(crate) struct Stats {
    pub(crate) rx_packets: Counter,
    pub(crate) rx_bytes: Counter,
    pub(crate) rx_dropped: Counter,
    pub(crate) rx_length_errors: Counter,
    pub(crate) tx_packets: Counter,
    pub(crate) tx_bytes: Counter,
    pub(crate) tx_dropped: Counter,
    pub(crate) rx_kicks: Counter,
    /// Refills that ran out of memory before the queue was full, and
    /// frames dropped for want of a socket buffer: the `alloc-fail` queue
    /// statistic, which C leaves out.
    pub(crate) rx_alloc_fails: Counter,
    pub(crate) tx_kicks: Counter,
    pub(crate) tx_timeouts: Counter,
    /// Times the driver stopped the transmit queue (full ring, resize) and
    /// woke it again: C's `stop` and `wake`, reported as queue statistics.
    pub(crate) tx_stops: Counter,
    pub(crate) tx_wakes: Counter,
}

impl VirtnetIface {
    /// The private data of a new interface, with the device's receive and
    /// transmit queues (`mrg`: the receive queue's mergeable buffers), its
    /// control queue, its header length, whether headers may go into the
    /// frames' headroom, and its bus information, with its
    /// fault injection file in `debug_dir`.
    pub(crate) fn new<'a>(
        rx: RxVq,
        mrg: Option<Mergeable>,
        tx: Virtqueue<TxFrame>,
        ctrl: Ctrl,
        (hdr_len, push, bus_info): (u32, bool, [u8; BUS_INFO_LEN]),
        debug_dir: &'a debugfs::Dir,
    ) -> impl PinInit<Self, Error> + 'a {
        let rx_napi = VqNapi::for_target(match &rx {
            RxVq::Small(vq) => vq.target(),
            RxVq::Mergeable(vq) => vq.target(),
        });
        let tx_napi = VqNapi::new(&tx);
        try_pin_init!(Self {
            rx_napi <- rx_napi,
            tx_napi <- tx_napi,
            rx <- crate::new_spinlock_bh!(RxQueue::new(rx, hdr_len, mrg), "rust_virtio_net_rx"),
            tx: TxLocked::new(0, TxQueue::new(tx, hdr_len, push)?),
            refill <- DeviceTask::new(),
            ctrl,
            stats: Stats::default(),
            link: crate::ethtool::LinkInfo::new(),
            bus_info,
            fail_alloc <- debug_dir.read_write_file(c"fail_alloc", FailAlloc::new()),
        }? Error)
    }
}

#[vtable]
impl crate::netdev::Operations for VirtnetIface {
    fn open(dev: &Device<Self>) -> Result {
        let data = dev.data();
        // Buffers stay in the receive queue while the interface is down;
        // the poll that enabling schedules tops it up.
        data.rx_napi.enable_for(0, QueueKind::Rx)?;
        data.tx_napi.enable_for(0, QueueKind::Tx)?;
        dev.start_queue();
        Ok(())
    }

    fn stop(dev: &Device<Self>) -> Result {
        let data = dev.data();
        dev.stop_queue();
        data.refill.cancel_sync();
        data.rx_napi.disable();
        data.tx_napi.disable();
        Ok(())
    }

    fn start_xmit(dev: &Device<Self>, skb: SkBuff, txq: &mut TxLock<'_, Self>) {
        crate::tx::xmit(dev, skb, txq);
    }

    fn tx_timeout(dev: &Device<Self>, queue: u32) {
        crate::tx::timeout(dev, queue);
    }

    fn set_rx_mode_async(
        dev: &Device<Self>,
        uc: &AddrList<'_>,
        mc: &AddrList<'_>,
        ctx: &Sleepable,
    ) -> Result {
        crate::ctrl::set_rx_mode(dev, uc, mc, ctx)
    }

    fn set_mac_address(dev: &Device<Self>, addr: &MacAddress, ctx: &Sleepable) -> Result {
        crate::ctrl::set_mac_address(dev, addr, ctx)
    }

    fn vlan_rx_add_vid(dev: &Device<Self>, _proto: u16, vid: u16, ctx: &Sleepable) -> Result {
        crate::ctrl::vlan(dev, true, vid, ctx)
    }

    fn vlan_rx_kill_vid(dev: &Device<Self>, _proto: u16, vid: u16, ctx: &Sleepable) -> Result {
        crate::ctrl::vlan(dev, false, vid, ctx)
    }

    fn get_stats64(dev: &Device<Self>, stats: &mut LinkStats64) {
        let s = &dev.data().stats;
        stats
            .rx_packets(s.rx_packets.get())
            .rx_bytes(s.rx_bytes.get())
            .rx_dropped(s.rx_dropped.get())
            .rx_length_errors(s.rx_length_errors.get())
            .tx_packets(s.tx_packets.get())
            .tx_bytes(s.tx_bytes.get())
            .tx_dropped(s.tx_dropped.get());
    }
}

impl Poll for VirtnetIface {
    fn poll<'a>(dev: &Device<Self>, ctx: PollContext<'a, Self>) -> PollDone<'a> {
        if ctx.is(dev.data().rx_napi.napi()) {
            crate::rx::poll(dev, ctx)
        } else {
            crate::tx::poll(dev, ctx)
        }
    }
}

impl Task for VirtnetIface {
    /// Polls the receive queue after a refill ran out of memory: the poll
    /// refills it, and schedules this again (in half a second) if memory
    /// is still short. Does nothing while the interface is down or the
    /// queue is being resized: enabling the poll again refills.
    fn run_task(dev: &Device<Self>) {
        dev.data().rx_napi.schedule_poll();
    }
}
