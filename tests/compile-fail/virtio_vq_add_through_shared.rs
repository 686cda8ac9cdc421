// SPDX-License-Identifier: GPL-2.0

//! A buffer added through a shared reference to the queue: every
//! operation that touches the ring takes `&mut`, which only the context
//! holding the queue's lock (or owning it) has.
//!
//! expect: error[E0596]

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

use netdev::DropReason;
use virtio::{TxFrame, Virtqueue};

fn send(tx: &Virtqueue<TxFrame>, frame: TxFrame) {
    if let Err((_, frame)) = tx.add_outbuf(frame, GFP_ATOMIC) {
        frame.into_skb().drop_reason(DropReason::FullRing);
    }
}
