// SPDX-License-Identifier: GPL-2.0

//! Building an Ethernet `net_device` ([`Builder`]) and registering it
//! ([`Registration`]), and what their drops tear down.

use core::marker::PhantomData;
use core::ptr::NonNull;
use core::sync::atomic::AtomicU32;

use kernel::device::{Bound, DeviceContext};
use kernel::error::to_result;
use kernel::prelude::*;

use super::addr::MacAddress;
use super::bindings;
use super::device::{Building, Device, Priv, Quiesce, NETDEV_ALIGN, PRIV_OFFSET};
use super::ethtool::{self, EthtoolOps};
use super::features::Features;
use super::ops::{self, Operations};

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
            intx: AtomicU32::new(super::intx::NO_LINE),
            fail_alloc: core::ptr::null(),
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

    /// The device, e.g. to reach the private data during set-up. It cannot
    /// be counted (no `ARef`): see [`Device`].
    pub fn device(&self) -> &Device<T, Building> {
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
    /// with a clear message before `change_mtu` is called. The minimum is
    /// at least a minimum-size frame's payload (46 bytes, where C Ethernet
    /// drivers such as e1000 start; IPv4 stops below 68).
    pub fn set_mtu_range(&mut self, min: u32, max: u32) -> Result {
        if min > max || min < super::ETH_ZLEN - super::ETH_HLEN {
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

    /// Sets the MTU the interface starts at (Ethernet's 1500 otherwise),
    /// which must lie in the range [`Self::set_mtu_range`] set: `EINVAL`
    /// outside it.
    pub fn set_mtu(&mut self, mtu: u32) -> Result {
        let raw = self.raw();
        // SAFETY: `raw` is valid and unregistered, so nothing else writes
        // its fields.
        let (min, max) = unsafe { ((*raw).min_mtu, (*raw).max_mtu) };
        if !(min..=max).contains(&mtu) {
            return Err(EINVAL);
        }
        // SAFETY: `raw` is valid and unregistered, so nothing else reads
        // or writes its fields.
        unsafe { (*raw).mtu = mtu };
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

    /// Sets the headroom the stack leaves in front of the frames it sends
    /// (`needed_headroom`), for a header the driver puts there.
    pub fn set_needed_headroom(&mut self, bytes: u16) {
        let raw = self.raw();
        // SAFETY: `raw` is valid and unregistered.
        unsafe { (*raw).needed_headroom = bytes };
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
        self.add_priv_flag(bindings::netdev_priv_flags_IFF_UNICAST_FLT);
    }

    /// Declares that the device can send a frame without appending a frame
    /// check sequence, when [`SkBuff::no_fcs`] asks for it (C
    /// `IFF_SUPP_NOFCS`; a packet socket with `SO_NOFCS` is refused on
    /// other devices).
    ///
    /// [`SkBuff::no_fcs`]: super::SkBuff::no_fcs
    pub fn set_supports_no_fcs(&mut self) {
        self.add_priv_flag(bindings::netdev_priv_flags_IFF_SUPP_NOFCS);
    }

    fn add_priv_flag(&mut self, flag: bindings::netdev_priv_flags) {
        let raw = self.raw();
        // SAFETY: `raw` is valid and unregistered: nothing else reads or
        // writes its flags yet.
        unsafe {
            let bits = &mut (*raw).__bindgen_anon_1.__bindgen_anon_1;
            let flags = bits.priv_flags();
            bits.set_priv_flags(flags | flag as c_ulong);
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
