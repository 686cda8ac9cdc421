// SPDX-License-Identifier: GPL-2.0

//! NAPI: interrupt mitigation by polling (C `struct napi_struct`).

use core::marker::PhantomData;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use kernel::prelude::*;
use kernel::types::Opaque;

use super::bindings;
use super::device::{Builder, Device};
use super::ops::Operations;
use super::skbuff::SkBuff;

/// A driver whose device polls with NAPI.
pub trait Poll: Operations {
    /// Processes up to `ctx.budget()` received frames (and any amount of
    /// TX completions) and returns how many frames it processed. When that
    /// is less than the budget, the driver calls
    /// [`PollContext::complete_done`] and, if it returns `true`, re-enables
    /// the device's interrupts.
    fn poll(dev: &Device<Self>, ctx: &mut PollContext<'_, Self>) -> u32;
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

    /// Allows polling. Call with the RTNL held (from `open`).
    pub fn enable(&self) {
        if self.added.load(Ordering::Acquire) && !self.enabled.swap(true, Ordering::AcqRel) {
            // SAFETY: The instance is attached and was disabled.
            unsafe { bindings::napi_enable(self.as_raw()) }
        }
    }

    /// Allows polling, like [`Napi::enable`], and records that the
    /// instance serves receive and transmit queue `queue` (C
    /// `netif_queue_set_napi`), which netdev netlink reports and busy
    /// polling follows. Call with the RTNL held (from `open`). Fails if the
    /// device has no such queue.
    pub fn enable_for_queue(&self, queue: u32) -> Result {
        let napi = self.as_raw();
        if !self.added.load(Ordering::Acquire) {
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
    /// `stop`).
    pub fn disable(&self) {
        let queue = self.queue.swap(NO_QUEUE, Ordering::AcqRel);
        if queue != NO_QUEUE {
            self.point_queue(queue, core::ptr::null_mut());
        }
        if self.enabled.swap(false, Ordering::AcqRel) {
            // SAFETY: The instance is attached and was enabled.
            unsafe { bindings::napi_disable(self.as_raw()) }
        }
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
        let mut ctx = PollContext {
            napi: this,
            budget,
            completed: false,
        };
        let done = T::poll(dev, &mut ctx);
        if done > budget {
            pr_warn!("{}: NAPI poll exceeded its budget\n", dev.name());
        }
        // After `napi_complete_done` another CPU may own the instance; a
        // return of `budget` would make the core treat it as still ours.
        let limit = if ctx.completed {
            budget.saturating_sub(1)
        } else {
            budget
        };
        c_int::try_from(done.min(limit)).unwrap_or(0)
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
    /// to the device. It starts disabled.
    pub fn add_napi(&mut self, select: fn(&T) -> &Napi<T>) {
        let dev = self.device();
        let napi = select(dev.data());
        if napi.added.swap(true, Ordering::AcqRel) {
            return;
        }
        // `napi` lives, pinned, in the device's private data (or elsewhere
        // for at least as long: `select` can only return such a reference).
        // SAFETY: So it is valid; it is not attached yet; the callback
        // matches `T`.
        unsafe {
            bindings::rnic_netif_napi_add(
                dev.as_raw(),
                napi.as_raw(),
                Some(Napi::<T>::poll_callback),
            )
        }
    }
}

/// What a NAPI poll may do, for the duration of one poll.
///
/// A poll with a zero budget comes from netpoll (netconsole), with
/// interrupts off and possibly outside softirq context: it may complete
/// transmissions only, so [`PollContext::alloc_skb`] gives nothing and
/// [`PollContext::gro_receive`] drops. Once [`PollContext::complete_done`]
/// returned `true`, another CPU may poll the instance: from then on the
/// context neither allocates nor hands frames up, and the poll's return
/// value is capped below the budget.
pub struct PollContext<'a, T: Poll> {
    napi: &'a Napi<T>,
    budget: u32,
    completed: bool,
}

impl<T: Poll> PollContext<'_, T> {
    /// How many frames this poll may process.
    pub fn budget(&self) -> u32 {
        self.budget
    }

    /// The NAPI instance being polled.
    pub fn napi(&self) -> &Napi<T> {
        self.napi
    }

    /// Whether this poll may still receive: it runs in softirq context
    /// (a non-zero budget) and has not completed.
    fn may_receive(&self) -> bool {
        self.budget != 0 && !self.completed
    }

    /// Allocates a receive buffer from the per-CPU NAPI cache. `None` on
    /// allocation failure, in a netpoll poll (zero budget) and after
    /// completion.
    pub fn alloc_skb(&self, len: u32) -> Option<SkBuff> {
        if !self.may_receive() {
            return None;
        }
        // SAFETY: We are inside this instance's poll, in softirq context
        // (non-zero budget), before completion.
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
    /// the stack. In a netpoll poll (zero budget) or after completion the
    /// frame is dropped instead: GRO state belongs to the softirq poll
    /// that owns the instance.
    pub fn gro_receive(&self, skb: SkBuff) {
        if !self.may_receive() {
            skb.drop_reason(super::skbuff::DropReason::NotSpecified);
            return;
        }
        // SAFETY: We are inside this instance's poll, in softirq context,
        // before completion; GRO takes the reference.
        unsafe { bindings::rnic_napi_gro_receive(self.napi.as_raw(), skb.into_raw()) };
    }

    /// Ends polling after `work_done` frames. Returns `false`, without
    /// completing, when the budget was used up (the core polls again) or
    /// when the instance must keep polling; `true` means the driver now
    /// re-enables its interrupts.
    ///
    /// Completes at most once per poll: a second call returns `false`.
    pub fn complete_done(&mut self, work_done: u32) -> bool {
        if self.completed || work_done >= self.budget {
            return false;
        }
        let work = c_int::try_from(work_done).unwrap_or(0);
        // SAFETY: We are inside this instance's poll, below budget (so not
        // a netpoll poll), and have not completed it yet.
        self.completed = unsafe { bindings::napi_complete_done(self.napi.as_raw(), work) };
        self.completed
    }
}
