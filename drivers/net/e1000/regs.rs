// SPDX-License-Identifier: GPL-2.0

//! Registers of the 8254x family as the 82540EM (and QEMU's model of it)
//! implements them: offsets in BAR 0 and the bits the driver uses.

/// Device control.
pub(crate) const CTRL: usize = 0x0000;
/// Full duplex.
pub(crate) const CTRL_FD: u32 = 1 << 0;
/// Auto-speed detection.
pub(crate) const CTRL_ASDE: u32 = 1 << 5;
/// Set link up.
pub(crate) const CTRL_SLU: u32 = 1 << 6;
/// Invert loss-of-signal.
pub(crate) const CTRL_ILOS: u32 = 1 << 7;
/// Force speed.
pub(crate) const CTRL_FRCSPD: u32 = 1 << 11;
/// Force duplex.
pub(crate) const CTRL_FRCDPLX: u32 = 1 << 12;
/// Device reset (self-clearing).
pub(crate) const CTRL_RST: u32 = 1 << 26;
/// Receive flow control enable.
pub(crate) const CTRL_RFCE: u32 = 1 << 27;
/// Transmit flow control enable.
pub(crate) const CTRL_TFCE: u32 = 1 << 28;
/// PHY reset.
pub(crate) const CTRL_PHY_RST: u32 = 1 << 31;

/// Device status.
pub(crate) const STATUS: usize = 0x0008;
/// Full duplex.
pub(crate) const STATUS_FD: u32 = 1 << 0;
/// Link up.
pub(crate) const STATUS_LU: u32 = 1 << 1;
/// Speed field shift and mask.
pub(crate) const STATUS_SPEED_SHIFT: u32 = 6;
pub(crate) const STATUS_SPEED_MASK: u32 = 3;

/// EEPROM control.
pub(crate) const EECD: usize = 0x0010;
/// EEPROM read.
pub(crate) const EERD: usize = 0x0014;
pub(crate) const EERD_START: u32 = 1 << 0;
pub(crate) const EERD_DONE: u32 = 1 << 4;
pub(crate) const EERD_ADDR_SHIFT: u32 = 8;
pub(crate) const EERD_DATA_SHIFT: u32 = 16;

/// Extended device control.
pub(crate) const CTRL_EXT: usize = 0x0018;
/// MDI control (PHY access).
pub(crate) const MDIC: usize = 0x0020;
pub(crate) const MDIC_REG_SHIFT: u32 = 16;
pub(crate) const MDIC_PHY_SHIFT: u32 = 21;
pub(crate) const MDIC_OP_WRITE: u32 = 1 << 26;
pub(crate) const MDIC_OP_READ: u32 = 2 << 26;
pub(crate) const MDIC_READY: u32 = 1 << 28;
pub(crate) const MDIC_ERROR: u32 = 1 << 30;

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

/// Receive control.
pub(crate) const RCTL: usize = 0x0100;
pub(crate) const RCTL_EN: u32 = 1 << 1;
pub(crate) const RCTL_SBP: u32 = 1 << 2;
/// Unicast promiscuous.
pub(crate) const RCTL_UPE: u32 = 1 << 3;
/// Multicast promiscuous.
pub(crate) const RCTL_MPE: u32 = 1 << 4;
/// Long packets (jumbo frames).
pub(crate) const RCTL_LPE: u32 = 1 << 5;
/// Descriptor minimum threshold: half the ring.
pub(crate) const RCTL_RDMTS_HALF: u32 = 0 << 8;
/// Multicast offset: bits [47:36] of the address select the MTA bit.
pub(crate) const RCTL_MO_0: u32 = 0 << 12;
/// Accept broadcast.
pub(crate) const RCTL_BAM: u32 = 1 << 15;
/// Buffer size field and its extension.
pub(crate) const RCTL_SZ_2048: u32 = 0 << 16;
pub(crate) const RCTL_SZ_4096: u32 = 3 << 16;
pub(crate) const RCTL_SZ_8192: u32 = 2 << 16;
pub(crate) const RCTL_SZ_16384: u32 = 1 << 16;
pub(crate) const RCTL_BSEX: u32 = 1 << 25;
/// Strip the Ethernet CRC.
pub(crate) const RCTL_SECRC: u32 = 1 << 26;

/// Transmit control.
pub(crate) const TCTL: usize = 0x0400;
pub(crate) const TCTL_EN: u32 = 1 << 1;
/// Pad short packets.
pub(crate) const TCTL_PSP: u32 = 1 << 3;
/// Collision threshold (the C driver's value) and distance (full duplex).
pub(crate) const TCTL_CT: u32 = 0x0F << 4;
pub(crate) const TCTL_COLD: u32 = 0x40 << 12;
/// Re-transmit on late collision.
pub(crate) const TCTL_RTLC: u32 = 1 << 24;
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

/// Receive checksum control.
pub(crate) const RXCSUM: usize = 0x5000;
/// TCP/UDP checksum offload.
pub(crate) const RXCSUM_TUOFL: u32 = 1 << 9;

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
