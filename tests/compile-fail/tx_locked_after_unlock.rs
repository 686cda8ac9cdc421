// SPDX-License-Identifier: GPL-2.0

//! A transmit ring kept in a `TxLocked` and reached after its queue's xmit
//! lock was released: the reference the lock gave borrows the lock, so
//! the lock cannot go while the reference is used (another CPU's
//! `start_xmit` may hold the lock by then).
//!
//! expect: error[E0505]

#![deny(unsafe_code)]

include!("fixture.rs");

use netdev::{Device, DropReason, SkBuff, TxLock, TxLocked};

struct Iface {
    ring: TxLocked<u32>,
}

#[vtable]
impl netdev::Operations for Iface {
    fn start_xmit(dev: &Device<Self>, skb: SkBuff, txq: &mut TxLock<'_, Self>) {
        if let Ok(ring) = dev.data().ring.get(txq) {
            *ring += 1;
        }
        skb.drop_reason(DropReason::NotSpecified);
    }

    fn tx_timeout(dev: &Device<Self>, _queue: u32) {
        let Ok(mut lock) = dev.lock_tx_queue(0) else {
            return;
        };
        let Ok(ring) = dev.data().ring.get(&mut lock) else {
            return;
        };
        drop(lock);
        *ring += 1;
    }
}
