// SPDX-License-Identifier: GPL-2.0

//! ethtool operations, with C virtio_net's answers and refusals: driver
//! information (the PCI address as bus information), timestamps, rings
//! (resized in `ring.rs`), coalescing, channels, per-queue statistics and
//! the link's speed and duplex. The link is the carrier (the layer's
//! default).

use core::sync::atomic::{AtomicU32, AtomicU8, Ordering};

use kernel::device::Bound;
use kernel::prelude::*;

use crate::iface::VirtnetIface;
use crate::netdev::ethtool::{DrvInfo, Duplex, Port};
use crate::netdev::{Channels, Coalesce, Device, EthtoolOps, LinkSettings, RingParam, Sleepable};
use crate::virtio::{self, net};

/// The module's name, reported as the driver.
const DRIVER_NAME: &str = "rust_virtio_net";

/// `ethtool -S` names, C's for a device without `VIRTIO_NET_F_DEVICE_STATS`
/// (which QEMU 7.2 does not offer): the receive and transmit totals, then
/// queue pair 0's. The XDP counters stay zero (no XDP).
const STATS_NAMES: &[&str] = &[
    "rx_drops",
    "rx_xdp_packets",
    "rx_xdp_tx",
    "rx_xdp_redirects",
    "rx_xdp_drops",
    "rx_kicks",
    "tx_xdp_tx",
    "tx_xdp_tx_drops",
    "tx_kicks",
    "tx_tx_timeouts",
    "rx0_drops",
    "rx0_xdp_packets",
    "rx0_xdp_tx",
    "rx0_xdp_redirects",
    "rx0_xdp_drops",
    "rx0_kicks",
    "tx0_xdp_tx",
    "tx0_xdp_tx_drops",
    "tx0_kicks",
    "tx0_tx_timeouts",
];

/// C's unknown duplex (`DUPLEX_UNKNOWN`), as kept in [`LinkInfo`].
const DUPLEX_UNKNOWN: u8 = 0xff;

/// The speed and duplex `ethtool` reports: unknown, then the device's
/// with `VIRTIO_NET_F_SPEED_DUPLEX` each time the link comes up, or what
/// `ethtool -s` set (C `vi->speed`, `vi->duplex`).
pub(crate) struct LinkInfo {
    /// Mbit/s; `u32::MAX` for unknown.
    speed: AtomicU32,
    /// 0 half, 1 full, [`DUPLEX_UNKNOWN`].
    duplex: AtomicU8,
}

impl LinkInfo {
    /// Unknown speed and duplex.
    pub(crate) const fn new() -> Self {
        Self {
            speed: AtomicU32::new(u32::MAX),
            duplex: AtomicU8::new(DUPLEX_UNKNOWN),
        }
    }

    fn set(&self, speed: Option<u32>, duplex: Duplex) {
        self.speed
            .store(speed.unwrap_or(u32::MAX), Ordering::Relaxed);
        let duplex = match duplex {
            Duplex::Half => 0,
            Duplex::Full => 1,
            Duplex::Unknown => DUPLEX_UNKNOWN,
        };
        self.duplex.store(duplex, Ordering::Relaxed);
    }

    /// Takes the device's speed and duplex, as read when the link came up
    /// (C `virtnet_update_settings`), where ethtool defines them.
    pub(crate) fn update(&self, read: DeviceLink) {
        if let Some(speed) = read.speed {
            // ethtool's valid speeds: up to `INT_MAX`, or unknown.
            if speed <= i32::MAX as u32 || speed == u32::MAX {
                self.speed.store(speed, Ordering::Relaxed);
            }
        }
        if let Some(duplex) = read.duplex {
            if matches!(duplex, 0 | 1 | DUPLEX_UNKNOWN) {
                self.duplex.store(duplex, Ordering::Relaxed);
            }
        }
    }
}

/// The speed and duplex fields of the device's configuration, where it
/// has them (`VIRTIO_NET_F_SPEED_DUPLEX`). Read in process context, apart
/// from [`LinkInfo::update`], which may run where sleeping is not allowed.
pub(crate) struct DeviceLink {
    speed: Option<u32>,
    duplex: Option<u8>,
}

impl DeviceLink {
    /// Reads the two fields (the transport may sleep).
    pub(crate) fn read(dev: &virtio::Device<Bound>, ctx: &Sleepable) -> Self {
        Self {
            speed: dev.read_config(&net::SPEED, ctx),
            duplex: dev.read_config(&net::DUPLEX, ctx),
        }
    }
}

#[kernel::prelude::vtable]
impl EthtoolOps for VirtnetIface {
    const SOFTWARE_TX_TIMESTAMPS: bool = true;
    const STATS_NAMES: &'static [&'static str] = STATS_NAMES;
    // C's list: frame counts, delays, and `adaptive-rx` (which C accepts
    // and ignores without `VIRTIO_NET_F_NOTF_COAL`).
    const SUPPORTED_COALESCE: u32 = Coalesce::RX_USECS
        | Coalesce::TX_USECS
        | Coalesce::RX_MAX_FRAMES
        | Coalesce::TX_MAX_FRAMES
        | Coalesce::USE_ADAPTIVE_RX;

    fn get_drvinfo(dev: &Device<Self>, info: &mut DrvInfo<'_>) {
        info.set_driver(DRIVER_NAME);
        let bus = &dev.data().bus_info;
        let len = bus.iter().position(|&b| b == 0).unwrap_or(bus.len());
        if let Ok(bus) = core::str::from_utf8(&bus[..len]) {
            info.set_bus_info(bus);
        }
    }

    fn get_ringparam(dev: &Device<Self>) -> RingParam {
        crate::ring::sizes(dev)
    }

    fn set_ringparam(dev: &Device<Self>, ring: &RingParam) -> Result {
        crate::ring::resize(dev, ring.rx, ring.tx)
    }

    fn get_stats(dev: &Device<Self>, data: &mut [u64]) {
        let s = &dev.data().stats;
        let (drops, rx_kicks) = (s.rx_dropped.get(), s.rx_kicks.get());
        let (tx_kicks, timeouts) = (s.tx_kicks.get(), s.tx_timeouts.get());
        // One queue pair: its counters are the totals too.
        let values = [
            drops, 0, 0, 0, 0, rx_kicks, 0, 0, tx_kicks, timeouts, // totals
            drops, 0, 0, 0, 0, rx_kicks, 0, 0, tx_kicks, timeouts, // pair 0
        ];
        for (slot, value) in data.iter_mut().zip(values) {
            *slot = value;
        }
    }

    /// Without `VIRTIO_NET_F_NOTF_COAL` (QEMU 7.2 has none): one frame
    /// per receive interrupt, and transmit interrupts through the
    /// transmit NAPI instance (tx-frames 1).
    fn get_coalesce(_dev: &Device<Self>) -> Result<Coalesce> {
        Ok(Coalesce {
            rx_max_frames: 1,
            tx_max_frames: 1,
            ..Coalesce::default()
        })
    }

    /// C's checks, in C's order: a change of transmit NAPI (tx-frames 0
    /// or not) while up is busy; delays are not supported; other frame
    /// counts are invalid. C turns its transmit NAPI off for tx-frames 0
    /// while down; this driver always completes through it, and refuses.
    fn set_coalesce(dev: &Device<Self>, c: &Coalesce) -> Result {
        let napi_change = c.tx_max_frames == 0;
        if napi_change && dev.is_running() {
            return Err(EBUSY);
        }
        if c.rx_usecs != 0 || c.tx_usecs != 0 {
            return Err(crate::netdev::code::eopnotsupp());
        }
        if c.tx_max_frames > 1 || c.rx_max_frames != 1 {
            return Err(EINVAL);
        }
        if napi_change {
            return Err(crate::netdev::code::eopnotsupp());
        }
        Ok(())
    }

    fn get_channels(_dev: &Device<Self>) -> Channels {
        Channels::ONE_PAIR
    }

    /// One queue pair: the core refuses more; C's own checks remain.
    fn set_channels(_dev: &Device<Self>, ch: &Channels) -> Result {
        if !ch.is_combined(1) {
            return Err(EINVAL);
        }
        Ok(())
    }

    fn get_link_settings(dev: &Device<Self>) -> Result<LinkSettings> {
        let link = &dev.data().link;
        let speed = link.speed.load(Ordering::Relaxed);
        let duplex = match link.duplex.load(Ordering::Relaxed) {
            0 => Duplex::Half,
            1 => Duplex::Full,
            _ => Duplex::Unknown,
        };
        Ok(LinkSettings::fixed(
            (speed != u32::MAX).then_some(speed),
            duplex,
            Port::Other,
        ))
    }

    fn set_virtual_link(dev: &Device<Self>, speed: Option<u32>, duplex: Duplex) -> Result {
        dev.data().link.set(speed, duplex);
        Ok(())
    }
}
