// SPDX-License-Identifier: GPL-2.0

//! The link set-up on the 82540EM's M88E1011 PHY (the C driver's
//! `e1000_setup_link`, `e1000_setup_copper_link`, `e1000_phy_setup_autoneg`,
//! `e1000_phy_force_speed_duplex` and the flow-control resolution): what
//! `ethtool -s`, `ethtool -A` and the MII ioctls asked for ([`LinkConfig`]),
//! and how it reaches the PHY's registers and the MAC's CTRL. Each reset
//! programs it again, as in C.

use kernel::io::Io;
use kernel::prelude::*;
use kernel::time::{delay::udelay, Delta};

use crate::hw::Hw;
use crate::netdev::ethtool::Mdix;
use crate::regs::*;

/// PHY registers beyond the basic control and status.
const PHY_AUTONEG_ADV: u32 = 4;
const PHY_LP_ABILITY: u32 = 5;
const PHY_1000T_CTRL: u32 = 9;
/// M88 specific control, specific status and extended specific control.
pub(crate) const M88_PSCR: u32 = 0x10;
pub(crate) const M88_PSSR: u32 = 0x11;
pub(crate) const M88_EPSCR: u32 = 0x14;

/// PHY_CTRL (BMCR) bits.
pub(crate) const BMCR_RESET: u16 = 0x8000;
pub(crate) const BMCR_SPEED_100: u16 = 0x2000;
pub(crate) const BMCR_POWER_DOWN: u16 = 0x0800;
pub(crate) const BMCR_FULL_DUPLEX: u16 = 0x0100;
pub(crate) const BMCR_SPEED_1000: u16 = 0x0040;
/// PHY_STATUS (BMSR) bits.
const BMSR_LINK: u16 = 0x0004;
const BMSR_AUTONEG_COMPLETE: u16 = 0x0020;
/// Advertisement and link partner ability bits (registers 4 and 5).
const ANAR_SPEED_MASK: u16 = 0x01E0;
const ANAR_PAUSE: u16 = 0x0400;
const ANAR_ASM_DIR: u16 = 0x0800;
/// 1000BASE-T control: advertise full duplex, and both speed bits.
const GTCR_1000_FULL: u16 = 0x0200;
const GTCR_SPEED_MASK: u16 = 0x0300;
/// M88 PSCR: polarity reversal, crossover mode (bits 6:5), CRS on transmit.
const PSCR_POLARITY_REVERSAL: u16 = 0x0002;
const PSCR_AUTO_X_MODE: u16 = 0x0060;
const PSCR_ASSERT_CRS_ON_TX: u16 = 0x0800;
/// M88 PSSR: the crossover in use.
const PSSR_MDIX: u16 = 0x0040;
/// M88 EPSCR: 25 MHz TX_CLK and the downshift counters (1x).
const EPSCR_TX_CLK_25: u16 = 0x0070;
const EPSCR_DOWNSHIFT_MASK: u16 = 0x0F00;
const EPSCR_SLAVE_DOWNSHIFT_1X: u16 = 0x0100;
/// PHY revisions before 4 need TX_CLK forced (C `M88E1011_I_REV_4`).
const M88E1011_REV_4: u16 = 4;

/// Modes C advertises by default, and the most it advertises: all but
/// 1000BASE-T half duplex (C `AUTONEG_ADVERTISE_SPEED_DEFAULT`, the same
/// bits as ethtool's legacy link modes).
pub(crate) const ADVERTISE_DEFAULT: u32 = 0x2F;
const ADVERTISE_10_HALF: u32 = 0x01;
const ADVERTISE_10_FULL: u32 = 0x02;
const ADVERTISE_100_HALF: u32 = 0x04;
const ADVERTISE_100_FULL: u32 = 0x08;
pub(crate) const ADVERTISE_1000_FULL: u32 = 0x20;

/// EEPROM word 0x0F (initialization control 2) and its pause bits.
pub(crate) const EEPROM_INIT_CONTROL2: usize = 0x0F;

/// Flow control (C `enum e1000_fc_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FlowControl {
    None,
    RxPause,
    TxPause,
    Full,
}

impl FlowControl {
    /// The setting for the directions asked for.
    pub(crate) fn from_directions(rx: bool, tx: bool) -> Self {
        match (rx, tx) {
            (true, true) => Self::Full,
            (true, false) => Self::RxPause,
            (false, true) => Self::TxPause,
            (false, false) => Self::None,
        }
    }

    /// Honours received pause frames.
    pub(crate) fn rx(self) -> bool {
        matches!(self, Self::RxPause | Self::Full)
    }

    /// Sends pause frames.
    pub(crate) fn tx(self) -> bool {
        matches!(self, Self::TxPause | Self::Full)
    }
}

/// The link as the user configured it (C `hw->autoneg`,
/// `autoneg_advertised`, `forced_speed_duplex`, `mdix`, `fc`, `original_fc`
/// and `adapter->fc_autoneg`). Process context only, under `E1000::link`.
#[derive(Clone)]
pub(crate) struct LinkConfig {
    /// Auto-negotiate; otherwise speed and duplex are forced.
    pub(crate) autoneg: bool,
    /// Modes to advertise (ethtool's legacy bits; the set-up keeps the
    /// first six).
    pub(crate) advertised: u32,
    /// The forced speed is 100 Mb/s (otherwise 10).
    pub(crate) forced_100: bool,
    /// The forced duplex is full.
    pub(crate) forced_full: bool,
    /// Crossover: 0 automatic, 1 MDI, 2 MDI-X (C's values).
    pub(crate) mdix: u8,
    /// Flow control in effect (after negotiation).
    pub(crate) fc: FlowControl,
    /// Flow control asked for.
    pub(crate) requested_fc: FlowControl,
    /// What `ethtool -a` reports as pause auto-negotiation (on with
    /// auto-negotiation, C's default; only `ethtool -A` changes it).
    pub(crate) fc_autoneg: bool,
    /// The flow control of the current link was resolved.
    pub(crate) fc_resolved: bool,
}

impl LinkConfig {
    /// The defaults at probe, flow control from EEPROM word 0x0F.
    pub(crate) fn new(init_control2: u16) -> Self {
        let fc = match init_control2 & 0x3000 {
            0 => FlowControl::None,
            0x2000 => FlowControl::TxPause,
            _ => FlowControl::Full,
        };
        Self {
            autoneg: true,
            advertised: ADVERTISE_DEFAULT,
            forced_100: false,
            forced_full: false,
            mdix: 0,
            fc,
            requested_fc: fc,
            fc_autoneg: true,
            fc_resolved: false,
        }
    }

    /// Forces `speed` and `duplex` (C `e1000_set_spd_dplx`): 10 or 100
    /// Mb/s either duplex, or 1000 full, which C turns into advertising
    /// that mode alone. Anything else is refused, and changes nothing: the
    /// caller says so (`link::force`).
    pub(crate) fn force(&mut self, speed: u32, full: Option<bool>) -> Result {
        match (speed, full) {
            (10 | 100, Some(full)) => {
                self.autoneg = false;
                self.forced_100 = speed == 100;
                self.forced_full = full;
            }
            (1000, Some(true)) => {
                self.autoneg = true;
                self.advertised = ADVERTISE_1000_FULL;
            }
            _ => return Err(EINVAL),
        }
        self.mdix = 0;
        Ok(())
    }

    /// The crossover setting as ethtool reports it.
    pub(crate) fn mdix_ctrl(&self) -> Mdix {
        match self.mdix {
            1 => Mdix::Mdi,
            2 => Mdix::MdiX,
            _ => Mdix::Auto,
        }
    }
}

impl Hw<'_> {
    /// Sets the link up from `cfg` (C `e1000_setup_link` for copper):
    /// the PHY's crossover and clock, then either the advertisement and an
    /// auto-negotiation restart, or the forced speed and duplex; the flow
    /// control registers last.
    pub(crate) fn setup_link(&self, cfg: &mut LinkConfig) -> Result {
        cfg.fc = cfg.requested_fc;
        cfg.fc_resolved = false;
        self.io().update(CTRL, |r| {
            r.with_slu(true).with_frcspd(false).with_frcdplx(false)
        });
        self.setup_m88(cfg)?;
        if cfg.autoneg {
            cfg.advertised &= ADVERTISE_DEFAULT;
            if cfg.advertised == 0 {
                cfg.advertised = ADVERTISE_DEFAULT;
            }
            self.setup_autoneg(cfg)?;
            let bmcr = self.phy_read(PHY_CTRL)?;
            self.phy_write(PHY_CTRL, bmcr | PHY_CTRL_AN_ENABLE | PHY_CTRL_RESTART_AN)?;
        } else {
            self.force_speed_duplex(cfg)?;
        }
        // A link that is up at once (forced) gets its flow control now.
        for _ in 0..10 {
            let _ = self.phy_read(PHY_STATUS)?;
            if self.phy_read(PHY_STATUS)? & BMSR_LINK != 0 {
                self.fc_after_link_up(cfg)?;
                break;
            }
            udelay(Delta::from_micros(10));
        }
        // Flow control's address, type and pause time (C's values).
        self.io()
            .write_reg(FCAL::zeroed().with_const_addr::<0x00C2_8001>());
        self.io()
            .write_reg(FCAH::zeroed().with_const_addr::<0x0100>());
        self.io()
            .write_reg(FCT::zeroed().with_const_ethertype::<0x8808>());
        self.io()
            .write_reg(FCTTV::zeroed().with_const_ttv::<0xFFFF>());
        self.flush();
        Ok(())
    }

    /// The M88 PHY's crossover, polarity, transmit clock and downshift,
    /// then a PHY reset to apply them (C `e1000_copper_link_mgp_setup`).
    fn setup_m88(&self, cfg: &LinkConfig) -> Result {
        let mut pscr = self.phy_read(M88_PSCR)? | PSCR_ASSERT_CRS_ON_TX;
        pscr &= !(PSCR_AUTO_X_MODE | PSCR_POLARITY_REVERSAL);
        pscr |= match cfg.mdix {
            1 => 0,
            2 => 0x0020,
            3 => 0x0040,
            _ => PSCR_AUTO_X_MODE,
        };
        self.phy_write(M88_PSCR, pscr)?;
        if self.phy_read(PHY_ID2)? & 0xF < M88E1011_REV_4 {
            let epscr = self.phy_read(M88_EPSCR)? | EPSCR_TX_CLK_25;
            let epscr = (epscr & !EPSCR_DOWNSHIFT_MASK) | EPSCR_SLAVE_DOWNSHIFT_1X;
            self.phy_write(M88_EPSCR, epscr)?;
        }
        self.phy_reset()
    }

    /// A software reset of the PHY, which applies its new settings.
    pub(crate) fn phy_reset(&self) -> Result {
        let bmcr = self.phy_read(PHY_CTRL)?;
        self.phy_write(PHY_CTRL, bmcr | BMCR_RESET)?;
        udelay(Delta::from_micros(1));
        Ok(())
    }

    /// Writes the modes and the pause abilities to advertise (registers 4
    /// and 9; C `e1000_phy_setup_autoneg`).
    fn setup_autoneg(&self, cfg: &LinkConfig) -> Result {
        let mut anar = self.phy_read(PHY_AUTONEG_ADV)? & !ANAR_SPEED_MASK;
        let mut gtcr = self.phy_read(PHY_1000T_CTRL)? & !GTCR_SPEED_MASK;
        for (mode, bit) in [
            (ADVERTISE_10_HALF, 0x0020),
            (ADVERTISE_10_FULL, 0x0040),
            (ADVERTISE_100_HALF, 0x0080),
            (ADVERTISE_100_FULL, 0x0100),
        ] {
            if cfg.advertised & mode != 0 {
                anar |= bit;
            }
        }
        if cfg.advertised & ADVERTISE_1000_FULL != 0 {
            gtcr |= GTCR_1000_FULL;
        }
        anar = match cfg.fc {
            FlowControl::None => anar & !(ANAR_ASM_DIR | ANAR_PAUSE),
            FlowControl::RxPause | FlowControl::Full => anar | ANAR_ASM_DIR | ANAR_PAUSE,
            FlowControl::TxPause => (anar | ANAR_ASM_DIR) & !ANAR_PAUSE,
        };
        self.phy_write(PHY_AUTONEG_ADV, anar)?;
        self.phy_write(PHY_1000T_CTRL, gtcr)
    }

    /// Forces 10 or 100 Mb/s and a duplex on the MAC and the PHY, without
    /// flow control (C `e1000_phy_force_speed_duplex`; C does not wait for
    /// the link either).
    fn force_speed_duplex(&self, cfg: &mut LinkConfig) -> Result {
        cfg.fc = FlowControl::None;
        let mut bmcr = self.phy_read(PHY_CTRL)? & !PHY_CTRL_AN_ENABLE;
        bmcr &= !(BMCR_FULL_DUPLEX | BMCR_SPEED_100 | BMCR_SPEED_1000);
        if cfg.forced_full {
            bmcr |= BMCR_FULL_DUPLEX;
        }
        if cfg.forced_100 {
            bmcr |= BMCR_SPEED_100;
        }
        self.io().update(CTRL, |r| {
            let r = r
                .with_frcspd(true)
                .with_frcdplx(true)
                .with_asde(false)
                .with_fd(cfg.forced_full);
            if cfg.forced_100 {
                r.with_const_speed::<1>()
            } else {
                r.with_const_speed::<0>()
            }
        });
        let pscr = self.phy_read(M88_PSCR)? & !PSCR_AUTO_X_MODE;
        self.phy_write(M88_PSCR, pscr)?;
        self.phy_write(PHY_CTRL, bmcr | BMCR_RESET)?;
        udelay(Delta::from_micros(1));
        // The reset undid these two (C sets them again).
        let epscr = self.phy_read(M88_EPSCR)? | EPSCR_TX_CLK_25;
        self.phy_write(M88_EPSCR, epscr)?;
        let pscr = self.phy_read(M88_PSCR)? | PSCR_ASSERT_CRS_ON_TX;
        self.phy_write(M88_PSCR, pscr)
    }

    /// Programs the MAC's flow control for `fc` (C `e1000_force_mac_fc`).
    pub(crate) fn force_mac_fc(&self, fc: FlowControl) {
        self.io()
            .update(CTRL, |r| r.with_rfce(fc.rx()).with_tfce(fc.tx()));
    }

    /// Resolves flow control once the link is up (C
    /// `e1000_config_fc_after_link_up`): a forced link keeps what it was
    /// set to; a negotiated one gets what both ends advertised (IEEE 802.3
    /// annex 28B), none at half duplex.
    pub(crate) fn fc_after_link_up(&self, cfg: &mut LinkConfig) -> Result {
        cfg.fc_resolved = true;
        if !cfg.autoneg {
            self.force_mac_fc(cfg.fc);
            return Ok(());
        }
        let _ = self.phy_read(PHY_STATUS)?;
        if self.phy_read(PHY_STATUS)? & BMSR_AUTONEG_COMPLETE == 0 {
            return Ok(());
        }
        let ours = self.phy_read(PHY_AUTONEG_ADV)?;
        let theirs = self.phy_read(PHY_LP_ABILITY)?;
        let (pause, asm) = (ANAR_PAUSE, ANAR_ASM_DIR);
        cfg.fc = if ours & pause != 0 && theirs & pause != 0 {
            if cfg.requested_fc == FlowControl::Full {
                FlowControl::Full
            } else {
                FlowControl::RxPause
            }
        } else if ours & pause == 0 && ours & asm != 0 && theirs & (pause | asm) == pause | asm {
            FlowControl::TxPause
        } else if ours & (pause | asm) == pause | asm && theirs & pause == 0 && theirs & asm != 0 {
            FlowControl::RxPause
        } else if matches!(cfg.requested_fc, FlowControl::None | FlowControl::TxPause) {
            FlowControl::None
        } else {
            FlowControl::RxPause
        };
        if !self.io().read(STATUS).fd() {
            cfg.fc = FlowControl::None;
        }
        self.force_mac_fc(cfg.fc);
        Ok(())
    }

    /// The crossover the PHY found, read from its specific status.
    pub(crate) fn mdix(&self) -> Result<Mdix> {
        Ok(if self.phy_read(M88_PSSR)? & PSSR_MDIX != 0 {
            Mdix::MdiX
        } else {
            Mdix::Mdi
        })
    }
}
