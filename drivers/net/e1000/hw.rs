// SPDX-License-Identifier: GPL-2.0

//! Register-level operations on the 82540EM: reset, EEPROM, PHY, link,
//! receive address and multicast filters, descriptor rings.

use kernel::io::poll::read_poll_timeout;
use kernel::io::register::{Array, RegisterBase, WithBase};
use kernel::io::Io;
use kernel::pci;
use kernel::prelude::*;
use kernel::time::{delay::fsleep, Delta};

use crate::netdev::MacAddress;
use crate::regs::*;

/// BAR 0 of the device.
pub(crate) type Bar0 = pci::Bar<'static, BAR0_SIZE>;

/// Register access through BAR 0.
///
/// The registers are the `register!` types of `regs`, accessed through
/// `io()`. Only the tables that walk registers by offset (`ethtool -d`,
/// the register self-test) use `read` and `write`: every offset they hold
/// comes from `regs`, inside the BAR, so the checked accessors cannot
/// fail; a failure would read as zero and drop the write, and is reported
/// once.
pub(crate) struct Hw<'a>(pub(crate) &'a Bar0);

impl Hw<'_> {
    /// The BAR, to access the registers defined with `register!`
    /// (`hw.io().read(RCTL)`); their offsets are checked at build time.
    #[inline]
    pub(crate) fn io(&self) -> &Bar0 {
        self.0
    }

    /// Reads a register by offset.
    #[inline]
    pub(crate) fn read(&self, reg: usize) -> u32 {
        self.0.try_read32(reg).unwrap_or_else(|_| {
            kernel::pr_warn_once!("rust_e1000: read of register {:#x} outside BAR 0\n", reg);
            0
        })
    }

    /// Writes a register by offset.
    #[inline]
    pub(crate) fn write(&self, reg: usize, value: u32) {
        if self.0.try_write32(value, reg).is_err() {
            kernel::pr_warn_once!("rust_e1000: write of register {:#x} outside BAR 0\n", reg);
        }
    }

    /// Flushes posted writes.
    pub(crate) fn flush(&self) {
        let _ = self.0.read(STATUS);
    }

    /// Masks every interrupt and clears pending causes.
    pub(crate) fn irq_disable(&self) {
        self.0.write_reg(IMC::zeroed().with_causes(!0));
        self.flush();
    }

    /// Unmasks the interrupts the driver handles.
    pub(crate) fn irq_enable(&self) {
        self.0.write_reg(IMS::zeroed().with_causes(IMS_ENABLE));
        self.flush();
    }

    /// Resets the MAC: stops both units, masks interrupts, issues a global
    /// reset and waits for it to finish (QEMU's reset is partial: the
    /// driver reprograms every register it relies on afterwards).
    pub(crate) fn reset(&self) -> Result {
        self.0.write_reg(IMC::zeroed().with_causes(!0));
        self.0.write_reg(RCTL::zeroed());
        self.0.write_reg(TCTL::zeroed().with_psp(true));
        self.flush();
        // Let pending bus transactions finish, as the C driver does.
        fsleep(Delta::from_millis(10));
        self.0.update(CTRL, |r| r.with_rst(true));
        read_poll_timeout(
            || Ok(self.0.read(CTRL)),
            |ctrl| !ctrl.rst(),
            Delta::from_millis(1),
            Delta::from_millis(100),
        )?;
        fsleep(Delta::from_millis(5));
        self.0.write_reg(IMC::zeroed().with_causes(!0));
        let _ = self.0.read(ICR);
        Ok(())
    }

    /// Reads one 16-bit EEPROM word through EERD.
    pub(crate) fn eeprom_read(&self, word: usize) -> Result<u16> {
        if word >= EEPROM_WORDS {
            return Err(EINVAL);
        }
        let addr = u32::try_from(word).map_err(|_| EINVAL)?;
        self.0
            .write_reg(EERD::zeroed().try_with_addr(addr)?.with_start(true));
        let v = read_poll_timeout(
            || Ok(self.0.read(EERD)),
            |v| v.done(),
            Delta::from_micros(5),
            Delta::from_millis(10),
        )?;
        Ok(v.data().get() as u16)
    }

    /// Reads the whole EEPROM.
    pub(crate) fn eeprom_read_all(&self) -> Result<[u16; EEPROM_WORDS]> {
        let mut words = [0u16; EEPROM_WORDS];
        for (i, w) in words.iter_mut().enumerate() {
            *w = self.eeprom_read(i)?;
        }
        Ok(words)
    }

    /// Whether the EEPROM's words add up to the signature sum.
    pub(crate) fn eeprom_checksum_ok(words: &[u16; EEPROM_WORDS]) -> bool {
        words.iter().fold(0u16, |sum, w| sum.wrapping_add(*w)) == EEPROM_SUM
    }

    /// The station address stored in EEPROM words 0-2.
    pub(crate) fn eeprom_mac(words: &[u16; EEPROM_WORDS]) -> MacAddress {
        let mut mac = [0u8; 6];
        for i in 0..3 {
            mac[2 * i..2 * i + 2].copy_from_slice(&words[i].to_le_bytes());
        }
        MacAddress(mac)
    }

    /// Runs one MDIC transaction on PHY register `reg` and returns the
    /// register's final value.
    fn mdic(&self, reg: u32, command: MDIC) -> Result<MDIC> {
        let command = command.try_with_reg(reg)?.with_const_phy::<PHY_ADDR>();
        self.0.write_reg(command);
        let v = read_poll_timeout(
            || Ok(self.0.read(MDIC)),
            |v| v.ready(),
            Delta::from_micros(50),
            Delta::from_millis(10),
        )?;
        if v.error() {
            return Err(EIO);
        }
        Ok(v)
    }

    /// Reads a PHY register through MDIC.
    pub(crate) fn phy_read(&self, reg: u32) -> Result<u16> {
        let v = self.mdic(reg, MDIC::zeroed().with_const_op::<MDIC_OP_READ>())?;
        Ok(v.data().get() as u16)
    }

    /// Writes a PHY register through MDIC.
    pub(crate) fn phy_write(&self, reg: u32, value: u16) -> Result {
        let command = MDIC::zeroed()
            .with_const_op::<MDIC_OP_WRITE>()
            .try_with_data(u32::from(value))?;
        self.mdic(reg, command).map(|_| ())
    }

    /// The link state: `Some((speed in Mb/s, full duplex))` when up.
    pub(crate) fn link(&self) -> Option<(u32, bool)> {
        let status = self.0.read(STATUS);
        if !status.lu() {
            return None;
        }
        let speed = match status.speed().get() {
            0 => 10,
            1 => 100,
            _ => 1000,
        };
        Some((speed, status.fd()))
    }

    /// Programs descriptor ring `B` (`RxDescRing` or `TxDescRing`): base
    /// address, length in bytes, head 0 and `tail`.
    pub(crate) fn program_ring<B: RegisterBase<DescRing>>(
        &self,
        dma: u64,
        bytes: usize,
        tail: usize,
    ) {
        let io = self.0;
        io.write(DBAL::of::<B>(), DBAL::zeroed().with_addr(dma as u32));
        io.write(
            DBAH::of::<B>(),
            DBAH::zeroed().with_addr((dma >> 32) as u32),
        );
        io.write(DLEN::of::<B>(), DLEN::zeroed().with_bytes(bytes as u32));
        io.write(DH::of::<B>(), DH::zeroed());
        io.write(DT::of::<B>(), DT::zeroed().with_tail(tail as u32));
    }

    /// Programs receive address register `index`.
    pub(crate) fn set_rar(&self, index: usize, mac: &MacAddress) {
        let (Some(ral), Some(rah)) = (RAL::try_at(index), RAH::try_at(index)) else {
            kernel::pr_warn_once!("rust_e1000: no receive address register {}\n", index);
            return;
        };
        let a = &mac.0;
        let low = RAL::zeroed().with_addr(u32::from_le_bytes([a[0], a[1], a[2], a[3]]));
        let high = RAH::zeroed()
            .with_addr(u16::from_le_bytes([a[4], a[5]]))
            .with_av(true);
        self.0.write(ral, low);
        self.0.write(rah, high);
        self.flush();
    }

    /// Disables receive address register `index`.
    pub(crate) fn clear_rar(&self, index: usize) {
        let (Some(ral), Some(rah)) = (RAL::try_at(index), RAH::try_at(index)) else {
            kernel::pr_warn_once!("rust_e1000: no receive address register {}\n", index);
            return;
        };
        self.0.write(rah, RAH::zeroed());
        self.0.write(ral, RAL::zeroed());
        self.flush();
    }

    /// Writes the whole multicast table.
    pub(crate) fn write_mta(&self, mta: &[u32; MTA_REGS]) {
        // Written in reverse, as the C driver does, so that the table is
        // complete by the time the first entry is live.
        for (i, v) in mta.iter().enumerate().rev() {
            // Always there: the table has `MTA_REGS` registers.
            if let Some(reg) = MTA::try_at(i) {
                self.0.write(reg, MTA::zeroed().with_bits(*v));
            }
        }
        self.flush();
    }

    /// Clears the VLAN filter table.
    pub(crate) fn clear_vfta(&self) {
        for i in 0..VFTA_REGS {
            self.0.write(VFTA::at(i), VFTA::zeroed());
        }
    }
}

/// The MTA bit of a multicast address for multicast offset 0 (the C
/// driver's `e1000_hash_mc_addr` with `mc_filter_type` 0): bits 47:36 of
/// the address. Returns (register, bit).
pub(crate) fn mta_hash(addr: &MacAddress) -> (usize, u32) {
    let a = &addr.0;
    let hash = ((u32::from(a[4]) >> 4) | (u32::from(a[5]) << 4)) & 0xFFF;
    ((hash >> 5) as usize, hash & 0x1F)
}
