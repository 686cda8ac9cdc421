// SPDX-License-Identifier: GPL-2.0

//! A pair of Ethernet devices wired back to back, in software.
//!
//! What one end transmits, the other receives: `start_xmit` queues the
//! frame on the peer's receive queue and schedules the peer's NAPI, whose
//! poll copies it into a fresh socket buffer, classifies it with
//! `eth_type_trans` and hands it to GRO. Like a hardware NIC, each end
//! filters what it receives by destination address (its own, broadcast,
//! the multicast addresses it was told about) unless it is promiscuous or
//! all-multicast, drops frames longer than its MTU allows, and holds at
//! most `rx_ring` frames: a sender whose peer's queue is full stops its own
//! queue until the peer's poll drains it.
//!
//! The sample is written against the safe netdev layer only.

#![deny(unsafe_code)]

use kernel::prelude::*;
use kernel::sync::Arc;

// The netdev layer, compiled into this module, is the one place allowed
// to use unchecked code, behind safe functions; the driver has none.
#[allow(unsafe_code)]
#[path = "../../rust/netdev/mod.rs"]
mod netdev;

// The sample's own modules live in netpair/, beside this crate root.
#[path = "netpair/ethtool.rs"]
mod ethtool;
#[path = "netpair/filter.rs"]
mod filter;
#[path = "netpair/ops.rs"]
mod ops;
#[path = "netpair/pair.rs"]
mod pair;
#[path = "netpair/rx.rs"]
mod rx;
#[path = "netpair/stats.rs"]
mod stats;

use netdev::Registration;
use pair::{new_end, PairEnd, Wire};

module! {
    type: NetPairModule,
    name: "rust_netpair",
    authors: ["rust-nic developers"],
    description: "Pair of back-to-back Ethernet devices built on the Rust netdev layer",
    license: "GPL",
}

struct NetPairModule {
    // Field order is drop order: both ends go before the wire they share.
    ends: [Registration<PairEnd>; 2],
}

impl kernel::Module for NetPairModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let wire = Arc::pin_init(Wire::new(), GFP_KERNEL)?;
        let a = new_end(0, wire.clone())?;
        let b = new_end(1, wire)?;
        pr_info!(
            "{} <-> {} ({} <-> {})\n",
            a.device().name(),
            b.device().name(),
            a.device().mac_address(),
            b.device().mac_address()
        );
        Ok(Self { ends: [a, b] })
    }
}

impl Drop for NetPairModule {
    fn drop(&mut self) {
        pr_info!(
            "removing {} and {}\n",
            self.ends[0].device().name(),
            self.ends[1].device().name()
        );
    }
}
