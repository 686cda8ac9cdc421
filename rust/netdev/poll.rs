// SPDX-License-Identifier: GPL-2.0

//! What a NAPI poll may do ([`PollContext`]), how it ends ([`PollDone`]),
//! and the completion of a poll whose interrupt source is re-armed before
//! the instance completes and checked after ([`Rearm`], for virtqueues).

use core::marker::PhantomData;

use kernel::prelude::*;

use super::bindings;
use super::device::Device;
use super::napi::{Napi, Poll};
use super::skbuff::SkBuff;

/// Proof that the caller is [`PollContext::complete_done_rearm`], the only
/// maker of one: the methods of [`Rearm`] that take it cannot be called
/// from a driver, so no driver turns a source's interrupts on or off
/// outside the completion protocol.
pub struct RearmKey(());

/// An interrupt source that a NAPI instance turns off when it is scheduled
/// and turns back on as its poll completes, checking afterwards for work
/// that arrived in between: a virtqueue (C `virtqueue_enable_cb_prepare`,
/// `napi_complete_done`, `virtqueue_poll`, and a new schedule if work
/// slipped in). See [`PollContext::complete_done_rearm`].
///
/// # Safety
///
/// [`Rearm::napi`] gives the one instance whose schedule turns the source
/// off (or null). The other methods must be sound to call through
/// `&mut self` from that instance's poll, including after the instance
/// completed (when another CPU may schedule it, and its interrupt handler
/// turn the source off concurrently).
pub unsafe trait Rearm {
    /// The NAPI instance bound to the source, null if none.
    fn napi(&self) -> *mut bindings::napi_struct;

    /// Turns the source's interrupts on and returns its state, for
    /// [`Rearm::pending`].
    fn prepare(&mut self, key: &RearmKey) -> u32;

    /// Whether work arrived after [`Rearm::prepare`] returned `state`.
    fn pending(&mut self, key: &RearmKey, state: u32) -> bool;

    /// Turns the source's interrupts off.
    fn disable(&mut self, key: &RearmKey);
}

/// What a NAPI poll may do, for the duration of one poll.
///
/// A poll with a zero budget comes from netpoll (netconsole), with
/// interrupts off and possibly outside softirq context: it may complete
/// transmissions only, so [`PollContext::alloc_skb`] gives nothing and
/// [`PollContext::gro_receive`] drops. The poll ends by consuming the
/// context ([`PollContext::complete_done`], [`PollContext::poll_again`]):
/// after completion another CPU may poll the instance, and the borrow
/// checker refuses any use of the context after that.
pub struct PollContext<'a, T: Poll> {
    napi: &'a Napi<T>,
    budget: u32,
    /// Neither `Send` nor `Sync`: what it gives (the per-CPU NAPI caches,
    /// the instance's page pool) is for the polling CPU alone, one call at
    /// a time.
    _cpu: kernel::types::NotThreadSafe,
}

/// How a poll ended, returned by [`Poll::poll`]. Only [`PollContext`]
/// makes one, for its own poll: the lifetime ties it to that poll.
#[must_use = "the poll returns it"]
pub struct PollDone<'a> {
    /// The value the C poll returns: below the budget once completed.
    work: u32,
    completed: bool,
    /// Invariant in `'a`, so a value of another poll cannot stand in.
    _poll: PhantomData<fn(&'a ()) -> &'a ()>,
}

impl PollDone<'_> {
    /// The value the C poll returns.
    pub(super) fn work(&self) -> u32 {
        self.work
    }

    /// Whether the poll completed (`napi_complete_done` returned true): the
    /// driver re-enables its interrupts, and the instance may already be
    /// scheduled again.
    pub fn completed(&self) -> bool {
        self.completed
    }
}

impl<'a, T: Poll> PollContext<'a, T> {
    /// The context of a poll of `napi` with `budget`, made by the layer's
    /// C poll callback only.
    pub(super) fn new(napi: &'a Napi<T>, budget: u32) -> Self {
        Self {
            napi,
            budget,
            _cpu: kernel::types::NotThreadSafe,
        }
    }

    /// Whether this poll is one of `napi`: a device with several instances
    /// (one per direction) and one [`Poll::poll`] tells them apart.
    pub fn is(&self, napi: &Napi<T>) -> bool {
        core::ptr::eq(self.napi, napi)
    }

    /// How many frames this poll may process.
    pub fn budget(&self) -> u32 {
        self.budget
    }

    /// The NAPI instance being polled.
    pub fn napi(&self) -> &Napi<T> {
        self.napi
    }

    /// The device being polled.
    pub(super) fn device(&self) -> &Device<T> {
        // SAFETY: A polled instance is attached to its registered device,
        // built for `T`, which outlives the poll.
        unsafe { Device::from_raw((*self.napi.as_raw()).dev) }
    }

    /// Whether this poll runs in softirq context (a non-zero budget).
    pub(super) fn may_receive(&self) -> bool {
        self.budget != 0
    }

    /// Allocates a receive buffer from the per-CPU NAPI cache. `None` on
    /// allocation failure and in a netpoll poll (zero budget).
    pub fn alloc_skb(&self, len: u32) -> Option<SkBuff> {
        if !self.may_receive() || self.device().alloc_fails() {
            return None;
        }
        // SAFETY: We are inside this instance's poll (the context exists
        // only until the poll ends), in softirq context (non-zero budget).
        let skb = unsafe { bindings::napi_alloc_skb(self.napi.as_raw(), len) };
        // SAFETY: A freshly allocated buffer's reference is ours.
        (!skb.is_null()).then(|| unsafe { SkBuff::from_raw(skb) })
    }

    /// Frees a transmitted frame from its completion in the poll, through
    /// the per-CPU NAPI cache (`napi_consume_skb`; with a zero budget, as
    /// netpoll polls, an ordinary free usable in any context).
    pub fn consume_skb(&self, skb: SkBuff) {
        let budget = c_int::try_from(self.budget).unwrap_or(c_int::MAX);
        // SAFETY: We own the reference, and we are inside this instance's
        // poll, which runs in softirq context unless the budget is zero.
        unsafe { bindings::napi_consume_skb(skb.into_raw(), budget) };
    }

    /// Hands a received frame (after [`SkBuff::eth_type_trans`]) to GRO and
    /// the stack. In a netpoll poll (zero budget) the frame is dropped
    /// instead: GRO state belongs to the softirq poll that owns the
    /// instance.
    pub fn gro_receive(&self, skb: SkBuff) {
        if !self.may_receive() {
            skb.drop_reason(super::skbuff::DropReason::NotSpecified);
            return;
        }
        // SAFETY: We are inside this instance's poll, in softirq context,
        // and it has not ended; GRO takes the reference.
        unsafe { bindings::rnic_napi_gro_receive(self.napi.as_raw(), skb.into_raw()) };
    }

    /// Whether a poll that did `work_done` frames must leave the instance
    /// to the core (at the budget, or with a zero budget); above the
    /// budget is a driver bug, and is logged.
    fn budget_spent(&self, work_done: u32) -> bool {
        if work_done > self.budget {
            pr_warn!(
                "NAPI poll exceeded its budget ({work_done} > {})\n",
                self.budget
            );
        }
        work_done >= self.budget
    }

    /// Ends the poll after `work_done` frames. Below the budget it
    /// completes (`napi_complete_done`); at the budget (or above it, which
    /// is a driver bug and is logged) the core polls again. With a zero
    /// budget (netpoll) it never completes: that poll does not own the
    /// instance.
    pub fn complete_done(self, work_done: u32) -> PollDone<'a> {
        if self.budget_spent(work_done) {
            return self.poll_again();
        }
        let work = c_int::try_from(work_done).unwrap_or(0);
        // Inside this instance's poll, below a non-zero budget (not
        // netpoll), and the poll has not ended: the context is consumed.
        // SAFETY: So this is the one completion the poll may make.
        let completed = unsafe { bindings::napi_complete_done(self.napi.as_raw(), work) };
        PollDone {
            work: work_done,
            completed,
            _poll: PhantomData,
        }
    }

    /// Ends the poll after `work_done` frames, as [`complete_done`] does,
    /// for a device whose interrupts come from `source` (a virtqueue bound
    /// to this instance): below the budget, it turns the source's
    /// interrupts on, completes, and if work arrived in between (which may
    /// have raised no interrupt) schedules the instance again with the
    /// source off, as the interrupt would have. If the core keeps the
    /// instance (busy polling), the source stays off. At the budget, or
    /// with a zero budget (netpoll), the source stays off and the core
    /// polls again. So no interrupt is lost whatever the driver does.
    ///
    /// A source bound to another instance (a driver bug) is logged, and
    /// the poll goes on as [`poll_again`]: polling until the driver is
    /// fixed rather than losing the source's interrupts.
    ///
    /// [`complete_done`]: PollContext::complete_done
    /// [`poll_again`]: PollContext::poll_again
    pub fn complete_done_rearm(self, work_done: u32, source: &mut impl Rearm) -> PollDone<'a> {
        let raw = self.napi.as_raw();
        if source.napi() != raw {
            kernel::pr_err_once!(
                "NAPI poll completed with the interrupt source of another instance\n"
            );
            return self.poll_again();
        }
        if self.budget_spent(work_done) {
            return self.poll_again();
        }
        let key = RearmKey(());
        let state = source.prepare(&key);
        let work = c_int::try_from(work_done).unwrap_or(0);
        // Inside this instance's poll, below a non-zero budget (not
        // netpoll), and the poll has not ended: the context is consumed.
        // SAFETY: So this is the one completion the poll may make.
        let completed = unsafe { bindings::napi_complete_done(raw, work) };
        if !completed {
            source.disable(&key);
        } else if source.pending(&key, state) {
            // The instance stays valid until this poll returns (it is
            // deleted only after an RCU grace period, which a running
            // poll holds off); scheduling it is allowed from anywhere.
            // SAFETY: So `raw` may be scheduled; `napi_schedule_prep` fails
            // if someone else scheduled it or it is being disabled.
            if unsafe { bindings::napi_schedule_prep(raw) } {
                source.disable(&key);
                // SAFETY: `napi_schedule_prep` gave us the instance.
                unsafe { bindings::__napi_schedule(raw) };
            }
        }
        PollDone {
            work: work_done,
            completed,
            _poll: PhantomData,
        }
    }

    /// Ends the poll with work left (TX completions, say): the core polls
    /// the instance again, and the driver keeps its interrupts off.
    pub fn poll_again(self) -> PollDone<'a> {
        PollDone {
            work: self.budget,
            completed: false,
            _poll: PhantomData,
        }
    }
}
