// SPDX-License-Identifier: GPL-2.0

//! A control command from `start_xmit` (softirq, or with bottom halves
//! off), where waiting for the device would sleep in atomic context: the
//! command needs a `Sleepable`, which only the layers make, in the
//! callbacks that may sleep; its constructor is `unsafe`.
//!
//! expect: error[E0133]

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

use virtio::{net, CtrlCmd, CtrlQueue};

fn promisc_from_xmit(queue: &CtrlQueue) -> Result {
    let ctx = netdev::Sleepable::new();
    queue.send(
        CtrlCmd::new(net::ctrl::RX, net::ctrl::RX_PROMISC, &[&[1]])?,
        &ctx,
    )?;
    Ok(())
}
