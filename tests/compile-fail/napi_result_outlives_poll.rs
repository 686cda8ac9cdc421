// SPDX-License-Identifier: GPL-2.0

//! A poll result kept beyond its poll, to be returned by a later poll that
//! never ended its own. The result is tied to the poll that made it.
//!
//! expect: error[E0521]

#![deny(unsafe_code)]

include!("fixture.rs");

use netdev::napi::{PollContext, PollDone};
use netdev::{Device, Poll};

fixture_operations!();

/// Somewhere that outlives one poll.
fn keep(_done: PollDone<'static>) {}

impl Poll for Fixture {
    fn poll<'a>(_dev: &Device<Self>, ctx: PollContext<'a, Self>) -> PollDone<'a> {
        let budget = ctx.budget();
        keep(ctx.poll_again());
        let _ = budget;
        loop {}
    }
}
