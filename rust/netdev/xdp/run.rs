// SPDX-License-Identifier: GPL-2.0

//! Running the program on a received frame, in the poll.

use core::sync::atomic::Ordering;

use kernel::prelude::*;

use super::super::bindings;
use super::super::napi::{Poll, PollContext};
use super::super::page_pool::PoolFrag;
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

/// `XDP_DROP`, `XDP_PASS`, `XDP_TX` and `XDP_REDIRECT` (C `enum
/// xdp_action`; `XDP_ABORTED` is 0).
const XDP_DROP: i32 = 1;
const XDP_PASS: i32 = 2;
const XDP_TX: i32 = 3;
const XDP_REDIRECT: i32 = 4;
/// Where XDP's headroom ends in a page (C `XDP_PACKET_HEADROOM`).
const HEADROOM: usize = 256;
const PAGE: usize = kernel::page::PAGE_SIZE;
/// Pages after the first of a multi-buffer frame (enough for 16 KiB).
pub(super) const MAX_FRAGS: usize = 4;

impl<T: Poll> PollContext<'_, T> {
    /// With a program attached to `xdp`, runs it on a received frame of
    /// `len` bytes and carries out the verdict. The frame goes into pages
    /// of this instance's pool: `fill(offset, buf)` copies bytes
    /// `offset..offset + buf.len()` of the frame (out of the device's
    /// buffer) into each in turn, the first after XDP's headroom, then,
    /// for a frame longer than [`Xdp::max_frame`] and a program that takes
    /// several buffers, whole pages. `None` without a program, in a
    /// netpoll poll, or for state bound to another instance: the driver
    /// receives as usual. A frame too long for the program, or without
    /// pages for it, is dropped and counted.
    ///
    /// `XDP_TX` calls the driver's `start_xmit` from here: the poll must
    /// not hold a lock that `start_xmit` takes.
    pub fn run_xdp(
        &self,
        xdp: &Xdp,
        len: u32,
        mut fill: impl FnMut(u32, &mut [u8]) -> Result,
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
        let head_len = len.min(Xdp::max_frame());
        let rest = len - head_len;
        let nr_frags = rest.div_ceil(PAGE as u32) as usize;
        // SAFETY: `prog` is the attached program (see below).
        let frags_ok = unsafe { bindings::rnic_bpf_prog_has_frags(prog) };
        if len == 0 || nr_frags > MAX_FRAGS || (nr_frags > 0 && !frags_ok) {
            xdp.count(Stat::Drop);
            return Some(XdpVerdict::Done);
        }
        let page = || {
            self.alloc_pool_frag(PAGE as u32)
                .filter(|f| f.offset == 0 && f.len as usize == PAGE)
        };
        let Some(head) = page() else {
            xdp.count(Stat::NoBuffer);
            return Some(XdpVerdict::Done);
        };
        let mut frags: [Option<PoolFrag>; MAX_FRAGS] = Default::default();
        for slot in frags.iter_mut().take(nr_frags) {
            *slot = page();
            if slot.is_none() {
                xdp.count(Stat::NoBuffer);
                return Some(XdpVerdict::Done);
            }
        }
        if fill_page(&head, HEADROOM, 0, head_len, &mut fill).is_err() {
            xdp.count(Stat::Drop);
            return Some(XdpVerdict::Done);
        }
        let mut offset = head_len;
        for frag in frags.iter().flatten() {
            let n = (len - offset).min(PAGE as u32);
            if fill_page(frag, 0, offset, n, &mut fill).is_err() {
                xdp.count(Stat::Drop);
                return Some(XdpVerdict::Done);
            }
            offset += n;
        }
        let last_len = rest - (nr_frags.saturating_sub(1) * PAGE) as u32;
        let (pool, head) = head.into_page();
        let mut pages = [core::ptr::null_mut(); MAX_FRAGS];
        for (dst, frag) in pages.iter_mut().zip(frags) {
            if let Some(frag) = frag {
                *dst = frag.into_page().1.as_ptr();
            }
        }
        let mut skb = core::ptr::null_mut();
        // `prog` is the attached program (alive until an RCU grace period
        // after it is replaced, and a poll runs inside one), `rxq` its
        // registered queue; `head` and the first `nr_frags` of `pages` are
        // whole pages of `pool`, the pool of this instance being polled (so
        // direct recycling is allowed), whose references the helper takes
        // over; `last_len` is at most a page.
        // SAFETY: So the run is sound; `skb` is written.
        let verdict = unsafe {
            bindings::rnic_xdp_run_pages(
                prog,
                rxq,
                pool.as_ptr(),
                head.as_ptr(),
                head_len,
                pages.as_mut_ptr(),
                nr_frags as u32,
                last_len,
                &mut skb,
            )
        };
        Some(self.carry_out(xdp, verdict, skb))
    }

    /// Counts a verdict and finishes what the helper left: the frame to
    /// pass up, or to send back.
    fn carry_out(&self, xdp: &Xdp, verdict: i32, skb: *mut bindings::sk_buff) -> XdpVerdict {
        let skb = if skb.is_null() {
            None
        } else {
            // The helper made the frame for us alone.
            // SAFETY: So we own it.
            Some(unsafe { SkBuff::from_raw(skb) })
        };
        match (verdict, skb) {
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
            (_, _) => {
                // `XDP_ABORTED`, or a verdict no kernel knows.
                xdp.count(Stat::Aborted);
                XdpVerdict::Done
            }
        }
    }
}

/// Lets `fill` write `len` bytes at byte `at` of the whole page `frag`
/// (frame bytes from `offset` on).
fn fill_page(
    frag: &PoolFrag,
    at: usize,
    offset: u32,
    len: u32,
    fill: &mut impl FnMut(u32, &mut [u8]) -> Result,
) -> Result {
    if at + len as usize > PAGE {
        return Err(EINVAL);
    }
    let data = frag.as_ptr().wrapping_add(at);
    // `frag` is a whole page of a pool that does not map its pages for a
    // device (`bind_xdp`), which only `frag` owns, and `at + len` is
    // within it (checked above).
    // SAFETY: So the CPU may write those bytes through this slice, which
    // `fill` cannot keep (it is lent for the call).
    let buf = unsafe { core::slice::from_raw_parts_mut(data, len as usize) };
    fill(offset, buf)
}
