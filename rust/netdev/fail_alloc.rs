// SPDX-License-Identifier: GPL-2.0

//! Allocation failure injection for one device, for tests: fail every
//! n-th allocation the layer makes for it, or the next few.
//!
//! The kernel's `failslab` and `fail_page_alloc` fail allocations anywhere
//! in the kernel unless a stack-trace filter narrows them (a kernel option
//! the test kernel lacks); this fails only what one device allocates, so
//! a test can aim at the driver under bidirectional traffic. A driver keeps
//! a [`FailAlloc`] in its private data (usually as a debugfs file, which
//! reads and writes it as text) and names it with
//! `Builder::set_fail_alloc`. Then the layer's allocations for the device
//! consult it: frames from `SkBuff::alloc` and `PollContext::alloc_skb`,
//! transmit mappings from `Device::map_skb`, and whatever the driver checks
//! with `Device::check_alloc` (its rings).

use core::fmt;
use core::sync::atomic::{AtomicI32, AtomicU32, AtomicU64, Ordering};

use kernel::debugfs::Reader;
use kernel::prelude::*;
use kernel::uaccess::UserSliceReader;

/// When to fail a device's allocations. Written as text: `INTERVAL [TIMES]`
/// fails every `INTERVAL`-th allocation, `TIMES` times (unlimited if
/// absent or negative); `0` turns injection off.
#[derive(Default)]
pub struct FailAlloc {
    interval: AtomicU32,
    times: AtomicI32,
    calls: AtomicU32,
    injected: AtomicU64,
}

impl FailAlloc {
    /// Injection off.
    pub const fn new() -> Self {
        Self {
            interval: AtomicU32::new(0),
            times: AtomicI32::new(0),
            calls: AtomicU32::new(0),
            injected: AtomicU64::new(0),
        }
    }

    /// Fails every `interval`-th allocation (none if 0), `times` times
    /// (without limit if negative).
    pub fn set(&self, interval: u32, times: i32) {
        self.interval.store(0, Ordering::Release);
        self.calls.store(0, Ordering::Relaxed);
        self.times.store(times, Ordering::Relaxed);
        self.interval.store(interval, Ordering::Release);
    }

    /// How many allocations failed by injection so far.
    pub fn injected(&self) -> u64 {
        self.injected.load(Ordering::Relaxed)
    }

    /// Whether the allocation about to be made must fail. Any context.
    pub fn should_fail(&self) -> bool {
        let interval = self.interval.load(Ordering::Acquire);
        if interval == 0 {
            return false;
        }
        let n = self.calls.fetch_add(1, Ordering::Relaxed).wrapping_add(1);
        if n % interval != 0 {
            return false;
        }
        let left = self.times.fetch_sub(1, Ordering::Relaxed);
        if left == 0 {
            // Used up: stay at zero, and stop counting calls.
            self.times.store(0, Ordering::Relaxed);
            self.interval.store(0, Ordering::Release);
            return false;
        }
        if left < 0 {
            // Unlimited: keep the count negative.
            self.times.store(-1, Ordering::Relaxed);
        }
        self.injected.fetch_add(1, Ordering::Relaxed);
        true
    }
}

impl fmt::Debug for FailAlloc {
    /// `interval times injected`, as debugfs shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}",
            self.interval.load(Ordering::Relaxed),
            self.times.load(Ordering::Relaxed),
            self.injected()
        )
    }
}

impl Reader for FailAlloc {
    fn read_from_slice(&self, reader: &mut UserSliceReader) -> Result {
        let mut buf = [0u8; 32];
        let n = reader.len();
        if n > buf.len() {
            return Err(EINVAL);
        }
        reader.read_slice(&mut buf[..n])?;
        let text = core::str::from_utf8(&buf[..n]).map_err(|_| EINVAL)?;
        let mut words = text.split_ascii_whitespace();
        let interval = words
            .next()
            .ok_or(EINVAL)?
            .parse::<u32>()
            .map_err(|_| EINVAL)?;
        let times = match words.next() {
            Some(w) => w.parse::<i32>().map_err(|_| EINVAL)?,
            None => -1,
        };
        if words.next().is_some() {
            return Err(EINVAL);
        }
        self.set(interval, times);
        Ok(())
    }
}

impl<T, S> super::Device<T, S> {
    /// Whether an allocation for this device must fail now, as the
    /// driver's [`FailAlloc`] (if it named one) says.
    pub(super) fn alloc_fails(&self) -> bool {
        // SAFETY: The private area is initialised while a `Device` can be
        // reached (invariant); the pointer is set before registration only.
        let fail = unsafe { (*self.priv_ptr()).fail_alloc };
        // The pointer, when set, is to a `FailAlloc` inside the private
        // data (checked by `Builder::set_fail_alloc`), alive with it.
        // SAFETY: So it is valid here.
        !fail.is_null() && unsafe { (*fail).should_fail() }
    }

    /// For an allocation the driver makes itself (a ring): `ENOMEM` when
    /// failure injection says this one fails, `Ok` otherwise.
    pub fn check_alloc(&self) -> Result {
        if self.alloc_fails() {
            Err(ENOMEM)
        } else {
            Ok(())
        }
    }
}

impl<T: super::Operations> super::Builder<T> {
    /// Names the [`FailAlloc`] in the private data that the layer's
    /// allocations for this device consult. Fails if it is not inside the
    /// private data.
    pub fn set_fail_alloc(&mut self, select: fn(&T) -> &FailAlloc) -> Result {
        let dev = self.device();
        let fail = select(dev.data());
        if !dev.holds(fail) {
            return Err(EINVAL);
        }
        let fail: *const FailAlloc = fail;
        let priv_ptr = dev.priv_ptr();
        // The builder is borrowed mutably and the device unregistered:
        // nothing reads the field meanwhile.
        // SAFETY: So the write is sound.
        unsafe { (*priv_ptr).fail_alloc = fail };
        Ok(())
    }
}
