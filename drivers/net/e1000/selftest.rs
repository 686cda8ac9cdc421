// SPDX-License-Identifier: GPL-2.0

//! `ethtool -t`: the self-tests of the C driver that QEMU can run:
//! registers, EEPROM checksum and interrupt (offline: the interface is
//! closed for them and reopened after a reset), and link.

use core::sync::atomic::Ordering;

use kernel::io::register::Register;
use kernel::io::Io;
use kernel::prelude::*;
use kernel::time::{delay::fsleep, Delta};

use crate::adapter::E1000;
use crate::hw::Hw;
use crate::netdev::Device;
use crate::regs::*;

/// Test names, in result order (the C driver's, less loopback).
pub(crate) const NAMES: &[&str] = &[
    "Register test  (offline)",
    "Eeprom test    (offline)",
    "Interrupt test (offline)",
    "Link test   (on/offline)",
];
const REGISTERS: usize = 0;
const EEPROM: usize = 1;
const INTERRUPT: usize = 2;
const LINK: usize = 3;

/// Read/write registers and the bits of each that hold what is written.
/// (QEMU does not keep the flow control address and type registers or the
/// transmit interrupt delay, which the C driver also tests: they read back
/// as zero, and C's register test fails there.)
const RW_REGISTERS: &[(usize, u32)] = &[
    (VET::OFFSET, 0x0000_FFFF),
    (RDTR::OFFSET, 0x0000_FFFF),
    (RADV::OFFSET, 0x0000_FFFF),
    (TADV::OFFSET, 0x0000_FFFF),
    (ring_reg::<DBAH, RxDescRing>(), 0xFFFF_FFFF),
    (ring_reg::<DLEN, RxDescRing>(), 0x000F_FF80),
    (ring_reg::<DBAH, TxDescRing>(), 0xFFFF_FFFF),
    (ring_reg::<DLEN, TxDescRing>(), 0x000F_FF80),
];
const PATTERNS: [u32; 4] = [0x5A5A_5A5A, 0xA5A5_A5A5, 0x0000_0000, 0xFFFF_FFFF];

/// Writes test patterns to read/write registers and reads them back;
/// returns the number of mismatches. Every register gets its value back.
fn test_registers(dev: &Device<E1000>, hw: &Hw<'_>) -> u64 {
    let mut failures = 0;
    for &(reg, mask) in RW_REGISTERS {
        let saved = hw.read(reg);
        for pattern in PATTERNS {
            hw.write(reg, pattern & mask);
            let got = hw.read(reg) & mask;
            if got != pattern & mask {
                pr_err!(
                    "{}: register test: {:#x} read {:#x}, wrote {:#x}\n",
                    dev.name(),
                    reg,
                    got,
                    pattern & mask
                );
                failures += 1;
            }
        }
        hw.write(reg, saved);
    }
    failures
}

/// Raises each of a few causes with `ICS`, masked and then unmasked, and
/// checks that only the unmasked ones interrupt. Returns 0 on success, or
/// the number of the failing step as the C driver does.
fn test_interrupt(dev: &Device<E1000>) -> Result<u64> {
    let e = dev.data();
    // The handler records the causes instead of scheduling the poll.
    e.irq_test.store(true, Ordering::Release);
    if let Err(err) = dev.request_intx() {
        e.irq_test.store(false, Ordering::Release);
        return Err(err);
    }
    let seen = || e.irq_test_seen.swap(0, Ordering::AcqRel);
    let settle = || fsleep(Delta::from_millis(10));
    let mut result = 0;
    let tested = E1000::with_hw(dev, |hw| {
        hw.irq_disable();
        settle();
        seen();
        for (step, cause) in [ICR_TXDW, ICR_LSC, ICR_RXDMT0, ICR_RXT0]
            .into_iter()
            .enumerate()
        {
            // Masked: the cause must not interrupt.
            hw.io().write_reg(IMC::zeroed().with_causes(!0));
            hw.io().write_reg(ICS::zeroed().with_causes(cause));
            hw.flush();
            settle();
            let _ = hw.io().read(ICR);
            if seen() & cause != 0 {
                result = 3 + 2 * step as u64;
                break;
            }
            // Unmasked: it must.
            hw.io().write_reg(IMS::zeroed().with_causes(cause));
            hw.io().write_reg(ICS::zeroed().with_causes(cause));
            hw.flush();
            settle();
            if seen() & cause == 0 {
                result = 4 + 2 * step as u64;
                break;
            }
        }
        hw.irq_disable();
    })
    .ok_or(ENODEV);
    dev.free_intx();
    e.irq_test.store(false, Ordering::Release);
    tested?;
    Ok(result)
}

/// Waits up to 4 s for the link (autonegotiation); 0 if it is up.
fn test_link(dev: &Device<E1000>) -> u64 {
    for _ in 0..40 {
        if E1000::with_hw(dev, |hw| hw.link().is_some()) == Some(true) {
            return 0;
        }
        fsleep(Delta::from_millis(100));
    }
    1
}

/// Runs the tests; see `EthtoolOps::self_test`.
pub(crate) fn run(dev: &Device<E1000>, offline: bool, results: &mut [u64]) -> bool {
    let mut set = |i: usize, v: u64| {
        if let Some(r) = results.get_mut(i) {
            *r = v;
        }
    };
    if offline {
        let running = dev.is_running();
        if running {
            // Like the C driver: close, test, reset, reopen.
            dev.data().task.cancel_sync();
            E1000::down(dev);
        }
        let regs = E1000::with_hw(dev, |hw| test_registers(dev, hw)).unwrap_or(1);
        set(REGISTERS, regs);
        let eeprom = E1000::with_hw(dev, |hw| {
            hw.eeprom_read_all()
                .map(|words| Hw::eeprom_checksum_ok(&words))
                .unwrap_or(false)
        });
        set(EEPROM, u64::from(eeprom != Some(true)));
        set(INTERRUPT, test_interrupt(dev).unwrap_or(1));
        E1000::restore_after_reset(dev);
        if running && E1000::up(dev, dev.mtu()).is_err() {
            pr_err!("{}: could not reopen after the self-test\n", dev.name());
        }
    }
    set(LINK, test_link(dev));
    results.iter().any(|&r| r != 0)
}
