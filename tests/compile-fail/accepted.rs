// SPDX-License-Identifier: GPL-2.0

//! The control case: the correct use of everything the other cases misuse
//! compiles. It proves that their errors come from the misuse, not from the
//! fixture or the build.
//!
//! expect: success

#![deny(unsafe_code)]

include!("fixture.rs");

use kernel::sync::aref::ARef;
use netdev::napi::{PollContext, PollDone};
use netdev::{Device, EthtoolOps, Poll, Rtnl, Xdp, XdpVerdict};

fixture_operations!();

impl Poll for Fixture {
    fn poll<'a>(dev: &Device<Self>, ctx: PollContext<'a, Self>) -> PollDone<'a> {
        let mut work = 0;
        // A fragment of the instance's page pool, from its poll.
        drop(ctx.alloc_pool_frag(1024));
        // A frame for an XDP program, written in place.
        let xdp = Xdp::new(18);
        if let Some(XdpVerdict::Pass(skb)) = ctx.run_xdp(&xdp, 60, |_, page| {
            page.fill(0);
            Ok(())
        }) {
            drop(skb);
        }
        if let Some(mut skb) = ctx.alloc_skb(64) {
            if skb.eth_type_trans(dev).is_ok() {
                ctx.gro_receive(skb);
                work += 1;
            }
        }
        ctx.complete_done(work)
    }
}

#[vtable]
impl EthtoolOps for Fixture {
    const STATS_NAMES: &'static [&'static str] = &["rx_packets"];
    const REGS_LEN: usize = 4;

    fn get_stats(_dev: &Device<Self>, data: &mut [u64]) {
        data.fill(1);
    }

    fn get_regs(_dev: &Device<Self>, regs: &mut [u32]) -> u32 {
        regs.fill(0);
        1
    }
}

/// The RTNL guard stays on the task that took it.
#[allow(dead_code)]
fn rtnl_on_this_task() {
    let _rtnl = Rtnl::lock();
}

/// A registered device, as callbacks see it, can be counted.
#[allow(dead_code)]
fn keep_registered(dev: &Device<Fixture>) -> ARef<Device<Fixture>> {
    dev.into()
}
