// SPDX-License-Identifier: GPL-2.0

//! Native XDP: a BPF program that sees each received frame in the
//! driver's poll, before any socket buffer exists (C `ndo_bpf`,
//! `XDP_SETUP_PROG`), and frames other devices redirect to this one (C
//! `ndo_xdp_xmit`).
//!
//! A driver keeps an [`Xdp`] in its private data, returns it from
//! [`super::Operations::xdp`], and ties it to its receive NAPI instance
//! with [`super::Builder::bind_xdp`]. In its poll it hands each received
//! frame to [`super::PollContext::run_xdp`], which copies it into a page of
//! the instance's own page pool and runs the program there. The layer
//! carries out every verdict: `XDP_PASS` gives the driver a frame built
//! around the page, `XDP_TX` sends the frame back out through the driver's
//! `start_xmit` (under the queue's xmit lock, as netpoll does), and
//! `XDP_REDIRECT` hands the page to the target (flushed when the poll
//! returns); `XDP_DROP`, `XDP_ABORTED` and unknown verdicts (traced as
//! exceptions) put the page back. Frames redirected to the device become
//! socket buffers for `start_xmit` too.
//!
//! The program is published after its receive queue is registered, and at
//! detach the queue goes only after `synchronize_net`: a poll that saw
//! the program also sees a registered queue. A replaced program's
//! reference is dropped at once: the BPF core frees a program only after
//! an RCU grace period, and polls run inside one.

mod adapter;
mod run;

use core::ptr::{null_mut, NonNull};
use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, Ordering};

use kernel::prelude::*;

use super::bindings;
use super::napi::{Napi, Poll};

pub use run::XdpVerdict;

/// Counters of what programs did with received frames, and of frames
/// redirected to the device (for `ethtool -S`).
#[derive(Default, Clone, Copy, Debug, PartialEq, Eq)]
pub struct XdpStats {
    /// Frames a program ran on.
    pub packets: u64,
    /// `XDP_PASS`: handed to the stack.
    pub pass: u64,
    /// `XDP_DROP`.
    pub drop: u64,
    /// `XDP_TX`: sent back out.
    pub tx: u64,
    /// `XDP_TX` frames that could not be sent (queue stopped, no memory).
    pub tx_errors: u64,
    /// `XDP_REDIRECT`: handed to the target.
    pub redirect: u64,
    /// Redirects that failed.
    pub redirect_errors: u64,
    /// `XDP_ABORTED` and verdicts no kernel knows.
    pub aborted: u64,
    /// Frames lost before the program could run (no page).
    pub no_buffer: u64,
    /// Frames other devices redirected here, sent.
    pub xmit: u64,
    /// Frames redirected here that could not be sent.
    pub xmit_errors: u64,
}

/// A device's native XDP state: the attached program, its receive queue,
/// the NAPI instance that runs it, and the counters.
pub struct Xdp {
    /// The attached program (one reference, owned), or null.
    prog: AtomicPtr<bindings::bpf_prog>,
    /// The receive queue registered for the program, or null.
    rxq: AtomicPtr<bindings::xdp_rxq_info>,
    /// The receive NAPI instance ([`super::Builder::bind_xdp`]), type
    /// erased, and the function that gives it a page pool (or finds the
    /// one it has) and returns that pool.
    napi: AtomicPtr<bindings::napi_struct>,
    pool_of: AtomicPtr<()>,
    /// The largest MTU a single-buffer program may run with, and the
    /// bytes of a frame beyond its MTU.
    max_mtu: AtomicU32,
    overhead: u32,
    /// The attached program takes multi-buffer frames (`xdp.frags`).
    frags: AtomicBool,
    stats: [AtomicU64; STATS],
}

const STATS: usize = 11;

/// Indices into [`Xdp::stats`], in [`XdpStats`]'s order.
#[derive(Clone, Copy)]
pub(super) enum Stat {
    Packets,
    Pass,
    Drop,
    Tx,
    TxErrors,
    Redirect,
    RedirectErrors,
    Aborted,
    NoBuffer,
    Xmit,
    XmitErrors,
}

/// Pages the receive NAPI instance's pool keeps for XDP.
const POOL_PAGES: u32 = 256;

impl Xdp {
    /// No program; the largest MTU a program may run with is what fits a
    /// page ([`Xdp::max_frame`]) less `overhead`, the bytes of a frame
    /// beyond its MTU (Ethernet header, a VLAN tag).
    pub fn new(overhead: u32) -> Self {
        Self {
            prog: AtomicPtr::new(null_mut()),
            rxq: AtomicPtr::new(null_mut()),
            napi: AtomicPtr::new(null_mut()),
            pool_of: AtomicPtr::new(null_mut()),
            max_mtu: AtomicU32::new(Self::max_frame().saturating_sub(overhead)),
            overhead,
            frags: AtomicBool::new(false),
            stats: Default::default(),
        }
    }

    /// The most bytes a received frame may have for a program to run on it
    /// (a page less XDP's headroom and the end of a socket buffer).
    pub fn max_frame() -> u32 {
        // SAFETY: The helper computes a constant.
        unsafe { bindings::rnic_xdp_max_frame() }
    }

    /// The largest MTU a program that takes one buffer per frame may run
    /// with (a program with `xdp.frags` takes frames of up to
    /// [`Xdp::max_frame`] and four more pages).
    pub fn max_mtu(&self) -> u32 {
        self.max_mtu.load(Ordering::Relaxed)
    }

    /// The largest MTU for a program, by whether it takes several buffers.
    pub(super) fn mtu_limit(&self, frags: bool) -> u32 {
        if frags {
            let pages = (run::MAX_FRAGS * kernel::page::PAGE_SIZE) as u32;
            (Self::max_frame() + pages).saturating_sub(self.overhead)
        } else {
            self.max_mtu()
        }
    }

    /// Whether a program is attached.
    pub fn has_program(&self) -> bool {
        !self.prog.load(Ordering::Acquire).is_null()
    }

    /// The counters.
    pub fn stats(&self) -> XdpStats {
        let s = |i: Stat| self.stats[i as usize].load(Ordering::Relaxed);
        XdpStats {
            packets: s(Stat::Packets),
            pass: s(Stat::Pass),
            drop: s(Stat::Drop),
            tx: s(Stat::Tx),
            tx_errors: s(Stat::TxErrors),
            redirect: s(Stat::Redirect),
            redirect_errors: s(Stat::RedirectErrors),
            aborted: s(Stat::Aborted),
            no_buffer: s(Stat::NoBuffer),
            xmit: s(Stat::Xmit),
            xmit_errors: s(Stat::XmitErrors),
        }
    }

    pub(super) fn count(&self, stat: Stat) {
        self.stats[stat as usize].fetch_add(1, Ordering::Relaxed);
    }

    /// Ties the state to `napi`, once, before the device is registered.
    fn bind<T: Poll>(&self, napi: &Napi<T>) -> Result {
        let pool_of: unsafe fn(*const ()) -> Result<NonNull<bindings::page_pool>> = pool_of::<T>;
        let napi_ptr: *const Napi<T> = napi;
        if self
            .napi
            .compare_exchange(
                null_mut(),
                napi.as_raw(),
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .is_err()
        {
            return Err(EBUSY);
        }
        // The instance pointer and its function are stored together: the
        // function is monomorphic for the instance's type.
        let pair = KBox::new((napi_ptr.cast::<()>(), pool_of), GFP_KERNEL)?;
        self.pool_of
            .store(KBox::into_raw(pair).cast(), Ordering::Release);
        Ok(())
    }
}

/// The page pool of the `Napi<T>` at `napi`, made if it has none.
///
/// # Safety
///
/// `napi` points to a live, attached `Napi<T>`; process context.
unsafe fn pool_of<T: Poll>(napi: *const ()) -> Result<NonNull<bindings::page_pool>> {
    // SAFETY: The caller guarantees a live `Napi<T>`.
    let napi = unsafe { &*napi.cast::<Napi<T>>() };
    match napi.create_page_pool(POOL_PAGES, kernel::page::PAGE_SIZE as u32) {
        Ok(()) | Err(EBUSY) => {}
        Err(e) => return Err(e),
    }
    napi.plain_pool().ok_or(EINVAL)
}

impl Drop for Xdp {
    fn drop(&mut self) {
        // The device is unregistered (the core detached the program then,
        // through `ndo_bpf`); what is left is released here.
        let prog = *self.prog.get_mut();
        if !prog.is_null() {
            // SAFETY: The state owns one reference to `prog`.
            unsafe { bindings::bpf_prog_put(prog) };
        }
        let rxq = *self.rxq.get_mut();
        if !rxq.is_null() {
            // No poll runs any more: the private data is being dropped.
            // SAFETY: `rxq` was registered by `adapter::setup`, once.
            unsafe { bindings::rnic_xdp_rxq_unregister(rxq) };
        }
        let pair = *self.pool_of.get_mut();
        if !pair.is_null() {
            // SAFETY: `bind` made it with `KBox::into_raw`, once.
            drop(unsafe {
                KBox::from_raw(pair.cast::<(
                    *const (),
                    unsafe fn(*const ()) -> Result<NonNull<bindings::page_pool>>,
                )>())
            });
        }
    }
}
