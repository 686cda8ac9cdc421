// SPDX-License-Identifier: GPL-2.0

//! The virtio network device type: its device ID, feature bits, status
//! bits and configuration space layout (C `uapi/linux/virtio_net.h`).
//!
//! The values come from the generated bindings, so they are the kernel's.

use core::mem::offset_of;

use super::bindings;
use super::config::{ConfigField, Le};

/// The device ID of a network card (`VIRTIO_ID_NET`).
pub const ID: u32 = bindings::VIRTIO_ID_NET;

/// Feature bits of a network device (`VIRTIO_NET_F_*`).
pub mod feature {
    use super::bindings;

    /// The device checksums partially checksummed frames it sends.
    pub const CSUM: u32 = bindings::VIRTIO_NET_F_CSUM;
    /// The driver accepts frames with a partial checksum.
    pub const GUEST_CSUM: u32 = bindings::VIRTIO_NET_F_GUEST_CSUM;
    /// Offloads can be changed through the control queue.
    pub const CTRL_GUEST_OFFLOADS: u32 = bindings::VIRTIO_NET_F_CTRL_GUEST_OFFLOADS;
    /// The configuration space has the device's maximum MTU.
    pub const MTU: u32 = bindings::VIRTIO_NET_F_MTU;
    /// The configuration space has the device's MAC address.
    pub const MAC: u32 = bindings::VIRTIO_NET_F_MAC;
    /// The driver receives TCPv4 segments larger than the MTU.
    pub const GUEST_TSO4: u32 = bindings::VIRTIO_NET_F_GUEST_TSO4;
    /// The driver receives TCPv6 segments larger than the MTU.
    pub const GUEST_TSO6: u32 = bindings::VIRTIO_NET_F_GUEST_TSO6;
    /// The device segments TCPv4 frames.
    pub const HOST_TSO4: u32 = bindings::VIRTIO_NET_F_HOST_TSO4;
    /// The device segments TCPv6 frames.
    pub const HOST_TSO6: u32 = bindings::VIRTIO_NET_F_HOST_TSO6;
    /// Received frames may span several buffers.
    pub const MRG_RXBUF: u32 = bindings::VIRTIO_NET_F_MRG_RXBUF;
    /// The configuration space has the link status.
    pub const STATUS: u32 = bindings::VIRTIO_NET_F_STATUS;
    /// The device has a control queue.
    pub const CTRL_VQ: u32 = bindings::VIRTIO_NET_F_CTRL_VQ;
    /// The control queue sets promiscuous and all-multicast modes and MAC
    /// filters.
    pub const CTRL_RX: u32 = bindings::VIRTIO_NET_F_CTRL_RX;
    /// The control queue sets the VLAN filter.
    pub const CTRL_VLAN: u32 = bindings::VIRTIO_NET_F_CTRL_VLAN;
    /// The control queue has the extra receive modes.
    pub const CTRL_RX_EXTRA: u32 = bindings::VIRTIO_NET_F_CTRL_RX_EXTRA;
    /// The device asks the driver to announce itself.
    pub const GUEST_ANNOUNCE: u32 = bindings::VIRTIO_NET_F_GUEST_ANNOUNCE;
    /// The device has several queue pairs.
    pub const MQ: u32 = bindings::VIRTIO_NET_F_MQ;
    /// The control queue sets the MAC address.
    pub const CTRL_MAC_ADDR: u32 = bindings::VIRTIO_NET_F_CTRL_MAC_ADDR;
    /// The configuration space has the link speed and duplex.
    pub const SPEED_DUPLEX: u32 = bindings::VIRTIO_NET_F_SPEED_DUPLEX;
}

/// Classes and commands of the control queue (`VIRTIO_NET_CTRL_*`), for
/// [`super::CtrlCmd::new`].
pub mod ctrl {
    use super::bindings;

    /// Receive modes; each command's data is one byte, 1 on, 0 off.
    pub const RX: u8 = bindings::VIRTIO_NET_CTRL_RX as u8;
    /// Receive every frame.
    pub const RX_PROMISC: u8 = bindings::VIRTIO_NET_CTRL_RX_PROMISC as u8;
    /// Receive every multicast frame.
    pub const RX_ALLMULTI: u8 = bindings::VIRTIO_NET_CTRL_RX_ALLMULTI as u8;
    /// MAC addresses.
    pub const MAC: u8 = bindings::VIRTIO_NET_CTRL_MAC as u8;
    /// The unicast, then the multicast filter table, each a 32-bit count
    /// in the device's byte order followed by that many addresses.
    pub const MAC_TABLE_SET: u8 = bindings::VIRTIO_NET_CTRL_MAC_TABLE_SET as u8;
    /// The station address (six bytes).
    pub const MAC_ADDR_SET: u8 = bindings::VIRTIO_NET_CTRL_MAC_ADDR_SET as u8;
    /// The VLAN filter.
    pub const VLAN: u8 = bindings::VIRTIO_NET_CTRL_VLAN as u8;
    /// Accept a VLAN (a 16-bit ID in the device's byte order).
    pub const VLAN_ADD: u8 = bindings::VIRTIO_NET_CTRL_VLAN_ADD as u8;
    /// Refuse a VLAN again.
    pub const VLAN_DEL: u8 = bindings::VIRTIO_NET_CTRL_VLAN_DEL as u8;
    /// Announcements (`VIRTIO_NET_F_GUEST_ANNOUNCE`).
    pub const ANNOUNCE: u8 = bindings::VIRTIO_NET_CTRL_ANNOUNCE as u8;
    /// The driver announced itself: the device clears the status bit.
    pub const ANNOUNCE_ACK: u8 = bindings::VIRTIO_NET_CTRL_ANNOUNCE_ACK as u8;
}

/// Bits of the status field ([`STATUS`]).
pub mod status {
    use super::bindings;

    /// The link is up.
    pub const LINK_UP: u16 = bindings::VIRTIO_NET_S_LINK_UP as u16;
    /// The device asks for an announcement (gratuitous ARP and NA).
    pub const ANNOUNCE: u16 = bindings::VIRTIO_NET_S_ANNOUNCE as u16;
}

/// The MAC address (with `VIRTIO_NET_F_MAC`).
pub const MAC: ConfigField<[u8; 6]> =
    ConfigField::with_feature(offset_of!(bindings::virtio_net_config, mac), feature::MAC);

/// The status bits, [`status`] (with `VIRTIO_NET_F_STATUS`).
pub const STATUS: ConfigField<u16> = ConfigField::with_feature(
    offset_of!(bindings::virtio_net_config, status),
    feature::STATUS,
);

/// The number of queue pairs the device has (with `VIRTIO_NET_F_MQ`).
pub const MAX_VIRTQUEUE_PAIRS: ConfigField<u16> = ConfigField::with_feature(
    offset_of!(bindings::virtio_net_config, max_virtqueue_pairs),
    feature::MQ,
);

/// The largest MTU the device takes (with `VIRTIO_NET_F_MTU`).
pub const MTU: ConfigField<u16> =
    ConfigField::with_feature(offset_of!(bindings::virtio_net_config, mtu), feature::MTU);

/// The link speed in Mbit/s; values above `i32::MAX` mean unknown (with
/// `VIRTIO_NET_F_SPEED_DUPLEX`). Little-endian on any device.
pub const SPEED: ConfigField<Le<u32>> = ConfigField::with_feature(
    offset_of!(bindings::virtio_net_config, speed),
    feature::SPEED_DUPLEX,
);

/// The duplex: 0 half, 1 full, anything else unknown (with
/// `VIRTIO_NET_F_SPEED_DUPLEX`).
pub const DUPLEX: ConfigField<u8> = ConfigField::with_feature(
    offset_of!(bindings::virtio_net_config, duplex),
    feature::SPEED_DUPLEX,
);
