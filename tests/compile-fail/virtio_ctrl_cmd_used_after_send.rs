// SPDX-License-Identifier: GPL-2.0

//! A command freed (or read) after it was handed to the device: `send`
//! takes it, and gives back only what the device answered, once it has;
//! a command the device never answered stays with the queue until the
//! device's reset.
//!
//! expect: error[E0382]

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

use virtio::{net, CtrlCmd, CtrlQueue};

fn send_and_free(queue: &CtrlQueue, ctx: &netdev::Sleepable) -> Result {
    let cmd = CtrlCmd::new(net::ctrl::ANNOUNCE, net::ctrl::ANNOUNCE_ACK, &[])?;
    let _ = queue.send(cmd, ctx);
    drop(cmd);
    Ok(())
}
