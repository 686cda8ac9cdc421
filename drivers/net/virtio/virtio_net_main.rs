// SPDX-License-Identifier: GPL-2.0

//! Virtio network driver, for QEMU's `-device virtio-net-pci`, written
//! against the safe virtio layer in `rust/virtio`.
//!
//! For now a skeleton: it binds the virtio network devices the C
//! `virtio_net` driver binds (same ID table, so udev loads it the same
//! way), negotiates the features it lists, reads the MAC address, the
//! link status and the MTU from the configuration space, logs them, and
//! follows link changes. There is no interface yet.

#![deny(unsafe_code)]

// The virtio layer, compiled into this module, is the one place allowed
// to use unchecked code, behind safe functions; the driver has none.
#[allow(unsafe_code)]
#[path = "../../../rust/virtio/mod.rs"]
mod virtio;

use core::pin::Pin;

use kernel::device::{Bound, Core};
use kernel::prelude::*;

use virtio::net;

/// The features this driver handles, which the core intersects with the
/// device's.
const FEATURES: [u32; 4] = [
    virtio::feature::VERSION_1,
    net::feature::MAC,
    net::feature::STATUS,
    net::feature::MTU,
];

/// The virtio driver.
struct VirtioNetDriver;

/// Per-device data.
struct VirtioNet {
    /// The link as last seen, to log changes only.
    link_up: core::sync::atomic::AtomicBool,
}

/// The station address as `aa:bb:cc:dd:ee:ff`.
struct Mac([u8; 6]);

impl kernel::fmt::Display for Mac {
    fn fmt(&self, f: &mut kernel::fmt::Formatter<'_>) -> kernel::fmt::Result {
        let m = &self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            m[0], m[1], m[2], m[3], m[4], m[5]
        )
    }
}

/// Whether the link is up: from the status field with
/// `VIRTIO_NET_F_STATUS`, else always (as C assumes).
fn link_up(dev: &virtio::Device<Bound>) -> bool {
    dev.read_config(&net::STATUS)
        .is_none_or(|status| status & net::status::LINK_UP != 0)
}

crate::virtio_device_table!(
    ID_TABLE,
    MODULE_ID_TABLE,
    <VirtioNetDriver as virtio::Driver>::IdInfo,
    [(virtio::DeviceId::new(net::ID), ())]
);

#[vtable]
impl virtio::Driver for VirtioNetDriver {
    type IdInfo = ();
    type Data<'bound> = VirtioNet;

    const ID_TABLE: virtio::IdTable<Self::IdInfo> = &ID_TABLE;
    const FEATURES: &'static [u32] = &FEATURES;

    fn probe<'bound>(
        dev: &'bound virtio::Device<Core<'_>>,
        _id_info: &'bound Self::IdInfo,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        let kdev = dev.as_ref();
        match dev.read_config(&net::MAC) {
            Some(mac) => dev_info!(kdev, "MAC address {}\n", Mac(mac)),
            None => dev_info!(kdev, "no MAC address from the device\n"),
        }
        match dev.read_config(&net::STATUS) {
            Some(status) => dev_info!(kdev, "status {:#06x}\n", status),
            None => dev_info!(kdev, "no link status from the device\n"),
        }
        match dev.read_config(&net::MTU) {
            Some(mtu) => dev_info!(kdev, "MTU {}\n", mtu),
            None => dev_info!(kdev, "no MTU from the device\n"),
        }
        let up = link_up(dev);
        dev_info!(
            kdev,
            "virtio {} device, link {}\n",
            if dev.is_version_1() { "1.0" } else { "legacy" },
            if up { "up" } else { "down" }
        );
        Ok(VirtioNet {
            link_up: core::sync::atomic::AtomicBool::new(up),
        })
    }

    fn remove<'bound>(dev: &'bound virtio::Device<Core<'_>>, _this: Pin<&VirtioNet>) {
        dev_info!(dev.as_ref(), "removed\n");
    }

    fn config_changed(dev: &virtio::Device<Bound>, this: Pin<&VirtioNet>) {
        let up = link_up(dev);
        let was = this.link_up.swap(up, core::sync::atomic::Ordering::Relaxed);
        if up != was {
            dev_info!(dev.as_ref(), "link {}\n", if up { "up" } else { "down" });
        }
    }
}

crate::module_virtio_driver! {
    type: VirtioNetDriver,
    name: "rust_virtio_net",
    authors: ["rust-nic developers"],
    description: "Virtio network driver in Rust",
    license: "GPL",
}
