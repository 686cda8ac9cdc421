// SPDX-License-Identifier: GPL-2.0

//! A poll that goes on receiving after it completed: another CPU may
//! already poll the instance. Completion consumes the context.
//!
//! expect: error[E0382]

#![deny(unsafe_code)]

include!("fixture.rs");

use netdev::napi::{PollContext, PollDone};
use netdev::{Device, Poll};

fixture_operations!();

impl Poll for Fixture {
    fn poll<'a>(_dev: &Device<Self>, ctx: PollContext<'a, Self>) -> PollDone<'a> {
        let done = ctx.complete_done(0);
        if let Some(skb) = ctx.alloc_skb(64) {
            ctx.gro_receive(skb);
        }
        done
    }
}
