// SPDX-License-Identifier: GPL-2.0

//! Typed reads of a device's configuration space.
//!
//! A field is a [`ConfigField`]: its offset, its type, and the feature bit
//! without which it is absent. [`Device::read_config`] reads it in the
//! right byte order and gives `None` when the feature was not negotiated,
//! as C's `virtio_cread_feature` does.
//!
//! The byte order is the type's:
//!
//! - `u8`, `u16`, `u32`, `u64`: the device's order, through C
//!   `virtio_cread8/16/32/64` (little-endian for a `VIRTIO_F_VERSION_1`
//!   device, the guest's own for a legacy one), for the spec's
//!   `__virtio16`-style fields;
//! - [`Le<u16>`], [`Le<u32>`], [`Le<u64>`]: little-endian whatever the
//!   device (the spec's `__le32`-style fields, such as virtio-net's speed),
//!   as C's `virtio_cread_le`;
//! - `[u8; N]`: bytes as they are (C `virtio_cread_bytes`).
//!
//! Multi-byte reads that the transport cannot do at once are repeated
//! until the device's configuration generation is stable, as in C.

use core::marker::PhantomData;

use kernel::device::Bound;

use super::bindings;
use super::device::Device;
use crate::netdev::Sleepable;

mod private {
    use super::bindings;

    /// How a value of a configuration field is read. Sealed: only the
    /// types of this module read configuration space.
    pub trait Read {
        /// The value a read gives.
        type Value;

        /// Reads the field at `offset`.
        ///
        /// # Safety
        ///
        /// `vdev` must be valid, with a driver bound (so its transport is
        /// there), and `offset` the offset of a field of this type that the
        /// device's configuration space has.
        unsafe fn read(vdev: *mut bindings::virtio_device, offset: u32) -> Self::Value;
    }
}

/// The type of a configuration field: `u8`, `u16`, `u32`, `u64` (device
/// byte order), [`Le<T>`] (little-endian) or `[u8; N]` (bytes).
pub trait ConfigType: private::Read {}

/// A little-endian field of `T` (`u16`, `u32` or `u64`): the spec's
/// `__le16`/`__le32`/`__le64` fields, which stay little-endian on a legacy
/// device. Reading it gives a `T` in CPU order.
pub struct Le<T>(PhantomData<T>);

macro_rules! device_order {
    ($t:ty, $read:ident) => {
        impl private::Read for $t {
            type Value = $t;

            unsafe fn read(vdev: *mut bindings::virtio_device, offset: u32) -> $t {
                // The caller guarantees that `vdev` is valid with
                // its transport there, and that `offset` names a field of
                // this size.
                // SAFETY: Sound for the reasons just given.
                unsafe { bindings::$read(vdev, offset) }
            }
        }

        impl ConfigType for $t {}
    };
}

device_order!(u8, rnic_virtio_cread8);
device_order!(u16, rnic_virtio_cread16);
device_order!(u32, rnic_virtio_cread32);
device_order!(u64, rnic_virtio_cread64);

macro_rules! little_endian {
    ($t:ty) => {
        impl private::Read for Le<$t> {
            type Value = $t;

            unsafe fn read(vdev: *mut bindings::virtio_device, offset: u32) -> $t {
                let mut raw = [0u8; core::mem::size_of::<$t>()];
                // The caller guarantees that `vdev` is valid with
                // its transport there, and that `offset` names a field of
                // this size; `raw` is writable for that size, which is one
                // the transports can read at once (2, 4 or 8 bytes).
                // SAFETY: Sound for the reasons just given.
                unsafe {
                    bindings::rnic_virtio_cread_raw(
                        vdev,
                        offset,
                        raw.as_mut_ptr().cast(),
                        raw.len(),
                    )
                };
                <$t>::from_le_bytes(raw)
            }
        }

        impl ConfigType for Le<$t> {}
    };
}

little_endian!(u16);
little_endian!(u32);
little_endian!(u64);

impl<const N: usize> private::Read for [u8; N] {
    type Value = [u8; N];

    unsafe fn read(vdev: *mut bindings::virtio_device, offset: u32) -> [u8; N] {
        let mut bytes = [0u8; N];
        // The caller guarantees that `vdev` is valid with its
        // transport there, and that `offset` names a field of `N` bytes;
        // `bytes` is writable for `N` bytes. The C function reads them one
        // at a time.
        // SAFETY: Sound for the reasons just given.
        unsafe { bindings::rnic_virtio_cread_bytes(vdev, offset, bytes.as_mut_ptr().cast(), N) };
        bytes
    }
}

impl<const N: usize> ConfigType for [u8; N] {}

/// A field of a device's configuration space: where it is, its type, and
/// the feature bit that makes it present.
///
/// Fields are declared in the layer only (such as [`super::net`]), from
/// the C layout of the device type (`offset_of!` on the uapi structure),
/// because a wrong offset is not the driver's business to get right: a
/// transport answers a read past the end of the space with `BUG()`
/// (virtio-pci's `vp_get`), and a legacy one reads whatever I/O port
/// follows. For the same reason a field that exists only with a feature
/// names it, and is not read from a device without it.
pub struct ConfigField<T: ConfigType> {
    offset: u32,
    feature: Option<u32>,
    _type: PhantomData<fn() -> T>,
}

impl<T: ConfigType> ConfigField<T> {
    /// A field every device of its type has, at byte `offset`.
    pub(super) const fn new(offset: usize) -> Self {
        Self {
            offset: offset as u32,
            feature: None,
            _type: PhantomData,
        }
    }

    /// A field that exists only when feature bit `feature` was negotiated.
    pub(super) const fn with_feature(offset: usize, feature: u32) -> Self {
        Self {
            offset: offset as u32,
            feature: Some(feature),
            _type: PhantomData,
        }
    }

    /// The byte offset of the field.
    pub const fn offset(&self) -> u32 {
        self.offset
    }
}

impl Device<Bound> {
    /// Reads a configuration field, or gives `None` if the feature it
    /// depends on was not negotiated.
    ///
    /// The transport may sleep (the C reads call `might_sleep`): the read
    /// asks for a [`Sleepable`], which `config_changed` is given and
    /// `probe` gets from [`Device::sleepable`], and which a NAPI poll,
    /// `start_xmit` or an interrupt handler never has. Inside those
    /// callbacks it must not run under a spinlock or in an RCU read-side
    /// section either, such as the one `Revocable::try_access` holds:
    /// read first, then take the lock (a debug kernel reports it).
    pub fn read_config<T: ConfigType>(
        &self,
        field: &ConfigField<T>,
        _ctx: &Sleepable,
    ) -> Option<T::Value> {
        if let Some(bit) = field.feature {
            if !self.has_feature(bit) {
                return None;
            }
        }
        // `self.as_raw()` is valid and the driver is bound
        // (`Bound`), so the transport is there. Fields are declared in the
        // layer from the device type's C layout, with the feature that
        // makes them present, which was negotiated (checked above).
        // SAFETY: Sound for the reasons just given.
        Some(unsafe { T::read(self.as_raw(), field.offset) })
    }
}
