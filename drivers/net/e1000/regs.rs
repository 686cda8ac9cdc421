// SPDX-License-Identifier: GPL-2.0

//! Registers of the 8254x family as the 82540EM (and QEMU's model of it)
//! implements them, all `register!` types. Registers the driver reads or
//! writes field by field have those fields; one that holds a plain value
//! (an address, a length, an index, a count) has one field for it.
//! Tables (receive addresses, multicast and VLAN filters, statistics) are
//! register arrays, and the registers of the two descriptor rings are
//! relative to the ring's base: both rings have the same layout.

use kernel::io::register;

mod desc_ring;
mod statistics;

pub(crate) use desc_ring::*;
pub(crate) use statistics::*;

register! {
    /// Device control.
    pub(crate) CTRL(u32) @ 0x0000 {
        /// PHY reset.
        31:31 phy_rst => bool;
        /// VLAN mode: strip received tags and insert those transmit
        /// descriptors ask for.
        30:30 vme => bool;
        /// Transmit flow control enable.
        28:28 tfce => bool;
        /// Receive flow control enable.
        27:27 rfce => bool;
        /// Device reset (self-clearing).
        26:26 rst => bool;
        /// Force duplex.
        12:12 frcdplx => bool;
        /// Forced speed: 0 10 Mb/s, 1 100 Mb/s, 2 1000 Mb/s.
        9:8 speed;
        /// Force speed.
        11:11 frcspd => bool;
        /// Invert loss-of-signal.
        7:7 ilos => bool;
        /// Set link up.
        6:6 slu => bool;
        /// Auto-speed detection.
        5:5 asde => bool;
        /// Full duplex.
        0:0 fd => bool;
    }

    /// Device status.
    pub(crate) STATUS(u32) @ 0x0008 {
        /// Link speed: 0 10 Mb/s, 1 100 Mb/s, 2 or 3 1000 Mb/s.
        7:6 speed;
        /// Link up.
        1:1 lu => bool;
        /// Full duplex.
        0:0 fd => bool;
    }

    /// EEPROM/flash control: the EEPROM's wires, which writes drive by
    /// hand (reads go through EERD).
    pub(crate) EECD(u32) @ 0x0010 {
        /// Access granted to software.
        7:7 gnt => bool;
        /// Software asks for access.
        6:6 req => bool;
        /// Data out of the EEPROM.
        3:3 dout => bool;
        /// Data into the EEPROM.
        2:2 din => bool;
        /// Chip select.
        1:1 cs => bool;
        /// Clock.
        0:0 sk => bool;
    }

    /// EEPROM read: one 16-bit word through the EEPROM interface.
    pub(crate) EERD(u32) @ 0x0014 {
        /// The word read.
        31:16 data;
        /// Word address.
        15:8 addr;
        /// Read done.
        4:4 done => bool;
        /// Start a read.
        0:0 start => bool;
    }

    /// MDI control: one PHY register access.
    pub(crate) MDIC(u32) @ 0x0020 {
        /// The access failed.
        30:30 error => bool;
        /// The access is done.
        28:28 ready => bool;
        /// Operation: 1 write, 2 read.
        27:26 op;
        /// PHY address.
        25:21 phy;
        /// PHY register.
        20:16 reg;
        /// Data written or read.
        15:0 data;
    }

    /// Flow control address, low half.
    pub(crate) FCAL(u32) @ 0x0028 {
        /// Bytes 0-3 of the destination address of pause frames.
        31:0 addr;
    }

    /// Flow control address, high half.
    pub(crate) FCAH(u32) @ 0x002C {
        /// Bytes 4-5 of the destination address of pause frames.
        15:0 addr;
    }

    /// Flow control type.
    pub(crate) FCT(u32) @ 0x0030 {
        /// EtherType of pause frames.
        15:0 ethertype;
    }

    /// VLAN EtherType.
    pub(crate) VET(u32) @ 0x0038 {
        /// EtherType of VLAN tags.
        15:0 ethertype;
    }

    /// Interrupt cause read: reading returns the pending causes and clears
    /// them.
    pub(crate) ICR(u32) @ 0x00C0 {
        /// Receive timer expired.
        7:7 rxt0 => bool;
        /// Receiver overrun.
        6:6 rxo => bool;
        /// Receive descriptors below the minimum threshold.
        4:4 rxdmt0 => bool;
        /// Receive sequence error.
        3:3 rxseq => bool;
        /// Link status change.
        2:2 lsc => bool;
        /// Transmit descriptor written back.
        0:0 txdw => bool;
    }

    /// Interrupt throttling.
    pub(crate) ITR(u32) @ 0x00C4 {
        /// Minimum interval between interrupts in 256 ns units, 0 for no
        /// throttling (the hardware keeps bits 15:0).
        31:0 interval => u32;
    }

    /// Interrupt cause set: raises causes as if the device had.
    pub(crate) ICS(u32) @ 0x00C8 {
        /// Causes to raise, bits as in ICR.
        31:0 causes => u32;
    }

    /// Interrupt mask set: unmasks causes.
    pub(crate) IMS(u32) @ 0x00D0 {
        /// Causes to unmask, bits as in ICR.
        31:0 causes => u32;
    }

    /// Interrupt mask clear: masks causes.
    pub(crate) IMC(u32) @ 0x00D8 {
        /// Causes to mask, bits as in ICR.
        31:0 causes => u32;
    }

    /// Receive control.
    pub(crate) RCTL(u32) @ 0x0100 {
        /// Strip the Ethernet CRC.
        26:26 secrc => bool;
        /// Pass MAC control frames (other than pause) to the host.
        23:23 pmcf => bool;
        /// Discard pause frames.
        22:22 dpf => bool;
        /// Canonical form indicator enable (VLAN tags with CFI set only).
        19:19 cfien => bool;
        /// VLAN filter enable: tagged frames must be in `VFTA`.
        18:18 vfe => bool;
        /// Buffer size extension: `bsize` counts in 16ths.
        25:25 bsex => bool;
        /// Buffer size: 0 2048 (or 32768 extended), 1 1024 (16384),
        /// 2 512 (8192), 3 256 (4096) bytes.
        17:16 bsize;
        /// Accept broadcast.
        15:15 bam => bool;
        /// Multicast offset: 0 selects bits 47:36 of the address for the
        /// multicast table.
        13:12 mo;
        /// Descriptor minimum threshold: 0 half the ring.
        9:8 rdmts;
        /// Long packets (jumbo frames).
        5:5 lpe => bool;
        /// Multicast promiscuous.
        4:4 mpe => bool;
        /// Unicast promiscuous.
        3:3 upe => bool;
        /// Store bad packets.
        2:2 sbp => bool;
        /// Receiver enable.
        1:1 en => bool;
    }

    /// Flow control transmit timer value.
    pub(crate) FCTTV(u32) @ 0x0170 {
        /// Pause time sent in pause frames, in slot times.
        15:0 ttv;
    }

    /// Transmit control.
    pub(crate) TCTL(u32) @ 0x0400 {
        /// Re-transmit on late collision.
        24:24 rtlc => bool;
        /// Collision distance.
        21:12 cold;
        /// Collision threshold.
        11:4 ct;
        /// Pad short packets.
        3:3 psp => bool;
        /// Transmitter enable.
        1:1 en => bool;
    }

    /// Transmit inter-packet gap.
    pub(crate) TIPG(u32) @ 0x0410 {
        /// Gap before a frame that does not follow a sent one, in byte
        /// times.
        29:20 ipgr2;
        /// First part of `ipgr2`, in which carrier activity restarts the
        /// gap, in byte times.
        19:10 ipgr1;
        /// Gap between frames sent back to back, in byte times.
        9:0 ipgt;
    }

    /// LED control (see `led`).
    pub(crate) LEDCTL(u32) @ 0x0E00 {}

    /// Receive interrupt delay timer.
    pub(crate) RDTR(u32) @ 0x2820 {
        /// Flush partial descriptor block.
        31:31 fpd => bool;
        /// Delay after a received frame, in 1.024 us units.
        15:0 delay;
    }

    /// Receive interrupt absolute delay timer.
    pub(crate) RADV(u32) @ 0x282C {
        /// Longest delay after a received frame, in 1.024 us units.
        15:0 delay;
    }

    /// Transmit interrupt delay value.
    pub(crate) TIDV(u32) @ 0x3820 {
        /// Delay after a transmitted frame, in 1.024 us units.
        15:0 delay;
    }

    /// Transmit interrupt absolute delay value.
    pub(crate) TADV(u32) @ 0x382C {
        /// Longest delay after a transmitted frame, in 1.024 us units.
        15:0 delay;
    }

    /// Receive checksum control.
    pub(crate) RXCSUM(u32) @ 0x5000 {
        /// TCP/UDP checksum offload.
        9:9 tuofl => bool;
        /// IP checksum offload.
        8:8 ipofl => bool;
    }
}

/// Operations of `MDIC.op`.
pub(crate) const MDIC_OP_WRITE: u32 = 1;
pub(crate) const MDIC_OP_READ: u32 = 2;
/// Collision threshold and distance the C driver programs (C
/// `E1000_COLLISION_THRESHOLD`, and `E1000_COLLISION_DISTANCE` from
/// `e1000_config_collision_dist`).
pub(crate) const TCTL_CT_DEFAULT: u32 = 0x0F;
pub(crate) const TCTL_COLD: u32 = 63;
/// Transmit inter-packet gap (copper defaults: IPGT 8, IPGR1 8, IPGR2 6).
pub(crate) const TIPG_IPGT_COPPER: u32 = 8;
pub(crate) const TIPG_IPGR1_DEFAULT: u32 = 8;
pub(crate) const TIPG_IPGR2_DEFAULT: u32 = 6;

/// Transmit descriptor written back.
pub(crate) const ICR_TXDW: u32 = ICR::TXDW_MASK;
/// Link status change.
pub(crate) const ICR_LSC: u32 = ICR::LSC_MASK;
/// Receive sequence error.
pub(crate) const ICR_RXSEQ: u32 = ICR::RXSEQ_MASK;
/// Receive descriptors below the minimum threshold.
pub(crate) const ICR_RXDMT0: u32 = ICR::RXDMT0_MASK;
/// Receiver overrun.
pub(crate) const ICR_RXO: u32 = ICR::RXO_MASK;
/// Receive timer.
pub(crate) const ICR_RXT0: u32 = ICR::RXT0_MASK;
/// The interrupts the driver runs on (the C driver's `IMS_ENABLE_MASK`).
pub(crate) const IMS_ENABLE: u32 = ICR_RXT0 | ICR_TXDW | ICR_RXDMT0 | ICR_RXSEQ | ICR_LSC;

/// Multicast table array: 128 registers of 32 hash bits.
pub(crate) const MTA_REGS: usize = 128;
/// Receive addresses the driver fills (the C driver's `E1000_RAR_ENTRIES`)
/// of the 16 the device has.
pub(crate) const RAR_ENTRIES: usize = 15;
/// VLAN filter table: 128 registers of 32 bits.
pub(crate) const VFTA_REGS: usize = 128;

register! {
    /// Multicast table array: a frame to a multicast address is accepted
    /// when the bit of its hash is set.
    pub(crate) MTA(u32)[MTA_REGS] @ 0x5200 {
        /// Hash values `32 * index` to `32 * index + 31`, one bit each.
        31:0 bits => u32;
    }

    /// Receive address registers, low half: 16 pairs (low, high) of 8
    /// bytes.
    pub(crate) RAL(u32)[16, stride = 8] @ 0x5400 {
        /// Bytes 0-3 of the address, byte 0 in bits 7:0.
        31:0 addr => u32;
    }

    /// Receive address registers, high half.
    pub(crate) RAH(u32)[16, stride = 8] @ 0x5404 {
        /// Address valid: frames to this address are accepted.
        31:31 av => bool;
        /// Bytes 4-5 of the address, byte 4 in bits 7:0.
        15:0 addr => u16;
    }

    /// Management control (only in the `ethtool -d` dump).
    pub(crate) MANC(u32) @ 0x5820 {}

    /// VLAN filter table.
    pub(crate) VFTA(u32)[VFTA_REGS] @ 0x5600 {
        /// VLAN IDs `32 * index` to `32 * index + 31`, one bit each.
        31:0 bits => u32;
    }
}

/// PHY registers (IEEE 802.3 clause 22) of the M88E1011 behind MDIC.
pub(crate) const PHY_ADDR: u32 = 1;
pub(crate) const PHY_CTRL: u32 = 0;
pub(crate) const PHY_STATUS: u32 = 1;
pub(crate) const PHY_ID1: u32 = 2;
pub(crate) const PHY_ID2: u32 = 3;
pub(crate) const PHY_CTRL_RESTART_AN: u16 = 1 << 9;
pub(crate) const PHY_CTRL_AN_ENABLE: u16 = 1 << 12;

/// EEPROM: words 0-2 hold the station address; the sum of words
/// 0..=0x3f must be 0xbaba.
pub(crate) const EEPROM_WORDS: usize = 64;
pub(crate) const EEPROM_SUM: u16 = 0xBABA;

/// Size of BAR 0.
pub(crate) const BAR0_SIZE: usize = 0x20000;
