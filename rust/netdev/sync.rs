// SPDX-License-Identifier: GPL-2.0

//! A spinlock that keeps bottom halves off while held (C `spin_lock_bh`).
//!
//! Network drivers share state between process context (`open`, `stop`,
//! ethtool, `set_mac_address`) and softirq context (NAPI polls,
//! `start_xmit`). A plain spinlock taken in process context can be
//! interrupted by a softirq on the same CPU that spins on it for ever;
//! [`SpinLockBh`] disables bottom halves for the duration, as C drivers do
//! with `spin_lock_bh`. It may be taken from softirq context too.
//!
//! netpoll (netconsole) runs `start_xmit` and a budget-0 NAPI poll with
//! interrupts off. There bottom halves cannot run on this CPU, and
//! re-enabling them would run pending softirqs with interrupts turned back
//! on under netpoll, so with interrupts off the lock is a plain spinlock
//! (the guard remembers which). It is not for hard IRQ handlers.

use kernel::sync::lock::{Backend, Guard, Lock};

use super::bindings;

/// Creates a [`SpinLockBh`] initialiser with a new lock class.
#[macro_export]
macro_rules! new_spinlock_bh {
    ($inner:expr $(, $name:literal)? $(,)?) => {
        $crate::netdev::sync::SpinLockBh::new(
            $inner,
            ::kernel::optional_name!($($name)?),
            ::kernel::static_lock_class!(),
        )
    };
}
pub use new_spinlock_bh;

/// A spinlock that disables bottom halves while held.
pub type SpinLockBh<T> = Lock<T, SpinLockBhBackend>;

/// A guard of a [`SpinLockBh`].
pub type SpinLockBhGuard<'a, T> = Guard<'a, T, SpinLockBhBackend>;

/// The `spin_lock_bh` lock backend.
pub struct SpinLockBhBackend;

// SAFETY: `spinlock_t` ensures mutual exclusion; disabling bottom halves
// only adds to it. `relock` uses the default, which calls `lock`.
unsafe impl Backend for SpinLockBhBackend {
    type State = kernel::bindings::spinlock_t;
    /// Whether the lock disabled bottom halves (it did not if interrupts
    /// were off).
    type GuardState = bool;

    unsafe fn init(
        ptr: *mut Self::State,
        name: *const kernel::ffi::c_char,
        key: *mut kernel::bindings::lock_class_key,
    ) {
        // SAFETY: The caller guarantees `ptr` is writable and `name` and
        // `key` live for ever.
        unsafe { kernel::bindings::__spin_lock_init(ptr, name, key) }
    }

    unsafe fn lock(ptr: *mut Self::State) -> Self::GuardState {
        // SAFETY: The caller guarantees the lock was initialised.
        unsafe { bindings::rnic_spin_lock_bh(ptr) }
    }

    unsafe fn try_lock(ptr: *mut Self::State) -> Option<Self::GuardState> {
        let mut bh = false;
        // SAFETY: The caller guarantees the lock was initialised; `bh` is
        // a valid place for the helper's answer.
        let locked = unsafe { bindings::rnic_spin_trylock_bh(ptr, &mut bh) } != 0;
        locked.then_some(bh)
    }

    unsafe fn unlock(ptr: *mut Self::State, bh: &Self::GuardState) {
        // SAFETY: The caller owns the lock, taken by `lock` or `try_lock`,
        // which said in `bh` whether bottom halves were disabled.
        unsafe { bindings::rnic_spin_unlock_bh(ptr, *bh) }
    }

    unsafe fn assert_is_held(ptr: *mut Self::State) {
        // SAFETY: The caller guarantees the lock was initialised.
        unsafe { kernel::bindings::spin_assert_is_held(ptr) }
    }
}
