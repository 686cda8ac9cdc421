// SPDX-License-Identifier: GPL-2.0

//! Writing the EEPROM (`ethtool -E`, C `e1000_set_eeprom`): the 82540EM's
//! Microwire EEPROM of 64 words, driven bit by bit through `EECD` as C's
//! `e1000_write_eeprom_microwire` does, and the checksum word kept valid.
//! QEMU's model answers reads on these wires but ignores writes, so on
//! QEMU a write succeeds and changes nothing, with C as with ours.

use kernel::io::Io;
use kernel::prelude::*;
use kernel::time::{delay::fsleep, Delta};

use crate::adapter::E1000;
use crate::hw::Hw;
use crate::netdev::Device;
use crate::regs::*;

/// What `ethtool -e` reports and `ethtool -E` must be given: vendor and
/// device ID.
pub(crate) const MAGIC: u32 = 0x8086 | (0x100e << 16);

/// Microwire opcodes (3 bits; the enable and disable ones take 2 bits of
/// the address field too) and the address width of a 64-word part.
const OPCODE_WRITE: u16 = 0x5;
const OPCODE_WRITE_ENABLE: u16 = 0x13;
const OPCODE_WRITE_DISABLE: u16 = 0x10;
const OPCODE_BITS: u32 = 3;
const ADDRESS_BITS: u32 = 6;
/// The checksum word: words 0 to 0x3F sum to `EEPROM_SUM`.
const CHECKSUM_WORD: usize = 0x3F;

impl Hw<'_> {
    /// Drives the EEPROM's wires and waits for the part to see them.
    fn eecd_write(&self, eecd: EECD) {
        self.io().write_reg(eecd);
        self.flush();
        fsleep(Delta::from_micros(50));
    }

    /// Reads `EECD` until `ready` says so, `attempts` times at most,
    /// `delay_us` apart; whether it did.
    fn eecd_wait(&self, ready: impl Fn(EECD) -> bool, attempts: u32, delay_us: i64) -> bool {
        for _ in 0..attempts {
            if ready(self.io().read(EECD)) {
                return true;
            }
            fsleep(Delta::from_micros(delay_us));
        }
        false
    }

    /// Sends the low `count` bits of `data`, most significant first.
    fn eeprom_shift_out(&self, data: u16, count: u32) {
        let mut eecd = self.io().read(EECD).with_dout(false);
        for bit in (0..count).rev() {
            eecd = eecd.with_din((data >> bit) & 1 != 0);
            self.eecd_write(eecd);
            eecd = eecd.with_sk(true);
            self.eecd_write(eecd);
            eecd = eecd.with_sk(false);
            self.eecd_write(eecd);
        }
        self.io().write_reg(eecd.with_din(false));
    }

    /// Asks for the EEPROM and selects it.
    fn eeprom_acquire(&self) -> Result {
        let eecd = self.io().read(EECD).with_req(true);
        self.io().write_reg(eecd);
        if !self.eecd_wait(|e| e.gnt(), 1000, 5) {
            self.io().write_reg(eecd.with_req(false));
            return Err(EIO);
        }
        let eecd = self.io().read(EECD).with_din(false).with_sk(false);
        self.io().write_reg(eecd);
        self.io().write_reg(eecd.with_cs(true));
        Ok(())
    }

    /// Deselects the EEPROM for a clock and selects it again: ends a
    /// command.
    fn eeprom_standby(&self) {
        let eecd = self.io().read(EECD).with_cs(false).with_sk(false);
        self.eecd_write(eecd);
        self.eecd_write(eecd.with_sk(true));
        self.eecd_write(eecd.with_sk(true).with_cs(true));
        self.eecd_write(eecd.with_cs(true));
    }

    /// Deselects the EEPROM and gives it back.
    fn eeprom_release(&self) {
        let eecd = self.io().read(EECD).with_cs(false).with_din(false);
        self.io().write_reg(eecd);
        self.eecd_write(eecd.with_sk(true));
        self.eecd_write(eecd);
        self.io().write_reg(eecd.with_req(false));
    }

    /// Writes `words` from word `first` on.
    fn eeprom_write(&self, first: usize, words: &[u16]) -> Result {
        if words.is_empty() || first + words.len() > EEPROM_WORDS {
            return Err(EINVAL);
        }
        self.eeprom_acquire()?;
        let result = self.eeprom_write_words(first, words);
        self.eeprom_release();
        result
    }

    fn eeprom_write_words(&self, first: usize, words: &[u16]) -> Result {
        self.eeprom_shift_out(OPCODE_WRITE_ENABLE, OPCODE_BITS + 2);
        self.eeprom_shift_out(0, ADDRESS_BITS - 2);
        self.eeprom_standby();
        for (i, word) in words.iter().enumerate() {
            let addr = u16::try_from(first + i).map_err(|_| EINVAL)?;
            self.eeprom_shift_out(OPCODE_WRITE, OPCODE_BITS);
            self.eeprom_shift_out(addr, ADDRESS_BITS);
            self.eeprom_shift_out(*word, 16);
            self.eeprom_standby();
            // The part raises its data out line once the word is written.
            if !self.eecd_wait(|e| e.dout(), 200, 50) {
                return Err(EIO);
            }
            self.eeprom_standby();
        }
        self.eeprom_shift_out(OPCODE_WRITE_DISABLE, OPCODE_BITS + 2);
        self.eeprom_shift_out(0, ADDRESS_BITS - 2);
        Ok(())
    }

    /// Writes the checksum word from the words the EEPROM holds now.
    fn eeprom_update_checksum(&self) -> Result {
        let words = self.eeprom_read_all()?;
        let sum = words[..CHECKSUM_WORD]
            .iter()
            .fold(0u16, |sum, w| sum.wrapping_add(*w));
        self.eeprom_write(CHECKSUM_WORD, &[EEPROM_SUM.wrapping_sub(sum)])
    }
}

/// `ethtool -E`: refuses another device's magic (`EFAULT`, as C), writes
/// the words the bytes fall in (the bytes around them read first), then
/// the checksum when the write reached the words it covers.
pub(crate) fn set_eeprom(dev: &Device<E1000>, magic: u32, offset: usize, bytes: &[u8]) -> Result {
    if bytes.is_empty() {
        return Err(crate::netdev::code::eopnotsupp());
    }
    if magic != MAGIC {
        return Err(EFAULT);
    }
    let (first, last) = (offset / 2, (offset + bytes.len() - 1) / 2);
    E1000::with_hw(dev, |hw| {
        let words = hw.eeprom_read_all()?;
        let mut image = [0u8; EEPROM_WORDS * 2];
        for (pair, word) in image.chunks_exact_mut(2).zip(words.iter()) {
            pair.copy_from_slice(&word.to_le_bytes());
        }
        image
            .get_mut(offset..offset + bytes.len())
            .ok_or(EINVAL)?
            .copy_from_slice(bytes);
        let mut changed = [0u16; EEPROM_WORDS];
        for (i, word) in changed[..=last - first].iter_mut().enumerate() {
            let at = (first + i) * 2;
            *word = u16::from_le_bytes([image[at], image[at + 1]]);
        }
        hw.eeprom_write(first, &changed[..=last - first])?;
        if first <= CHECKSUM_WORD {
            hw.eeprom_update_checksum()?;
        }
        Ok(())
    })
    .ok_or(ENODEV)?
}
