// SPDX-License-Identifier: GPL-2.0

//! Registers of the receive and transmit descriptor rings: base address,
//! length, head and tail, one layout at two bases.

use kernel::io::register;
use kernel::io::register::{Register, RegisterBase, WithBase};

/// The registers of a descriptor ring, at the same offsets from the
/// receive ring's base (RDBAL...) and from the transmit ring's (TDBAL...).
pub(crate) struct DescRing(());

/// The receive descriptor ring's registers: RDBAL, RDBAH, RDLEN, RDH, RDT.
pub(crate) struct RxDescRing;

impl RegisterBase<DescRing> for RxDescRing {
    const BASE: usize = 0x2800;
}

/// The transmit descriptor ring's registers: TDBAL, TDBAH, TDLEN, TDH, TDT.
pub(crate) struct TxDescRing;

impl RegisterBase<DescRing> for TxDescRing {
    const BASE: usize = 0x3800;
}

register! {
    /// Descriptor ring base address, low half (RDBAL, TDBAL).
    pub(crate) DBAL(u32) @ DescRing + 0x00 {
        /// Bits 31:0 of the ring's bus address (16-byte aligned).
        31:0 addr => u32;
    }

    /// Descriptor ring base address, high half (RDBAH, TDBAH).
    pub(crate) DBAH(u32) @ DescRing + 0x04 {
        /// Bits 63:32 of the ring's bus address.
        31:0 addr => u32;
    }

    /// Descriptor ring length (RDLEN, TDLEN).
    pub(crate) DLEN(u32) @ DescRing + 0x08 {
        /// Size of the ring in bytes, a multiple of 128 (the hardware
        /// keeps bits 19:7).
        31:0 bytes => u32;
    }

    /// Descriptor ring head (RDH, TDH): the next descriptor the device
    /// processes.
    pub(crate) DH(u32) @ DescRing + 0x10 {
        /// Index of the head descriptor (the hardware keeps bits 15:0).
        31:0 head => u32;
    }

    /// Descriptor ring tail (RDT, TDT): the device processes descriptors
    /// up to the one before it.
    pub(crate) DT(u32) @ DescRing + 0x18 {
        /// Index of the tail descriptor (the hardware keeps bits 15:0).
        31:0 tail => u32;
    }
}

/// Offset in BAR 0 of the ring register `R` of ring `B`, for the tables
/// that list registers by offset (`ethtool -d`, the register self-test).
pub(crate) const fn ring_reg<R, B>() -> usize
where
    R: Register + WithBase<BaseFamily = DescRing>,
    B: RegisterBase<DescRing>,
{
    B::BASE + R::OFFSET
}
