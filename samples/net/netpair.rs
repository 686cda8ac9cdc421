// SPDX-License-Identifier: GPL-2.0

//! A pair of Ethernet devices wired back to back, in software.
//!
//! What one end transmits, the other receives: `start_xmit` queues the
//! frame on the peer's receive queue and schedules the peer's NAPI, whose
//! poll copies it into a fresh socket buffer, classifies it with
//! `eth_type_trans` and hands it to GRO. Like a hardware NIC, each end
//! filters what it receives by destination address (its own, broadcast,
//! the multicast addresses it was told about) unless it is promiscuous or
//! all-multicast, drops frames longer than its MTU allows, and holds at
//! most `rx_ring` frames: a sender whose peer's queue is full stops its own
//! queue until the peer's poll drains it.
//!
//! The sample is written against the safe netdev layer only.

#![deny(unsafe_code)]

use core::sync::atomic::{AtomicU32, Ordering};

use kernel::prelude::*;
use kernel::sync::aref::ARef;
use kernel::sync::Arc;

// The netdev layer, compiled into this module, is the one place allowed
// to use unchecked code, behind safe functions; the driver has none.
#[allow(unsafe_code)]
#[path = "../../rust/netdev/mod.rs"]
mod netdev;

use netdev::ethtool::{Duplex, Port};
use netdev::napi::PollContext;
use netdev::{
    AddrLists, Builder, Counter, Device, DropReason, DrvInfo, EthtoolOps, LinkSettings,
    LinkStats64, MacAddress, Napi, Operations, PacketType, Poll, Registration, RingParam, SkBuff,
    SkbQueue, SpinLockBh, TxOutcome,
};

module! {
    type: NetPairModule,
    name: "rust_netpair",
    authors: ["rust-nic developers"],
    description: "Pair of back-to-back Ethernet devices built on the Rust netdev layer",
    license: "GPL",
}

/// Name of the driver, as `ethtool -i` reports it.
const DRIVER_NAME: &str = "rust_netpair";

/// Largest frame an end accepts: it supports jumbo MTUs like a real NIC.
const MAX_MTU: u32 = 9000;

/// Receive queue ("ring") limits and default, in frames.
const RX_RING_MIN: u32 = 16;
const RX_RING_MAX: u32 = 4096;
const RX_RING_DEFAULT: u32 = 256;

/// Multicast addresses the "hardware" filter matches exactly; beyond this
/// many, an end receives every multicast frame, as NICs do when their
/// filter overflows.
const MC_FILTER_SLOTS: usize = 16;

/// Default `NETIF_MSG_*` level: driver, probe and link messages.
const DEFAULT_MSG_LEVEL: u32 = 0x7;

/// The receive filter, as "programmed into the hardware" by
/// `set_rx_mode` and `set_mac_address`.
#[derive(Clone, Copy)]
struct RxFilter {
    own: MacAddress,
    promiscuous: bool,
    all_multicast: bool,
    multicast: [MacAddress; MC_FILTER_SLOTS],
    multicast_len: usize,
}

impl RxFilter {
    fn new(own: MacAddress) -> Self {
        Self {
            own,
            promiscuous: false,
            all_multicast: false,
            multicast: [MacAddress::default(); MC_FILTER_SLOTS],
            multicast_len: 0,
        }
    }

    /// Whether a frame to `dst` gets through.
    fn accepts(&self, dst: &MacAddress) -> bool {
        if self.promiscuous || *dst == self.own || dst.is_broadcast() {
            return true;
        }
        dst.is_multicast()
            && (self.all_multicast || self.multicast[..self.multicast_len].contains(dst))
    }
}

/// Per-end counters. Receive counters are written by the end's NAPI poll
/// only, transmit counters by its `start_xmit` only (one TX queue, under
/// the queue lock), so each has a single writer.
#[derive(Default)]
struct EndStats {
    rx_packets: Counter,
    rx_bytes: Counter,
    rx_multicast: Counter,
    rx_dropped: Counter,
    rx_filtered: Counter,
    rx_length_errors: Counter,
    rx_missed: Counter,
    tx_packets: Counter,
    tx_bytes: Counter,
    tx_dropped: Counter,
    tx_queue_stops: Counter,
    tx_queue_wakes: Counter,
}

/// Names of the `ethtool -S` statistics, in `EndStats::snapshot` order.
const STATS_NAMES: [&str; 12] = [
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
    fn snapshot(&self) -> [u64; 12] {
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

// Both locks below are taken in process context (open, stop, address
// changes) and in softirq context (transmit, NAPI), hence `_bh`.

/// The cable between the two ends: each slot holds a reference to an end
/// while that end is up.
#[pin_data]
struct Wire {
    #[pin]
    ends: SpinLockBh<[Option<ARef<Device<PairEnd>>>; 2]>,
}

impl Wire {
    fn new() -> impl PinInit<Self> {
        pin_init!(Self {
            ends <- new_spinlock_bh!([None, None], "netpair_wire"),
        })
    }

    /// The end on the other side of `side`, if it is up.
    fn peer_of(&self, side: usize) -> Option<ARef<Device<PairEnd>>> {
        self.ends.lock()[1 - side].clone()
    }
}

/// One end of the pair: the private data of its `net_device`.
#[pin_data]
struct PairEnd {
    side: usize,
    wire: Arc<Wire>,
    #[pin]
    napi: Napi<PairEnd>,
    #[pin]
    rx_queue: SkbQueue,
    rx_ring: AtomicU32,
    #[pin]
    filter: SpinLockBh<RxFilter>,
    msg_level: AtomicU32,
    stats: EndStats,
}

impl PairEnd {
    fn new(side: usize, wire: Arc<Wire>) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            side,
            wire,
            napi <- Napi::new(),
            rx_queue <- SkbQueue::new(),
            rx_ring: AtomicU32::new(RX_RING_DEFAULT),
            filter <- new_spinlock_bh!(RxFilter::new(MacAddress::default()), "netpair_filter"),
            msg_level: AtomicU32::new(DEFAULT_MSG_LEVEL),
            stats: EndStats::default(),
        })
    }

    /// Whether messages of class `bit` (`NETIF_MSG_*`) are enabled.
    fn msg_enabled(&self, bit: u32) -> bool {
        self.msg_level.load(Ordering::Relaxed) & bit != 0
    }

    /// Sets both ends' carrier from whether both are attached to the wire.
    fn update_carrier(&self) {
        let ends = self.wire.ends.lock();
        let up = ends.iter().all(Option::is_some);
        for dev in ends.iter().flatten() {
            if up && !dev.carrier_ok() {
                dev.carrier_on();
                if dev.data().msg_enabled(NETIF_MSG_LINK) {
                    pr_info!("{}: link up\n", dev.name());
                }
            } else if !up && dev.carrier_ok() {
                dev.carrier_off();
                if dev.data().msg_enabled(NETIF_MSG_LINK) {
                    pr_info!("{}: link down\n", dev.name());
                }
            }
        }
    }

    /// Takes a frame off the wire into this end's receive queue. Returns
    /// whether the queue is now full.
    fn enqueue_from_wire(&self, skb: SkBuff) -> bool {
        let limit = self.rx_ring.load(Ordering::Relaxed);
        if self.rx_queue.len() >= limit {
            // The sender normally stops before this; count it like a NIC
            // counts frames it had no descriptor for.
            skb.drop_reason(DropReason::FullRing);
            return true;
        }
        self.rx_queue.push_back(skb);
        self.napi.schedule();
        self.rx_queue.len() >= limit
    }

    /// Receives one frame from the queue: filter, check, copy into a new
    /// buffer and hand it to the stack.
    fn receive(&self, dev: &Device<Self>, ctx: &PollContext<'_, Self>, wire_skb: SkBuff) {
        let len = wire_skb.len();
        let max_len = dev.mtu() + netdev::ETH_HLEN + netdev::VLAN_HLEN;
        if len < netdev::ETH_HLEN || len > max_len {
            self.stats.rx_length_errors.inc();
            let reason = if len < netdev::ETH_HLEN {
                DropReason::TooSmall
            } else {
                DropReason::TooBig
            };
            wire_skb.drop_reason(reason);
            return;
        }

        let mut header = [0u8; 6];
        if wire_skb.copy_bits(0, &mut header).is_err() {
            self.stats.rx_length_errors.inc();
            wire_skb.drop_reason(DropReason::TooSmall);
            return;
        }
        let dst = MacAddress(header);
        if !self.filter.lock().accepts(&dst) {
            self.stats.rx_filtered.inc();
            wire_skb.drop_reason(DropReason::OtherHost);
            return;
        }

        let Some(mut skb) = ctx.alloc_skb(len) else {
            self.stats.rx_dropped.inc();
            wire_skb.drop_reason(DropReason::NoMemory);
            return;
        };
        if skb.put_frame(&wire_skb).is_err() {
            self.stats.rx_dropped.inc();
            wire_skb.drop_reason(DropReason::NoMemory);
            return;
        }
        wire_skb.consume();

        let Ok(class) = skb.eth_type_trans(dev) else {
            self.stats.rx_dropped.inc();
            skb.drop_reason(DropReason::TooSmall);
            return;
        };
        if class == PacketType::Multicast {
            self.stats.rx_multicast.inc();
        }
        self.stats.rx_packets.inc();
        self.stats.rx_bytes.add(u64::from(len));
        ctx.gro_receive(skb);
    }
}

/// `NETIF_MSG_LINK`: link state messages.
const NETIF_MSG_LINK: u32 = 0x4;
/// `NETIF_MSG_IFUP`: interface up/down messages.
const NETIF_MSG_IFUP: u32 = 0x20;

#[vtable]
impl Operations for PairEnd {
    fn open(dev: &Device<Self>) -> Result {
        let end = dev.data();
        end.rx_queue.purge(DropReason::DeviceNotReady);
        end.napi.enable();
        end.wire.ends.lock()[end.side] = Some(dev.into());
        dev.start_queue();
        end.update_carrier();
        if end.msg_enabled(NETIF_MSG_IFUP) {
            pr_info!("{}: up\n", dev.name());
        }
        Ok(())
    }

    fn stop(dev: &Device<Self>) -> Result {
        let end = dev.data();
        dev.stop_queue();
        // Detach first: once this returns, the peer no longer reaches our
        // queue or schedules our NAPI.
        let me = end.wire.ends.lock()[end.side].take();
        drop(me);
        dev.carrier_off();
        end.update_carrier();
        end.napi.disable();
        end.rx_queue.purge(DropReason::DeviceNotReady);
        if end.msg_enabled(NETIF_MSG_IFUP) {
            pr_info!("{}: down\n", dev.name());
        }
        Ok(())
    }

    fn start_xmit(dev: &Device<Self>, mut skb: SkBuff) -> TxOutcome {
        let end = dev.data();
        // Short frames go on the wire padded with zeroes, as hardware does.
        if skb.pad_to(netdev::ETH_ZLEN).is_err() {
            end.stats.tx_dropped.inc();
            skb.drop_reason(DropReason::NoMemory);
            return TxOutcome::Sent;
        }
        let len = skb.len();
        let Some(peer) = end.wire.peer_of(end.side) else {
            end.stats.tx_dropped.inc();
            skb.drop_reason(DropReason::DeviceNotReady);
            return TxOutcome::Sent;
        };
        let peer_end = peer.data();
        let full = peer_end.enqueue_from_wire(skb);
        end.stats.tx_packets.inc();
        end.stats.tx_bytes.add(u64::from(len));
        if full {
            dev.stop_queue();
            end.stats.tx_queue_stops.inc();
            // The peer may have drained its queue before we stopped: look
            // again so that the queue cannot stay stopped for ever.
            if peer_end.rx_queue.len() < peer_end.rx_ring.load(Ordering::Relaxed) {
                dev.wake_queue();
            }
        }
        TxOutcome::Sent
    }

    fn get_stats64(dev: &Device<Self>, stats: &mut LinkStats64) {
        let s = &dev.data().stats;
        stats
            .rx_packets(s.rx_packets.get())
            .rx_bytes(s.rx_bytes.get())
            .multicast(s.rx_multicast.get())
            .rx_dropped(s.rx_dropped.get())
            .rx_length_errors(s.rx_length_errors.get())
            .rx_missed_errors(s.rx_missed.get())
            .rx_errors(s.rx_length_errors.get())
            .tx_packets(s.tx_packets.get())
            .tx_bytes(s.tx_bytes.get())
            .tx_dropped(s.tx_dropped.get());
    }

    fn set_rx_mode(dev: &Device<Self>, addrs: &AddrLists<'_>) {
        let end = dev.data();
        let mut filter = end.filter.lock();
        filter.promiscuous = dev.is_promiscuous();
        filter.all_multicast = dev.is_allmulti() || addrs.multicast_count() > MC_FILTER_SLOTS;
        filter.multicast_len = 0;
        if !filter.all_multicast {
            for addr in addrs.multicast().take(MC_FILTER_SLOTS) {
                let i = filter.multicast_len;
                filter.multicast[i] = addr;
                filter.multicast_len += 1;
            }
        }
    }

    fn set_mac_address(dev: &Device<Self>, addr: &MacAddress) -> Result {
        dev.data().filter.lock().own = *addr;
        Ok(())
    }

    fn change_mtu(dev: &Device<Self>, new_mtu: u32) -> Result {
        if dev.data().msg_enabled(NETIF_MSG_LINK) {
            pr_info!("{}: MTU {} -> {}\n", dev.name(), dev.mtu(), new_mtu);
        }
        Ok(())
    }
}

impl Poll for PairEnd {
    fn poll(dev: &Device<Self>, ctx: &mut PollContext<'_, Self>) -> u32 {
        let end = dev.data();
        let mut done = 0;
        while done < ctx.budget() {
            let Some(skb) = end.rx_queue.pop_front() else {
                break;
            };
            end.receive(dev, ctx, skb);
            done += 1;
        }

        // Restart a sender that stopped on our full queue once half of it
        // is free.
        if end.rx_queue.len() <= end.rx_ring.load(Ordering::Relaxed) / 2 {
            if let Some(peer) = end.wire.peer_of(end.side) {
                if peer.queue_stopped() {
                    peer.wake_queue();
                    peer.data().stats.tx_queue_wakes.inc();
                }
            }
        }

        ctx.complete_done(done);
        done
    }
}

#[vtable]
impl EthtoolOps for PairEnd {
    fn get_drvinfo(_dev: &Device<Self>, info: &mut DrvInfo<'_>) {
        info.set_driver(DRIVER_NAME);
        info.set_bus_info("software");
    }

    fn get_msglevel(dev: &Device<Self>) -> u32 {
        dev.data().msg_level.load(Ordering::Relaxed)
    }

    fn set_msglevel(dev: &Device<Self>, level: u32) {
        dev.data().msg_level.store(level, Ordering::Relaxed);
    }

    fn get_ringparam(dev: &Device<Self>) -> RingParam {
        RingParam {
            rx_max: RX_RING_MAX,
            tx_max: 0,
            rx: dev.data().rx_ring.load(Ordering::Relaxed),
            tx: 0,
        }
    }

    fn set_ringparam(dev: &Device<Self>, ring: &RingParam) -> Result {
        if !(RX_RING_MIN..=RX_RING_MAX).contains(&ring.rx) {
            pr_err!(
                "{}: RX ring size {} out of range {}..{}\n",
                dev.name(),
                ring.rx,
                RX_RING_MIN,
                RX_RING_MAX
            );
            return Err(EINVAL);
        }
        dev.data().rx_ring.store(ring.rx, Ordering::Relaxed);
        Ok(())
    }

    fn stats_names(_dev: &Device<Self>) -> &'static [&'static str] {
        &STATS_NAMES
    }

    fn get_stats(dev: &Device<Self>, data: &mut [u64]) {
        for (dst, src) in data.iter_mut().zip(dev.data().stats.snapshot()) {
            *dst = src;
        }
    }

    fn get_link_settings(_dev: &Device<Self>) -> Result<LinkSettings> {
        Ok(LinkSettings {
            speed: Some(10000),
            duplex: Duplex::Full,
            autoneg: false,
            port: Port::Other,
        })
    }
}

/// Creates, sets up and registers one end.
fn new_end(side: usize, wire: Arc<Wire>) -> Result<Registration<PairEnd>> {
    let mut builder = Builder::new(1, 1, PairEnd::new(side, wire))?;
    builder.set_name(c"rnp%d")?;
    builder.set_random_mac_address();
    builder.set_mtu_range(netdev::ETH_MIN_MTU, MAX_MTU)?;
    builder.set_ethtool_ops();
    builder.add_napi(|end| &end.napi);
    let mac = builder.device().mac_address();
    builder.device().data().filter.lock().own = mac;
    // No carrier until both ends are up.
    builder.device().carrier_off();
    builder.register()
}

struct NetPairModule {
    // Field order is drop order: both ends go before the wire they share.
    ends: [Registration<PairEnd>; 2],
}

impl kernel::Module for NetPairModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let wire = Arc::pin_init(Wire::new(), GFP_KERNEL)?;
        let a = new_end(0, wire.clone())?;
        let b = new_end(1, wire)?;
        pr_info!(
            "{} <-> {} ({} <-> {})\n",
            a.device().name(),
            b.device().name(),
            a.device().mac_address(),
            b.device().mac_address()
        );
        Ok(Self { ends: [a, b] })
    }
}

impl Drop for NetPairModule {
    fn drop(&mut self) {
        pr_info!(
            "removing {} and {}\n",
            self.ends[0].device().name(),
            self.ends[1].device().name()
        );
    }
}
