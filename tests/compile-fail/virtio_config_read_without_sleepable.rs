// SPDX-License-Identifier: GPL-2.0

//! A configuration read where sleeping is not allowed: the transport's
//! reads may sleep, so a read asks for a `Sleepable`, which a NAPI poll,
//! `start_xmit`, a timer or an interrupt handler never has, and which safe
//! code cannot make. Here a poll-side helper has the bound device only.
//!
//! expect: error[E0061]

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

fn link_from_poll(dev: &virtio::Device<kernel::device::Bound>) -> Option<u16> {
    dev.read_config(&virtio::net::STATUS)
}
