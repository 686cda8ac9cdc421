// SPDX-License-Identifier: GPL-2.0

//! A poll that lends its context to code that could run on another CPU:
//! what the context gives (the per-CPU NAPI caches, the page pool of the
//! instance, whose lockless cache only the polling CPU may touch) is for
//! the polling CPU alone, so the context is not `Sync`. Here the helper
//! requires a context that may be shared between threads.
//!
//! expect: error[E0277]

#![deny(unsafe_code)]

include!("fixture.rs");

use netdev::napi::{PollContext, PollDone};
use netdev::{Device, Poll};

fixture_operations!();

/// Refills from "any thread": it asks for a context it may share.
fn refill_anywhere<C: Sync>(ctx: &C) -> &C {
    ctx
}

impl Poll for Fixture {
    fn poll<'a>(_dev: &Device<Self>, ctx: PollContext<'a, Self>) -> PollDone<'a> {
        let shared = refill_anywhere(&ctx);
        drop(shared.alloc_pool_frag(1024));
        ctx.complete_done(0)
    }
}
