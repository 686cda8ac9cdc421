// SPDX-License-Identifier: GPL-2.0

//! ethtool operations of an end: driver info, message level, receive ring
//! size, statistics and link settings.

use core::sync::atomic::Ordering;

use kernel::prelude::*;

use crate::netdev::ethtool::{Duplex, Port};
use crate::netdev::{Device, DrvInfo, EthtoolOps, LinkSettings, RingParam};
use crate::pair::{PairEnd, RX_RING_MAX, RX_RING_MIN};
use crate::stats::STATS_NAMES;

/// Name of the driver, as `ethtool -i` reports it.
const DRIVER_NAME: &str = "rust_netpair";

#[vtable]
impl EthtoolOps for PairEnd {
    const STATS_NAMES: &'static [&'static str] = &STATS_NAMES;

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

    fn get_stats(dev: &Device<Self>, data: &mut [u64]) {
        for (dst, src) in data.iter_mut().zip(dev.data().stats.snapshot()) {
            *dst = src;
        }
    }

    fn get_link_settings(_dev: &Device<Self>) -> Result<LinkSettings> {
        Ok(LinkSettings::fixed(Some(10000), Duplex::Full, Port::Other))
    }
}
