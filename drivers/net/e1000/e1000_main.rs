// SPDX-License-Identifier: GPL-2.0

//! Intel PRO/1000 (82540EM) network driver, as QEMU's `-device e1000`
//! emulates it, written against the safe netdev layer in `rust/netdev`.
//!
//! The crate root holds the module, its PCI ID table and the driver-wide
//! constants; the rest is split by concern:
//!
//! - `pci`: the PCI driver, probe and the interrupt handler;
//! - `adapter`: the private data of the interface (`E1000`);
//! - `up_down`: bringing the hardware up and down, and resets;
//! - `netdev_ops`: the `net_device_ops` (open, stop, MTU, MAC address,
//!   receive filters...);
//! - `tx`: the transmit path and transmit completion;
//! - `rx`: the receive path and the NAPI poll;
//! - `watchdog`: the periodic task and link handling;
//! - `stats`: software and hardware counters;
//! - `ethtool`, `selftest`: ethtool operations and `ethtool -t`;
//! - `hw`, `regs`: register-level operations and the register map;
//! - `ring`: descriptor layouts and rings; `itr`: interrupt throttling.

#![deny(unsafe_code)]

// The netdev layer, compiled into this module, is the one place allowed
// to use unchecked code, behind safe functions; the driver has none.
#[allow(unsafe_code)]
#[path = "../../../rust/netdev/mod.rs"]
mod netdev;

mod adapter;
mod eeprom;
mod ethtool;
mod hw;
mod itr;
mod led;
mod link;
mod netdev_ops;
mod pci;
mod phy;
// The register map is kept whole, as in the data sheet.
#[allow(dead_code)]
mod regs;
mod regs_dump;
mod ring;
mod rx;
mod selftest;
mod stats;
mod tx;
mod up_down;
mod vlan;
mod watchdog;
mod wol;

use netdev::skb_dma;
use netdev::Features;
use pci::E1000Driver;

/// Name of the driver, as `ethtool -i` reports it.
pub(crate) const DRIVER_NAME: &str = "rust_e1000";

/// Ring sizes: the C driver's defaults and limits for the 82540.
pub(crate) const RING_DEFAULT: u32 = 256;
pub(crate) const RING_MIN: u32 = 48;
pub(crate) const RING_MAX: u32 = 4096;
pub(crate) const RING_MULTIPLE: u32 = 8;

/// Largest frame the MAC handles (the C driver's `MAX_JUMBO_FRAME_SIZE`)
/// and the MTU range it allows.
const MAX_FRAME: u32 = 0x3F00;
const ETH_FCS_LEN: u32 = 4;
const MAX_MTU: u32 = MAX_FRAME - netdev::ETH_HLEN - ETH_FCS_LEN;
/// The smallest MTU, as C allows it: a minimum-size frame's payload
/// (IPv4 itself needs 68 and stops below that, with either driver).
const MIN_MTU: u32 = netdev::ETH_ZLEN - netdev::ETH_HLEN;

/// Largest frame the stack hands over for segmentation (its default
/// `tso_max_size`).
const TSO_MAX_LEN: u32 = 65536;

/// Transmit descriptors one frame may need, and the free count at which a
/// stopped queue restarts. Each piece of a frame (its linear part, each
/// fragment) takes its length over `TX_MAX_PER_DESC` descriptors, rounded
/// up, so all of them at most the whole length over it plus one each; and
/// a context descriptor comes first.
const TX_DESC_PER_FRAME: usize =
    (TSO_MAX_LEN / ring::TX_MAX_PER_DESC) as usize + skb_dma::MAX_SEGMENTS + 1;
const TX_WAKE_THRESHOLD: usize = TX_DESC_PER_FRAME + 1;

/// Offloads a user may toggle, all on by default as in the C driver
/// (`txvlan` follows `rxvlan`: see `vlan`).
const OFFLOADS: Features = Features(
    Features::SG.0
        | Features::HW_CSUM.0
        | Features::TSO.0
        | Features::RXCSUM.0
        | Features::HW_VLAN_CTAG_RX.0,
);

/// Receive settings for debugging a link, off by default as in C:
/// `rx-all` (frames with errors, MAC control frames) and `rx-fcs` (the
/// frame check sequence kept).
const RX_DEBUG: Features = Features(Features::RXALL.0 | Features::RXFCS.0);

/// Offloads that are always on: VLAN tag insertion (switched with
/// stripping) and the VLAN filter, as in C.
const FIXED_OFFLOADS: Features =
    Features(Features::HW_VLAN_CTAG_TX.0 | Features::HW_VLAN_CTAG_FILTER.0);

/// How often the watchdog looks at the link and the counters.
const WATCHDOG_MS: u32 = 2000;

/// Default `NETIF_MSG_*` level: driver, probe, link.
const DEFAULT_MSG_LEVEL: u32 = 0x7;
const NETIF_MSG_LINK: u32 = 0x4;

kernel::pci_device_table!(
    PCI_TABLE,
    MODULE_PCI_TABLE,
    <E1000Driver as kernel::pci::Driver>::IdInfo,
    [(
        kernel::pci::DeviceId::from_id(kernel::pci::Vendor::INTEL, 0x100e),
        ()
    )]
);

kernel::module_pci_driver! {
    type: E1000Driver,
    name: "rust_e1000",
    authors: ["rust-nic developers"],
    description: "Intel(R) PRO/1000 (82540EM) network driver in Rust",
    license: "GPL",
}
