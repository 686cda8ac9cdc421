// SPDX-License-Identifier: GPL-2.0

//! A driver that keeps the page it filled for an XDP program: once `fill`
//! returns, the page belongs to the program's verdict (sent, redirected to
//! another device, recycled for the next frame), so a slice of it must not
//! outlive the closure.
//!
//! expect: error[E0521]

#![deny(unsafe_code)]

include!("fixture.rs");

use netdev::napi::{PollContext, PollDone};
use netdev::{Device, Poll, Xdp};

fixture_operations!();

impl Poll for Fixture {
    fn poll<'a>(_dev: &Device<Self>, ctx: PollContext<'a, Self>) -> PollDone<'a> {
        let xdp = Xdp::new(18);
        let mut kept: Option<&mut [u8]> = None;
        drop(ctx.run_xdp(&xdp, 60, |_, page| {
            kept = Some(page);
            Ok(())
        }));
        if let Some(page) = kept {
            page.fill(0xff);
        }
        ctx.complete_done(0)
    }
}
