// SPDX-License-Identifier: GPL-2.0

//! Wake-up of a device's bus device (C `device_can_wakeup`,
//! `device_set_wakeup_enable`), which Wake-on-LAN (`ethtool -s DEV wol`)
//! turns on and off. A PCI device can wake the system only if it has the
//! power management capability with PME: the core marks it wake-up
//! capable then (QEMU's e1000 has none).

use kernel::device::{Bound, Core, Device, DeviceContext};
use kernel::error::to_result;
use kernel::prelude::*;

use super::bindings;
use super::context::Sleepable;

/// Whether `dev` can wake the system.
pub fn can_wakeup<Ctx: DeviceContext>(dev: &Device<Ctx>) -> bool {
    let dev: *const Device<Ctx> = dev;
    // `Device` wraps a valid `struct device` transparently; the helper
    // reads one flag.
    // SAFETY: So the read is sound.
    unsafe { bindings::rnic_device_can_wakeup(dev.cast_mut().cast()) }
}

/// Lets `dev` wake the system, or not. Fails with `EINVAL` if it cannot
/// wake the system. Sleeps (a wake-up source is registered).
pub fn set_wakeup(dev: &Device<Bound>, enable: bool, _ctx: &Sleepable) -> Result {
    set(dev, enable)
}

/// As [`set_wakeup`], from the bus driver's probe (which may sleep), for
/// the setting the device starts with.
pub fn set_wakeup_in_probe(dev: &Device<Core<'_>>, enable: bool) -> Result {
    set(dev, enable)
}

fn set<Ctx: DeviceContext>(dev: &Device<Ctx>, enable: bool) -> Result {
    let dev: *const Device<Ctx> = dev;
    // `Device` wraps a valid `struct device` transparently, bound to its
    // driver (`Bound` or `Core`); both callers run where sleeping is
    // allowed (a `Sleepable`, or the bus driver's probe).
    // SAFETY: So the call is sound.
    to_result(unsafe { bindings::rnic_device_set_wakeup_enable(dev.cast_mut().cast(), enable) })
}
