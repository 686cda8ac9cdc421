// SPDX-License-Identifier: GPL-2.0

//! Proof of the calling context: [`Sleepable`], which the layers hand to
//! the callbacks the kernel runs in process context, where sleeping is
//! allowed, and which operations that sleep (waiting for a device's
//! answer, taking a mutex) ask for.

use core::marker::PhantomData;

/// Proof that the code holding a reference to it runs in process context
/// and may sleep: no spinlock held, interrupts and bottom halves on, not
/// inside an RCU read-side section.
///
/// The layers make one on the stack of each callback that the kernel runs
/// in such a context (the address-list update `set_rx_mode_async`,
/// `set_mac_address`, the VLAN filter callbacks, a virtio driver's
/// `config_changed`...) and lend it to the driver for the call. A driver
/// cannot make one (the constructor is `unsafe`), copy it, keep it past
/// the call (it only ever has a borrowed reference), or send it to another
/// task (it is neither `Send` nor `Sync`). So an operation that asks for a
/// `&Sleepable` cannot be reached from a NAPI poll, `start_xmit`, a timer
/// or an interrupt handler.
///
/// What it cannot see is a lock the driver takes inside the callback: an
/// operation that sleeps, called under a spinlock taken there, is the bug
/// it would be with the kernel crate's `Mutex::lock`. The operations that
/// take it also call `might_sleep()`, which reports that case on a kernel
/// built with `CONFIG_DEBUG_ATOMIC_SLEEP`.
pub struct Sleepable {
    /// Neither `Send` nor `Sync`.
    _not_send: PhantomData<*mut ()>,
}

impl Sleepable {
    /// A proof for the current call.
    ///
    /// # Safety
    ///
    /// The caller runs in process context where it may sleep (see the type
    /// documentation), and lends the value to code that runs in that same
    /// context only, for as long as the context lasts.
    pub unsafe fn new() -> Self {
        Self {
            _not_send: PhantomData,
        }
    }
}
