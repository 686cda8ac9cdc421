// SPDX-License-Identifier: GPL-2.0

//! A transmit queue's lock proof kept in the private data, to open the
//! queue's `TxLocked` later from anywhere: the proof cannot leave the
//! context that holds the lock (it is not `Send`), so data holding it is
//! not `Sync`, and cannot be a device's private data.
//!
//! expect: error[E0277]

#![deny(unsafe_code)]

include!("fixture.rs");

use netdev::{Device, DropReason, SkBuff, SpinLockBh, TxLock};

struct Iface {
    kept: SpinLockBh<Option<TxLock<'static, Iface>>>,
}

#[vtable]
impl netdev::Operations for Iface {
    fn start_xmit(dev: &Device<Self>, skb: SkBuff, _txq: &mut TxLock<'_, Self>) {
        let _kept = dev.data().kept.lock();
        skb.drop_reason(DropReason::NotSpecified);
    }
}
