// SPDX-License-Identifier: GPL-2.0

//! A poll that makes up its own result, claiming completion it never
//! asked the core for (or returning the budget after completing). Only the
//! context makes a `PollDone`.
//!
//! expect: error[E0451]

#![deny(unsafe_code)]

include!("fixture.rs");

use core::marker::PhantomData;
use netdev::napi::{PollContext, PollDone};
use netdev::{Device, Poll};

fixture_operations!();

impl Poll for Fixture {
    fn poll<'a>(_dev: &Device<Self>, ctx: PollContext<'a, Self>) -> PollDone<'a> {
        PollDone {
            work: ctx.budget(),
            completed: true,
            _poll: PhantomData,
        }
    }
}
