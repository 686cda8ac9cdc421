// SPDX-License-Identifier: GPL-2.0

//! `ethtool -d` in C's layout (C `e1000_get_regs`): 32 words, MAC
//! registers first, then what the M88 PHY reports, under C's version
//! number, so a dump of ours reads like one of C's. ethtool picks its
//! decoder by the driver's name, so it prints ours in hex
//! (Documentation/e1000.rst).

use kernel::io::Io;

use crate::adapter::E1000;
use crate::hw::Hw;
use crate::netdev::Device;
use crate::phy::{M88_PSCR, M88_PSSR};
use crate::regs::*;

/// Words in the dump.
pub(crate) const WORDS: usize = 32;

/// The 82540EM's PCI device ID, in the dump's version.
const DEVICE_ID: u32 = 0x100e;

/// PHY registers the dump and the error counters read: 1000BASE-T status
/// (its low byte counts idle errors) and the M88's receive error counter.
const PHY_1000T_STATUS: u32 = 0x0A;
const M88_RX_ERR_CNTR: u32 = 0x15;

/// Fills `regs` (`WORDS` long) and returns the layout's version: 1, the
/// PCI revision, the device ID.
pub(crate) fn get_regs(dev: &Device<E1000>, regs: &mut [u32]) -> u32 {
    let e = dev.data();
    let ring = |hw: &Hw<'_>, reg: usize| hw.read(reg);
    let _ = E1000::with_hw(dev, |hw| {
        let phy = |reg| hw.phy_read(reg).map(u32::from).unwrap_or(0);
        let values = [
            (0, hw.io().read(CTRL).into_raw()),
            (1, hw.io().read(STATUS).into_raw()),
            (2, hw.io().read(RCTL).into_raw()),
            (3, ring(hw, ring_reg::<DLEN, RxDescRing>())),
            (4, ring(hw, ring_reg::<DH, RxDescRing>())),
            (5, ring(hw, ring_reg::<DT, RxDescRing>())),
            (6, hw.io().read(RDTR).into_raw()),
            (7, hw.io().read(TCTL).into_raw()),
            (8, ring(hw, ring_reg::<DLEN, TxDescRing>())),
            (9, ring(hw, ring_reg::<DH, TxDescRing>())),
            (10, ring(hw, ring_reg::<DT, TxDescRing>())),
            (11, hw.io().read(TIDV).into_raw()),
            // PHY type: 0, an M88.
            (12, 0),
        ];
        for (i, v) in values {
            regs[i] = v;
        }
        // Status (cable length, polarity, crossover) and control (10BASE-T
        // distance, polarity correction), each where C's IGP layout has
        // the matching value.
        let (pssr, pscr) = (phy(M88_PSSR), phy(M88_PSCR));
        for i in [13, 18, 23] {
            regs[i] = pssr;
        }
        for i in [17, 20] {
            regs[i] = pscr;
        }
        regs[21] = e
            .phy_idle_errors
            .load(core::sync::atomic::Ordering::Relaxed);
        regs[22] = e
            .phy_receive_errors
            .load(core::sync::atomic::Ordering::Relaxed);
        // Local and remote receiver status.
        regs[24] = phy(PHY_1000T_STATUS);
        regs[25] = regs[24];
        regs[26] = hw.io().read(MANC).into_raw();
    });
    (1 << 24) | (u32::from(e.revision) << 16) | DEVICE_ID
}

impl E1000 {
    /// Adds the PHY's error counts to the totals the dump reports (C
    /// `e1000_update_stats`: idle errors at gigabit speed, receive
    /// errors), from the watchdog.
    pub(crate) fn update_phy_errors(&self, hw: &Hw<'_>, gigabit: bool) {
        use core::sync::atomic::Ordering::Relaxed;
        if gigabit {
            if let Ok(status) = hw.phy_read(PHY_1000T_STATUS) {
                self.phy_idle_errors
                    .fetch_add(u32::from(status & 0xFF), Relaxed);
            }
        }
        if let Ok(count) = hw.phy_read(M88_RX_ERR_CNTR) {
            self.phy_receive_errors.fetch_add(u32::from(count), Relaxed);
        }
    }
}
