// SPDX-License-Identifier: GPL-2.0

//! The ethtool callbacks that translate settings between the C structures
//! and the driver's values: rings, coalescing, channels, flow control,
//! auto-negotiation restart, Wake-on-LAN and identification by the LEDs
//! (link settings are in `adapter/link.rs`).

use kernel::error::from_result;
use kernel::prelude::*;

use super::super::types::{Channels, Coalesce, PauseParam, PhysId, RingParam};
use super::super::EthtoolOps;
use super::{Adapter, KDev};

impl<T: EthtoolOps> Adapter<T> {
    pub(super) extern "C" fn get_ringparam(
        dev: *mut KDev,
        ring: *mut kernel::bindings::ethtool_ringparam,
        _kring: *mut kernel::bindings::kernel_ethtool_ringparam,
        _extack: *mut kernel::bindings::netlink_ext_ack,
    ) {
        // SAFETY: As in `get_drvinfo`.
        let r = T::get_ringparam(unsafe { Self::dev(dev) });
        // SAFETY: The core passes a valid, exclusively ours structure.
        let ring = unsafe { &mut *ring };
        ring.rx_max_pending = r.rx_max;
        ring.tx_max_pending = r.tx_max;
        ring.rx_pending = r.rx;
        ring.tx_pending = r.tx;
    }

    pub(super) extern "C" fn set_ringparam(
        dev: *mut KDev,
        ring: *mut kernel::bindings::ethtool_ringparam,
        _kring: *mut kernel::bindings::kernel_ethtool_ringparam,
        _extack: *mut kernel::bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        // SAFETY: The core passes a valid structure.
        let ring = unsafe { &*ring };
        let req = RingParam {
            rx_max: ring.rx_max_pending,
            tx_max: ring.tx_max_pending,
            rx: ring.rx_pending,
            tx: ring.tx_pending,
        };
        from_result(|| T::set_ringparam(dev, &req).map(|()| 0))
    }

    pub(super) extern "C" fn get_coalesce(
        dev: *mut KDev,
        ec: *mut kernel::bindings::ethtool_coalesce,
        _kec: *mut kernel::bindings::kernel_ethtool_coalesce,
        _extack: *mut kernel::bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        from_result(|| {
            let c = T::get_coalesce(dev)?;
            // SAFETY: The core passes a valid, exclusively ours structure.
            let ec = unsafe { &mut *ec };
            ec.rx_coalesce_usecs = c.rx_usecs;
            ec.rx_max_coalesced_frames = c.rx_max_frames;
            ec.tx_coalesce_usecs = c.tx_usecs;
            ec.tx_max_coalesced_frames = c.tx_max_frames;
            Ok(0)
        })
    }

    pub(super) extern "C" fn set_coalesce(
        dev: *mut KDev,
        ec: *mut kernel::bindings::ethtool_coalesce,
        _kec: *mut kernel::bindings::kernel_ethtool_coalesce,
        _extack: *mut kernel::bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        // SAFETY: The core passes a valid structure.
        let ec = unsafe { &*ec };
        let c = Coalesce {
            rx_usecs: ec.rx_coalesce_usecs,
            rx_max_frames: ec.rx_max_coalesced_frames,
            tx_usecs: ec.tx_coalesce_usecs,
            tx_max_frames: ec.tx_max_coalesced_frames,
        };
        from_result(|| T::set_coalesce(dev, &c).map(|()| 0))
    }

    pub(super) extern "C" fn get_channels(
        dev: *mut KDev,
        ch: *mut kernel::bindings::ethtool_channels,
    ) {
        // SAFETY: As in `get_drvinfo`.
        let c = T::get_channels(unsafe { Self::dev(dev) });
        // SAFETY: The core passes a valid, exclusively ours structure.
        let ch = unsafe { &mut *ch };
        ch.max_combined = c.max_combined;
        ch.max_rx = c.max_rx;
        ch.max_tx = c.max_tx;
        ch.combined_count = c.combined;
        ch.rx_count = c.rx;
        ch.tx_count = c.tx;
    }

    pub(super) extern "C" fn set_channels(
        dev: *mut KDev,
        ch: *mut kernel::bindings::ethtool_channels,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        // SAFETY: The core passes a valid structure.
        let ch = unsafe { &*ch };
        let req = Channels {
            max_combined: ch.max_combined,
            max_rx: ch.max_rx,
            max_tx: ch.max_tx,
            combined: ch.combined_count,
            rx: ch.rx_count,
            tx: ch.tx_count,
        };
        if ch.other_count != 0 {
            return EINVAL.to_errno();
        }
        from_result(|| T::set_channels(dev, &req).map(|()| 0))
    }

    pub(super) extern "C" fn get_pauseparam(
        dev: *mut KDev,
        pp: *mut kernel::bindings::ethtool_pauseparam,
    ) {
        // SAFETY: As in `get_drvinfo`.
        let p = T::get_pauseparam(unsafe { Self::dev(dev) });
        // SAFETY: The core passes a valid, exclusively ours structure.
        let pp = unsafe { &mut *pp };
        pp.autoneg = u32::from(p.autoneg);
        pp.rx_pause = u32::from(p.rx);
        pp.tx_pause = u32::from(p.tx);
    }

    pub(super) extern "C" fn get_pause_stats(
        dev: *mut KDev,
        ps: *mut kernel::bindings::ethtool_pause_stats,
    ) {
        // SAFETY: As in `get_drvinfo`.
        let p = T::get_pause_stats(unsafe { Self::dev(dev) });
        // SAFETY: The core passes a valid, exclusively ours structure
        // (counters preset to "not reported").
        let stats = unsafe { &mut (*ps).__bindgen_anon_1.__bindgen_anon_1 };
        stats.tx_pause_frames = p.tx_pause_frames;
        stats.rx_pause_frames = p.rx_pause_frames;
    }

    pub(super) extern "C" fn nway_reset(dev: *mut KDev) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        from_result(|| T::nway_reset(dev).map(|()| 0))
    }

    pub(super) extern "C" fn set_pauseparam(
        dev: *mut KDev,
        pp: *mut kernel::bindings::ethtool_pauseparam,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        // SAFETY: The core passes a valid structure.
        let pp = unsafe { &*pp };
        let p = PauseParam {
            autoneg: pp.autoneg != 0,
            rx: pp.rx_pause != 0,
            tx: pp.tx_pause != 0,
        };
        from_result(|| T::set_pauseparam(dev, &p).map(|()| 0))
    }

    pub(super) extern "C" fn get_wol(dev: *mut KDev, wol: *mut kernel::bindings::ethtool_wolinfo) {
        // SAFETY: As in `get_drvinfo`.
        let w = T::get_wol(unsafe { Self::dev(dev) });
        // SAFETY: The core passes a valid, exclusively ours structure.
        let wol = unsafe { &mut *wol };
        wol.supported = w.supported;
        wol.wolopts = w.enabled;
    }

    pub(super) extern "C" fn set_wol(
        dev: *mut KDev,
        wol: *mut kernel::bindings::ethtool_wolinfo,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        // SAFETY: The core passes a valid structure.
        let enabled = unsafe { (*wol).wolopts };
        // The core calls `set_wol` in process context, with the RTNL held
        // and nothing that forbids sleeping; the proof lives for the call.
        // SAFETY: So the driver may sleep with it.
        let ctx = unsafe { super::super::super::Sleepable::new() };
        from_result(|| T::set_wol(dev, enabled, &ctx).map(|()| 0))
    }

    pub(super) extern "C" fn set_phys_id(
        dev: *mut KDev,
        state: kernel::bindings::ethtool_phys_id_state,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        let state = match state {
            kernel::bindings::ethtool_phys_id_state_ETHTOOL_ID_ACTIVE => PhysId::Active,
            kernel::bindings::ethtool_phys_id_state_ETHTOOL_ID_ON => PhysId::On,
            kernel::bindings::ethtool_phys_id_state_ETHTOOL_ID_OFF => PhysId::Off,
            kernel::bindings::ethtool_phys_id_state_ETHTOOL_ID_INACTIVE => PhysId::Inactive,
            _ => return EINVAL.to_errno(),
        };
        // The core takes a positive answer to `Active` as blinks per
        // second; more than it can sleep between is refused.
        from_result(|| T::set_phys_id(dev, state).and_then(|n| Ok(c_int::try_from(n)?)))
    }
}
