// SPDX-License-Identifier: GPL-2.0

//! The two ends and the wire between them: an end's private data, its
//! carrier, and how an end is created and registered.

use core::sync::atomic::{AtomicU32, Ordering};

use kernel::prelude::*;
use kernel::sync::aref::ARef;
use kernel::sync::Arc;

use crate::filter::RxFilter;
use crate::netdev::{self, Builder, Device, MacAddress, Napi, Registration, SkbQueue, SpinLockBh};
use crate::stats::EndStats;

/// Largest frame an end accepts: it supports jumbo MTUs like a real NIC.
const MAX_MTU: u32 = 9000;

/// Receive queue ("ring") limits and default, in frames.
pub(crate) const RX_RING_MIN: u32 = 16;
pub(crate) const RX_RING_MAX: u32 = 4096;
const RX_RING_DEFAULT: u32 = 256;

/// Default `NETIF_MSG_*` level: driver, probe and link messages.
const DEFAULT_MSG_LEVEL: u32 = 0x7;

/// `NETIF_MSG_LINK`: link state messages.
pub(crate) const NETIF_MSG_LINK: u32 = 0x4;
/// `NETIF_MSG_IFUP`: interface up/down messages.
pub(crate) const NETIF_MSG_IFUP: u32 = 0x20;

// Both locks below are taken in process context (open, stop, address
// changes) and in softirq context (transmit, NAPI), hence `_bh`.

/// The cable between the two ends: each slot holds a reference to an end
/// while that end is up.
#[pin_data]
pub(crate) struct Wire {
    #[pin]
    pub(crate) ends: SpinLockBh<[Option<ARef<Device<PairEnd>>>; 2]>,
}

impl Wire {
    pub(crate) fn new() -> impl PinInit<Self> {
        pin_init!(Self {
            ends <- crate::new_spinlock_bh!([None, None], "netpair_wire"),
        })
    }

    /// The end on the other side of `side`, if it is up.
    pub(crate) fn peer_of(&self, side: usize) -> Option<ARef<Device<PairEnd>>> {
        self.ends.lock()[1 - side].clone()
    }
}

/// One end of the pair: the private data of its `net_device`.
#[pin_data]
pub(crate) struct PairEnd {
    pub(crate) side: usize,
    pub(crate) wire: Arc<Wire>,
    #[pin]
    pub(crate) napi: Napi<PairEnd>,
    #[pin]
    pub(crate) rx_queue: SkbQueue,
    pub(crate) rx_ring: AtomicU32,
    #[pin]
    pub(crate) filter: SpinLockBh<RxFilter>,
    pub(crate) msg_level: AtomicU32,
    pub(crate) stats: EndStats,
}

impl PairEnd {
    fn new(side: usize, wire: Arc<Wire>) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            side,
            wire,
            napi <- Napi::new(),
            rx_queue <- SkbQueue::new(),
            rx_ring: AtomicU32::new(RX_RING_DEFAULT),
            filter <- crate::new_spinlock_bh!(RxFilter::new(MacAddress::default()), "netpair_filter"),
            msg_level: AtomicU32::new(DEFAULT_MSG_LEVEL),
            stats: EndStats::default(),
        })
    }

    /// Whether messages of class `bit` (`NETIF_MSG_*`) are enabled.
    pub(crate) fn msg_enabled(&self, bit: u32) -> bool {
        self.msg_level.load(Ordering::Relaxed) & bit != 0
    }

    /// Sets both ends' carrier from whether both are attached to the wire.
    pub(crate) fn update_carrier(&self) {
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
}

/// Creates, sets up and registers one end.
pub(crate) fn new_end(side: usize, wire: Arc<Wire>) -> Result<Registration<PairEnd>> {
    let mut builder = Builder::new(1, 1, PairEnd::new(side, wire))?;
    builder.set_name(c"rnp%d")?;
    builder.set_random_mac_address();
    builder.set_mtu_range(netdev::ETH_MIN_MTU, MAX_MTU)?;
    builder.set_ethtool_ops();
    builder.add_napi(|end| &end.napi)?;
    let mac = builder.device().mac_address();
    builder.device().data().filter.lock().own = mac;
    // No carrier until both ends are up.
    builder.device().carrier_off();
    builder.register()
}
