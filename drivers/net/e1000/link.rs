// SPDX-License-Identifier: GPL-2.0

//! The link settings users reach (C `e1000_get/set_link_ksettings`,
//! `e1000_get/set_pauseparam`, `e1000_nway_reset`, `e1000_mii_ioctl`),
//! on the [`LinkConfig`] that `phy` programs at every reset; and the
//! watchdog's share, resolving flow control once a link is up.

use core::sync::atomic::Ordering;

use kernel::prelude::*;

use crate::adapter::E1000;
use crate::netdev::ethtool::{Duplex, LinkMode, LinkRequest, LinkSettings, Mdix, Port};
use crate::netdev::{Device, MiiRequest, PauseParam};
use crate::phy::{
    FlowControl, LinkConfig, ADVERTISE_DEFAULT, BMCR_FULL_DUPLEX, BMCR_POWER_DOWN, BMCR_SPEED_100,
    BMCR_SPEED_1000, M88_EPSCR, M88_PSCR,
};
use crate::regs::{PHY_CTRL, PHY_CTRL_AN_ENABLE};

/// What a copper 82540EM supports (C's list).
const SUPPORTED: u32 = LinkMode::T10_HALF
    | LinkMode::T10_FULL
    | LinkMode::T100_HALF
    | LinkMode::T100_FULL
    | LinkMode::T1000_FULL
    | LinkMode::AUTONEG
    | LinkMode::TP;

/// The PHY's address as C reports it: `hw->phy_addr`, which C sets only
/// for another MAC, so 0 (MDIC itself addresses the PHY at 1).
const REPORTED_PHY_ADDRESS: u16 = 0;

/// `ethtool DEV`: the settings in effect, speed and duplex from the MAC.
pub(crate) fn get_settings(dev: &Device<E1000>) -> Result<LinkSettings> {
    let e = dev.data();
    let cfg = e.link.lock();
    let (link, mdix) = E1000::with_hw(dev, |hw| {
        let mdix = if dev.carrier_ok() {
            hw.mdix().ok()
        } else {
            None
        };
        (hw.link(), mdix)
    })
    .ok_or(ENODEV)?;
    let advertising = if cfg.autoneg {
        LinkMode::TP | LinkMode::AUTONEG | cfg.advertised
    } else {
        LinkMode::TP
    };
    Ok(LinkSettings {
        speed: link.map(|(speed, _)| speed),
        duplex: match link {
            Some((_, true)) => Duplex::Full,
            Some((_, false)) => Duplex::Half,
            None => Duplex::Unknown,
        },
        autoneg: cfg.autoneg,
        port: Port::TwistedPair,
        supported: SUPPORTED,
        advertising,
        phy_address: REPORTED_PHY_ADDRESS as u8,
        mdix,
        mdix_ctrl: Some(cfg.mdix_ctrl()),
    })
}

/// `LinkConfig::force`, and C's message for a refusal.
fn force(dev: &Device<E1000>, cfg: &mut LinkConfig, speed: u32, full: Option<bool>) -> Result {
    cfg.force(speed, full)
        .inspect_err(|_| pr_err!("{}: Unsupported Speed/Duplex configuration\n", dev.name()))
}

/// `ethtool -s`: refuses what C refuses (a forced crossover with a forced
/// speed, speeds and duplexes the device cannot force), then resets the
/// device for the new settings. A refused request changes nothing (C's
/// refused forced speed leaves auto-negotiation reported off; see
/// Documentation/e1000.rst).
pub(crate) fn set_settings(dev: &Device<E1000>, req: &LinkRequest) -> Result {
    if let Some(mdix) = req.mdix_ctrl {
        if mdix != Mdix::Auto && !req.autoneg {
            pr_err!(
                "{}: forcing MDI/MDI-X state is not supported when link speed and/or duplex are forced\n",
                dev.name()
            );
            return Err(EINVAL);
        }
    }
    {
        let mut cfg = dev.data().link.lock();
        let mut new = cfg.clone();
        if req.autoneg {
            new.autoneg = true;
            new.advertised = req.advertising | LinkMode::TP | LinkMode::AUTONEG;
        } else {
            let full = match req.duplex {
                Duplex::Half => Some(false),
                Duplex::Full => Some(true),
                Duplex::Unknown => None,
            };
            force(dev, &mut new, req.speed, full)?;
        }
        new.mdix = match req.mdix_ctrl {
            None => new.mdix,
            Some(Mdix::Auto) => 0,
            Some(Mdix::Mdi) => 1,
            Some(Mdix::MdiX) => 2,
        };
        *cfg = new;
    }
    reset_link(dev)
}

/// Applies new link settings as C does: a running interface goes down and
/// up again, a stopped one has its device reset.
fn reset_link(dev: &Device<E1000>) -> Result {
    if dev.is_running() {
        E1000::reinit(dev, dev.mtu())
    } else {
        E1000::restore_after_reset(dev);
        Ok(())
    }
}

/// `ethtool -a`: C reports the flow control in effect, and its own
/// pause auto-negotiation flag.
pub(crate) fn get_pause(dev: &Device<E1000>) -> PauseParam {
    let cfg = dev.data().link.lock();
    PauseParam {
        autoneg: cfg.fc_autoneg,
        rx: cfg.fc.rx(),
        tx: cfg.fc.tx(),
    }
}

/// `ethtool -A`: negotiated flow control takes a reset (the PHY
/// advertises it), forced flow control goes straight to the MAC.
pub(crate) fn set_pause(dev: &Device<E1000>, pause: &PauseParam) -> Result {
    let fc = FlowControl::from_directions(pause.rx, pause.tx);
    {
        let mut cfg = dev.data().link.lock();
        cfg.fc_autoneg = pause.autoneg;
        cfg.fc = fc;
        cfg.requested_fc = fc;
    }
    if pause.autoneg {
        reset_link(dev)
    } else {
        E1000::with_hw(dev, |hw| hw.force_mac_fc(fc)).ok_or(ENODEV)
    }
}

/// `ethtool -r`: C reinitialises a running interface (which restarts
/// auto-negotiation when it is on) and ignores a stopped one.
pub(crate) fn nway_reset(dev: &Device<E1000>) -> Result {
    if dev.is_running() {
        E1000::reinit(dev, dev.mtu())?;
    }
    Ok(())
}

/// The MII ioctls, as C answers them: reads of any register (the number
/// taken modulo 32), writes of registers 0-31, and what a write to the
/// control registers means for the settings.
pub(crate) fn mii_ioctl(dev: &Device<E1000>, req: MiiRequest) -> Result<u16> {
    let (reg, value) = match req {
        MiiRequest::PhyAddress => return Ok(REPORTED_PHY_ADDRESS),
        MiiRequest::Read { reg, .. } => {
            return E1000::with_hw(dev, |hw| hw.phy_read(u32::from(reg & 0x1F)))
                .ok_or(ENODEV)?
                .map_err(|_| EIO);
        }
        MiiRequest::Write { reg, value, .. } if reg <= 0x1F => (u32::from(reg), value),
        MiiRequest::Write { .. } => return Err(EFAULT),
    };
    E1000::with_hw(dev, |hw| hw.phy_write(reg, value))
        .ok_or(ENODEV)?
        .map_err(|_| EIO)?;
    match reg {
        PHY_CTRL if value & BMCR_POWER_DOWN == 0 => {
            {
                let mut cfg = dev.data().link.lock();
                if value & PHY_CTRL_AN_ENABLE != 0 {
                    cfg.autoneg = true;
                    cfg.advertised = ADVERTISE_DEFAULT;
                } else {
                    let speed = if value & BMCR_SPEED_1000 != 0 {
                        1000
                    } else if value & BMCR_SPEED_100 != 0 {
                        100
                    } else {
                        10
                    };
                    force(dev, &mut cfg, speed, Some(value & BMCR_FULL_DUPLEX != 0))?;
                }
            }
            reset_link(dev)?;
        }
        M88_PSCR | M88_EPSCR => {
            E1000::with_hw(dev, |hw| hw.phy_reset())
                .ok_or(ENODEV)?
                .map_err(|_| EIO)?;
        }
        _ => {}
    }
    Ok(0)
}

impl E1000 {
    /// The watchdog's part of the link: once a negotiated link is up, flow
    /// control is resolved from what both ends advertised (C does it in
    /// `e1000_check_for_link`, before reporting the carrier; a forced link
    /// keeps what the set-up gave it); then a link that came up is
    /// logged.
    pub(crate) fn resolve_flow_control(&self, dev: &Device<Self>) {
        let mut cfg = self.link.lock();
        if self.link_changed.swap(false, Ordering::AcqRel) {
            cfg.fc_resolved = false;
        }
        let _ = E1000::with_hw(dev, |hw| {
            if cfg.autoneg && !cfg.fc_resolved && hw.link().is_some() {
                let _ = hw.fc_after_link_up(&mut cfg);
            }
            self.report_link_up(dev, hw);
        });
    }
}
