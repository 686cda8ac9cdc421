// SPDX-License-Identifier: GPL-2.0

//! A poll that completes twice: the second `napi_complete_done` would act
//! on an instance another CPU may own.
//!
//! expect: error[E0382]

#![deny(unsafe_code)]

include!("fixture.rs");

use netdev::napi::{PollContext, PollDone};
use netdev::{Device, Poll};

fixture_operations!();

impl Poll for Fixture {
    fn poll<'a>(_dev: &Device<Self>, ctx: PollContext<'a, Self>) -> PollDone<'a> {
        let _ = ctx.complete_done(0);
        ctx.complete_done(0)
    }
}
