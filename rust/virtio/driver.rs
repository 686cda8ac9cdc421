// SPDX-License-Identifier: GPL-2.0

//! The virtio driver trait, what `validate` may do, and the module macro.
//!
//! Modelled on the 7.2 kernel crate's `pci::Driver` (probe returns the
//! per-device data as an initialiser, the device references carry their
//! context) and `net::phy::Driver` (`#[vtable]`, the driver's tables as
//! constants).

use core::pin::Pin;

use kernel::device::{Bound, Core};
use kernel::error::VTABLE_DEFAULT_ERROR;
use kernel::prelude::*;

use super::bindings;
use super::device::Device;
use super::id::IdTable;
use crate::netdev::Sleepable;

/// A virtio driver (C `struct virtio_driver`).
///
/// The virtio core calls, for each device the [`ID_TABLE`] matches, with
/// the device lock held:
///
/// 1. `validate` (optional), once the features are intersected with
///    [`FEATURES`] and before they are confirmed to the device: the driver
///    may drop some ([`Validation::clear_feature`]) or refuse the device;
/// 2. `probe`, once the device accepted the features; it returns the
///    per-device data. The core marks the device ready after it unless
///    the driver did ([`Device::device_ready`]);
/// 3. `remove`, when the driver is unbound (module removal, `unbind` in
///    sysfs, hot-unplug). Then the layer resets the device, and drops the
///    per-device data after that: the device does not touch memory the
///    data owns once it is freed.
///
/// `config_changed` runs when the device reports a change of its
/// configuration space (link status, announce requests...).
///
/// [`ID_TABLE`]: Driver::ID_TABLE
/// [`FEATURES`]: Driver::FEATURES
#[vtable]
pub trait Driver {
    /// Per-entry information of the ID table, given to `probe`.
    type IdInfo: 'static;

    /// The per-device data `probe` creates. The layer keeps it (pinned)
    /// until the device is unbound; `config_changed` may use it from a
    /// work item while other callbacks use it, hence `Sync`.
    type Data<'bound>: Send + Sync + 'bound;

    /// The devices this driver takes, built with
    /// [`virtio_device_table!`](crate::virtio_device_table).
    const ID_TABLE: IdTable<Self::IdInfo>;

    /// The feature bits the driver supports (C `feature_table`). The core
    /// negotiates: a device gets the bits both sides have, plus the
    /// transport's own (`VIRTIO_F_VERSION_1`...). Each bit must be below
    /// 128, which the layer checks when the module builds.
    const FEATURES: &'static [u32];

    /// Checks the negotiated features before they are confirmed to the
    /// device; may drop some, or refuse the device with an error (C
    /// `validate`). Process context, device lock held.
    fn validate(_dev: &mut Validation<'_, '_>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Sets the device up and returns its per-device data. Process
    /// context, device lock held. If it fails, the layer resets the device.
    fn probe<'bound>(
        dev: &'bound Device<Core<'_>>,
        id_info: &'bound Self::IdInfo,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound;

    /// Tears the device down before it is unbound (C `remove`): for a
    /// network card, unregisters the interface. Process context, device
    /// lock held; `config_changed` no longer runs. The layer then resets
    /// the device and drops `this`.
    fn remove<'bound>(dev: &'bound Device<Core<'_>>, this: Pin<&Self::Data<'bound>>) {
        let _ = (dev, this);
    }

    /// The device changed its configuration space. C calls its
    /// `config_changed` with a spinlock held and interrupts off, where
    /// configuration reads (which may sleep) are not allowed; the layer
    /// calls this one from a work item on the system workqueue instead,
    /// in process context, so it may read the configuration and sleep
    /// (`ctx` proves it, for operations that sleep, such as a control
    /// command). Several changes may be reported by one call. It never
    /// runs before `probe` has returned or once `remove` has started.
    fn config_changed(_dev: &Device<Bound>, _this: Pin<&Self::Data<'_>>, _ctx: &Sleepable) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// The device as `validate` sees it: what a bound device offers
/// (features, configuration reads, through `Deref`) and the removal of
/// negotiated features. It cannot mark the device ready or reset it: the
/// features are not confirmed yet.
pub struct Validation<'a, 'b> {
    dev: &'a Device<Core<'b>>,
}

impl<'a, 'b> Validation<'a, 'b> {
    /// Wraps the device given to the C `validate` callback.
    pub(super) fn new(dev: &'a Device<Core<'b>>) -> Self {
        Self { dev }
    }

    /// Calls `f` with a proof that it may sleep (`validate` runs in
    /// process context with the device lock, a mutex), for configuration
    /// reads.
    pub fn sleepable<R>(&self, f: impl FnOnce(&Sleepable) -> R) -> R {
        self.dev.sleepable(f)
    }

    /// Drops a negotiated device feature (C `__virtio_clear_bit`), for a
    /// feature the driver supports in general but not with this device
    /// (an MTU too small, say). Transport features (bits 28 to 41:
    /// `VIRTIO_F_VERSION_1`, `VIRTIO_F_ACCESS_PLATFORM`...) and bits past
    /// 127 are refused with `EINVAL`: the transport needs them as
    /// negotiated.
    pub fn clear_feature(&mut self, bit: u32) -> Result {
        if bit >= bindings::RNIC_VIRTIO_FEATURES_BITS
            || (bindings::RNIC_VIRTIO_TRANSPORT_F_START..bindings::RNIC_VIRTIO_TRANSPORT_F_END)
                .contains(&bit)
        {
            return Err(EINVAL);
        }
        // `self.dev.as_raw()` is valid; `validate` runs with the
        // device lock held, before the core reads the features back to
        // confirm them to the device; `bit` is in range (checked above).
        // SAFETY: Sound for the reasons just given.
        unsafe { bindings::rnic_virtio_clear_bit(self.dev.as_raw(), bit) };
        Ok(())
    }
}

impl core::ops::Deref for Validation<'_, '_> {
    type Target = Device<Bound>;

    fn deref(&self) -> &Device<Bound> {
        self.dev
    }
}

/// Declares a kernel module with one virtio driver, registered at load and
/// unregistered at unload (through the kernel crate's generic
/// `driver::Registration` and this layer's [`Adapter`]).
///
/// ```ignore
/// crate::module_virtio_driver! {
///     type: MyDriver,
///     name: "rust_virtio_net",
///     authors: ["..."],
///     description: "...",
///     license: "GPL",
/// }
/// ```
///
/// The layer must be mounted as `crate::virtio`.
///
/// [`Adapter`]: super::Adapter
#[macro_export]
macro_rules! module_virtio_driver {
    ($($f:tt)*) => {
        ::kernel::module_driver!(<T>, $crate::virtio::Adapter<T>, { $($f)* });
    };
}
