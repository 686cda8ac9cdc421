// SPDX-License-Identifier: GPL-2.0

//! ethtool operations: driver information (with the PCI address as bus
//! information, as C reports it) and software transmit timestamps. The
//! link is the carrier (the layer's default).

use crate::iface::VirtnetIface;
use crate::netdev::ethtool::DrvInfo;
use crate::netdev::{Device, EthtoolOps};

/// The module's name, reported as the driver.
const DRIVER_NAME: &str = "rust_virtio_net";

#[kernel::prelude::vtable]
impl EthtoolOps for VirtnetIface {
    const SOFTWARE_TX_TIMESTAMPS: bool = true;

    fn get_drvinfo(dev: &Device<Self>, info: &mut DrvInfo<'_>) {
        info.set_driver(DRIVER_NAME);
        let bus = &dev.data().bus_info;
        let len = bus.iter().position(|&b| b == 0).unwrap_or(bus.len());
        if let Ok(bus) = core::str::from_utf8(&bus[..len]) {
            info.set_bus_info(bus);
        }
    }
}
