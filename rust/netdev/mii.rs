// SPDX-License-Identifier: GPL-2.0

//! The MII management ioctls (`mii-tool`, and the VLAN devices stacked on
//! a device): C `ndo_eth_ioctl` with `SIOCGMIIPHY`, `SIOCGMIIREG` and
//! `SIOCSMIIREG`, turned into [`MiiRequest`]s for
//! [`Operations::mii_ioctl`].

use kernel::error::from_result;
use kernel::prelude::*;

use super::bindings;
use super::context::Sleepable;
use super::ops::{Adapter, Operations};

/// A request on the PHY's management registers, as a user sent it: the
/// driver checks the register number and decides what a write changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MiiRequest {
    /// The address of the PHY (`SIOCGMIIPHY`).
    PhyAddress,
    /// Read register `reg` of the PHY at `phy` (`SIOCGMIIREG`).
    Read {
        /// PHY address the user gave.
        phy: u16,
        /// Register number the user gave.
        reg: u16,
    },
    /// Write `value` into register `reg` of the PHY at `phy`
    /// (`SIOCSMIIREG`); the core has checked the caller's right to.
    Write {
        /// PHY address the user gave.
        phy: u16,
        /// Register number the user gave.
        reg: u16,
        /// The value to write.
        value: u16,
    },
}

impl<T: Operations> Adapter<T> {
    pub(super) extern "C" fn eth_ioctl(
        dev: *mut bindings::net_device,
        ifr: *mut bindings::ifreq,
        cmd: c_int,
    ) -> c_int {
        // SAFETY: Called by the core on a device built for `T`.
        let dev = unsafe { Self::dev(dev) };
        // The MII requests carry a `struct mii_ioctl_data` in the request's
        // union (C `if_mii`), which the core copied into kernel memory and
        // copies back afterwards; the union is larger than it and aligned
        // for it, and nothing else uses the request during the call.
        // SAFETY: So the cast gives a structure we may read and write.
        let data = unsafe {
            &mut *core::ptr::addr_of_mut!((*ifr).ifr_ifru).cast::<bindings::mii_ioctl_data>()
        };
        let req = match cmd as u32 {
            bindings::SIOCGMIIPHY => MiiRequest::PhyAddress,
            bindings::SIOCGMIIREG => MiiRequest::Read {
                phy: data.phy_id,
                reg: data.reg_num,
            },
            bindings::SIOCSMIIREG => MiiRequest::Write {
                phy: data.phy_id,
                reg: data.reg_num,
                value: data.val_in,
            },
            _ => return super::code::eopnotsupp().to_errno(),
        };
        // The core calls `ndo_eth_ioctl` in process context with the RTNL
        // held (the ioctl path, or a VLAN device's ioctl forwarded to its
        // real device), nothing that forbids sleeping.
        // SAFETY: So the driver may sleep with the proof, which lives for
        // the call.
        let ctx = unsafe { Sleepable::new() };
        from_result(|| {
            let value = T::mii_ioctl(dev, req, &ctx)?;
            match req {
                MiiRequest::PhyAddress => data.phy_id = value,
                MiiRequest::Read { .. } => data.val_out = value,
                MiiRequest::Write { .. } => {}
            }
            Ok(0)
        })
    }
}
