// SPDX-License-Identifier: GPL-2.0

//! The ethtool callbacks of the link settings: the report (`ethtool DEV`),
//! and the two ways of setting them, a physical link's (`set_link_settings`)
//! and a virtual device's speed and duplex (`set_virtual_link`).

use kernel::error::from_result;
use kernel::prelude::*;

use super::super::link::{Duplex, LinkRequest, Mdix, Port};
use super::super::EthtoolOps;
use super::{Adapter, KDev};

impl<T: EthtoolOps> Adapter<T> {
    pub(super) extern "C" fn get_link_ksettings(
        dev: *mut KDev,
        ks: *mut kernel::bindings::ethtool_link_ksettings,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let dev = unsafe { Self::dev(dev) };
        from_result(|| {
            let s = T::get_link_settings(dev)?;
            // The core zeroed the structure and passes it to us alone.
            // SAFETY: So it is ours to fill for the call.
            let ks = unsafe { &mut *ks };
            let base = &mut ks.base;
            base.speed = s.speed.unwrap_or(u32::MAX);
            base.duplex = s.duplex.to_raw();
            base.port = match s.port {
                Port::TwistedPair => kernel::bindings::PORT_TP,
                Port::Fibre => kernel::bindings::PORT_FIBRE,
                Port::Other => kernel::bindings::PORT_OTHER,
            } as u8;
            base.autoneg = u8::from(s.autoneg);
            base.phy_address = s.phy_address;
            // Auto is a setting, never a state.
            base.eth_tp_mdix = Mdix::to_raw(s.mdix.filter(|m| *m != Mdix::Auto));
            base.eth_tp_mdix_ctrl = Mdix::to_raw(s.mdix_ctrl);
            let modes = &mut ks.link_modes;
            // Each bitmap is an array of the core's full link-mode mask
            // size, which the conversion writes whole.
            // SAFETY: So both calls write inside their arrays.
            unsafe {
                kernel::bindings::ethtool_convert_legacy_u32_to_link_mode(
                    modes.supported.as_mut_ptr(),
                    s.supported,
                );
                kernel::bindings::ethtool_convert_legacy_u32_to_link_mode(
                    modes.advertising.as_mut_ptr(),
                    s.advertising,
                );
            }
            Ok(0)
        })
    }

    pub(super) extern "C" fn set_link_ksettings(
        dev: *mut KDev,
        ks: *const kernel::bindings::ethtool_link_ksettings,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let netdev = unsafe { Self::dev(dev) };
        // SAFETY: The core passes a valid structure for the call.
        let ks = unsafe { &*ks };
        let mut advertising = 0u32;
        // The bitmap is an array of the core's full mask size, which the
        // conversion reads whole; modes past the legacy 32 bits are left
        // out (the answer says whether there were any).
        // SAFETY: So it reads inside the array and writes our local.
        unsafe {
            kernel::bindings::ethtool_convert_link_mode_to_legacy_u32(
                &mut advertising,
                ks.link_modes.advertising.as_ptr(),
            )
        };
        let req = LinkRequest {
            autoneg: u32::from(ks.base.autoneg) == kernel::bindings::AUTONEG_ENABLE,
            speed: ks.base.speed,
            duplex: Duplex::from_raw(ks.base.duplex),
            advertising,
            mdix_ctrl: Mdix::from_raw(ks.base.eth_tp_mdix_ctrl),
        };
        from_result(|| T::set_link_settings(netdev, &req).map(|()| 0))
    }

    pub(super) extern "C" fn set_virtual_link_ksettings(
        dev: *mut KDev,
        ks: *const kernel::bindings::ethtool_link_ksettings,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo`.
        let netdev = unsafe { Self::dev(dev) };
        from_result(|| {
            let (mut speed, mut duplex) = (0u32, 0u8);
            // The core's checks for a virtual device: a defined speed and
            // duplex, nothing else asked for; the values land in our locals.
            // SAFETY: `dev` and `ks` are the core's, valid for the call; the
            // outputs are writable locals.
            kernel::error::to_result(unsafe {
                kernel::bindings::ethtool_virtdev_set_link_ksettings(
                    dev,
                    ks,
                    &mut speed,
                    &mut duplex,
                )
            })?;
            let speed = (speed != kernel::bindings::SPEED_UNKNOWN as u32).then_some(speed);
            T::set_virtual_link(netdev, speed, Duplex::from_raw(duplex)).map(|()| 0)
        })
    }
}
