// SPDX-License-Identifier: GPL-2.0

//! ethtool operations of the e1000 driver.

use core::sync::atomic::Ordering;

use kernel::prelude::*;

use crate::adapter::E1000;
use crate::netdev::ethtool::{LinkRequest, PhysId, Wol};
use crate::netdev::{
    Channels, Coalesce, Device, DrvInfo, EthtoolOps, LinkSettings, PauseParam, PauseStats,
    RingParam, Sleepable,
};
use crate::regs::*;
use crate::{DRIVER_NAME, RING_MAX, RING_MIN, RING_MULTIPLE};

/// `ethtool -S` names, in `stats` order; the C driver's names where the
/// counter means the same.
const STATS_NAMES: &[&str] = &[
    "rx_packets",
    "tx_packets",
    "rx_bytes",
    "tx_bytes",
    "rx_errors",
    "multicast",
    "collisions",
    "rx_length_errors",
    "rx_crc_errors",
    "rx_frame_errors",
    "rx_missed_errors",
    "rx_no_buffer_count",
    "rx_long_length_errors",
    "rx_short_length_errors",
    "rx_align_errors",
    "tx_dropped",
    "tx_restart_queue",
    "tx_busy",
    "alloc_rx_buff_failed",
    "rx_flow_control_xon",
    "rx_flow_control_xoff",
    "tx_flow_control_xon",
    "tx_flow_control_xoff",
    "tx_timeout_count",
    "tx_tcp_seg_good",
    "tx_tcp_seg_failed",
    "rx_csum_offload_good",
    "rx_csum_offload_errors",
    "xdp_packets",
    "xdp_pass",
    "xdp_drop",
    "xdp_tx",
    "xdp_tx_errors",
    "xdp_redirect",
    "xdp_redirect_errors",
    "xdp_aborted",
    "xdp_no_buffer",
    "xdp_xmit",
    "xdp_xmit_errors",
];

/// A requested ring size rounded up to a multiple of 8, as the C driver
/// does. Below the minimum is an error (C silently raises it, so a tool
/// halving sizes to find the minimum never learns it); above the maximum
/// the ethtool core refuses already.
fn ring_size(requested: u32) -> Result<u32> {
    if requested < RING_MIN {
        return Err(EINVAL);
    }
    Ok(requested.min(RING_MAX).next_multiple_of(RING_MULTIPLE))
}

#[vtable]
impl EthtoolOps for E1000 {
    const SUPPORTED_COALESCE: u32 = Coalesce::RX_USECS;
    const SOFTWARE_TX_TIMESTAMPS: bool = true;
    const STATS_NAMES: &'static [&'static str] = STATS_NAMES;
    const SELF_TEST_NAMES: &'static [&'static str] = crate::selftest::NAMES;
    const REGS_LEN: usize = crate::regs_dump::WORDS;

    fn get_drvinfo(_dev: &Device<Self>, info: &mut DrvInfo<'_>) {
        info.set_driver(DRIVER_NAME);
    }

    fn get_link(dev: &Device<Self>) -> bool {
        E1000::with_hw(dev, |hw| hw.link().is_some()).unwrap_or(false)
    }

    fn get_msglevel(dev: &Device<Self>) -> u32 {
        dev.data().msg_level.load(Ordering::Relaxed)
    }

    fn set_msglevel(dev: &Device<Self>, level: u32) {
        dev.data().msg_level.store(level, Ordering::Relaxed);
    }

    fn get_ringparam(dev: &Device<Self>) -> RingParam {
        let e = dev.data();
        RingParam {
            rx_max: RING_MAX,
            tx_max: RING_MAX,
            rx: e.rx_ring_size.load(Ordering::Relaxed),
            tx: e.tx_ring_size.load(Ordering::Relaxed),
        }
    }

    fn set_ringparam(dev: &Device<Self>, ring: &RingParam) -> Result {
        let e = dev.data();
        let (old_rx, old_tx) = (
            e.rx_ring_size.load(Ordering::Relaxed),
            e.tx_ring_size.load(Ordering::Relaxed),
        );
        let (rx, tx) = (ring_size(ring.rx)?, ring_size(ring.tx)?);
        if (rx, tx) == (old_rx, old_tx) {
            return Ok(());
        }
        e.rx_ring_size.store(rx, Ordering::Relaxed);
        e.tx_ring_size.store(tx, Ordering::Relaxed);
        if let Err(err) = E1000::reinit(dev, dev.mtu()) {
            // Back to the sizes that worked. A failure to allocate the new
            // rings left the interface running on the old ones; a later
            // failure (the interrupt) left it stopped, so restart it.
            e.rx_ring_size.store(old_rx, Ordering::Relaxed);
            e.tx_ring_size.store(old_tx, Ordering::Relaxed);
            if dev.data().tx.lock().is_none() {
                let _ = E1000::reinit(dev, dev.mtu());
            }
            return Err(err);
        }
        Ok(())
    }

    fn get_stats(dev: &Device<Self>, data: &mut [u64]) {
        let e = dev.data();
        let hw = {
            let mut acc = e.hw_stats.lock();
            let _ = E1000::with_hw(dev, |hw| acc.update(hw));
            *acc
        };
        let s = &e.stats;
        let length = s.rx_length_errors.get() + hw.rlec + hw.ruc + hw.roc;
        let crc = hw.crcerrs;
        let frame = s.rx_frame_errors.get() + hw.algnerrc;
        let x = e.xdp.stats();
        let values = [
            s.rx_packets.get(),
            s.tx_packets.get(),
            s.rx_bytes.get(),
            s.tx_bytes.get(),
            length + crc + frame + hw.rxerrc,
            s.rx_multicast.get(),
            hw.colc,
            length,
            crc,
            frame,
            hw.mpc,
            hw.rnbc,
            hw.roc,
            hw.ruc,
            hw.algnerrc,
            s.tx_dropped.get(),
            s.tx_restart_queue.get(),
            s.tx_busy.get(),
            s.rx_alloc_failed.get(),
            hw.xonrxc,
            hw.xoffrxc,
            hw.xontxc,
            hw.xofftxc,
            s.tx_timeout.get(),
            hw.tsctc,
            hw.tsctfc,
            s.rx_csum_good.get(),
            s.rx_csum_errors.get(),
            x.packets,
            x.pass,
            x.drop,
            x.tx,
            x.tx_errors,
            x.redirect,
            x.redirect_errors,
            x.aborted,
            x.no_buffer,
            x.xmit,
            x.xmit_errors,
        ];
        for (dst, src) in data.iter_mut().zip(values) {
            *dst = src;
        }
    }

    fn self_test(dev: &Device<Self>, offline: bool, results: &mut [u64]) -> bool {
        crate::selftest::run(dev, offline, results)
    }

    fn get_regs(dev: &Device<Self>, regs: &mut [u32]) -> u32 {
        crate::regs_dump::get_regs(dev, regs)
    }

    fn get_coalesce(dev: &Device<Self>) -> Result<Coalesce> {
        let setting = dev.data().itr_setting.load(Ordering::Relaxed);
        let rx_usecs = if setting <= 4 {
            setting
        } else {
            1_000_000 / setting
        };
        Ok(Coalesce {
            rx_usecs,
            ..Coalesce::default()
        })
    }

    fn set_coalesce(dev: &Device<Self>, c: &Coalesce) -> Result {
        // The C driver's limits: 0 (off), 1 or 3 (adaptive there), or
        // 10..=10000 microseconds between interrupts.
        let usecs = c.rx_usecs;
        if usecs > 10000 || (usecs > 4 && usecs < 10) || usecs == 2 {
            return Err(EINVAL);
        }
        let setting = if usecs <= 4 {
            usecs
        } else {
            (1_000_000 / usecs) & !3
        };
        let e = dev.data();
        e.set_itr_setting(setting);
        E1000::with_hw(dev, |hw| e.program_itr(hw));
        Ok(())
    }

    fn get_channels(_dev: &Device<Self>) -> Channels {
        // One queue pair, handled by one interrupt and one NAPI instance.
        Channels::ONE_PAIR
    }

    fn set_channels(_dev: &Device<Self>, channels: &Channels) -> Result {
        // The core refuses more than the maxima; only 1/1 is left.
        if channels.is_combined(1) {
            Ok(())
        } else {
            Err(EINVAL)
        }
    }

    fn eeprom_len(_dev: &Device<Self>) -> usize {
        EEPROM_WORDS * 2
    }

    fn get_eeprom(dev: &Device<Self>, offset: usize, buf: &mut [u8]) -> Result<u32> {
        let words = E1000::with_hw(dev, |hw| hw.eeprom_read_all()).ok_or(ENODEV)??;
        let bytes = words.iter().flat_map(|w| w.to_le_bytes());
        for (dst, src) in buf.iter_mut().zip(bytes.skip(offset)) {
            *dst = src;
        }
        Ok(crate::eeprom::MAGIC)
    }

    fn set_eeprom(dev: &Device<Self>, magic: u32, offset: usize, bytes: &[u8]) -> Result {
        crate::eeprom::set_eeprom(dev, magic, offset, bytes)
    }

    fn get_pauseparam(dev: &Device<Self>) -> PauseParam {
        crate::link::get_pause(dev)
    }

    fn set_pauseparam(dev: &Device<Self>, pause: &PauseParam) -> Result {
        crate::link::set_pause(dev, pause)
    }

    fn get_pause_stats(dev: &Device<Self>) -> PauseStats {
        let e = dev.data();
        let hw = {
            let mut acc = e.hw_stats.lock();
            let _ = E1000::with_hw(dev, |hw| acc.update(hw));
            *acc
        };
        PauseStats {
            tx_pause_frames: hw.xontxc + hw.xofftxc,
            rx_pause_frames: hw.xonrxc + hw.xoffrxc,
        }
    }

    fn get_wol(dev: &Device<Self>) -> Wol {
        crate::wol::get(dev)
    }

    fn set_wol(dev: &Device<Self>, enabled: u32, ctx: &Sleepable) -> Result {
        crate::wol::set(dev, enabled, ctx)
    }

    fn set_phys_id(dev: &Device<Self>, state: PhysId) -> Result<u32> {
        crate::led::set_phys_id(dev, state)
    }

    fn nway_reset(dev: &Device<Self>) -> Result {
        crate::link::nway_reset(dev)
    }

    fn get_link_settings(dev: &Device<Self>) -> Result<LinkSettings> {
        crate::link::get_settings(dev)
    }

    fn set_link_settings(dev: &Device<Self>, req: &LinkRequest) -> Result {
        crate::link::set_settings(dev, req)
    }
}
