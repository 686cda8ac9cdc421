// SPDX-License-Identifier: GPL-2.0

//! Identifying the device by its LEDs (`ethtool -p`), as C
//! `e1000_set_phys_id` does on a copper 82540EM: the core blinks them
//! twice a second, between two `LEDCTL` values that C's `id_led_init`
//! derives from the register's value and the EEPROM's LED settings word,
//! and the register gets its value back at the end.

use core::sync::atomic::{AtomicU32, Ordering};

use kernel::io::Io;
use kernel::prelude::*;

use crate::adapter::E1000;
use crate::hw::Hw;
use crate::netdev::ethtool::PhysId;
use crate::netdev::Device;
use crate::regs::LEDCTL;

/// The EEPROM word with the LED settings (C `EEPROM_ID_LED_SETTINGS`): a
/// nibble per LED, its mode while identifying "off" and "on".
const EEPROM_ID_LED_SETTINGS: usize = 0x04;
/// The settings C uses when the word is 0x0000 or 0xffff (`ID_LED_DEFAULT`).
const ID_LED_DEFAULT: u16 = 0x8911;
/// `LEDCTL` modes of an LED (one byte each): always on, always off.
const LED_ON: u32 = 0xE;
const LED_OFF: u32 = 0xF;
/// Blinks per second (C returns 2 for `ETHTOOL_ID_ACTIVE`).
const BLINKS_PER_SECOND: u32 = 2;

/// The `LEDCTL` values of an identification: before it, and while the
/// LEDs are "off" and "on" (C `ledctl_default`, `ledctl_mode1`,
/// `ledctl_mode2`).
#[derive(Default)]
pub(crate) struct Leds {
    default: AtomicU32,
    off: AtomicU32,
    on: AtomicU32,
}

/// What an LED's nibble of the settings word makes of it in the "off"
/// and "on" phases: `None` keeps its mode (C `id_led_init`).
fn nibble_modes(nibble: u16) -> (Option<u32>, Option<u32>) {
    let first = match nibble {
        0x4..=0x6 => Some(LED_ON),
        0x7..=0x9 => Some(LED_OFF),
        _ => None,
    };
    let second = match nibble {
        0x2 | 0x5 | 0x8 => Some(LED_ON),
        0x3 | 0x6 | 0x9 => Some(LED_OFF),
        _ => None,
    };
    (first, second)
}

/// The "off" and "on" values from the register's value `default` and the
/// settings word.
fn modes(default: u32, mut id_led: u16) -> (u32, u32) {
    if id_led == 0 || id_led == 0xffff {
        id_led = ID_LED_DEFAULT;
    }
    let (mut off, mut on) = (default, default);
    for led in 0..4 {
        let (first, second) = nibble_modes((id_led >> (led * 4)) & 0xf);
        let shift = led * 8;
        if let Some(mode) = first {
            off = (off & !(0xff << shift)) | mode << shift;
        }
        if let Some(mode) = second {
            on = (on & !(0xff << shift)) | mode << shift;
        }
    }
    (off, on)
}

impl Leds {
    fn write(hw: &Hw<'_>, value: u32) {
        hw.io().write_reg(LEDCTL::from_raw(value));
    }
}

/// A step of `ethtool -p`.
pub(crate) fn set_phys_id(dev: &Device<E1000>, state: PhysId) -> Result<u32> {
    let leds = &dev.data().leds;
    E1000::with_hw(dev, |hw| -> Result<u32> {
        match state {
            PhysId::Active => {
                let default = hw.io().read(LEDCTL).into_raw();
                let (off, on) = modes(default, hw.eeprom_read(EEPROM_ID_LED_SETTINGS)?);
                leds.default.store(default, Ordering::Relaxed);
                leds.off.store(off, Ordering::Relaxed);
                leds.on.store(on, Ordering::Relaxed);
                Leds::write(hw, off);
                return Ok(BLINKS_PER_SECOND);
            }
            PhysId::On => Leds::write(hw, leds.on.load(Ordering::Relaxed)),
            PhysId::Off => Leds::write(hw, leds.off.load(Ordering::Relaxed)),
            PhysId::Inactive => Leds::write(hw, leds.default.load(Ordering::Relaxed)),
        }
        Ok(0)
    })
    .ok_or(ENODEV)?
}
