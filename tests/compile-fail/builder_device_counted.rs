// SPDX-License-Identifier: GPL-2.0

//! A counted reference taken from a device still being built: dropping
//! the builder (or a failed registration) frees the device at once, whatever
//! its reference count, and the reference would dangle. Only a registered
//! device is counted.
//!
//! expect: error[E0277]

#![deny(unsafe_code)]

include!("fixture.rs");

use kernel::sync::aref::ARef;
use netdev::{Builder, Device};

fixture_operations!();

/// Keeps the device beyond its builder.
fn keep(builder: &Builder<Fixture>) -> ARef<Device<Fixture, netdev::Building>> {
    ARef::from(builder.device())
}
