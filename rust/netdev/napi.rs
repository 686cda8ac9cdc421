// SPDX-License-Identifier: GPL-2.0

//! NAPI: interrupt mitigation by polling (C `struct napi_struct`).

use core::marker::PhantomData;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use kernel::prelude::*;
use kernel::types::Opaque;

use super::bindings;
use super::builder::Builder;
use super::device::Device;
use super::ops::Operations;
use super::skbuff::SkBuff;

/// A driver whose device polls with NAPI.
pub trait Poll: Operations {
    /// Processes up to `ctx.budget()` received frames (and any amount of
    /// TX completions), then ends the poll through the context:
    /// [`PollContext::complete_done`] with the number of frames processed,
    /// or [`PollContext::poll_again`] when work is left. Either consumes the
    /// context, so nothing that needs the poll can run after the poll
    /// ended, and only they make the [`PollDone`] the poll must return. When
    /// [`PollDone::completed`] says so, the driver re-enables its device's
    /// interrupts.
    ///
    /// Runs in softirq context, or with a zero budget from netpoll with
    /// interrupts off (see [`PollContext`]).
    fn poll<'a>(dev: &Device<Self>, ctx: PollContext<'a, Self>) -> PollDone<'a>;
}

/// A NAPI instance, embedded in the driver's private data.
///
/// It is attached to its device by [`Builder::add_napi`] and enabled and
/// disabled by the driver, usually in `open` and `stop`. Enabling and
/// disabling are idempotent. It is removed from the device when dropped.
#[repr(C)]
#[pin_data(PinnedDrop)]
pub struct Napi<T: Poll> {
    #[pin]
    napi: Opaque<bindings::napi_struct>,
    added: AtomicBool,
    enabled: AtomicBool,
    /// Set when the device's teardown stopped the instance for good.
    retired: AtomicBool,
    /// The queue pair the instance serves, [`NO_QUEUE`] if none is set.
    queue: AtomicU32,
    _data: PhantomData<T>,
}

const NO_QUEUE: u32 = u32::MAX;

// SAFETY: The C side synchronises NAPI state with atomic bit operations.
unsafe impl<T: Poll> Send for Napi<T> {}
// SAFETY: As above.
unsafe impl<T: Poll> Sync for Napi<T> {}

impl<T: Poll> Napi<T> {
    /// A NAPI instance not yet attached to a device.
    pub fn new() -> impl PinInit<Self> {
        pin_init!(Self {
            napi: Opaque::zeroed(),
            added: AtomicBool::new(false),
            enabled: AtomicBool::new(false),
            retired: AtomicBool::new(false),
            queue: AtomicU32::new(NO_QUEUE),
            _data: PhantomData,
        })
    }

    fn as_raw(&self) -> *mut bindings::napi_struct {
        self.napi.get()
    }

    /// Asks for a poll soon (from the interrupt handler, say). Does nothing
    /// and returns `false` while the instance is disabled or already
    /// scheduled.
    pub fn schedule(&self) -> bool {
        if !self.enabled.load(Ordering::Acquire) {
            return false;
        }
        // SAFETY: The instance is attached (enabled implies attached).
        unsafe { bindings::rnic_napi_schedule(self.as_raw()) }
    }

    /// Allows polling. Sleeps: call with the RTNL held (from `open`); from
    /// atomic context it warns and does nothing. Does nothing before the
    /// device is registered (a poll gets a registered `Device<T>`, which it
    /// may count) or once it is being torn down.
    pub fn enable(&self) {
        if self.added.load(Ordering::Acquire)
            && self.registered()
            && !self.retired.load(Ordering::Acquire)
            && self.may_sleep()
            && !self.enabled.swap(true, Ordering::AcqRel)
        {
            // SAFETY: The instance is attached and was disabled.
            unsafe { bindings::napi_enable(self.as_raw()) }
        }
    }

    /// Allows polling, like [`Napi::enable`], and records that the
    /// instance serves receive and transmit queue `queue` (C
    /// `netif_queue_set_napi`), which netdev netlink reports and busy
    /// polling follows. Call with the RTNL held (from `open`). Fails if the
    /// device has no such queue, or in atomic context.
    pub fn enable_for_queue(&self, queue: u32) -> Result {
        let napi = self.as_raw();
        if !self.added.load(Ordering::Acquire) || !self.may_sleep() {
            return Err(EINVAL);
        }
        // SAFETY: An attached instance points to its device.
        let dev = unsafe { (*napi).dev };
        // SAFETY: `dev` is valid; the queue counts change only under the
        // RTNL, which the caller holds.
        let (rx, tx) = unsafe { ((*dev).real_num_rx_queues, (*dev).real_num_tx_queues) };
        if queue >= rx || queue >= tx {
            return Err(EINVAL);
        }
        self.enable();
        self.point_queue(queue, napi);
        self.queue.store(queue, Ordering::Release);
        Ok(())
    }

    /// Points receive and transmit queue `queue` of the instance's device at
    /// `napi` (or at nothing).
    ///
    /// The instance must be attached, the device must have the queue, and
    /// the caller must hold the RTNL: both callers check the queue against
    /// the counts (which change only under the RTNL, while the device is
    /// down) and document the RTNL.
    fn point_queue(&self, queue: u32, napi: *mut bindings::napi_struct) {
        for kind in [
            bindings::netdev_queue_type_NETDEV_QUEUE_TYPE_RX,
            bindings::netdev_queue_type_NETDEV_QUEUE_TYPE_TX,
        ] {
            // SAFETY: As above: attached, queue present, RTNL held.
            unsafe { bindings::netif_queue_set_napi((*self.as_raw()).dev, queue, kind, napi) };
        }
    }

    /// Stops polling, waiting for a running poll to finish, and unbinds
    /// the instance from its queues. Sleeps; call with the RTNL held (from
    /// `stop`); from atomic context it warns and does nothing.
    pub fn disable(&self) {
        if !self.added.load(Ordering::Acquire) || !self.may_sleep() {
            return;
        }
        let queue = self.queue.swap(NO_QUEUE, Ordering::AcqRel);
        if queue != NO_QUEUE {
            self.point_queue(queue, core::ptr::null_mut());
        }
        if self.enabled.swap(false, Ordering::AcqRel) {
            // SAFETY: The instance is attached and was enabled.
            unsafe { bindings::napi_disable(self.as_raw()) }
        }
    }

    /// Whether the caller may sleep, as enabling and disabling do; warns
    /// once if not. Only for an attached instance.
    fn may_sleep(&self) -> bool {
        // SAFETY: The instance is attached: its `dev` is set.
        unsafe { bindings::rnic_napi_may_sleep(self.as_raw()) }
    }

    /// Binds the instance to an interrupt line, which netlink reports
    /// (`netif_napi_set_irq`). Takes the device's instance lock: call it
    /// from process context, outside that lock.
    pub fn set_irq(&self, irq: u32) {
        if self.added.load(Ordering::Acquire) {
            let irq = c_int::try_from(irq).unwrap_or(-1);
            // SAFETY: The instance is attached.
            unsafe { bindings::rnic_netif_napi_set_irq(self.as_raw(), irq) }
        }
    }

    /// Whether the instance's device is registered.
    fn registered(&self) -> bool {
        // SAFETY: An attached instance (checked by the caller before this)
        // points to its device, which outlives it.
        let dev = unsafe { Device::<T>::from_raw((*self.as_raw()).dev) };
        dev.is_registered()
    }

    /// Stops the instance for good (the device's teardown, before `T` is
    /// dropped): no poll runs after this returns, and none can start.
    ///
    /// # Safety
    ///
    /// `this` points to a live `Napi<T>`.
    unsafe fn retire(this: *const ()) {
        // SAFETY: The caller guarantees a live instance.
        let this = unsafe { &*this.cast::<Self>() };
        this.retired.store(true, Ordering::Release);
        this.disable();
    }

    extern "C" fn poll_callback(napi: *mut bindings::napi_struct, budget: c_int) -> c_int {
        // The core polls an instance attached by `add_napi`: a `Napi<T>`,
        // whose first member is the `napi_struct`, in the private data of a
        // device built for `T`.
        // SAFETY: So both casts are valid for the duration of the poll.
        let (this, dev) = unsafe {
            let this = &*napi.cast::<Self>();
            (this, Device::<T>::from_raw((*napi).dev))
        };
        let budget = u32::try_from(budget).unwrap_or(0);
        let done = T::poll(dev, PollContext { napi: this, budget });
        // `PollDone` keeps the count below the budget once completed, and
        // at most the budget otherwise.
        c_int::try_from(done.work).unwrap_or(0)
    }
}

#[pinned_drop]
impl<T: Poll> PinnedDrop for Napi<T> {
    fn drop(self: Pin<&mut Self>) {
        self.disable();
        if self.added.swap(false, Ordering::AcqRel) {
            // SAFETY: The instance is attached and disabled.
            unsafe { bindings::rnic_netif_napi_del(self.as_raw()) }
        }
    }
}

impl<T: Poll> Builder<T> {
    /// Attaches the NAPI instance that `select` picks from the private data
    /// to the device. It starts disabled; the layer disables it for good
    /// before the private data is dropped. Fails if the instance is not
    /// inside the private data.
    pub fn add_napi(&mut self, select: fn(&T) -> &Napi<T>) -> Result {
        let raw = self.device().as_raw();
        let napi: *const Napi<T> = select(self.device().data());
        // `select` derived it from the private data, which the builder
        // keeps alive; `on_teardown` touches only the layer's own part.
        // SAFETY: So the reference stays valid while it is used here.
        let napi = unsafe { &*napi };
        if napi.added.load(Ordering::Acquire) {
            return Ok(());
        }
        self.on_teardown(napi, Napi::<T>::retire)?;
        napi.added.store(true, Ordering::Release);
        // `napi` lives, pinned, in the device's private data (checked by
        // `on_teardown`), and is stopped before that is dropped.
        // SAFETY: So it is valid; it is not attached yet; the callback
        // matches `T`.
        unsafe {
            bindings::rnic_netif_napi_add(raw, napi.as_raw(), Some(Napi::<T>::poll_callback))
        };
        Ok(())
    }
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
    /// Whether the poll completed (`napi_complete_done` returned true): the
    /// driver re-enables its interrupts, and the instance may already be
    /// scheduled again.
    pub fn completed(&self) -> bool {
        self.completed
    }
}

impl<'a, T: Poll> PollContext<'a, T> {
    /// How many frames this poll may process.
    pub fn budget(&self) -> u32 {
        self.budget
    }

    /// The NAPI instance being polled.
    pub fn napi(&self) -> &Napi<T> {
        self.napi
    }

    /// The device being polled.
    fn device(&self) -> &Device<T> {
        // SAFETY: A polled instance is attached to its registered device,
        // built for `T`, which outlives the poll.
        unsafe { Device::from_raw((*self.napi.as_raw()).dev) }
    }

    /// Whether this poll runs in softirq context (a non-zero budget).
    fn may_receive(&self) -> bool {
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

    /// Ends the poll after `work_done` frames. Below the budget it
    /// completes (`napi_complete_done`); at the budget (or above it, which
    /// is a driver bug and is logged) the core polls again. With a zero
    /// budget (netpoll) it never completes: that poll does not own the
    /// instance.
    pub fn complete_done(self, work_done: u32) -> PollDone<'a> {
        if work_done > self.budget {
            pr_warn!(
                "NAPI poll exceeded its budget ({work_done} > {})\n",
                self.budget
            );
        }
        if work_done >= self.budget {
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
