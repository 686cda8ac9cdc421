// SPDX-License-Identifier: GPL-2.0

//! A transmit that hands a frame back as "busy": the core would requeue the
//! frame it passed in, whatever frame the driver returned. `start_xmit`
//! takes every frame and returns nothing.
//!
//! expect: error[E0053]

#![deny(unsafe_code)]

include!("fixture.rs");

use netdev::{Device, Operations, SkBuff, TxLock};

#[vtable]
impl Operations for Fixture {
    fn start_xmit(_dev: &Device<Self>, skb: SkBuff, _txq: &mut TxLock<'_, Self>) -> Option<SkBuff> {
        Some(skb)
    }
}
