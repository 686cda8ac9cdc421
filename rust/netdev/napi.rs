// SPDX-License-Identifier: GPL-2.0

//! NAPI: interrupt mitigation by polling (C `struct napi_struct`).

use core::marker::PhantomData;
use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, Ordering};

use kernel::prelude::*;
use kernel::types::Opaque;

use super::bindings;
use super::builder::Builder;
use super::device::Device;
use super::ops::Operations;

pub use super::poll::{PollContext, PollDone, Rearm, RearmKey};

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
    /// The queue pair the instance serves and which of its queues (see
    /// `KIND_SHIFT`), [`NO_QUEUE`] if none is set.
    queue: AtomicU32,
    /// The instance's page pool, if it has one (see
    /// [`Napi::create_page_pool`]): set once, destroyed by drop. Its
    /// lowest bit says whether the pool maps its pages for a device (a
    /// pool is at least word-aligned), so that pointer and flag are set
    /// and read together.
    pub(super) pool: AtomicPtr<bindings::page_pool>,
    _data: PhantomData<T>,
}

const NO_QUEUE: u32 = u32::MAX;

/// The C poll callback of an instance.
type PollFn = Option<unsafe extern "C" fn(*mut bindings::napi_struct, c_int) -> c_int>;
/// The recorded queue: its number in the low bits, [`QueueKind`] above.
const KIND_SHIFT: u32 = 30;
const QUEUE_MASK: u32 = (1 << KIND_SHIFT) - 1;
const KIND_RX: u32 = 1;
const KIND_TX: u32 = 2;

/// Which queues of a queue pair an instance serves
/// ([`Napi::enable_for`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum QueueKind {
    /// The receive queue and the transmit queue.
    Both = KIND_RX | KIND_TX,
    /// The receive queue only.
    Rx = KIND_RX,
    /// The transmit queue only.
    Tx = KIND_TX,
}

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
            pool: AtomicPtr::new(core::ptr::null_mut()),
            _data: PhantomData,
        })
    }

    /// The C instance, for the layers' own calls (the virtio layer's
    /// interrupt handling schedules it).
    pub(crate) fn as_raw(&self) -> *mut bindings::napi_struct {
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

    /// Asks for a poll like [`Napi::schedule`], and runs `before` once the
    /// poll is ours to schedule (C `napi_schedule_prep`) but before it is
    /// scheduled (`__napi_schedule`): where a virtqueue's callbacks are
    /// turned off, so that the poll turns them on again when it
    /// completes. Does nothing, `before` included, while the instance is
    /// disabled or already scheduled. Any context.
    pub fn schedule_then(&self, before: impl FnOnce()) -> bool {
        if !self.enabled.load(Ordering::Acquire) {
            return false;
        }
        // SAFETY: The instance is attached (enabled implies attached);
        // `napi_schedule_prep` fails once it is being disabled.
        if !unsafe { bindings::napi_schedule_prep(self.as_raw()) } {
            return false;
        }
        before();
        // SAFETY: `napi_schedule_prep` gave us the instance to schedule.
        unsafe { bindings::__napi_schedule(self.as_raw()) };
        true
    }

    /// Whether the instance is attached to its device.
    pub(super) fn is_attached(&self) -> bool {
        self.added.load(Ordering::Acquire)
    }

    /// Whether the instance is enabled (polls may run).
    pub fn is_enabled(&self) -> bool {
        self.enabled.load(Ordering::Acquire)
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
        self.enable_for(queue, QueueKind::Both)
    }

    /// Like [`Napi::enable_for_queue`], for the receive queue, the transmit
    /// queue or both (a device with one instance per direction, as
    /// virtio-net has).
    pub fn enable_for(&self, queue: u32, kind: QueueKind) -> Result {
        let napi = self.as_raw();
        if !self.added.load(Ordering::Acquire) || !self.may_sleep() || queue > QUEUE_MASK {
            return Err(EINVAL);
        }
        // SAFETY: An attached instance points to its device.
        let dev = unsafe { (*napi).dev };
        // SAFETY: `dev` is valid; the queue counts change only under the
        // RTNL, which the caller holds.
        let (rx, tx) = unsafe { ((*dev).real_num_rx_queues, (*dev).real_num_tx_queues) };
        let bits = kind as u32;
        if (bits & KIND_RX != 0 && queue >= rx) || (bits & KIND_TX != 0 && queue >= tx) {
            return Err(EINVAL);
        }
        self.enable();
        let queue = queue | bits << KIND_SHIFT;
        self.point_queue(queue, napi);
        self.queue.store(queue, Ordering::Release);
        Ok(())
    }

    /// Points the queues that `queue` names (a queue number and its
    /// [`QueueKind`] bits) of the instance's device at `napi` (or at
    /// nothing).
    ///
    /// The instance must be attached, the device must have the queues, and
    /// the caller must hold the RTNL: both callers check the queue against
    /// the counts (which change only under the RTNL, while the device is
    /// down) and document the RTNL.
    fn point_queue(&self, queue: u32, napi: *mut bindings::napi_struct) {
        for (bit, kind) in [
            (KIND_RX, bindings::netdev_queue_type_NETDEV_QUEUE_TYPE_RX),
            (KIND_TX, bindings::netdev_queue_type_NETDEV_QUEUE_TYPE_TX),
        ] {
            if (queue >> KIND_SHIFT) & bit == 0 {
                continue;
            }
            let index = queue & QUEUE_MASK;
            // SAFETY: As above: attached, queue present, RTNL held.
            unsafe { bindings::netif_queue_set_napi((*self.as_raw()).dev, index, kind, napi) };
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
        let done = T::poll(dev, PollContext::new(this, budget));
        if T::HAS_XDP && budget != 0 {
            // Frames a program redirected in this poll leave before it
            // returns, as the core requires (it checks under DEBUG_NET).
            // Every such poll flushes: a flag set by the poll could be
            // cleared by the end of an earlier poll of the instance on
            // another CPU. Not in netpoll's poll (zero budget), which runs
            // no program and has no redirect context.
            // A NAPI poll with a budget runs in the core's redirect
            // context (`net_rx_action`, busy polling, threaded NAPI all
            // set it), and the lists are this CPU's.
            // SAFETY: So the flush is sound.
            unsafe { bindings::rnic_xdp_flush() };
        }
        // `PollDone` keeps the count below the budget once completed, and
        // at most the budget otherwise.
        c_int::try_from(done.work()).unwrap_or(0)
    }
}

#[pinned_drop]
impl<T: Poll> PinnedDrop for Napi<T> {
    fn drop(self: Pin<&mut Self>) {
        self.disable();
        self.destroy_page_pool();
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
        self.attach_napi(select, false)
    }

    /// Attaches a NAPI instance that only completes transmissions (C
    /// `netif_napi_add_tx`), as [`Builder::add_napi`] does: it has no
    /// busy-polling ID, so netdev netlink does not list it and no socket
    /// busy-polls it.
    pub fn add_tx_napi(&mut self, select: fn(&T) -> &Napi<T>) -> Result {
        self.attach_napi(select, true)
    }

    fn attach_napi(&mut self, select: fn(&T) -> &Napi<T>, tx_only: bool) -> Result {
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
        let poll: PollFn = Some(Napi::<T>::poll_callback);
        // `napi` lives, pinned, in the device's private data (checked by
        // `on_teardown`), and is stopped before that is dropped.
        // SAFETY: So it is valid; it is not attached yet; the callback
        // matches `T`.
        unsafe {
            if tx_only {
                bindings::rnic_netif_napi_add_tx(raw, napi.as_raw(), poll)
            } else {
                bindings::rnic_netif_napi_add(raw, napi.as_raw(), poll)
            }
        };
        Ok(())
    }
}
