// SPDX-License-Identifier: GPL-2.0

//! Ethernet `net_device`s: the device drivers see in their callbacks, and
//! the layout of its private area.

use core::marker::PhantomData;
use core::ptr::NonNull;

use kernel::prelude::*;
use kernel::sync::aref::AlwaysRefCounted;
use kernel::types::Opaque;

use super::addr::MacAddress;
use super::bindings;
use super::features::{DeviceName, Features};

/// Alignment of the private area behind a `net_device` (C `NETDEV_ALIGN`).
pub(super) const NETDEV_ALIGN: usize = 32;

/// Offset of the private area from the start of the `net_device`, as the
/// C `netdev_priv()` computes it.
pub(super) const PRIV_OFFSET: usize =
    core::mem::size_of::<bindings::net_device>().next_multiple_of(NETDEV_ALIGN);

/// What the layer keeps in the private area of a `net_device`: its own
/// state, then the driver's data.
#[repr(C)]
#[pin_data]
pub(super) struct Priv<T> {
    /// Set (before registration, never changed after) when the device is
    /// registered through [`Builder::register_managed`]: its parent is then
    /// bound for as long as the device is registered.
    ///
    /// [`Builder::register_managed`]: super::builder::Builder::register_managed
    pub(super) managed: bool,
    /// What must stop before `data` is dropped: the NAPI instances and
    /// tasks attached by the builder (see [`Quiesce`]).
    pub(super) quiesce: KVec<Quiesce>,
    /// The legacy interrupt line requested for the device, if any (see
    /// [`super::intx`]); freed before `data` is dropped.
    pub(super) intx: super::intx::LineState,
    /// The driver's failure injection, inside `data`, or null (see
    /// [`super::fail_alloc`]); set before registration only.
    pub(super) fail_alloc: *const super::fail_alloc::FailAlloc,
    #[pin]
    pub(super) data: T,
}

/// An instance inside the private data that runs callbacks on it (a NAPI
/// instance, a task), and the function that stops it for good.
pub(super) struct Quiesce {
    /// The instance, in the private data of this device.
    pub(super) instance: *const (),
    /// Stops it: after this returns, no callback of the instance runs and
    /// none can be scheduled again.
    ///
    /// # Safety
    ///
    /// Called with the `instance` it was recorded with, while that is
    /// alive.
    pub(super) stop: unsafe fn(*const ()),
}

/// An Ethernet network device whose private data is a `T`, in state `S`.
///
/// Drivers see it as `&Device<T>` (a [`Registered`] device) in every
/// callback, and may keep a counted reference to it as an
/// `ARef<Device<T>>`. While it is being built, [`Builder::device`] gives a
/// `&Device<T, Building>`, which has the same accessors but no counted
/// references: `free_netdev` frees an unregistered device whatever its
/// reference count, so an `ARef` taken then could outlive a failed or
/// abandoned registration.
///
/// # Invariants
///
/// The wrapped `net_device` was allocated by [`Builder::new`], so its
/// private area holds an initialised, pinned `T` for as long as the device
/// can be reached through this type.
///
/// [`Builder::new`]: super::builder::Builder::new
/// [`Builder::device`]: super::builder::Builder::device
#[repr(transparent)]
pub struct Device<T, S = Registered>(Opaque<bindings::net_device>, PhantomData<(T, S)>);

/// The state of a device that [`super::Builder`] is setting up: not
/// registered, so not counted (see [`Device`]).
pub enum Building {}

/// The state of a registered device, the one every callback sees.
pub enum Registered {}

// SAFETY: A `net_device` may be used from any thread; the private data is
// shared between them, hence the bounds on `T`. `S` is a marker.
unsafe impl<T: Send + Sync, S> Send for Device<T, S> {}
// SAFETY: As above.
unsafe impl<T: Send + Sync, S> Sync for Device<T, S> {}

impl<T, S> Device<T, S> {
    /// # Safety
    ///
    /// `ptr` must point to a `net_device` allocated by [`Builder::new`] for
    /// this `T`, and stay valid for `'a`.
    ///
    /// [`Builder::new`]: super::builder::Builder::new
    pub(super) unsafe fn from_raw<'a>(ptr: *mut bindings::net_device) -> &'a Self {
        // SAFETY: `Device<T>` is a transparent wrapper of `net_device`, and
        // the caller guarantees the pointer's validity and allocation.
        unsafe { &*ptr.cast::<Self>() }
    }

    /// The underlying `net_device`.
    pub(super) fn as_raw(&self) -> *mut bindings::net_device {
        self.0.get()
    }

    /// Address of the private area, which starts `PRIV_OFFSET` bytes after
    /// the `net_device` (`Builder::new`, in `builder.rs`, checks this
    /// against `netdev_priv()`).
    pub(super) fn priv_ptr(&self) -> *mut Priv<T> {
        self.as_raw()
            .wrapping_byte_add(PRIV_OFFSET)
            .cast::<Priv<T>>()
    }

    /// Address of the driver's data in the private area.
    fn data_ptr(&self) -> *mut T {
        // SAFETY: `priv_ptr` points to the (initialised) private area; only
        // the address of a field is computed.
        unsafe { &raw mut (*self.priv_ptr()).data }
    }

    /// Whether the device is registered (not being built, not being
    /// unregistered): only then do the callbacks that get a counted
    /// `Device<T>` (a task, a NAPI poll) run.
    pub(super) fn is_registered(&self) -> bool {
        // SAFETY: `self` is a valid device; the state is read once.
        unsafe { bindings::rnic_netdev_is_registered(self.as_raw()) }
    }

    /// Whether `item` lies inside the driver's private data: then it lives
    /// exactly as long as the device's `T`.
    pub(super) fn holds<U>(&self, item: &U) -> bool {
        let start = self.data_ptr() as usize;
        let end = start + core::mem::size_of::<T>();
        let at = core::ptr::from_ref(item) as usize;
        at >= start && at + core::mem::size_of::<U>() <= end
    }

    /// Stops every NAPI instance and task attached to the device, in the
    /// order they were attached, before its `T` is dropped: until then
    /// they could run on a `T` whose fields are being dropped one by one.
    ///
    /// # Safety
    ///
    /// The private area holds an initialised `T` whose instances are alive.
    pub(super) unsafe fn quiesce(&self) {
        // SAFETY: The caller guarantees an initialised private area; the
        // list changes only in the builder, which has given the device up.
        let list = unsafe { &(*self.priv_ptr()).quiesce };
        for q in list.iter() {
            // SAFETY: Each instance was recorded from the private data,
            // which the caller guarantees alive.
            unsafe { (q.stop)(q.instance) };
        }
        // Last, as a poll or task might request it until stopped.
        super::intx::release(self.as_raw(), self.line_state());
    }

    /// The state of the device's legacy interrupt line.
    pub(super) fn line_state(&self) -> &super::intx::LineState {
        // SAFETY: The private area, the layer's part as well as `T`, is
        // initialised for as long as a `Device` can be reached (invariant).
        unsafe { &(*self.priv_ptr()).intx }
    }

    /// The driver's private data.
    pub fn data(&self) -> &T {
        // SAFETY: The private area holds an initialised `T` (invariant).
        unsafe { &*self.data_ptr() }
    }

    /// The parent device, bound to its driver, if this device was
    /// registered with [`Builder::register_managed`].
    ///
    /// [`Builder::register_managed`]: super::builder::Builder::register_managed
    ///
    /// Devres unregisters such a device before its parent finishes
    /// unbinding, so the parent is bound whenever the device can be
    /// reached: drivers use it in `open` and ethtool callbacks to allocate
    /// DMA memory or request interrupts.
    pub fn bound_parent(&self) -> Option<&kernel::device::Device<kernel::device::Bound>> {
        // SAFETY: `managed` is written before registration only.
        if !unsafe { (*self.priv_ptr()).managed } {
            return None;
        }
        // `register_managed` set the parent, which holds while the device
        // exists; devres releases the registration before the parent is
        // unbound, and `unregister_netdev` waits for every user of `self`.
        // SAFETY: So the parent is a valid device, bound while `self` lives.
        unsafe {
            let parent = (*self.as_raw()).dev.parent;
            Some(kernel::device::Device::<kernel::device::Normal>::from_raw(parent).as_bound())
        }
    }

    /// The interface name (`eth0`...), for messages.
    pub fn name(&self) -> DeviceName {
        let mut name = [0u8; 16];
        // SAFETY: `name` is an array inside the valid `net_device`; a
        // concurrent rename can at worst give a mixed name in a message.
        let raw = unsafe { core::ptr::read_volatile(&raw const (*self.as_raw()).name) };
        for (dst, src) in name.iter_mut().zip(raw.iter()) {
            *dst = *src;
        }
        DeviceName(name)
    }

    /// The current MTU.
    pub fn mtu(&self) -> u32 {
        // SAFETY: `mtu` is a plain integer in the valid `net_device`; the
        // core writes it with `WRITE_ONCE`, we read it once.
        unsafe { core::ptr::read_volatile(&raw const (*self.as_raw()).mtu) }
    }

    /// The interface flags (`IFF_*`).
    pub fn flags(&self) -> u32 {
        // SAFETY: As in `mtu`.
        unsafe { core::ptr::read_volatile(&raw const (*self.as_raw()).flags) }
    }

    /// Whether the interface is in promiscuous mode: its promiscuity count
    /// (one per sniffer, bridge port...) is above zero.
    pub fn is_promiscuous(&self) -> bool {
        self.flags() & bindings::net_device_flags_IFF_PROMISC != 0
    }

    /// Whether the interface must receive all multicast frames.
    pub fn is_allmulti(&self) -> bool {
        self.flags() & bindings::net_device_flags_IFF_ALLMULTI != 0
    }

    /// The device's current Ethernet address.
    pub fn mac_address(&self) -> MacAddress {
        let mut addr = MacAddress::default();
        // SAFETY: `dev_addr` of an Ethernet device points to at least six
        // valid bytes for the device's lifetime.
        unsafe {
            let src = core::ptr::read_volatile(&raw const (*self.as_raw()).dev_addr);
            core::ptr::copy_nonoverlapping(src, addr.0.as_mut_ptr(), 6);
        }
        addr
    }

    /// The active features.
    pub fn features(&self) -> Features {
        // SAFETY: As in `mtu`.
        Features(unsafe { core::ptr::read_volatile(&raw const (*self.as_raw()).features) })
    }

    /// Whether the interface is up (`IFF_UP` and opened).
    pub fn is_running(&self) -> bool {
        // SAFETY: `self.as_raw()` is a valid `net_device`.
        unsafe { bindings::rnic_netif_running(self.as_raw()) }
    }

    /// Reports the link as up.
    pub fn carrier_on(&self) {
        // SAFETY: `self.as_raw()` is a valid `net_device`; callable in any
        // context.
        unsafe { bindings::netif_carrier_on(self.as_raw()) }
    }

    /// Reports the link as down.
    pub fn carrier_off(&self) {
        // SAFETY: As in `carrier_on`.
        unsafe { bindings::netif_carrier_off(self.as_raw()) }
    }

    /// Whether the link is reported up.
    pub fn carrier_ok(&self) -> bool {
        // SAFETY: As in `carrier_on`.
        unsafe { bindings::rnic_netif_carrier_ok(self.as_raw()) }
    }

    /// Tells the network's peers about the device again (C
    /// `__netdev_notify_peers`): gratuitous ARP, unsolicited neighbour
    /// advertisements, multicast reports, as after a migration. The
    /// `Rtnl` guard proves that the caller holds the RTNL the core needs.
    pub fn notify_peers(&self, _rtnl: &super::task::Rtnl) {
        // SAFETY: `self` is a valid device and the RTNL is held (the guard
        // exists only while its taker holds it).
        unsafe { bindings::__netdev_notify_peers(self.as_raw()) }
    }

    /// Asks the core to run [`super::Operations::work`] with `events` (bits
    /// of the driver's choosing, accumulated until the work runs) from its
    /// work item, in process context with the RTNL held (C
    /// `netdev_work_sched`). Usable in process and softirq context (a
    /// timer, a NAPI poll, a task); from a hard interrupt handler, or with
    /// interrupts off, it schedules nothing and returns `false` (the core
    /// takes a bottom-half lock). A device being unregistered runs no more
    /// work.
    pub fn schedule_work(&self, events: u32) -> bool {
        // SAFETY: `self` is a valid device (as in `carrier_on`); the helper
        // checks the context before taking the core's lock.
        unsafe { bindings::rnic_netdev_work_sched(self.as_raw(), events as c_ulong) }
    }
}

// SAFETY: `dev_hold`/`dev_put` keep the `net_device` allocated; the private
// `T` lives as long as the allocation is reachable: `Registration::drop`
// (in `builder.rs`) drops it only after `unregister_netdev` has waited for
// every reference to be put. Only a registered device is counted: the
// builder's `Device<T, Building>` has no `AlwaysRefCounted`, as nothing
// waits for references before an unregistered device is freed.
unsafe impl<T> AlwaysRefCounted for Device<T, Registered> {
    fn inc_ref(&self) {
        // SAFETY: `self` is a valid `net_device`.
        unsafe { bindings::rnic_dev_hold(self.as_raw()) }
    }

    unsafe fn dec_ref(obj: NonNull<Self>) {
        // SAFETY: The caller owns a reference taken by `inc_ref`.
        unsafe { bindings::rnic_dev_put(obj.as_ptr().cast()) }
    }
}
