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
