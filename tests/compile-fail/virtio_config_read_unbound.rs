// SPDX-License-Identifier: GPL-2.0

//! A configuration read through a counted reference, which keeps the
//! structure but not the binding: once the driver is unbound, virtio-pci
//! may have unmapped the registers the read would go to. Reads need a
//! `Device<Bound>`.
//!
//! expect: error[E0599]

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

use kernel::sync::aref::ARef;

fn status_later(dev: ARef<virtio::Device>, ctx: &netdev::Sleepable) -> Option<u16> {
    dev.read_config(&virtio::net::STATUS, ctx)
}
