// SPDX-License-Identifier: GPL-2.0

//! The network interface, through the netdev layer. There are no queues
//! yet: the interface has its address, MTU range and carrier, and drops
//! every frame the stack gives it, counted as a transmit drop.

use kernel::prelude::*;

use crate::netdev::{self, Counter, Device, DropReason, LinkStats64, SkBuff};

/// The private data of the interface.
pub(crate) struct VirtnetIface {
    /// Frames dropped for want of a transmit queue. Written by
    /// `start_xmit` only, under the one TX queue's lock.
    tx_dropped: Counter,
}

impl VirtnetIface {
    /// The private data of a new interface.
    pub(crate) fn new() -> Self {
        Self {
            tx_dropped: Counter::new(),
        }
    }
}

#[vtable]
impl netdev::Operations for VirtnetIface {
    fn start_xmit(dev: &Device<Self>, skb: SkBuff) {
        dev.data().tx_dropped.inc();
        skb.drop_reason(DropReason::NotSpecified);
    }

    fn get_stats64(dev: &Device<Self>, stats: &mut LinkStats64) {
        stats.tx_dropped(dev.data().tx_dropped.get());
    }
}
