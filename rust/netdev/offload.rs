// SPDX-License-Identifier: GPL-2.0

//! Checksum and segmentation offloads, and the frame check sequence: what
//! a frame to transmit asks of the device, and what a receiving driver tells the stack about a
//! checksum the device verified.

use kernel::error::to_result;
use kernel::prelude::*;

use super::bindings;
use super::skbuff::SkBuff;

/// EtherType of IPv4.
pub const ETH_P_IP: u16 = 0x0800;
/// EtherType of IPv6.
pub const ETH_P_IPV6: u16 = 0x86dd;
/// IP protocol number of TCP.
pub const IPPROTO_TCP: u8 = 6;
/// IP protocol number of UDP.
pub const IPPROTO_UDP: u8 = 17;

/// A checksum the device must compute and insert (`CHECKSUM_PARTIAL`):
/// the one's complement sum from `start` to the end of the frame, stored
/// at `start + offset`. Offsets count from the Ethernet header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChecksumOffload {
    /// Where the summed data starts.
    pub start: u32,
    /// Where the result goes, relative to `start`.
    pub offset: u32,
    /// EtherType of the network header (VLAN tags looked through).
    pub l3_proto: u16,
    /// IP protocol of the transport header.
    pub l4_proto: u8,
}

/// TCP segmentation the device must do: cut the payload after `headers`
/// bytes into `mss`-byte segments, each with a copy of the headers and
/// fixed lengths, sequence numbers and checksums.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TsoOffload {
    /// IPv6 (otherwise IPv4).
    pub ipv6: bool,
    /// Payload bytes per segment.
    pub mss: u16,
    /// Number of segments the frame becomes.
    pub segs: u16,
    /// Offset of the IP header.
    pub network: u32,
    /// Offset of the TCP header.
    pub transport: u32,
    /// Length of all headers, through TCP's options.
    pub headers: u32,
}

impl TsoOffload {
    /// Bytes the segments put on the wire, headers repeated.
    pub fn wire_bytes(&self, frame_len: u32) -> u64 {
        u64::from(frame_len) + u64::from(self.segs.saturating_sub(1)) * u64::from(self.headers)
    }
}

/// What a frame to transmit asks of the device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxOffload {
    /// Nothing: the frame is complete.
    None,
    /// A transport checksum to insert.
    Checksum(ChecksumOffload),
    /// TCP segmentation (which includes both checksums).
    Tso(TsoOffload),
}

impl SkBuff {
    /// Reads what the frame asks of the device and, for TCP segmentation,
    /// readies its headers as segmenting hardware expects them (IPv4
    /// length and checksum zero, TCP checksum seeded with the
    /// pseudo-header sum without the length).
    ///
    /// Fails for segmentation other than TCP (a device that does not
    /// advertise it never gets such frames), or if the headers could not be
    /// made private to write them (`ENOMEM`); the frame is then unchanged
    /// and should be dropped.
    pub fn prepare_tx_offload(&mut self) -> Result<TxOffload> {
        let mut info = bindings::rnic_tx_offload::default();
        // SAFETY: `self` is a valid frame (invariant); the helper writes
        // the plain structure `info` only.
        unsafe { bindings::rnic_skb_tx_offload(self.as_raw(), &mut info) };
        let tso = |ipv6| {
            TxOffload::Tso(TsoOffload {
                ipv6,
                mss: info.gso_size,
                segs: info.gso_segs.max(1),
                network: info.network_offset,
                transport: info.transport_offset,
                headers: info.headers_len,
            })
        };
        let offload = match info.kind {
            bindings::rnic_tx_offload_kind_RNIC_TX_OFFLOAD_NONE => return Ok(TxOffload::None),
            bindings::rnic_tx_offload_kind_RNIC_TX_OFFLOAD_CSUM => {
                return Ok(TxOffload::Checksum(ChecksumOffload {
                    start: info.csum_start,
                    offset: info.csum_offset,
                    l3_proto: info.l3_proto,
                    l4_proto: info.l4_proto,
                }))
            }
            bindings::rnic_tx_offload_kind_RNIC_TX_OFFLOAD_TSO4 => tso(false),
            bindings::rnic_tx_offload_kind_RNIC_TX_OFFLOAD_TSO6 => tso(true),
            _ => return Err(EINVAL),
        };
        // SAFETY: We own the frame's reference (`&mut self`), so we may
        // unshare and write its headers.
        to_result(unsafe { bindings::rnic_skb_tso_prepare(self.as_raw()) })?;
        Ok(offload)
    }

    /// Whether the frame is to be segmented (GSO): it may be longer than
    /// the MTU allows.
    pub fn is_gso(&self) -> bool {
        // SAFETY: `self` is a valid frame (invariant).
        unsafe { bindings::rnic_skb_is_gso(self.as_raw()) }
    }

    /// Computes a `CHECKSUM_PARTIAL` checksum in software, for a device
    /// that cannot insert this one. Does nothing for other frames.
    pub fn checksum_in_software(&mut self) -> Result {
        // SAFETY: We own the frame's reference (`&mut self`).
        to_result(unsafe { bindings::skb_checksum_help(self.as_raw()) })
    }

    /// Tells the stack that the device verified the frame's transport
    /// checksum (`CHECKSUM_UNNECESSARY`).
    pub fn set_checksum_verified(&mut self) {
        // SAFETY: We own the frame's reference (`&mut self`); a plain
        // field is written.
        unsafe { bindings::rnic_skb_checksum_unnecessary(self.as_raw()) }
    }

    /// Whether the frame must leave without a frame check sequence (C
    /// `skb->no_fcs`, from a packet socket with `SO_NOFCS`). The stack
    /// sets it only on a device that declared it can
    /// ([`super::Builder::set_supports_no_fcs`]).
    pub fn no_fcs(&self) -> bool {
        // SAFETY: We own the reference (invariant), so the frame is valid.
        unsafe { bindings::rnic_skb_no_fcs(self.as_raw()) }
    }
}
