// SPDX-License-Identifier: GPL-2.0

//! The virtio device (C `struct virtio_device`), in the device contexts of
//! the 7.2 driver model, as `pci::Device<Ctx>` has them.
//!
//! - Any context: the device and vendor IDs, the generic device.
//! - [`Bound`] (the driver is bound: in its callbacks, or through a
//!   reference whose holder knows it is bound): negotiated features and
//!   configuration space reads, which need the transport to be there.
//! - [`Core`] (inside a bus callback, device lock held): the status
//!   operations, [`Device::device_ready`] and [`Device::reset`].

use core::marker::PhantomData;
use core::ptr::NonNull;

use kernel::device::{self as kdevice, Bound, Core, DeviceContext, Normal};
use kernel::str::{CStr, CStrExt};
use kernel::sync::aref::{ARef, AlwaysRefCounted};
use kernel::types::Opaque;

use super::bindings;

/// A virtio device: C `struct virtio_device`, which the transport (here
/// virtio-pci) registers on the virtio bus.
///
/// `Ctx` says what the holder of the reference may do (see the module
/// documentation); `&Device<Core<'_>>` derefs to `&Device<Bound>`, which
/// derefs to `&Device` (`Normal`). Only `Device` (`Normal`) is reference
/// counted: `ARef<Device>` keeps the structure alive (`get_device`), not
/// the binding.
///
/// # Invariants
///
/// `self.0` is a valid `struct virtio_device` registered on the virtio bus,
/// and the guarantee of `Ctx` holds for as long as the reference lives.
#[repr(transparent)]
pub struct Device<Ctx: DeviceContext = Normal>(Opaque<bindings::virtio_device>, PhantomData<Ctx>);

impl<Ctx: DeviceContext> Device<Ctx> {
    /// The raw `struct virtio_device`.
    pub(crate) fn as_raw(&self) -> *mut bindings::virtio_device {
        self.0.get()
    }

    /// Borrows a raw `struct virtio_device` as a `Device<Ctx>`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid `struct virtio_device` registered on the
    /// virtio bus, which stays valid, and for which the guarantee of `Ctx`
    /// holds, for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::virtio_device) -> &'a Self {
        // `Device<Ctx>` is a transparent wrapper of
        // `struct virtio_device` (through `Opaque`, also transparent), and
        // the caller guarantees validity and the context for `'a`.
        // SAFETY: Sound for the reasons just given.
        unsafe { &*ptr.cast::<Self>() }
    }

    /// The virtio device type (C `vdev->id.device`): `VIRTIO_ID_NET` (1)
    /// for a network card.
    pub fn device_id(&self) -> u32 {
        // By the type invariant `self.as_raw()` is valid; the
        // transport sets the ID before registering the device and never
        // changes it after.
        // SAFETY: Sound for the reasons just given.
        unsafe { (*self.as_raw()).id.device }
    }

    /// The transport's vendor ID (C `vdev->id.vendor`; for virtio-pci the
    /// PCI subsystem vendor).
    pub fn vendor_id(&self) -> u32 {
        // SAFETY: As in `device_id`.
        unsafe { (*self.as_raw()).id.vendor }
    }
}

impl Device<Bound> {
    /// Whether the device and the driver agreed on feature bit `bit` (a
    /// device feature the driver lists in its feature table, or a
    /// transport feature such as `VIRTIO_F_VERSION_1`).
    ///
    /// Unlike C `virtio_has_feature`, a bit the driver does not list gives
    /// `false` instead of `BUG()`: the core never negotiates such a bit, so
    /// the answer is the same without the crash. Bits past the last
    /// feature bit (127) give `false`.
    pub fn has_feature(&self, bit: u32) -> bool {
        if bit >= bindings::RNIC_VIRTIO_FEATURES_BITS {
            return false;
        }
        // By the type invariant `self.as_raw()` is valid; `bit` is
        // in range (checked above). While the driver is bound (`Bound`), the
        // core changes the features only in probe, before our callbacks.
        // SAFETY: Sound for the reasons just given.
        unsafe { bindings::rnic_virtio_test_bit(self.as_raw(), bit) }
    }

    /// Whether the device uses the virtio 1.0 interface
    /// (`VIRTIO_F_VERSION_1`): then its configuration space and rings are
    /// little-endian; a legacy device uses the guest's byte order.
    pub fn is_version_1(&self) -> bool {
        self.has_feature(bindings::VIRTIO_F_VERSION_1)
    }

    /// The name of the device the transport sits on, such as the PCI
    /// address of a virtio-pci function (C `virtio_bus_name`), which C
    /// drivers report as their bus information; truncated to `N - 1`
    /// bytes, NUL-padded.
    pub fn bus_name<const N: usize>(&self) -> [u8; N] {
        let mut name = [0u8; N];
        // By the type invariant `self.as_raw()` is valid; the name is the
        // parent's (or a static string), which lives while the device is
        // bound, and NUL-terminated.
        // SAFETY: Sound for the reasons just given.
        let src = unsafe { CStr::from_char_ptr(bindings::rnic_virtio_bus_name(self.as_raw())) };
        let len = src.to_bytes().len().min(N.saturating_sub(1));
        name[..len].copy_from_slice(&src.to_bytes()[..len]);
        name
    }

    /// The device's status byte (`VIRTIO_CONFIG_S_*`).
    pub fn status(&self) -> u8 {
        // By the type invariant `self.as_raw()` is valid, and while
        // the driver is bound the transport (and so `vdev->config`) is
        // there.
        // SAFETY: Sound for the reasons just given.
        unsafe { bindings::rnic_virtio_get_status(self.as_raw()) }
    }
}

impl<'a> Device<Core<'a>> {
    /// Calls `f` with a proof that it may sleep: a bus callback runs in
    /// process context, holding only the device lock (a mutex). For a
    /// control command from `probe`.
    pub fn sleepable<R>(&self, f: impl FnOnce(&crate::netdev::Sleepable) -> R) -> R {
        // Bus callbacks (`Core`) run in process context with the device
        // lock, a mutex, held; the proof is lent to `f` only.
        // SAFETY: Sound for the reasons just given.
        let ctx = unsafe { crate::netdev::Sleepable::new() };
        f(&ctx)
    }

    /// Lets the device use its virtqueues now, in probe (C
    /// `virtio_device_ready`); otherwise the core does it once probe has
    /// returned. A driver calls it before it registers an interface whose
    /// queues the stack may use at once. Does nothing if the device is
    /// ready already (C would warn).
    pub fn device_ready(&self) {
        // A device reset with its queues in place stays stopped: its queues
        // are not set up any more, and their buffers are being reclaimed.
        if self.status() & bindings::VIRTIO_CONFIG_S_DRIVER_OK as u8 != 0
            || super::teardown::is_reset(self.as_raw())
        {
            return;
        }
        // By the type invariant `self.as_raw()` is valid; in a bus
        // callback (`Core`) the device lock serialises status changes, and
        // `DRIVER_OK` is not set yet (checked above).
        // SAFETY: Sound for the reasons just given.
        unsafe { bindings::rnic_virtio_device_ready(self.as_raw()) }
    }

    /// Resets the device (C `virtio_reset_device`): it stops using its
    /// queues and stops interrupting; in-flight virtqueue callbacks have
    /// finished when this returns. The device stays stopped until the
    /// driver is bound again ([`Device::device_ready`] does nothing after
    /// this), and the buffers of its queues are the driver's again. The
    /// layer resets the device itself after [`Driver::remove`] and when
    /// probe fails.
    ///
    /// [`Driver::remove`]: super::Driver::remove
    pub fn reset(&self) {
        // By the type invariant `self.as_raw()` is valid; in a bus
        // callback (`Core`), not from a virtqueue or config callback, and
        // not concurrently with the device's addition or removal, as the
        // C function requires.
        // SAFETY: Sound for the reasons just given.
        unsafe { bindings::virtio_reset_device(self.as_raw()) };
        super::teardown::mark_reset(self.as_raw());
    }
}

impl<Ctx: DeviceContext> AsRef<kdevice::Device<Ctx>> for Device<Ctx> {
    fn as_ref(&self) -> &kdevice::Device<Ctx> {
        // By the type invariant `self.as_raw()` is valid, so is its
        // embedded `struct device`, for as long as `self`, with the same
        // context guarantee.
        // SAFETY: Sound for the reasons just given.
        unsafe { kdevice::Device::from_raw(&raw mut (*self.as_raw()).dev) }
    }
}

// SAFETY: `Device` is a transparent wrapper of `Opaque<virtio_device>`,
// which does not depend on `Ctx`.
kernel::impl_device_context_deref!(unsafe { Device });
kernel::impl_device_context_into_aref!(Device);

// SAFETY: The reference count is the one of the embedded `struct device`,
// which keeps the whole `struct virtio_device` alive (the transport frees it
// in the device's release function).
unsafe impl AlwaysRefCounted for Device {
    fn inc_ref(&self) {
        // SAFETY: By the type invariant the device is valid, so its count
        // is non-zero.
        unsafe { bindings::get_device(&raw mut (*self.as_raw()).dev) };
    }

    unsafe fn dec_ref(obj: NonNull<Self>) {
        // SAFETY: The caller gives up a count it holds on a valid device.
        unsafe { bindings::put_device(&raw mut (*obj.as_ref().as_raw()).dev) }
    }
}

// SAFETY: `struct virtio_device` may be used, and its last reference
// dropped, from any thread.
unsafe impl Send for Device {}

// SAFETY: The operations of `&Device` are thread-safe (read-only IDs).
unsafe impl Sync for Device {}

// SAFETY: The operations of `&Device<Bound>` are thread-safe: feature
// tests read bits that do not change while the driver is bound; status and
// configuration reads are reads of device registers, which any number of
// threads may do at once (multi-byte fields are read under the device's
// configuration generation count).
unsafe impl Sync for Device<Bound> {}

/// A counted reference to a virtio device, from any context reference.
pub type DeviceRef = ARef<Device>;
