// SPDX-License-Identifier: GPL-2.0

// What every virtio compile-fail case shares, included by its crate root:
// the virtio layer as drivers include it (with the netdev layer), an empty
// module, a driver type and an ID table for the case to implement
// `virtio::Driver` with. The case itself names the misuse and the error
// rustc must give for it.

#[allow(unsafe_code)]
#[path = "../../rust/virtio/mod.rs"]
mod virtio;
// Whose bindings the virtio layer uses.
#[allow(unsafe_code)]
#[path = "../../rust/netdev/mod.rs"]
mod netdev;

use kernel::prelude::*;

module! {
    type: CompileFail,
    name: "rnic_compile_fail",
    authors: ["rust-nic developers"],
    description: "A misuse of the virtio layer that must not compile",
    license: "GPL",
}

struct CompileFail;

impl kernel::Module for CompileFail {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Self)
    }
}

/// The driver type of the case.
struct Fixture;

// The table alone: `virtio_device_table!` cannot be named by path from a
// crate that mounts the layer through `include!` (rustc refuses paths to
// macro-expanded `macro_export` macros), and the alias is of no use here.
const ID_TABLE: kernel::device_id::IdArray<virtio::DeviceId, (), 1> =
    kernel::device_id::IdArray::new_without_index([(virtio::DeviceId::new(virtio::net::ID), ())]);
