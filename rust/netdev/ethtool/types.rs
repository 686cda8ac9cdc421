// SPDX-License-Identifier: GPL-2.0

//! The values ethtool operations exchange: driver identification, ring,
//! coalescing, channel and flow control settings, pause counters,
//! Wake-on-LAN and identification (link settings are in `link.rs`).

use super::super::bindings;

/// Driver identification for `ethtool -i`.
pub struct DrvInfo<'a>(pub(super) &'a mut bindings::ethtool_drvinfo);

/// Copies `src` into a fixed C string field, truncating and terminating it.
pub(super) fn copy_cstr(dst: &mut [u8], src: &str) {
    let n = src.len().min(dst.len().saturating_sub(1));
    dst[..n].copy_from_slice(&src.as_bytes()[..n]);
    dst[n..].fill(0);
}

impl DrvInfo<'_> {
    /// Sets the driver name (the module name, by convention).
    pub fn set_driver(&mut self, name: &str) {
        copy_cstr(&mut self.0.driver, name);
    }

    /// Sets the driver version; left empty, the core reports the kernel's.
    pub fn set_version(&mut self, version: &str) {
        copy_cstr(&mut self.0.version, version);
    }

    /// Sets the firmware version.
    pub fn set_fw_version(&mut self, version: &str) {
        copy_cstr(&mut self.0.fw_version, version);
    }

    /// Sets the bus address; left empty, the core fills in the parent
    /// device's name (the PCI address).
    pub fn set_bus_info(&mut self, bus: &str) {
        copy_cstr(&mut self.0.bus_info, bus);
    }
}

/// Ring sizes (`ethtool -g`/`-G`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RingParam {
    /// Largest RX ring the device supports.
    pub rx_max: u32,
    /// Largest TX ring the device supports.
    pub tx_max: u32,
    /// Current (or requested) RX ring size.
    pub rx: u32,
    /// Current (or requested) TX ring size.
    pub tx: u32,
}

/// Interrupt coalescing parameters (`ethtool -c`/`-C`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Coalesce {
    /// Delay of an RX interrupt after a frame, in microseconds.
    pub rx_usecs: u32,
    /// Frames after which an RX interrupt fires.
    pub rx_max_frames: u32,
    /// Delay of a TX interrupt after a completion, in microseconds.
    pub tx_usecs: u32,
    /// Completions after which a TX interrupt fires.
    pub tx_max_frames: u32,
}

impl Coalesce {
    /// `rx_usecs` is supported.
    pub const RX_USECS: u32 = 1 << 0;
    /// `rx_max_frames` is supported.
    pub const RX_MAX_FRAMES: u32 = 1 << 1;
    /// `tx_usecs` is supported.
    pub const TX_USECS: u32 = 1 << 4;
    /// `tx_max_frames` is supported.
    pub const TX_MAX_FRAMES: u32 = 1 << 5;
    /// `adaptive-rx` may be asked for (the driver sees the other fields
    /// only; C `ETHTOOL_COALESCE_USE_ADAPTIVE_RX`).
    pub const USE_ADAPTIVE_RX: u32 = 1 << 9;
}

/// Queue counts (`ethtool -l`/`-L`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Channels {
    /// Most combined (RX and TX) channels the device supports.
    pub max_combined: u32,
    /// Most RX-only channels.
    pub max_rx: u32,
    /// Most TX-only channels.
    pub max_tx: u32,
    /// Current (or requested) combined channels.
    pub combined: u32,
    /// Current (or requested) RX-only channels.
    pub rx: u32,
    /// Current (or requested) TX-only channels.
    pub tx: u32,
}

impl Channels {
    /// One combined channel of one at most: a device with a single queue
    /// pair.
    pub const ONE_PAIR: Self = Self {
        max_combined: 1,
        max_rx: 0,
        max_tx: 0,
        combined: 1,
        rx: 0,
        tx: 0,
    };

    /// Whether this asks for `n` combined channels and no RX-only or
    /// TX-only ones.
    pub fn is_combined(&self, n: u32) -> bool {
        self.combined == n && self.rx == 0 && self.tx == 0
    }
}

/// Flow control settings (`ethtool -a`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PauseParam {
    /// Pause is negotiated.
    pub autoneg: bool,
    /// Honours received pause frames.
    pub rx: bool,
    /// Sends pause frames.
    pub tx: bool,
}

/// Pause frame counters (`ethtool -I -a`, `ethtool -S --groups`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PauseStats {
    /// Pause frames sent.
    pub tx_pause_frames: u64,
    /// Pause frames received.
    pub rx_pause_frames: u64,
}

/// Wake-on-LAN modes (`ethtool DEV`'s "Wake-on", `ethtool -s DEV wol`):
/// those the device supports and those enabled, as `WAKE_*` bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Wol {
    /// Modes the device can wake on.
    pub supported: u32,
    /// Modes enabled.
    pub enabled: u32,
}

impl Wol {
    /// A PHY activity wake-up (`p`).
    pub const PHY: u32 = kernel::bindings::WAKE_PHY;
    /// A unicast frame to the station address (`u`).
    pub const UCAST: u32 = kernel::bindings::WAKE_UCAST;
    /// A multicast frame (`m`).
    pub const MCAST: u32 = kernel::bindings::WAKE_MCAST;
    /// A broadcast frame (`b`).
    pub const BCAST: u32 = kernel::bindings::WAKE_BCAST;
    /// An ARP request (`a`).
    pub const ARP: u32 = kernel::bindings::WAKE_ARP;
    /// A magic packet (`g`).
    pub const MAGIC: u32 = kernel::bindings::WAKE_MAGIC;
    /// A magic packet with a password (`s`).
    pub const MAGICSECURE: u32 = kernel::bindings::WAKE_MAGICSECURE;
}

/// A step of identifying the device by its LEDs (`ethtool -p`; C
/// `enum ethtool_phys_id_state`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhysId {
    /// Identification starts.
    Active,
    /// LEDs on (when the core drives the blinking).
    On,
    /// LEDs off (when the core drives the blinking).
    Off,
    /// Identification ends: the LEDs as they were.
    Inactive,
}
