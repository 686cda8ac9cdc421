// SPDX-License-Identifier: GPL-2.0

//! A command added to the control queue as a buffer the device only reads:
//! it would have no status for the device to write, and nothing would wait
//! for the answer. A command goes in through `CtrlQueue::send` only.
//!
//! expect: error[E0277]

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

use virtio::{net, CtrlCmd, Virtqueue};

fn add_raw(cvq: &mut Virtqueue<CtrlCmd>) -> Result {
    let cmd = CtrlCmd::new(net::ctrl::ANNOUNCE, net::ctrl::ANNOUNCE_ACK, &[])?;
    cvq.add_outbuf(cmd, GFP_KERNEL).map_err(|(e, _)| e)
}
