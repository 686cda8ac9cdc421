// SPDX-License-Identifier: GPL-2.0

//! VLAN offloads, as the C driver has them (`e1000_vlan_mode`,
//! `e1000_vlan_filter_on_off`, `e1000_vlan_rx_add_vid`/`kill_vid`,
//! `e1000_restore_vlan`): tag stripping and insertion (`CTRL.VME`, on with
//! `rxvlan`, which `txvlan` follows), and the VLAN filter table (`VFTA`),
//! enforced (`RCTL.VFE`) while a VLAN is registered and the interface is
//! not promiscuous.

use core::sync::atomic::Ordering;

use kernel::io::register::Array;
use kernel::io::Io;
use kernel::prelude::*;

use crate::adapter::E1000;
use crate::hw::Hw;
use crate::netdev::{Device, Features};
use crate::regs::*;

/// The 802.1Q EtherType, which `VET` must hold for the device to see tags.
const ETH_P_8021Q: u16 = 0x8100;

/// The VLANs registered on the interface, one bit per ID, as `VFTA` lays
/// them out (C `adapter->active_vlans`); process context, under
/// `E1000::vlans`.
pub(crate) struct VlanTable {
    bits: [u32; VFTA_REGS],
}

impl Default for VlanTable {
    fn default() -> Self {
        Self {
            bits: [0; VFTA_REGS],
        }
    }
}

/// The `VFTA` register and bit of VLAN `vid`.
fn slot(vid: u16) -> (usize, u32) {
    (usize::from(vid >> 5) & (VFTA_REGS - 1), 1 << (vid & 0x1F))
}

impl Hw<'_> {
    /// Turns tag stripping and insertion on or off (C `__e1000_vlan_mode`).
    pub(crate) fn set_vlan_mode(&self, features: Features) {
        let on = features.contains(Features::HW_VLAN_CTAG_RX);
        self.io().update(CTRL, |r| r.with_vme(on));
    }

    /// Sets the VLAN EtherType the device recognises (C does at every
    /// reset).
    pub(crate) fn set_vlan_ethertype(&self) {
        self.io()
            .write_reg(VET::zeroed().with_const_ethertype::<{ ETH_P_8021Q as u32 }>());
    }
}

impl E1000 {
    /// Whether the filter table should be enforced: a VLAN is registered,
    /// the interface is not promiscuous (C's rule in `set_rx_mode`) and
    /// does not receive everything (`rx-all`, C `e1000_setup_rctl`).
    pub(crate) fn vlan_filtering(&self, promiscuous: bool) -> bool {
        self.vlans_in_use.load(Ordering::Relaxed) != 0
            && !promiscuous
            && !self.rx_all.load(Ordering::Relaxed)
    }

    /// Programs the VLAN state after a reset or at `up`: the mode for the
    /// interface's features, the EtherType, every registered VLAN in the
    /// table, and the filter (C `e1000_restore_vlan`).
    pub(crate) fn restore_vlans(dev: &Device<Self>, hw: &Hw<'_>) {
        let e = dev.data();
        hw.set_vlan_ethertype();
        hw.set_vlan_mode(dev.features());
        let table = e.vlans.lock();
        for (i, bits) in table.bits.iter().enumerate() {
            hw.io().write(VFTA::at(i), VFTA::zeroed().with_bits(*bits));
        }
        let filter = e.vlan_filtering(dev.is_promiscuous());
        hw.io()
            .update(RCTL, |r| r.with_cfien(false).with_vfe(filter));
    }

    /// Registers VLAN `vid`: its bit in the table and in `VFTA`, and the
    /// filter on with the first one (C `e1000_vlan_rx_add_vid`).
    pub(crate) fn add_vlan(dev: &Device<Self>, vid: u16) -> Result {
        Self::change_vlan(dev, vid, true)
    }

    /// Unregisters VLAN `vid`; the filter goes off with the last one.
    pub(crate) fn kill_vlan(dev: &Device<Self>, vid: u16) -> Result {
        Self::change_vlan(dev, vid, false)
    }

    fn change_vlan(dev: &Device<Self>, vid: u16, add: bool) -> Result {
        let e = dev.data();
        let (reg, bit) = slot(vid);
        let mut table = e.vlans.lock();
        let word = if add {
            table.bits[reg] | bit
        } else {
            table.bits[reg] & !bit
        };
        if word == table.bits[reg] {
            return Ok(());
        }
        table.bits[reg] = word;
        let used = table.bits.iter().any(|w| *w != 0);
        e.vlans_in_use.store(u32::from(used), Ordering::Relaxed);
        E1000::with_hw(dev, |hw| {
            hw.io().write(VFTA::at(reg), VFTA::zeroed().with_bits(word));
            let filter = e.vlan_filtering(dev.is_promiscuous());
            hw.io()
                .update(RCTL, |r| r.with_cfien(false).with_vfe(filter));
        })
        .ok_or(ENODEV)
    }

    /// Applies a change of `rxvlan` (C `e1000_set_features`).
    pub(crate) fn apply_vlan_features(dev: &Device<Self>, features: Features) {
        E1000::with_hw(dev, |hw| hw.set_vlan_mode(features));
    }
}

/// Tag insertion follows tag stripping: the device has one switch for
/// both (C `e1000_fix_features`).
pub(crate) fn fix_features(wanted: Features) -> Features {
    if wanted.contains(Features::HW_VLAN_CTAG_RX) {
        wanted | Features::HW_VLAN_CTAG_TX
    } else {
        Features(wanted.0 & !Features::HW_VLAN_CTAG_TX.0)
    }
}
