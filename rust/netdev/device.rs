// SPDX-License-Identifier: GPL-2.0

//! Ethernet `net_device`s: building, registering and using them.

use core::marker::PhantomData;
use core::ptr::NonNull;
use kernel::fmt;

use kernel::device::{Bound, DeviceContext};
use kernel::error::to_result;
use kernel::prelude::*;
use kernel::sync::aref::AlwaysRefCounted;
use kernel::types::Opaque;

use super::addr::MacAddress;
use super::bindings;
use super::ethtool::{self, EthtoolOps};
use super::ops::{self, Operations};

/// Alignment of the private area behind a `net_device` (C `NETDEV_ALIGN`).
const NETDEV_ALIGN: usize = 32;

/// Offset of the private area from the start of the `net_device`, as the
/// C `netdev_priv()` computes it.
const PRIV_OFFSET: usize =
    core::mem::size_of::<bindings::net_device>().next_multiple_of(NETDEV_ALIGN);

/// What the layer keeps in the private area of a `net_device`: its own
/// state, then the driver's data.
#[repr(C)]
#[pin_data]
struct Priv<T> {
    /// Set (before registration, never changed after) when the device is
    /// registered through [`Builder::register_managed`]: its parent is then
    /// bound for as long as the device is registered.
    managed: bool,
    /// What must stop before `data` is dropped: the NAPI instances and
    /// tasks attached by the builder (see [`Quiesce`]).
    quiesce: KVec<Quiesce>,
    #[pin]
    data: T,
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

/// An Ethernet network device whose private data is a `T`.
///
/// Drivers see it as `&Device<T>` in every callback, and may keep a counted
/// reference to it as an `ARef<Device<T>>`.
///
/// # Invariants
///
/// The wrapped `net_device` was allocated by [`Builder::new`], so its
/// private area holds an initialised, pinned `T` for as long as the device
/// can be reached through this type.
#[repr(transparent)]
pub struct Device<T>(Opaque<bindings::net_device>, PhantomData<T>);

// SAFETY: A `net_device` may be used from any thread; the private data is
// shared between them, hence the bounds on `T`.
unsafe impl<T: Send + Sync> Send for Device<T> {}
// SAFETY: As above.
unsafe impl<T: Send + Sync> Sync for Device<T> {}

impl<T> Device<T> {
    /// # Safety
    ///
    /// `ptr` must point to a `net_device` allocated by [`Builder::new`] for
    /// this `T`, and stay valid for `'a`.
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
    /// the `net_device` (`Builder::new` checks this against `netdev_priv()`).
    fn priv_ptr(&self) -> *mut Priv<T> {
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
    unsafe fn quiesce(&self) {
        // SAFETY: The caller guarantees an initialised private area; the
        // list changes only in the builder, which has given the device up.
        let list = unsafe { &(*self.priv_ptr()).quiesce };
        for q in list.iter() {
            // SAFETY: Each instance was recorded from the private data,
            // which the caller guarantees alive.
            unsafe { (q.stop)(q.instance) };
        }
    }

    /// The driver's private data.
    pub fn data(&self) -> &T {
        // SAFETY: The private area holds an initialised `T` (invariant).
        unsafe { &*self.data_ptr() }
    }

    /// The parent device, bound to its driver, if this device was
    /// registered with [`Builder::register_managed`].
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

    /// Allows the stack to call `start_xmit` (usually from `open`).
    pub fn start_queue(&self) {
        // SAFETY: As in `carrier_on`.
        unsafe { bindings::rnic_netif_start_queue(self.as_raw()) }
    }

    /// Stops the stack calling `start_xmit`, e.g. when the TX ring is full.
    pub fn stop_queue(&self) {
        // SAFETY: As in `carrier_on`.
        unsafe { bindings::rnic_netif_stop_queue(self.as_raw()) }
    }

    /// Restarts a stopped queue and kicks the qdisc.
    pub fn wake_queue(&self) {
        // SAFETY: As in `carrier_on`.
        unsafe { bindings::rnic_netif_wake_queue(self.as_raw()) }
    }

    /// From `start_xmit`, after queueing a frame: stops the queue unless
    /// `room()` says a largest frame still fits. A completion that makes
    /// room between the check and the stop would miss the stopped queue,
    /// so `room()` is asked again after a full barrier (it pairs with the
    /// one in [`Device::wake_queue_if_room`]) and the queue restarted if
    /// the frame fits by then. Returns whether the queue stayed stopped.
    pub fn maybe_stop_queue(&self, room: impl Fn() -> bool) -> bool {
        if room() {
            return false;
        }
        self.stop_queue();
        // The stop is visible before we look at the ring again.
        kernel::sync::barrier::smp_mb();
        if !room() {
            return true;
        }
        self.start_queue();
        false
    }

    /// From transmit completion, after reclaiming descriptors: restarts the
    /// queue if it is stopped and `room` (computed after the reclaim) says
    /// a largest frame fits. Returns whether it restarted the queue.
    pub fn wake_queue_if_room(&self, room: bool) -> bool {
        if !room {
            return false;
        }
        // The reclaim is visible before we look at the queue state.
        kernel::sync::barrier::smp_mb();
        if !self.queue_stopped() {
            return false;
        }
        self.wake_queue();
        true
    }

    /// From `start_xmit`: whether the hardware may be told about this frame
    /// later. The stack hands frames over in batches and says so for every
    /// one but the last (`netdev_xmit_more`); a driver then writes its tail
    /// (doorbell) register once per batch, unless the queue stopped, by the
    /// driver or by byte queue limits (`netif_xmit_stopped`), in which case
    /// no next frame may come to flush the batch. Every call of
    /// `start_xmit` that gets `false` must tell the hardware, whatever it
    /// did with its own frame.
    pub fn xmit_may_defer_kick(&self) -> bool {
        // SAFETY: Only reads the per-CPU transmit state and the queue's
        // state bits; `self` is a valid device (as in `carrier_on`).
        unsafe {
            bindings::rnic_netdev_xmit_more() && !bindings::rnic_netif_xmit_stopped(self.as_raw())
        }
    }

    /// Whether the queue is stopped.
    pub fn queue_stopped(&self) -> bool {
        // SAFETY: As in `carrier_on`.
        unsafe { bindings::rnic_netif_queue_stopped(self.as_raw()) }
    }

    /// Byte queue limits: `bytes` were handed to the hardware.
    pub fn sent_queue(&self, bytes: u32) {
        // SAFETY: As in `carrier_on`.
        unsafe { bindings::rnic_netdev_sent_queue(self.as_raw(), bytes) }
    }

    /// Byte queue limits: the hardware finished `packets` frames of `bytes`.
    /// More bytes than are in flight is a driver bug, which C's byte queue
    /// limits answer with `BUG()`: the completion is capped and logged.
    pub fn completed_queue(&self, packets: u32, bytes: u32) {
        // SAFETY: As in `carrier_on`.
        unsafe { bindings::rnic_netdev_completed_queue(self.as_raw(), packets, bytes) }
    }

    /// Byte queue limits: forget what is in flight (after a ring reset).
    pub fn reset_queue(&self) {
        // SAFETY: As in `carrier_on`.
        unsafe { bindings::rnic_netdev_reset_queue(self.as_raw()) }
    }
}

// SAFETY: `dev_hold`/`dev_put` keep the `net_device` allocated; the private
// `T` lives as long as the allocation is reachable: `Registration::drop`
// drops it only after `unregister_netdev` has waited for every reference to
// be put.
unsafe impl<T> AlwaysRefCounted for Device<T> {
    fn inc_ref(&self) {
        // SAFETY: `self` is a valid `net_device`.
        unsafe { bindings::rnic_dev_hold(self.as_raw()) }
    }

    unsafe fn dec_ref(obj: NonNull<Self>) {
        // SAFETY: The caller owns a reference taken by `inc_ref`.
        unsafe { bindings::rnic_dev_put(obj.as_ptr().cast()) }
    }
}

/// An interface name, copied out of the device for printing.
#[derive(Clone, Copy)]
pub struct DeviceName([u8; 16]);

impl fmt::Display for DeviceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let len = self.0.iter().position(|&b| b == 0).unwrap_or(self.0.len());
        for &b in &self.0[..len] {
            write!(f, "{}", char::from(b))?;
        }
        Ok(())
    }
}

/// A set of `NETIF_F_*` device features.
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub struct Features(pub u64);

macro_rules! features {
    ($($(#[$doc:meta])* $name:ident = $bit:ident;)*) => {
        impl Features {
            $(
                $(#[$doc])*
                pub const $name: Self = Self(1 << bindings::$bit);
            )*
        }
    };
}

features! {
    /// Scatter/gather: frames may come in page fragments.
    SG = NETIF_F_SG_BIT;
    /// Checksums any protocol in hardware (`CHECKSUM_PARTIAL`).
    HW_CSUM = NETIF_F_HW_CSUM_BIT;
    /// Checksums TCP/UDP over IPv4 in hardware.
    IP_CSUM = NETIF_F_IP_CSUM_BIT;
    /// Checksums TCP/UDP over IPv6 in hardware.
    IPV6_CSUM = NETIF_F_IPV6_CSUM_BIT;
    /// Verifies received checksums in hardware.
    RXCSUM = NETIF_F_RXCSUM_BIT;
    /// TCP segmentation offload over IPv4.
    TSO = NETIF_F_TSO_BIT;
    /// TCP segmentation offload over IPv6.
    TSO6 = NETIF_F_TSO6_BIT;
    /// Can DMA to high memory.
    HIGHDMA = NETIF_F_HIGHDMA_BIT;
    /// Receives frames with a bad FCS instead of dropping them.
    RXALL = NETIF_F_RXALL_BIT;
    /// Hands the FCS up with the frame.
    RXFCS = NETIF_F_RXFCS_BIT;
    /// Strips VLAN tags in hardware.
    HW_VLAN_CTAG_RX = NETIF_F_HW_VLAN_CTAG_RX_BIT;
    /// Inserts VLAN tags in hardware.
    HW_VLAN_CTAG_TX = NETIF_F_HW_VLAN_CTAG_TX_BIT;
    /// Filters VLANs in hardware.
    HW_VLAN_CTAG_FILTER = NETIF_F_HW_VLAN_CTAG_FILTER_BIT;
    /// Loopback mode.
    LOOPBACK = NETIF_F_LOOPBACK_BIT;
}

impl Features {
    /// No feature.
    pub const EMPTY: Self = Self(0);

    /// Whether every feature of `other` is in `self`.
    pub fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
}

impl core::ops::BitOr for Features {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        Self(self.0 | rhs.0)
    }
}

impl core::ops::BitAnd for Features {
    type Output = Self;
    fn bitand(self, rhs: Self) -> Self {
        Self(self.0 & rhs.0)
    }
}

impl core::ops::BitXor for Features {
    type Output = Self;
    fn bitxor(self, rhs: Self) -> Self {
        Self(self.0 ^ rhs.0)
    }
}

/// An allocated Ethernet device that is not registered yet.
///
/// The driver sets it up (address, MTU range, features, parent, NAPI) and
/// then calls [`Builder::register`]. Dropping it frees the device.
///
/// # Invariants
///
/// `ptr` is a `net_device` from `alloc_etherdev_mqs` whose private area
/// holds an initialised `T`, and whose `netdev_ops` are `T`'s.
pub struct Builder<T: Operations> {
    ptr: NonNull<bindings::net_device>,
    _data: PhantomData<T>,
}

impl<T: Operations> Builder<T> {
    /// Allocates an Ethernet device with `tx_queues` and `rx_queues` queues
    /// and initialises its private data with `data`.
    pub fn new<E>(tx_queues: u32, rx_queues: u32, data: impl PinInit<T, E>) -> Result<Self>
    where
        Error: From<E>,
    {
        const { assert!(core::mem::align_of::<Priv<T>>() <= NETDEV_ALIGN) };
        let size = c_int::try_from(core::mem::size_of::<Priv<T>>()).map_err(|_| EINVAL)?;
        // SAFETY: Plain allocation; a null return is handled below.
        let raw = unsafe { bindings::alloc_etherdev_mqs(size, tx_queues, rx_queues) };
        let ptr = NonNull::new(raw).ok_or(ENOMEM)?;

        // SAFETY: `raw` is a valid `net_device` from `alloc_etherdev_mqs`.
        let priv_ptr = unsafe { bindings::rnic_netdev_priv(raw) }.cast::<Priv<T>>();
        if priv_ptr != raw.wrapping_byte_add(PRIV_OFFSET).cast::<Priv<T>>() {
            // The generated bindings do not match the running kernel.
            pr_err!("netdev: net_device layout mismatch, rebuild the module\n");
            // SAFETY: `raw` is unregistered and its private area unused.
            unsafe { bindings::free_netdev(raw) };
            return Err(EINVAL);
        }

        let init = pin_init::pin_init!(Priv {
            managed: false,
            quiesce: KVec::new(),
            data <- data,
        }? E);
        // `priv_ptr` is suitably aligned memory of `size_of::<Priv<T>>()`
        // bytes (checked above) that stays in place until `free_netdev`.
        // SAFETY: So it can be pin-initialised.
        if let Err(e) = unsafe { init.__pinned_init(priv_ptr) } {
            // SAFETY: As above; nothing was initialised.
            unsafe { bindings::free_netdev(raw) };
            return Err(e.into());
        }

        // SAFETY: `raw` is valid and not registered: nothing else accesses
        // it. The operation table is a `'static` constant.
        unsafe { (*raw).netdev_ops = ops::Adapter::<T>::build() };
        Ok(Self {
            ptr,
            _data: PhantomData,
        })
    }

    fn raw(&mut self) -> *mut bindings::net_device {
        self.ptr.as_ptr()
    }

    /// Records an instance of the private data that the layer stops before
    /// dropping `T` (see [`Quiesce`]). Fails unless `instance` lies inside
    /// the private data: elsewhere (a `KBox`, another device's data) it
    /// could outlive the device, or die before it.
    pub(super) fn on_teardown<U>(&mut self, instance: &U, stop: unsafe fn(*const ())) -> Result {
        let dev = self.device();
        if !dev.holds(instance) {
            pr_err!(
                "netdev: {} attaches an instance outside its private data\n",
                dev.name()
            );
            return Err(EINVAL);
        }
        let entry = Quiesce {
            instance: core::ptr::from_ref(instance).cast(),
            stop,
        };
        let raw = self.raw();
        // SAFETY: `raw` is unregistered and the builder is borrowed
        // mutably: nothing else reads or writes the list.
        let list = unsafe { &mut (*Device::<T>::from_raw(raw).priv_ptr()).quiesce };
        list.push(entry, GFP_KERNEL)?;
        Ok(())
    }

    /// The device, e.g. to reach the private data during set-up.
    pub fn device(&self) -> &Device<T> {
        // SAFETY: `ptr` was allocated by `new` for this `T` (invariant).
        unsafe { Device::from_raw(self.ptr.as_ptr()) }
    }

    /// Installs `T`'s ethtool operations.
    pub fn set_ethtool_ops(&mut self)
    where
        T: EthtoolOps,
    {
        let raw = self.raw();
        // SAFETY: `raw` is valid and unregistered; the table is `'static`.
        unsafe { (*raw).ethtool_ops = ethtool::Adapter::<T>::build() };
    }

    /// Sets the parent device (the PCI function...), which gives the
    /// interface its `device` link in sysfs.
    pub fn set_parent<Ctx: DeviceContext>(&mut self, parent: &kernel::device::Device<Ctx>) {
        let parent = core::ptr::from_ref(parent).cast::<kernel::bindings::device>();
        let raw = self.raw();
        // SAFETY: `kernel::device::Device` is a transparent wrapper of a
        // valid `struct device`; registration takes its own reference on it.
        unsafe { bindings::rnic_set_netdev_dev(raw, parent.cast_mut()) };
    }

    /// Sets the interface name, a `printf`-like pattern such as `eth%d`.
    pub fn set_name(&mut self, pattern: &CStr) -> Result {
        let bytes = pattern.to_bytes_with_nul();
        let raw = self.raw();
        // SAFETY: `raw` is valid and unregistered.
        let name = unsafe { &mut (*raw).name };
        if bytes.len() > name.len() {
            return Err(EINVAL);
        }
        name[..bytes.len()].copy_from_slice(bytes);
        Ok(())
    }

    /// Sets the Ethernet address; refuses group and all-zero addresses.
    pub fn set_mac_address(&mut self, addr: &MacAddress) -> Result {
        if !addr.is_valid_unicast() {
            return Err(super::code::eaddrnotavail());
        }
        let raw = self.raw();
        // SAFETY: `raw` is valid and unregistered; `addr` has six bytes.
        unsafe { bindings::rnic_eth_hw_addr_set(raw, addr.0.as_ptr()) };
        Ok(())
    }

    /// Gives the device a random, locally administered address.
    pub fn set_random_mac_address(&mut self) {
        let raw = self.raw();
        // SAFETY: `raw` is valid and unregistered.
        unsafe { bindings::rnic_eth_hw_addr_random(raw) };
    }

    /// Sets the range of MTUs the device accepts; the core refuses others
    /// with a clear message before `change_mtu` is called.
    pub fn set_mtu_range(&mut self, min: u32, max: u32) -> Result {
        if min > max || min < super::ETH_MIN_MTU {
            return Err(EINVAL);
        }
        let raw = self.raw();
        // SAFETY: `raw` is valid and unregistered.
        unsafe {
            (*raw).min_mtu = min;
            (*raw).max_mtu = max;
        }
        Ok(())
    }

    /// Sets the features the user may toggle (`hw`) and those enabled now
    /// (`active`).
    pub fn set_features(&mut self, hw: Features, active: Features) {
        let raw = self.raw();
        // SAFETY: `raw` is valid and unregistered.
        unsafe {
            (*raw).hw_features = hw.0;
            (*raw).features = active.0;
        }
    }

    /// Sets how long a stopped TX queue may stay stopped before the core
    /// calls `tx_timeout`.
    pub fn set_watchdog_timeout_ms(&mut self, ms: u32) {
        let jiffies = kernel::time::msecs_to_jiffies(ms);
        let raw = self.raw();
        // SAFETY: `raw` is valid and unregistered.
        unsafe { (*raw).watchdog_timeo = c_int::try_from(jiffies).unwrap_or(c_int::MAX) };
    }

    /// Sets the default length of the qdisc in front of the device.
    pub fn set_tx_queue_len(&mut self, len: u32) {
        let raw = self.raw();
        // SAFETY: `raw` is valid and unregistered.
        unsafe { (*raw).tx_queue_len = len };
    }

    /// Declares that the device filters secondary unicast addresses itself
    /// (otherwise the core turns on promiscuous mode for them).
    pub fn set_unicast_filtering(&mut self) {
        let raw = self.raw();
        // SAFETY: `raw` is valid and unregistered.
        unsafe {
            let bits = &mut (*raw).__bindgen_anon_1.__bindgen_anon_1;
            let flags = bits.priv_flags();
            bits.set_priv_flags(flags | bindings::netdev_priv_flags_IFF_UNICAST_FLT as c_ulong);
        }
    }

    /// Registers the device with the network stack.
    pub fn register(self) -> Result<Registration<T>> {
        let ptr = self.ptr;
        // SAFETY: `ptr` is a fully set-up, unregistered `net_device`.
        to_result(unsafe { bindings::register_netdev(ptr.as_ptr()) })?;
        core::mem::forget(self);
        Ok(Registration {
            ptr,
            _data: PhantomData,
        })
    }
}

impl<T: Operations + 'static> Builder<T> {
    /// Registers the device as a child of `parent` and hands the
    /// registration to devres: the device is unregistered when `parent`
    /// unbinds (after the driver's data is dropped), and
    /// [`Device::bound_parent`] gives callbacks the bound parent.
    pub fn register_managed(mut self, parent: &kernel::device::Device<Bound>) -> Result {
        self.set_parent(parent);
        let raw = self.raw();
        // SAFETY: `raw` is valid and unregistered: nothing reads `managed`
        // concurrently.
        unsafe { (*Device::<T>::from_raw(raw).priv_ptr()).managed = true };
        let registration = self.register()?;
        kernel::devres::register(parent, registration, GFP_KERNEL)
    }
}

impl<T: Operations> Drop for Builder<T> {
    fn drop(&mut self) {
        let raw = self.raw();
        // The device was never registered and its `T` is initialised.
        // SAFETY: Its instances are stopped, then `T` is dropped exactly
        // once, here, before the free.
        unsafe {
            let dev = Device::<T>::from_raw(raw);
            dev.quiesce();
            core::ptr::drop_in_place(dev.priv_ptr());
            bindings::free_netdev(raw);
        }
    }
}

/// A registered Ethernet device; dropping it unregisters and frees it.
///
/// # Invariants
///
/// `ptr` is a registered `net_device` built by [`Builder`] for `T`.
pub struct Registration<T: Operations> {
    ptr: NonNull<bindings::net_device>,
    _data: PhantomData<T>,
}

// SAFETY: The registration only frees the device, which may happen on any
// thread; `T` is shared with the stack's threads anyway.
unsafe impl<T: Operations> Send for Registration<T> {}
// SAFETY: `&Registration` only gives `&Device<T>`, which is `Sync`.
unsafe impl<T: Operations> Sync for Registration<T> {}

impl<T: Operations> Registration<T> {
    /// The registered device.
    pub fn device(&self) -> &Device<T> {
        // SAFETY: `ptr` was built by `Builder` for this `T` (invariant).
        unsafe { Device::from_raw(self.ptr.as_ptr()) }
    }
}

impl<T: Operations> Drop for Registration<T> {
    fn drop(&mut self) {
        let raw = self.ptr.as_ptr();
        // The device is registered (invariant). `unregister_netdev` stops it
        // and waits until every reference is put; after that no operation
        // is called and no `Device<T>` can be reached. NAPI polls and tasks
        // are stopped next, whatever the driver's `stop` did.
        // SAFETY: So `T` can be dropped, once, and the memory freed.
        unsafe {
            bindings::unregister_netdev(raw);
            let dev = Device::<T>::from_raw(raw);
            dev.quiesce();
            core::ptr::drop_in_place(dev.priv_ptr());
            bindings::free_netdev(raw);
        }
    }
}
