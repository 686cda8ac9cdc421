// SPDX-License-Identifier: GPL-2.0

//! Running the program on a received frame, in the poll.

use core::sync::atomic::Ordering;

use kernel::prelude::*;

use super::super::bindings;
use super::super::napi::{Poll, PollContext};
use super::super::skbuff::SkBuff;
use super::{Stat, Xdp};

/// What became of a frame the program ran on.
pub enum XdpVerdict {
    /// `XDP_PASS`: the frame, as the program left it, for the driver to
    /// finish (`eth_type_trans`, checksum, VLAN tag) and hand up.
    Pass(SkBuff),
    /// Anything else: the layer carried it out (sent, redirected, dropped)
    /// and counted it.
    Done,
}

/// `XDP_PASS`, `XDP_TX`, `XDP_REDIRECT` and `XDP_ABORTED` (C `enum
/// xdp_action`).
const XDP_ABORTED: i32 = 0;
const XDP_DROP: i32 = 1;
const XDP_PASS: i32 = 2;
const XDP_TX: i32 = 3;
const XDP_REDIRECT: i32 = 4;
/// Where XDP's headroom ends in a page (C `XDP_PACKET_HEADROOM`).
const HEADROOM: usize = 256;

impl<T: Poll> PollContext<'_, T> {
    /// With a program attached to `xdp`, runs it on a received frame of
    /// `len` bytes, which `fill` writes into a page of this instance's
    /// pool (a copy out of the device's buffer), and carries out the
    /// verdict. `None` without a program, in a netpoll poll, or for state
    /// bound to another instance: the driver receives as usual. A frame
    /// longer than [`Xdp::max_frame`], or with no page for it, is dropped
    /// and counted.
    pub fn run_xdp(
        &self,
        xdp: &Xdp,
        len: u32,
        fill: impl FnOnce(&mut [u8]) -> Result,
    ) -> Option<XdpVerdict> {
        if !self.may_receive() {
            return None;
        }
        let prog = xdp.prog.load(Ordering::Acquire);
        if prog.is_null() || xdp.napi.load(Ordering::Acquire) != self.napi().as_raw() {
            return None;
        }
        // Published before the program, unregistered only after polls
        // that saw it ended (module documentation).
        let rxq = xdp.rxq.load(Ordering::Acquire);
        xdp.count(Stat::Packets);
        if len == 0 || len > Xdp::max_frame() {
            xdp.count(Stat::Drop);
            return Some(XdpVerdict::Done);
        }
        let Some(frag) = self
            .alloc_pool_frag(kernel::page::PAGE_SIZE as u32)
            .filter(|f| f.offset == 0 && f.len as usize == kernel::page::PAGE_SIZE)
        else {
            xdp.count(Stat::NoBuffer);
            return Some(XdpVerdict::Done);
        };
        let data = frag.as_ptr().wrapping_add(HEADROOM);
        // The fragment is a whole page of a pool that does not map its
        // pages for a device (`bind_xdp`), owned by `frag` alone, and
        // `HEADROOM + len` is within it (`len` at most `max_frame`).
        // SAFETY: So the CPU may write those bytes through this slice,
        // which ends before `frag` is given up.
        let buf = unsafe { core::slice::from_raw_parts_mut(data, len as usize) };
        if fill(buf).is_err() {
            xdp.count(Stat::Drop);
            return Some(XdpVerdict::Done);
        }
        let (pool, page) = frag.into_page();
        let mut skb = core::ptr::null_mut();
        // `prog` is the attached program (alive until an RCU grace period
        // after it is replaced, and a poll runs inside one), `rxq` its
        // registered queue, `page` a whole page of `pool`, the pool of this
        // instance being polled (so direct recycling is allowed), whose
        // reference the helper takes over.
        // SAFETY: So the run is sound; `skb` is written.
        let verdict = unsafe {
            bindings::rnic_xdp_run_page(prog, rxq, pool.as_ptr(), page.as_ptr(), len, &mut skb)
        };
        let skb = if skb.is_null() {
            None
        } else {
            // The helper made the frame for us alone.
            // SAFETY: So we own it.
            Some(unsafe { SkBuff::from_raw(skb) })
        };
        Some(match (verdict, skb) {
            (XDP_PASS, Some(skb)) => {
                xdp.count(Stat::Pass);
                XdpVerdict::Pass(skb)
            }
            (XDP_TX, Some(skb)) => {
                // The frame is built on this device (its `dev` set).
                // SAFETY: So the helper may send it; it takes the frame.
                let sent =
                    unsafe { bindings::rnic_xdp_xmit_skb(skb.into_raw(), self.device().as_raw()) };
                xdp.count(if sent { Stat::Tx } else { Stat::TxErrors });
                XdpVerdict::Done
            }
            (XDP_REDIRECT, _) => {
                // Sent when the poll returns (`Napi::poll_callback`).
                xdp.count(Stat::Redirect);
                XdpVerdict::Done
            }
            (XDP_DROP, _) => {
                xdp.count(Stat::Drop);
                XdpVerdict::Done
            }
            (v, _) if v == EIO.to_errno() => {
                xdp.count(Stat::RedirectErrors);
                XdpVerdict::Done
            }
            (v, _) if v < 0 => {
                xdp.count(Stat::NoBuffer);
                XdpVerdict::Done
            }
            (XDP_ABORTED, _) | (_, _) => {
                xdp.count(Stat::Aborted);
                XdpVerdict::Done
            }
        })
    }
}
