// SPDX-License-Identifier: GPL-2.0

//! The link settings ethtool reports and sets (`ethtool DEV`, `ethtool -s`):
//! speed, duplex, port, auto-negotiation and its link modes, and the
//! twisted-pair crossover (MDI/MDI-X).

use kernel::bindings;

/// Duplex of a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Duplex {
    /// Half duplex.
    Half,
    /// Full duplex.
    Full,
    /// Not known (no link), or a value ethtool does not define.
    Unknown,
}

impl Duplex {
    /// The C value (`DUPLEX_*`).
    pub(super) fn to_raw(self) -> u8 {
        (match self {
            Self::Half => bindings::DUPLEX_HALF,
            Self::Full => bindings::DUPLEX_FULL,
            Self::Unknown => bindings::DUPLEX_UNKNOWN,
        }) as u8
    }

    /// The duplex a C value names, `Unknown` for any other.
    pub(super) fn from_raw(raw: u8) -> Self {
        match u32::from(raw) {
            bindings::DUPLEX_HALF => Self::Half,
            bindings::DUPLEX_FULL => Self::Full,
            _ => Self::Unknown,
        }
    }
}

/// Physical port type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Port {
    /// Twisted pair.
    TwistedPair,
    /// Fibre.
    Fibre,
    /// Something else (virtual devices).
    Other,
}

/// The crossover of a twisted-pair port: the state found on the wire
/// ([`LinkSettings::mdix`]) or the one asked for
/// ([`LinkSettings::mdix_ctrl`], [`LinkRequest::mdix_ctrl`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mdix {
    /// Straight (`mdix off`).
    Mdi,
    /// Crossed (`mdix on`).
    MdiX,
    /// Chosen by the PHY (`mdix auto`); only as a setting.
    Auto,
}

impl Mdix {
    /// The C value (`ETH_TP_MDI*`), 0 for none.
    pub(super) fn to_raw(mdix: Option<Self>) -> u8 {
        (match mdix {
            None => bindings::ETH_TP_MDI_INVALID,
            Some(Self::Mdi) => bindings::ETH_TP_MDI,
            Some(Self::MdiX) => bindings::ETH_TP_MDI_X,
            Some(Self::Auto) => bindings::ETH_TP_MDI_AUTO,
        }) as u8
    }

    /// The setting a C value asks for; `None` for 0 ("leave it") and for
    /// values ethtool does not define.
    pub(super) fn from_raw(raw: u8) -> Option<Self> {
        match u32::from(raw) {
            bindings::ETH_TP_MDI => Some(Self::Mdi),
            bindings::ETH_TP_MDI_X => Some(Self::MdiX),
            bindings::ETH_TP_MDI_AUTO => Some(Self::Auto),
            _ => None,
        }
    }
}

/// Link modes and port features, as the bits of ethtool's legacy 32-bit
/// masks (C `SUPPORTED_*`/`ADVERTISED_*`), which cover every mode up to
/// gigabit; the adapter converts them to the core's link mode bitmaps.
pub struct LinkMode;

const fn mode(bit: u32) -> u32 {
    1 << bit
}

impl LinkMode {
    /// 10BASE-T half duplex.
    pub const T10_HALF: u32 =
        mode(bindings::ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_10baseT_Half_BIT);
    /// 10BASE-T full duplex.
    pub const T10_FULL: u32 =
        mode(bindings::ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_10baseT_Full_BIT);
    /// 100BASE-T half duplex.
    pub const T100_HALF: u32 =
        mode(bindings::ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_100baseT_Half_BIT);
    /// 100BASE-T full duplex.
    pub const T100_FULL: u32 =
        mode(bindings::ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_100baseT_Full_BIT);
    /// 1000BASE-T half duplex.
    pub const T1000_HALF: u32 =
        mode(bindings::ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_1000baseT_Half_BIT);
    /// 1000BASE-T full duplex.
    pub const T1000_FULL: u32 =
        mode(bindings::ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_1000baseT_Full_BIT);
    /// Auto-negotiation.
    pub const AUTONEG: u32 =
        mode(bindings::ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_Autoneg_BIT);
    /// A twisted-pair port.
    pub const TP: u32 = mode(bindings::ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_TP_BIT);
    /// A fibre port.
    pub const FIBRE: u32 =
        mode(bindings::ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_FIBRE_BIT);
    /// Symmetric pause.
    pub const PAUSE: u32 =
        mode(bindings::ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_Pause_BIT);
    /// Asymmetric pause.
    pub const ASYM_PAUSE: u32 =
        mode(bindings::ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_Asym_Pause_BIT);
}

/// Link settings (`ethtool DEV`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkSettings {
    /// Speed in Mb/s, `None` when unknown.
    pub speed: Option<u32>,
    /// Duplex.
    pub duplex: Duplex,
    /// Whether auto-negotiation is on.
    pub autoneg: bool,
    /// Port type.
    pub port: Port,
    /// Modes and port features the device supports ([`LinkMode`] bits).
    pub supported: u32,
    /// Modes and features it advertises ([`LinkMode`] bits).
    pub advertising: u32,
    /// Address of the PHY on its management bus.
    pub phy_address: u8,
    /// The crossover in use (twisted pair with a link only).
    pub mdix: Option<Mdix>,
    /// The crossover setting; `None` when it cannot be set.
    pub mdix_ctrl: Option<Mdix>,
}

impl LinkSettings {
    /// Settings with the given speed, duplex and port and nothing else:
    /// no auto-negotiation, no link modes, no crossover.
    pub const fn fixed(speed: Option<u32>, duplex: Duplex, port: Port) -> Self {
        Self {
            speed,
            duplex,
            autoneg: false,
            port,
            supported: 0,
            advertising: 0,
            phy_address: 0,
            mdix: None,
            mdix_ctrl: None,
        }
    }
}

/// What `ethtool -s` asks of a physical link (C `set_link_ksettings`): the
/// whole set of settings, the unchanged ones as `get_link_settings`
/// reported them. Values are passed as the user gave them, for the driver
/// to refuse what its device cannot do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkRequest {
    /// Auto-negotiation on; otherwise the speed and duplex are forced.
    pub autoneg: bool,
    /// Speed in Mb/s (`u32::MAX` for unknown).
    pub speed: u32,
    /// Duplex.
    pub duplex: Duplex,
    /// The modes to advertise ([`LinkMode`] bits; modes past gigabit are
    /// left out).
    pub advertising: u32,
    /// The crossover asked for; `None` when the request leaves it.
    pub mdix_ctrl: Option<Mdix>,
}
