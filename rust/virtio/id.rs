// SPDX-License-Identifier: GPL-2.0

//! Device IDs (C `struct virtio_device_id`) and the ID table a driver
//! matches, with the module alias that lets udev load the module.

use kernel::device_id::{IdTable as KernelIdTable, RawDeviceId};

use super::bindings;
use super::device::Device;

/// Matches any vendor (C `VIRTIO_DEV_ANY_ID`).
pub const ANY_ID: u32 = bindings::VIRTIO_DEV_ANY_ID;

/// One entry of a driver's ID table: a device type and a vendor (C
/// `struct virtio_device_id`).
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct DeviceId(bindings::virtio_device_id);

impl DeviceId {
    /// Devices of type `device` (such as [`super::net::ID`]) from any
    /// vendor, as C drivers list them. `device` must not be 0, which ends
    /// a table (a constant table with 0 fails to build).
    pub const fn new(device: u32) -> Self {
        Self::with_vendor(device, ANY_ID)
    }

    /// Devices of type `device` from `vendor` only ([`ANY_ID`] for any).
    /// `device` must not be 0.
    pub const fn with_vendor(device: u32, vendor: u32) -> Self {
        assert!(device != 0, "virtio device ID 0 ends an ID table");
        Self(bindings::virtio_device_id { device, vendor })
    }

    /// Whether `dev` matches this entry (C `virtio_id_match`).
    pub(crate) fn matches<Ctx: kernel::device::DeviceContext>(&self, dev: &Device<Ctx>) -> bool {
        (self.0.device == ANY_ID || self.0.device == dev.device_id())
            && (self.0.vendor == ANY_ID || self.0.vendor == dev.vendor_id())
    }
}

// SAFETY: `DeviceId` is a transparent wrapper of `struct virtio_device_id`
// and adds no invariant, so it may be copied into one.
unsafe impl RawDeviceId for DeviceId {
    type RawType = bindings::virtio_device_id;
}

/// A driver's ID table, built with [`virtio_device_table!`].
///
/// [`virtio_device_table!`]: crate::virtio_device_table
pub type IdTable<T> = &'static dyn KernelIdTable<DeviceId, T>;

/// The index and the per-ID information of the first entry of `table`
/// that matches `dev`, as the bus matched it.
pub(crate) fn find<T, Ctx: kernel::device::DeviceContext>(
    table: IdTable<T>,
    dev: &Device<Ctx>,
) -> Option<&'static T> {
    let base = table.as_ptr().cast::<DeviceId>();
    let mut index = 0;
    loop {
        // `IdArray` (the only implementation of `IdTable`) lays its
        // entries out in one array followed by an all-zero sentinel, and
        // `DeviceId::with_vendor` refuses device 0, so every entry up to
        // the first with device 0 (the sentinel) is in bounds. `DeviceId`
        // is a transparent wrapper of the raw entry.
        // SAFETY: Sound for the reasons just given.
        let id = unsafe { &*base.add(index) };
        if id.0.device == 0 {
            return None;
        }
        if id.matches(dev) {
            return Some(table.info(index));
        }
        index += 1;
    }
}

/// Declares a virtio ID table and the module alias for it.
///
/// `$table_name` is the constant to use as [`Driver::ID_TABLE`] (as
/// `&$table_name`); `$module_table_name` names the static symbol from which
/// modpost makes the `virtio:d<device>v<vendor>` aliases in the module's
/// information, which udev matches against the device's `MODALIAS` to load
/// the module, as for a C driver's `MODULE_DEVICE_TABLE(virtio, ...)`.
///
/// ```ignore
/// crate::virtio_device_table!(
///     ID_TABLE,
///     MODULE_ID_TABLE,
///     <MyDriver as virtio::Driver>::IdInfo,
///     [(virtio::DeviceId::new(virtio::net::ID), ())]
/// );
/// ```
///
/// [`Driver::ID_TABLE`]: super::Driver::ID_TABLE
#[macro_export]
macro_rules! virtio_device_table {
    ($table_name:ident, $module_table_name:ident, $id_info_type:ty, $table_data:expr) => {
        const $table_name: ::kernel::device_id::IdArray<
            $crate::virtio::DeviceId,
            $id_info_type,
            { $table_data.len() },
        > = ::kernel::device_id::IdArray::new_without_index($table_data);

        ::kernel::module_device_table!("virtio", $module_table_name, $table_name);
    };
}
