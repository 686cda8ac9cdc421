// SPDX-License-Identifier: GPL-2.0

//! DMA set-up for PCI network drivers.

use kernel::device::Core;
use kernel::dma::{Device as _, DmaMask};
use kernel::pci;
use kernel::prelude::*;

/// Sets the streaming and coherent DMA masks of `pdev` to `bits` bits.
///
/// Call it from `probe`, before the driver allocates any DMA memory: the
/// `Core` context proves the device lock is held, so nothing else of this
/// driver touches the device's DMA set-up at the same time.
pub fn set_mask(pdev: &pci::Device<Core<'_>>, bits: u32) -> Result {
    let mask = DmaMask::try_new(bits)?;
    // SAFETY: In probe, with the device lock held, no DMA allocation or
    // mapping of this device can run concurrently (see above).
    unsafe { pdev.dma_set_mask_and_coherent(mask) }
}

/// Defines a `#[repr(C)]` structure shared with a device (a descriptor)
/// and implements `kernel::transmute::{AsBytes, FromBytes}` for it, which
/// coherent DMA memory requires, after checking at compile time that it is
/// sound: every field is itself `AsBytes + FromBytes` (plain integers,
/// arrays of them) and the fields add up to the size of the structure
/// (no padding).
///
/// ```ignore
/// netdev::dma_struct! {
///     /// A receive descriptor.
///     pub(crate) struct RxDesc {
///         pub(crate) addr: u64,
///         pub(crate) length: u16,
///     }
/// }
/// ```
#[macro_export]
macro_rules! dma_struct {
    ($(#[$meta:meta])* $vis:vis struct $name:ident {
        $($(#[$fmeta:meta])* $fvis:vis $field:ident: $ty:ty),* $(,)?
    }) => {
        $(#[$meta])*
        #[repr(C)]
        #[derive(Clone, Copy, Default)]
        $vis struct $name {
            $($(#[$fmeta])* $fvis $field: $ty),*
        }

        const _: () = {
            const fn plain<T: ::kernel::transmute::AsBytes + ::kernel::transmute::FromBytes>() {}
            $(plain::<$ty>();)*
            assert!(
                0 $(+ ::core::mem::size_of::<$ty>())* == ::core::mem::size_of::<$name>(),
                "padding in a DMA structure"
            );
        };

        // The macro's proof stands here, not in the (unsafe-free) driver
        // that expands it.
        // SAFETY: Every field is `AsBytes` and there is no padding
        // (checked above), so every byte is initialised.
        #[allow(unsafe_code)]
        unsafe impl ::kernel::transmute::AsBytes for $name {}
        // SAFETY: Every field is `FromBytes` and there is no padding
        // (checked above), so every bit pattern is valid.
        #[allow(unsafe_code)]
        unsafe impl ::kernel::transmute::FromBytes for $name {}
    };
}
pub use dma_struct;
