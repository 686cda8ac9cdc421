// SPDX-License-Identifier: GPL-2.0

//! The adapter between the C virtio bus and a [`Driver`]: the
//! `struct virtio_driver` it registers, its `extern "C"` callbacks, and
//! the per-device data the layer keeps around the driver's.

use core::marker::PhantomData;
use core::mem::offset_of;
use core::pin::Pin;

use kernel::device::{Bound, CoreInternal};
use kernel::driver::{DriverLayout, RegistrationOps};
use kernel::error::{from_result, to_result};
use kernel::ffi::c_int;
use kernel::prelude::*;
use kernel::types::{ForeignOwnable, Opaque};
use kernel::ThisModule;

use super::bindings;
use super::device::Device;
use super::driver::{Driver, Validation};
use super::id;
use super::teardown;

/// Registers a [`Driver`] on the virtio bus: the kernel crate's generic
/// `driver::Registration<Adapter<T>>` (which [`module_virtio_driver!`]
/// builds) registers it and unregisters it when dropped.
///
/// [`module_virtio_driver!`]: crate::module_virtio_driver
pub struct Adapter<T: Driver>(PhantomData<T>);

/// What the layer keeps for each bound device (the driver-core drvdata):
/// the driver's data, and the work item that runs its `config_changed`.
///
/// The kernel crate drops it after `remove` has returned (its
/// `post_unbind_rust` hook), so after the layer has reset the device.
/// Fields drop in order: the driver's data, then what is left of the
/// queues (see [`QueueReaper`]).
#[pin_data(PinnedDrop)]
pub struct DeviceData<'bound, T: Driver> {
    #[pin]
    config_work: Opaque<bindings::work_struct>,
    vdev: *mut bindings::virtio_device,
    #[pin]
    data: T::Data<'bound>,
    queues: QueueReaper,
}

/// Tears the device's virtqueues down when dropped, after the driver's
/// data, if `remove` could not (the data still held queue handles): see
/// [`super::queues`].
struct QueueReaper(*mut bindings::virtio_device);

impl Drop for QueueReaper {
    fn drop(&mut self) {
        // The device data is dropped while the device is being unbound,
        // serialised with the bus callbacks, after `remove` reset it.
        // SAFETY: So the teardown may run; `self.0` is the device.
        unsafe { teardown::teardown(self.0, true) };
    }
}

impl<'bound, T: Driver + 'bound> DeviceData<'bound, T> {
    fn new(
        vdev: *mut bindings::virtio_device,
        data: impl PinInit<T::Data<'bound>, Error> + 'bound,
    ) -> impl PinInit<Self, Error> + 'bound {
        try_pin_init!(Self {
            // SAFETY: The helper initialises the work item in place, and
            // `Opaque::ffi_init` keeps it pinned from there on.
            config_work <- Opaque::ffi_init(|work| unsafe {
                bindings::rnic_virtio_init_work(work, Some(Self::config_work_callback))
            }),
            vdev,
            data <- data,
            queues: QueueReaper(*vdev),
        }? Error)
    }

    /// The driver's data, pinned.
    fn data(self: Pin<&Self>) -> Pin<&T::Data<'bound>> {
        // SAFETY: `data` is a structurally pinned field (`#[pin]`): it is
        // never moved out of a pinned `DeviceData`.
        unsafe { self.map_unchecked(|this| &this.data) }
    }

    extern "C" fn config_work_callback(work: *mut bindings::work_struct) {
        let work = work.cast::<Opaque<bindings::work_struct>>();
        // The only work item that runs this function is the
        // `config_work` field of a `DeviceData<T>` (same `T`, `new` set it
        // up), so the container is one.
        // SAFETY: Sound for the reasons just given.
        let this = unsafe { kernel::container_of!(work, Self, config_work) };
        // The work is queued only by `config_changed_callback`,
        // which the core calls between the end of a successful probe and
        // the start of `remove`; `remove` cancels the work and waits for
        // it before returning, and the data is dropped only after
        // `remove`. So `this` is alive and pinned (in its `KBox`) here.
        // SAFETY: Sound for the reasons just given.
        let this = unsafe { Pin::new_unchecked(&*this) };
        // `vdev` is the device the data belongs to, valid while
        // it is; it is bound to the driver until `remove` returns, and
        // `remove` waits for this function, as above.
        // SAFETY: Sound for the reasons just given.
        let dev = unsafe { Device::<Bound>::from_raw(this.vdev) };
        // A work item on the system workqueue: process context, no lock
        // held.
        // SAFETY: So the driver may sleep for the call.
        let ctx = unsafe { crate::netdev::Sleepable::new() };
        T::config_changed(dev, this.data(), &ctx);
    }
}

impl<T: Driver> DeviceData<'_, T> {
    /// Cancels the configuration work and waits for a running instance.
    fn cancel_config_work(&self) {
        // SAFETY: The work item was initialised in `new`.
        unsafe { bindings::cancel_work_sync(self.config_work.get()) };
    }
}

#[pinned_drop]
impl<T: Driver> PinnedDrop for DeviceData<'_, T> {
    fn drop(self: Pin<&mut Self>) {
        // `remove` cancelled it already; this keeps the rule local.
        self.cancel_config_work();
    }
}

// SAFETY:
// - `bindings::virtio_driver` is the C type, `repr(C)`, and embeds its
//   `struct device_driver` at the offset given.
// - `DeviceData<T>` is what `probe_callback` stores as the driver data.
unsafe impl<T: Driver + 'static> DriverLayout for Adapter<T> {
    type DriverType = bindings::virtio_driver;
    type DriverData<'bound> = DeviceData<'bound, T>;
    const DEVICE_DRIVER_OFFSET: usize = offset_of!(bindings::virtio_driver, driver);
}

// SAFETY: `unregister` only unregisters what `register` registered, and
// the kernel crate calls it only after a successful `register`.
unsafe impl<T: Driver + 'static> RegistrationOps for Adapter<T> {
    unsafe fn register(
        vdrv: &Opaque<Self::DriverType>,
        name: &'static CStr,
        module: &'static ThisModule,
    ) -> Result {
        const {
            let mut i = 0;
            while i < T::FEATURES.len() {
                assert!(
                    T::FEATURES[i] < bindings::RNIC_VIRTIO_FEATURES_BITS,
                    "virtio feature bits go up to 127"
                );
                i += 1;
            }
        }
        let drv = vdrv.get();
        // `drv` is valid for writes and not registered yet. The ID
        // and feature tables are `'static`; the ID table ends with a zero
        // sentinel (`IdArray`).
        // SAFETY: Sound for the reasons just given.
        unsafe {
            (*drv).driver.name = name.as_char_ptr();
            (*drv).id_table = T::ID_TABLE.as_ptr();
            (*drv).feature_table = T::FEATURES.as_ptr();
            (*drv).feature_table_size = T::FEATURES.len() as u32;
            (*drv).validate = if T::HAS_VALIDATE {
                Some(Self::validate_callback)
            } else {
                None
            };
            (*drv).probe = Some(Self::probe_callback);
            (*drv).remove = Some(Self::remove_callback);
            (*drv).config_changed = if T::HAS_CONFIG_CHANGED {
                Some(Self::config_changed_callback)
            } else {
                None
            };
        }
        // SAFETY: `drv` is a fully set up `virtio_driver`, pinned until
        // `unregister` (the caller's guarantee); `module` is this module.
        to_result(unsafe { bindings::__register_virtio_driver(drv, module.as_ptr()) })
    }

    unsafe fn unregister(vdrv: &Opaque<Self::DriverType>) {
        // SAFETY: The caller guarantees a successful `register` of `vdrv`.
        unsafe { bindings::unregister_virtio_driver(vdrv.get()) }
    }
}

impl<T: Driver + 'static> Adapter<T> {
    extern "C" fn validate_callback(vdev: *mut bindings::virtio_device) -> c_int {
        // The virtio bus calls `validate` with a valid device,
        // matched to this driver, with the device lock held, for the
        // duration of the call (the `Core` context).
        // SAFETY: Sound for the reasons just given.
        let dev = unsafe { Device::<CoreInternal<'_>>::from_raw(vdev) };
        let mut validation = Validation::new(dev);
        from_result(|| T::validate(&mut validation).map(|()| 0))
    }

    extern "C" fn probe_callback(vdev: *mut bindings::virtio_device) -> c_int {
        // The virtio bus calls `probe` with a valid device, matched
        // to this driver, with the device lock held, for the duration of
        // the call (the `Core` context).
        // SAFETY: Sound for the reasons just given.
        let dev = unsafe { Device::<CoreInternal<'_>>::from_raw(vdev) };
        // The driver pointer is the layer's from here (its queues): a driver
        // bound before may have left its own there (C virtio_net does).
        // And configuration reports: C virtio_net turns them off while its
        // interface is down and leaves them so when it is removed then; the
        // core clears the flag only when the device is registered. (They
        // stay held back until probe has returned: the core's own switch.)
        // SAFETY: `vdev` is valid; no queue exists, so nothing reads the
        // pointer; a probing driver may enable configuration reports.
        unsafe {
            bindings::rnic_virtio_set_priv(vdev, core::ptr::null_mut());
            bindings::virtio_config_driver_enable(vdev);
        }
        let ret = from_result(|| {
            // The bus matched the device against this table.
            let info = id::find(T::ID_TABLE, dev).ok_or(ENODEV)?;
            dev.as_ref()
                .set_drvdata(DeviceData::<T>::new(vdev, T::probe(dev, info)))?;
            Ok(0)
        });
        if ret != 0 {
            // The driver may have made the device ready; it must not go on
            // using memory the failed probe has freed. Then the queues go,
            // with the buffers the driver had added.
            dev.reset();
            // SAFETY: A bus callback, after the reset.
            unsafe { teardown::teardown(vdev, true) };
        }
        ret
    }

    extern "C" fn remove_callback(vdev: *mut bindings::virtio_device) {
        // The virtio bus calls `remove` with a valid device bound
        // to this driver, with the device lock held, for the duration of
        // the call (the `Core` context).
        // SAFETY: Sound for the reasons just given.
        let dev = unsafe { Device::<CoreInternal<'_>>::from_raw(vdev) };
        // `remove` is called only after a successful `probe`,
        // which stored a `DeviceData<T>`, and before the kernel crate
        // takes it back (after `remove`).
        // SAFETY: Sound for the reasons just given.
        let this = unsafe { dev.as_ref().drvdata_borrow::<DeviceData<'_, T>>() };
        // The core stopped configuration reports before `remove`; wait for
        // the one that may be queued or running.
        this.cancel_config_work();
        T::remove(dev, this.data());
        // The virtio core expects the driver to reset the device in
        // `remove`; the data, dropped after this, may own buffers the
        // device could otherwise still write to.
        dev.reset();
        // Then the queues, as C drivers do, unless the driver's data still
        // holds handles: `QueueReaper` does it once the data is dropped.
        // SAFETY: A bus callback, after the reset.
        unsafe { teardown::teardown(vdev, false) };
    }

    extern "C" fn config_changed_callback(vdev: *mut bindings::virtio_device) {
        // SAFETY: The virtio bus calls this with a valid device.
        let drvdata = unsafe { bindings::dev_get_drvdata(&raw mut (*vdev).dev) };
        // The core reports configuration changes only while they
        // are enabled for the driver: from the end of a successful probe,
        // which stored the `Pin<KBox<DeviceData<T>>>` as the drvdata, to
        // the start of `remove`, before the kernel crate takes it back.
        // SAFETY: Sound for the reasons just given.
        let this = unsafe { <Pin<KBox<DeviceData<'_, T>>> as ForeignOwnable>::borrow(drvdata) };
        // The work item was initialised in `DeviceData::new`; it is
        // cancelled before the data is dropped. Queueing is allowed in
        // atomic context (the core holds a spinlock, interrupts off).
        // SAFETY: Sound for the reasons just given.
        unsafe { bindings::rnic_virtio_schedule_work(this.config_work.get()) };
    }
}
