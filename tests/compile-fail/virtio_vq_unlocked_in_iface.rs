// SPDX-License-Identifier: GPL-2.0

//! A transmit queue kept in the interface's data without the lock that
//! `start_xmit` and the completion poll share: the data is shared between
//! CPUs (`Sync`), and a queue handle is not `Sync`, so it only goes there
//! behind a lock (and adding a buffer takes `&mut` anyway).
//!
//! expect: error[E0277]

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

use netdev::{Device, DropReason, SkBuff};
use virtio::{TxFrame, Virtqueue};

struct Iface {
    tx: Virtqueue<TxFrame>,
}

#[vtable]
impl netdev::Operations for Iface {
    fn start_xmit(dev: &Device<Self>, skb: SkBuff, _txq: &mut netdev::TxLock<'_, Self>) {
        let Ok(frame) = TxFrame::new(skb, &[0; 12], true) else {
            return;
        };
        if let Err((_, frame)) = dev.data().tx.add_outbuf(frame, GFP_ATOMIC) {
            frame.into_skb().drop_reason(DropReason::FullRing);
        }
    }
}
