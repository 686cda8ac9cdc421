// SPDX-License-Identifier: GPL-2.0

//! The proof of a sleepable context kept past the call that lent it (to
//! use it later from a NAPI poll, say): it is lent by reference for the
//! call only.
//!
//! expect: lifetime may not live long enough

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

use kernel::device::Core;

fn keep<'a>(dev: &'a virtio::Device<Core<'_>>) -> &'a netdev::Sleepable {
    dev.sleepable(|ctx| ctx)
}
