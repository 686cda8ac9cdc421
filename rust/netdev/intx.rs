// SPDX-License-Identifier: GPL-2.0

//! The legacy PCI interrupt line (INTx) of a device's parent, requested
//! while the interface is up, as C drivers of such NICs do.
//!
//! The 7.2 kernel crate reaches a PCI interrupt only through
//! `pci::Device::alloc_irq_vectors`, whose vectors borrow the device
//! reference they came from and which adds a devres entry on every call:
//! from `open`, one more for each open until the device unbinds. The legacy
//! line needs no vectors (C e1000 requests `pdev->irq` directly), so the
//! layer requests it itself, with the `net_device` as the handler's cookie,
//! and owns its release: [`Device::free_intx`] from `stop`, and in any case
//! before the private data is dropped.

use core::ffi::c_void;
use core::sync::atomic::{AtomicU32, Ordering};

use kernel::ffi::c_int;
use kernel::irq::IrqReturn;
use kernel::prelude::*;

use super::bindings;
use super::device::Device;
use super::ops::Operations;

/// A driver whose device interrupts on its PCI parent's legacy line.
pub trait Intx: Operations {
    /// The interrupt handler. Hard IRQ context: it may read and write
    /// registers, use atomics and schedule NAPI; it must not sleep or take
    /// a [`super::SpinLockBh`]. The line is shared: return
    /// [`IrqReturn::None`] when the device did not interrupt.
    fn interrupt(dev: &Device<Self>) -> IrqReturn;
}

/// The state of a device's line, kept by the layer: [`NO_LINE`], or
/// [`CLAIMED`] while a request is under way, or the line's number plus one.
pub(super) type LineState = AtomicU32;

/// No line is requested.
pub(super) const NO_LINE: u32 = 0;
/// A request is under way.
const CLAIMED: u32 = u32::MAX;

impl<T: Intx> Device<T> {
    /// Requests the legacy interrupt line of the device's parent (shared,
    /// named after the interface) and returns its number. Process context,
    /// it sleeps: from `open`. Fails with `EBUSY` if the line is already
    /// requested, `ENODEV` if the device has no bound PCI parent (it was
    /// not registered with `register_managed`), `EPERM` in atomic context.
    pub fn request_intx(&self) -> Result<u32> {
        let parent = self.bound_parent().ok_or(ENODEV)?;
        let state = self.line_state();
        state
            .compare_exchange(NO_LINE, CLAIMED, Ordering::AcqRel, Ordering::Acquire)
            .map_err(|_| EBUSY)?;
        let parent: *const kernel::device::Device<kernel::device::Bound> = parent;
        // The cookie is this `net_device`, registered for `T`; the handler
        // runs until `free_irq`, which the layer calls before `T` is
        // dropped (`release`, from `Device::quiesce`). `parent` wraps a
        // `struct device` transparently and is bound.
        // SAFETY: So the handler always finds a valid `Device<T>`.
        let irq = unsafe {
            bindings::rnic_request_intx(self.as_raw(), parent.cast_mut().cast(), Some(handler::<T>))
        };
        match u32::try_from(irq) {
            Ok(irq) if irq < CLAIMED - 1 => {
                state.store(irq + 1, Ordering::Release);
                Ok(irq)
            }
            _ => {
                state.store(NO_LINE, Ordering::Release);
                Err(Error::from_errno(irq))
            }
        }
    }

    /// Frees the line requested by [`Device::request_intx`], waiting for a
    /// running handler. Process context, it sleeps: from `stop`. Does
    /// nothing if no line is requested, or (with a warning) in atomic
    /// context, where the layer's teardown frees it later.
    pub fn free_intx(&self) {
        release(self.as_raw(), self.line_state());
    }
}

/// Frees the line that `state` records for the `net_device` `dev`, if any.
pub(super) fn release(dev: *mut bindings::net_device, state: &LineState) {
    let line = state.load(Ordering::Acquire);
    if line == NO_LINE || line == CLAIMED {
        return;
    }
    if state
        .compare_exchange(line, CLAIMED, Ordering::AcqRel, Ordering::Acquire)
        .is_err()
    {
        return;
    }
    // `line - 1` was requested for `dev` and we claimed it, so no other
    // caller frees it.
    // SAFETY: So it is freed once, with the cookie it was requested with.
    let freed = unsafe { bindings::rnic_free_intx(dev, line - 1) };
    state.store(if freed { NO_LINE } else { line }, Ordering::Release);
}

/// Called by the interrupt core for the line requested by
/// [`Device::request_intx`]; the cookie is the `net_device`.
extern "C" fn handler<T: Intx>(_irq: c_int, cookie: *mut c_void) -> bindings::irqreturn_t {
    // The cookie is the device the line was requested for, registered for
    // `T` and alive until `free_irq` returns (see `request_intx`).
    // SAFETY: So it is a valid `Device<T>` for the duration of the call.
    let dev = unsafe { Device::<T>::from_raw(cookie.cast()) };
    match T::interrupt(dev) {
        IrqReturn::None => bindings::irqreturn_IRQ_NONE,
        IrqReturn::Handled => bindings::irqreturn_IRQ_HANDLED,
    }
}
