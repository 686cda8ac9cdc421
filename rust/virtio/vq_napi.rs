// SPDX-License-Identifier: GPL-2.0

//! A NAPI instance that polls one virtqueue ([`VqNapi`]): the layer's half
//! of C virtio_net's interrupt handling.
//!
//! - The queue's callback (hard IRQ, the layer's, see
//!   [`super::queues`]): `napi_schedule_prep`, `virtqueue_disable_cb`,
//!   `__napi_schedule`.
//! - The poll completes through
//!   [`PollContext::complete_done_rearm`](crate::netdev::PollContext::complete_done_rearm)
//!   with the queue's handle: `virtqueue_enable_cb_prepare`,
//!   `napi_complete_done`, `virtqueue_poll`, and the schedule again if work
//!   slipped in.
//! - [`VqNapi::enable`] schedules a poll at once (with the callbacks off),
//!   for buffers used while the instance was off, which raised callbacks
//!   nobody acted on (C `virtnet_napi_enable`).
//!
//! So a driver cannot lose an interrupt: it never turns callbacks on or
//! off itself.

use core::sync::atomic::{AtomicBool, Ordering};

use kernel::prelude::*;
use kernel::sync::Mutex;

use super::bindings;
use super::queues::{Binding, QueueRef};
use super::virtqueue::{Token, Virtqueue};
use crate::netdev::{Napi, Poll, QueueKind};

/// A NAPI instance bound to one virtqueue, embedded in the interface's
/// private data and attached with
/// `Builder::add_napi(|data| data.field.napi())`.
#[pin_data(PinnedDrop)]
pub struct VqNapi<T: Poll> {
    #[pin]
    napi: Napi<T>,
    /// What the queue's callback calls; registered by `enable`.
    binding: Binding,
    /// Whether the binding is registered with the queue.
    bound: AtomicBool,
    queue: QueueRef,
    /// Held by enabling and by [`VqNapi::resize`]: enabling turns the
    /// queue's callbacks off, a write to the ring a resize replaces.
    #[pin]
    gate: Mutex<()>,
}

impl<T: Poll> VqNapi<T> {
    /// An instance for the queue of `vq` (not attached, not enabled).
    pub fn new<Tok: Token>(vq: &Virtqueue<Tok>) -> impl PinInit<Self> {
        Self::for_target(vq.target())
    }

    /// An instance for the queue `target` names (not attached, not
    /// enabled): as [`VqNapi::new`], of one type whatever the queue's
    /// tokens, for a driver whose queue's tokens depend on the device.
    pub fn for_target(target: VqTarget) -> impl PinInit<Self> {
        let queue = target.0;
        pin_init!(Self {
            napi <- Napi::new(),
            binding: Binding {
                schedule: Self::schedule,
                napi: Self::raw_napi,
            },
            bound: AtomicBool::new(false),
            queue,
            gate <- kernel::new_mutex!(()),
        })
    }

    /// The NAPI instance, for `Builder::add_napi` and
    /// [`PollContext::is`](crate::netdev::PollContext::is).
    pub fn napi(&self) -> &Napi<T> {
        &self.napi
    }

    /// Binds the instance to its queue's callback, enables it (see
    /// [`Napi::enable`]: process context, RTNL held) and polls once for
    /// what the queue holds already. Fails with `EBUSY` if another
    /// instance is bound to the queue.
    pub fn enable(&self) -> Result {
        self.bind()?;
        let _gate = self.gate()?;
        self.napi.enable();
        self.poll_now();
        Ok(())
    }

    /// As [`VqNapi::enable`], recording the queue it serves for netlink
    /// and busy polling (see [`Napi::enable_for`]).
    pub fn enable_for(&self, queue: u32, kind: QueueKind) -> Result {
        self.bind()?;
        let _gate = self.gate()?;
        self.napi.enable_for(queue, kind)?;
        self.poll_now();
        Ok(())
    }

    /// Resizes the queue of `vq` (this instance's) to `num` entries, while
    /// the instance is disabled (`EBUSY` otherwise): see
    /// [`Virtqueue::size_max`] and the errors of the resize itself (C
    /// `virtqueue_resize`). Process context; the buffers the device had
    /// not used are dropped. `EINVAL` for another queue's handle.
    pub fn resize<Tok: Token>(&self, vq: &mut Virtqueue<Tok>, num: u32) -> Result {
        if vq.queue().vq() != self.queue.vq() {
            return Err(EINVAL);
        }
        let _gate = self.gate()?;
        if self.napi.is_enabled() {
            return Err(EBUSY);
        }
        vq.resize(num)
    }

    /// Before `start_xmit` adds a frame to `vq`, this instance's transmit
    /// queue (C `start_xmit` with `napi_tx`): the queue's callbacks off,
    /// so that the device does not interrupt for every frame it sends.
    /// [`VqNapi::xmit_kicked`], at the end of the batch, turns them on
    /// again. Does nothing with another instance's queue.
    pub fn xmit_begin<Tok: Token>(&self, vq: &mut Virtqueue<Tok>) {
        if vq.queue().vq() != self.queue.vq() {
            return;
        }
        // SAFETY: The queue is valid while the handle is; turning its
        // callbacks off need not be serialised.
        unsafe { bindings::virtqueue_disable_cb(vq.raw()) }
    }

    /// After `start_xmit` kicked `vq`, this instance's transmit queue, at
    /// the end of a batch (C `start_xmit` with `napi_tx`): the queue's
    /// callbacks on again, delayed until the device has used about three
    /// quarters of the frames outstanding (C `virtqueue_enable_cb_delayed`),
    /// and if it has used that many already, a poll scheduled at once
    /// with the callbacks off (C `virtqueue_napi_schedule`). So the frames
    /// sent since [`VqNapi::xmit_begin`] are freed by a poll either way.
    /// Does nothing with another instance's queue.
    pub fn xmit_kicked<Tok: Token>(&self, vq: &mut Virtqueue<Tok>) {
        let raw = vq.raw();
        if raw != self.queue.vq() {
            return;
        }
        // SAFETY: The queue is valid while the handle is, and `&mut` on
        // the handle serialises this with the queue's other operations.
        if unsafe { bindings::virtqueue_enable_cb_delayed(raw) } {
            return;
        }
        self.napi.schedule_then(|| {
            // SAFETY: As above; turning callbacks off need not be
            // serialised.
            unsafe { bindings::virtqueue_disable_cb(raw) }
        });
    }

    /// Takes every buffer the device is done with in `vq`, this
    /// instance's queue, to `done`, from outside this instance's poll (C
    /// `virtnet_poll_cleantx`: the receive poll frees sent frames), then
    /// turns the queue's callbacks on again delayed as
    /// [`VqNapi::xmit_kicked`] does, taking what the device used
    /// meanwhile until that holds. The callbacks are off while it takes
    /// buffers. Does nothing with another instance's queue.
    pub fn reap_delayed<Tok: Token>(
        &self,
        vq: &mut Virtqueue<Tok>,
        mut done: impl FnMut(Tok, u32),
    ) {
        let raw = vq.raw();
        if raw != self.queue.vq() {
            return;
        }
        loop {
            // SAFETY: The queue is valid while the handle is; turning its
            // callbacks off need not be serialised.
            unsafe { bindings::virtqueue_disable_cb(raw) };
            while let Some((tok, len)) = vq.get_buf() {
                done(tok, len);
            }
            // SAFETY: As in `xmit_kicked`.
            if unsafe { bindings::virtqueue_enable_cb_delayed(raw) } {
                return;
            }
        }
    }

    /// Takes the gate that keeps enabling and resizing apart; refused
    /// (`EPERM`, and nothing done) in atomic context, where enabling is
    /// refused anyway.
    fn gate(&self) -> Result<kernel::sync::MutexGuard<'_, ()>> {
        // SAFETY: Reads the preemption count and interrupt state only.
        if !unsafe { bindings::rnic_virtio_may_sleep() } {
            kernel::pr_warn_once!(
                "virtio: NAPI enabled or queue resized in atomic context, refused\n"
            );
            return Err(EPERM);
        }
        Ok(self.gate.lock())
    }

    /// Schedules a poll from process context, with the queue's callbacks
    /// off (the poll turns them on again when it completes): for work the
    /// poll does without an interrupt, like filling a receive queue from
    /// the instance's page pool. Does nothing while the instance is
    /// disabled or already scheduled.
    pub fn schedule_poll(&self) {
        self.poll_now();
    }

    /// Disables the instance, waiting for a running poll (see
    /// [`Napi::disable`]). The queue's callbacks find it off and do
    /// nothing until it is enabled again.
    pub fn disable(&self) {
        self.napi.disable();
    }

    /// Registers the binding with the queue, unless another instance's is
    /// there: one instance per queue (a second one would leave the first
    /// unscheduled, its queue's interrupts lost).
    fn bind(&self) -> Result {
        if self.bound.load(Ordering::Acquire) {
            return Ok(());
        }
        let binding = core::ptr::from_ref(&self.binding).cast_mut();
        let slot = &self.queue.slot().binding;
        if slot
            .compare_exchange(
                core::ptr::null_mut(),
                binding,
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .is_err_and(|current| current != binding)
        {
            pr_err!("virtio: a second NAPI instance for one virtqueue\n");
            return Err(EBUSY);
        }
        self.bound.store(true, Ordering::Release);
        Ok(())
    }

    /// Schedules a poll, with the queue's callbacks off. From process
    /// context with interrupts on, bottom halves are off around it, so
    /// that the poll runs when they come back on (elsewhere it runs when
    /// the interrupt or softirq ends).
    fn poll_now(&self) {
        let vq = self.queue.vq();
        let off = || {
            // SAFETY: `vq` is valid while `self.queue` is; turning
            // callbacks off need not be serialised.
            unsafe { bindings::virtqueue_disable_cb(vq) }
        };
        // SAFETY: Reads the preemption count and interrupt state only.
        if !unsafe { bindings::rnic_virtio_bh_may_toggle() } {
            self.napi.schedule_then(off);
            return;
        }
        // SAFETY: Plain bottom-half toggles, balanced, in task context with
        // interrupts on.
        unsafe { bindings::rnic_virtio_local_bh_disable() };
        self.napi.schedule_then(off);
        // SAFETY: Balances the disable above.
        unsafe { bindings::rnic_virtio_local_bh_enable() };
    }

    /// The callback's action (see [`Binding`]).
    ///
    /// # Safety
    ///
    /// `binding` is the `binding` field of a live `VqNapi<T>`, and `vq`
    /// its queue.
    unsafe fn schedule(binding: *const Binding, vq: *mut bindings::virtqueue) {
        // SAFETY: Guaranteed by the caller.
        let this = unsafe { &*kernel::container_of!(binding.cast_mut(), Self, binding) };
        let off = || {
            // SAFETY: `vq` is valid (the caller's guarantee); turning its
            // callbacks off need not be serialised.
            unsafe { bindings::virtqueue_disable_cb(vq) }
        };
        this.napi.schedule_then(off);
    }

    /// The instance's `napi_struct` (see [`Binding`]).
    ///
    /// # Safety
    ///
    /// `binding` is the `binding` field of a live `VqNapi<T>`.
    unsafe fn raw_napi(binding: *const Binding) -> *mut bindings::napi_struct {
        // SAFETY: Guaranteed by the caller.
        let this = unsafe { &*kernel::container_of!(binding.cast_mut(), Self, binding) };
        this.napi.as_raw()
    }
}

#[pinned_drop]
impl<T: Poll> PinnedDrop for VqNapi<T> {
    fn drop(self: Pin<&mut Self>) {
        if !self.bound.load(Ordering::Acquire) {
            return;
        }
        // Ours, registered by `bind` (which refuses to replace another).
        self.queue
            .slot()
            .binding
            .store(core::ptr::null_mut(), Ordering::Release);
        // A callback may have loaded the binding before the store; wait
        // for it (C `virtio_synchronize_cbs`). After a reset no callback
        // runs (the reset waited for them).
        if !self.queue.is_reset() {
            // SAFETY: The device is valid while the queue is; this drop
            // runs in process context (the interface's teardown).
            unsafe { bindings::rnic_virtio_synchronize_cbs(self.queue.vdev()) };
        }
    }
}

/// The queue of a handle, for [`VqNapi::for_target`]
/// ([`Virtqueue::target`]): names the queue, reaches no buffer.
pub struct VqTarget(QueueRef);

impl<Tok: Token> Virtqueue<Tok> {
    /// The queue, for [`VqNapi::for_target`].
    pub fn target(&self) -> VqTarget {
        VqTarget(self.queue().another())
    }
}
