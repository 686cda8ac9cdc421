// SPDX-License-Identifier: GPL-2.0

//! A configuration field declared by a driver: an offset past the end of
//! the configuration space makes virtio-pci `BUG()`, and a legacy device
//! read whatever I/O port follows. Fields are declared in the layer, from
//! the C layout of the device type.
//!
//! expect: error[E0624]

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

const BEYOND: virtio::ConfigField<u64> = virtio::ConfigField::new(4096);
