// SPDX-License-Identifier: GPL-2.0

//! Deferred work of a device: a C `delayed_work` on the system workqueue
//! that runs a driver callback in process context (a watchdog, a reset),
//! and the RTNL such work takes to reconfigure the device.

use core::marker::PhantomData;
use core::ptr;
use core::sync::atomic::{AtomicPtr, Ordering};

use kernel::prelude::*;
use kernel::types::{NotThreadSafe, Opaque};

use super::bindings;
use super::builder::Builder;
use super::device::Device;
use super::ops::Operations;

/// A driver with deferred work.
pub trait Task: Operations {
    /// Runs the work, in process context (it may sleep). It must not wait
    /// for the RTNL (the device's `stop` cancels the work while holding
    /// it): use [`Rtnl::try_lock`] and reschedule if that fails.
    fn run_task(dev: &Device<Self>);
}

/// The deferred work of a device, embedded in the driver's private data
/// and attached by [`Builder::add_task`]. It is cancelled, waiting for a
/// running instance, when dropped.
#[repr(C)]
#[pin_data(PinnedDrop)]
pub struct DeviceTask<T: Task> {
    #[pin]
    work: Opaque<bindings::delayed_work>,
    /// The device, once attached.
    dev: AtomicPtr<bindings::net_device>,
    _data: PhantomData<T>,
}

// SAFETY: The workqueue core synchronises the work item; the device
// pointer is atomic.
unsafe impl<T: Task> Send for DeviceTask<T> {}
// SAFETY: As above.
unsafe impl<T: Task> Sync for DeviceTask<T> {}

impl<T: Task> DeviceTask<T> {
    /// Deferred work not attached to a device yet.
    pub fn new() -> impl PinInit<Self> {
        pin_init!(Self {
            // SAFETY: The helper initialises the work item and its timer.
            work <- Opaque::ffi_init(|p| unsafe {
                bindings::rnic_init_delayed_work(p, Some(Self::work_callback))
            }),
            dev: AtomicPtr::new(ptr::null_mut()),
            _data: PhantomData,
        })
    }

    /// Runs the work in `delay_ms` milliseconds, or sooner if it was
    /// already scheduled for later (0: as soon as possible). Usable in any
    /// context; does nothing before the work is attached.
    pub fn schedule(&self, delay_ms: u32) {
        if self.dev.load(Ordering::Acquire).is_null() {
            return;
        }
        let delay = kernel::time::msecs_to_jiffies(delay_ms);
        // SAFETY: The work item was initialised by `new` and stays pinned.
        unsafe { bindings::rnic_mod_delayed_work(self.work.get(), delay) };
    }

    /// Cancels the work and waits for a running instance to finish.
    /// Sleeps; must not be called from the work itself.
    pub fn cancel_sync(&self) {
        // SAFETY: The work item was initialised by `new`.
        unsafe { bindings::cancel_delayed_work_sync(self.work.get()) };
    }

    /// Detaches the work, so that scheduling it does nothing, and cancels
    /// it (the device's teardown, before `T` is dropped).
    ///
    /// # Safety
    ///
    /// `this` points to a live `DeviceTask<T>`.
    unsafe fn retire(this: *const ()) {
        // SAFETY: The caller guarantees a live instance.
        let this = unsafe { &*this.cast::<Self>() };
        this.dev.store(ptr::null_mut(), Ordering::Release);
        this.cancel_sync();
    }

    extern "C" fn work_callback(work: *mut bindings::work_struct) {
        // The work item is the first member of the `delayed_work`, which is
        // the first member of this `repr(C)` structure.
        // SAFETY: So `work` points into a live `DeviceTask<T>`: dropping
        // it cancels the work and waits for this callback first.
        let this = unsafe { &*work.cast::<Self>() };
        let dev = this.dev.load(Ordering::Acquire);
        if dev.is_null() {
            return;
        }
        // SAFETY: An attached task lives in the private data of `dev`, a
        // device built for `T`, which outlives it.
        let dev = unsafe { Device::from_raw(dev) };
        // `run_task` gets a registered `Device<T>`, which it may count: a
        // run due before registration (or after unregistration began)
        // is dropped, as a counted reference could outlive a device that
        // `free_netdev` frees unregistered.
        if dev.is_registered() {
            T::run_task(dev);
        }
    }
}

#[pinned_drop]
impl<T: Task> PinnedDrop for DeviceTask<T> {
    fn drop(self: Pin<&mut Self>) {
        self.cancel_sync();
    }
}

impl<T: Task> Builder<T> {
    /// Attaches the deferred work that `select` picks from the private
    /// data to the device. The layer cancels it for good before the private
    /// data is dropped. Fails if the work is not inside the private data.
    pub fn add_task(&mut self, select: fn(&T) -> &DeviceTask<T>) -> Result {
        let raw = self.device().as_raw();
        let task: *const DeviceTask<T> = select(self.device().data());
        // `select` derived it from the private data, which the builder
        // keeps alive; `on_teardown` touches only the layer's own part.
        // SAFETY: So the reference stays valid while it is used here.
        let task = unsafe { &*task };
        self.on_teardown(task, DeviceTask::<T>::retire)?;
        task.dev.store(raw, Ordering::Release);
        Ok(())
    }
}

/// The RTNL, held: configuration of network devices is serialised by it.
///
/// Only the task that took it may release it, so the guard cannot move
/// to another task ([`NotThreadSafe`]).
pub struct Rtnl(NotThreadSafe);

impl Rtnl {
    /// Takes the RTNL if it is free. Any context that may hold a mutex
    /// (not hard or soft IRQ).
    pub fn try_lock() -> Option<Self> {
        // A guard exists only after a successful trylock: its drop
        // releases the lock, so a failed attempt must not build one (an
        // eagerly built `then_some` argument would be dropped, unlocking
        // the RTNL of whoever holds it).
        // SAFETY: No precondition.
        if unsafe { bindings::rtnl_trylock() } != 0 {
            Some(Rtnl(NotThreadSafe))
        } else {
            None
        }
    }

    /// Takes the RTNL, sleeping until it is free. Process context only;
    /// never from a [`Task`], which `stop` cancels with the RTNL held.
    pub fn lock() -> Self {
        // SAFETY: No precondition; the guard's drop undoes it.
        unsafe { bindings::rtnl_lock() };
        Rtnl(NotThreadSafe)
    }

    /// Whether some task holds the RTNL (C `rtnl_is_locked`): a hint for
    /// assertions, not a way to learn that the caller holds it.
    pub fn is_locked() -> bool {
        // SAFETY: No precondition; it reads the mutex's state.
        unsafe { bindings::rtnl_is_locked() != 0 }
    }
}

impl Drop for Rtnl {
    fn drop(&mut self) {
        // SAFETY: This task holds the RTNL: a guard is made only by a
        // successful `try_lock` or `lock`, and it cannot leave the task.
        unsafe { bindings::rtnl_unlock() };
    }
}
