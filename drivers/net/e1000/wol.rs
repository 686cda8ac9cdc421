// SPDX-License-Identifier: GPL-2.0

//! Wake-on-LAN, as C `e1000_get_wol` and `e1000_set_wol` keep it: the
//! wake-up filter bits (C `adapter->wol`, `WUFC` layout), which start from
//! the EEPROM's APME bit, and the PCI device's wake-up flag.
//!
//! The 82540EM wakes on unicast, multicast and broadcast frames and on
//! magic packets. C's exclusions concern other device IDs and the second
//! port of dual-port cards, which this driver never binds. A device that
//! cannot wake the system (no PCI power management with PME, as QEMU's
//! e1000) reports those modes as supported and none enabled, and refuses
//! to enable any, as C does. The driver has no suspend or shutdown path
//! that would program the wake-up registers from these bits.

use core::sync::atomic::Ordering;

use kernel::prelude::*;

use crate::adapter::E1000;
use crate::netdev::ethtool::Wol;
use crate::netdev::{wakeup, Device, Sleepable};

/// The EEPROM word with the APME bit of port A (C
/// `EEPROM_INIT_CONTROL3_PORT_A`).
pub(crate) const EEPROM_INIT_CONTROL3: usize = 0x24;
/// Advanced power management enable: wake on magic packets.
const EEPROM_APME: u16 = 0x0400;

/// Wake-up filter bits (`WUFC`): magic packet, directed (unicast),
/// multicast and broadcast frames.
const WUFC_MAG: u32 = 1 << 1;
const WUFC_EX: u32 = 1 << 2;
const WUFC_MC: u32 = 1 << 3;
const WUFC_BC: u32 = 1 << 4;

/// Each `ethtool` mode and its filter bit.
const MODES: [(u32, u32); 4] = [
    (Wol::UCAST, WUFC_EX),
    (Wol::MCAST, WUFC_MC),
    (Wol::BCAST, WUFC_BC),
    (Wol::MAGIC, WUFC_MAG),
];

/// The modes the 82540EM supports.
const SUPPORTED: u32 = Wol::UCAST | Wol::MCAST | Wol::BCAST | Wol::MAGIC;

/// The filter bits the device starts with, from its EEPROM word
/// `EEPROM_INIT_CONTROL3` (C `eeprom_wol`).
pub(crate) fn from_eeprom(init_control3: u16) -> u32 {
    if init_control3 & EEPROM_APME != 0 {
        WUFC_MAG
    } else {
        0
    }
}

/// Whether the PCI device can wake the system.
fn can_wakeup(dev: &Device<E1000>) -> bool {
    dev.bound_parent().is_some_and(wakeup::can_wakeup)
}

/// The supported and enabled modes (`ethtool DEV`).
pub(crate) fn get(dev: &Device<E1000>) -> Wol {
    let mut wol = Wol {
        supported: SUPPORTED,
        enabled: 0,
    };
    if !can_wakeup(dev) {
        return wol;
    }
    let bits = dev.data().wol.load(Ordering::Relaxed);
    for (mode, bit) in MODES {
        if bits & bit != 0 {
            wol.enabled |= mode;
        }
    }
    wol
}

/// Enables exactly the modes `enabled` (`ethtool -s DEV wol ...`), and the
/// PCI device's wake-up if any.
pub(crate) fn set(dev: &Device<E1000>, enabled: u32, ctx: &Sleepable) -> Result {
    if enabled & (Wol::PHY | Wol::ARP | Wol::MAGICSECURE) != 0 {
        return Err(crate::netdev::code::eopnotsupp());
    }
    if !can_wakeup(dev) {
        return if enabled != 0 {
            Err(crate::netdev::code::eopnotsupp())
        } else {
            Ok(())
        };
    }
    let bits = MODES
        .iter()
        .filter(|(mode, _)| enabled & mode != 0)
        .fold(0, |bits, (_, bit)| bits | bit);
    dev.data().wol.store(bits, Ordering::Relaxed);
    if let Some(parent) = dev.bound_parent() {
        // C ignores the result too: the flag only matters for a device
        // that can wake, which this one can.
        let _ = wakeup::set_wakeup(parent, bits != 0, ctx);
    }
    Ok(())
}
