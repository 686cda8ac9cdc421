// SPDX-License-Identifier: GPL-2.0

//! A spinlock that keeps bottom halves off while held (C `spin_lock_bh`).
//!
//! Network drivers share state between process context (`open`, `stop`,
//! ethtool, `set_mac_address`) and softirq context (NAPI polls,
//! `start_xmit`). A plain spinlock taken in process context can be
//! interrupted by a softirq on the same CPU that spins on it for ever;
//! [`SpinLockBh`] disables bottom halves for the duration, as C drivers do
//! with `spin_lock_bh`. It may be taken from softirq context too.

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
    type GuardState = ();

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
        // SAFETY: The caller guarantees the lock was initialised.
        (unsafe { bindings::rnic_spin_trylock_bh(ptr) } != 0).then_some(())
    }

    unsafe fn unlock(ptr: *mut Self::State, _guard: &Self::GuardState) {
        // SAFETY: The caller owns the lock.
        unsafe { bindings::rnic_spin_unlock_bh(ptr) }
    }

    unsafe fn assert_is_held(ptr: *mut Self::State) {
        // SAFETY: The caller guarantees the lock was initialised.
        unsafe { kernel::bindings::spin_assert_is_held(ptr) }
    }
}
