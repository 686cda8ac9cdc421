// SPDX-License-Identifier: GPL-2.0

//! Registers of the 8254x family as the 82540EM (and QEMU's model of it)
//! implements them. Those the driver reads or writes field by field are
//! `register!` types; plain values (ring addresses, counters, tables)
//! are offsets in BAR 0.

use kernel::io::register;

register! {
    /// Device control.
    pub(crate) CTRL(u32) @ 0x0000 {
        /// PHY reset.
        31:31 phy_rst => bool;
        /// Transmit flow control enable.
        28:28 tfce => bool;
        /// Receive flow control enable.
        27:27 rfce => bool;
        /// Device reset (self-clearing).
        26:26 rst => bool;
        /// Force duplex.
        12:12 frcdplx => bool;
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

    /// Receive control.
    pub(crate) RCTL(u32) @ 0x0100 {
        /// Strip the Ethernet CRC.
        26:26 secrc => bool;
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
/// Collision threshold and distance the C driver programs (full duplex).
pub(crate) const TCTL_CT_DEFAULT: u32 = 0x0F;
pub(crate) const TCTL_COLD_FULL_DUPLEX: u32 = 0x40;

/// EEPROM control.
pub(crate) const EECD: usize = 0x0010;
/// Extended device control.
pub(crate) const CTRL_EXT: usize = 0x0018;
/// Flow control address low/high, type, transmit timer.
pub(crate) const FCAL: usize = 0x0028;
pub(crate) const FCAH: usize = 0x002C;
pub(crate) const FCT: usize = 0x0030;
pub(crate) const FCTTV: usize = 0x0170;
/// VLAN EtherType.
pub(crate) const VET: usize = 0x0038;

/// Interrupt cause read (clears on read).
pub(crate) const ICR: usize = 0x00C0;
/// Interrupt throttling.
pub(crate) const ITR: usize = 0x00C4;
/// Interrupt cause set.
pub(crate) const ICS: usize = 0x00C8;
/// Interrupt mask set.
pub(crate) const IMS: usize = 0x00D0;
/// Interrupt mask clear.
pub(crate) const IMC: usize = 0x00D8;

/// Transmit descriptor written back.
pub(crate) const ICR_TXDW: u32 = 1 << 0;
/// Link status change.
pub(crate) const ICR_LSC: u32 = 1 << 2;
/// Receive sequence error.
pub(crate) const ICR_RXSEQ: u32 = 1 << 3;
/// Receive descriptors below the minimum threshold.
pub(crate) const ICR_RXDMT0: u32 = 1 << 4;
/// Receiver overrun.
pub(crate) const ICR_RXO: u32 = 1 << 6;
/// Receive timer.
pub(crate) const ICR_RXT0: u32 = 1 << 7;
/// The interrupts the driver runs on (the C driver's `IMS_ENABLE_MASK`).
pub(crate) const IMS_ENABLE: u32 = ICR_RXT0 | ICR_TXDW | ICR_RXDMT0 | ICR_RXSEQ | ICR_LSC;

/// Transmit inter-packet gap (copper defaults: IPGT 8, IPGR1 8, IPGR2 6).
pub(crate) const TIPG: usize = 0x0410;
pub(crate) const TIPG_DEFAULT: u32 = 8 | (8 << 10) | (6 << 20);

/// LED control.
pub(crate) const LEDCTL: usize = 0x0E00;
/// Packet buffer allocation.
pub(crate) const PBA: usize = 0x1000;

/// Receive descriptor ring: base, length, head, tail; delay timers.
pub(crate) const RDBAL: usize = 0x2800;
pub(crate) const RDBAH: usize = 0x2804;
pub(crate) const RDLEN: usize = 0x2808;
pub(crate) const RDH: usize = 0x2810;
pub(crate) const RDT: usize = 0x2818;
pub(crate) const RDTR: usize = 0x2820;
pub(crate) const RADV: usize = 0x282C;

/// Transmit descriptor ring: base, length, head, tail; delay timers.
pub(crate) const TDBAL: usize = 0x3800;
pub(crate) const TDBAH: usize = 0x3804;
pub(crate) const TDLEN: usize = 0x3808;
pub(crate) const TDH: usize = 0x3810;
pub(crate) const TDT: usize = 0x3818;
pub(crate) const TIDV: usize = 0x3820;
pub(crate) const TXDCTL: usize = 0x3828;
pub(crate) const TADV: usize = 0x382C;

/// Multicast table array: 128 registers of 32 hash bits.
pub(crate) const MTA: usize = 0x5200;
pub(crate) const MTA_REGS: usize = 128;
/// Receive address registers: 16 pairs (low, high) of 8 bytes.
pub(crate) const RAL: usize = 0x5400;
pub(crate) const RAH: usize = 0x5404;
pub(crate) const RAR_ENTRIES: usize = 15;
pub(crate) const RAH_AV: u32 = 1 << 31;
/// VLAN filter table.
pub(crate) const VFTA: usize = 0x5600;
pub(crate) const VFTA_REGS: usize = 128;

/// Start of the statistics registers.
pub(crate) const STATS_START: usize = 0x4000;
/// CRC errors, alignment errors, symbol errors, receive errors, missed
/// packets, collisions...
pub(crate) const CRCERRS: usize = 0x4000;
pub(crate) const ALGNERRC: usize = 0x4004;
pub(crate) const RXERRC: usize = 0x400C;
pub(crate) const MPC: usize = 0x4010;
pub(crate) const COLC: usize = 0x4028;
pub(crate) const RLEC: usize = 0x4040;
pub(crate) const XONRXC: usize = 0x4048;
pub(crate) const XONTXC: usize = 0x404C;
pub(crate) const XOFFRXC: usize = 0x4050;
pub(crate) const XOFFTXC: usize = 0x4054;
pub(crate) const GPRC: usize = 0x4074;
pub(crate) const BPRC: usize = 0x4078;
pub(crate) const MPRC: usize = 0x407C;
pub(crate) const GPTC: usize = 0x4080;
pub(crate) const GORCL: usize = 0x4088;
pub(crate) const GOTCL: usize = 0x4090;
pub(crate) const RNBC: usize = 0x40A0;
pub(crate) const RUC: usize = 0x40A4;
pub(crate) const ROC: usize = 0x40AC;
pub(crate) const TPR: usize = 0x40D0;
pub(crate) const TPT: usize = 0x40D4;
pub(crate) const MPTC: usize = 0x40F0;
pub(crate) const BPTC: usize = 0x40F4;
/// TCP segmentation contexts transmitted, and those that failed.
pub(crate) const TSCTC: usize = 0x40F8;
pub(crate) const TSCTFC: usize = 0x40FC;

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
