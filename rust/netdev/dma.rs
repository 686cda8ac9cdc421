// SPDX-License-Identifier: GPL-2.0

//! DMA set-up for PCI network drivers.

use kernel::device::{Core, Device};
use kernel::dma::{Device as _, DmaMask};
use kernel::pci;
use kernel::prelude::*;

/// Sets the streaming and coherent DMA masks of `pdev` to `bits` bits.
///
/// Call it from `probe`, before the driver allocates any DMA memory. It
/// may only widen the masks (PCI starts at 32 bits): a narrower mask
/// fails with `EINVAL`.
///
/// The kernel crate makes this call `unsafe` because an allocation or
/// mapping may run at the same time on another CPU (from an interrupt
/// handler the probe already registered, say) and use either mask. The
/// `Core` context serialises the setters (the device lock is held), and
/// with a mask that only widens, both answers are addresses the device
/// can reach, which is what the rule protects.
pub fn set_mask(pdev: &pci::Device<Core<'_>>, bits: u32) -> Result {
    let mask = DmaMask::try_new(bits)?;
    let dev: &Device = pdev.as_ref();
    let raw = core::ptr::from_ref(dev).cast::<kernel::bindings::device>();
    // `Device` wraps `struct device` transparently and `pdev` keeps
    // it alive; only mask setters, serialised by the device lock (`Core`),
    // write the two fields, and a PCI device's `dma_mask` points into it.
    // SAFETY: Sound for the reasons just given.
    let (streaming, coherent) = unsafe { (*(*raw).dma_mask, (*raw).coherent_dma_mask) };
    if mask.value() < streaming || mask.value() < coherent {
        return Err(EINVAL);
    }
    // Allocations and mappings racing with this call see the old
    // or the new mask; the new one only widens it (checked above), so
    // both give addresses the device reaches.
    // SAFETY: Sound for the reasons just given.
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
