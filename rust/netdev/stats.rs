// SPDX-License-Identifier: GPL-2.0

//! Interface statistics.

use core::sync::atomic::{AtomicU64, Ordering};

use super::bindings;

/// A 64-bit event counter with one writer at a time and readers anywhere.
///
/// The data path (a NAPI poll, or `start_xmit` under the TX lock) adds to
/// it with a plain load and store, no locked instruction; readers such as
/// `get_stats64` see a value that is never torn. Two concurrent writers
/// would lose counts (never memory safety): give each writer its own
/// counter.
#[derive(Default)]
pub struct Counter(AtomicU64);

impl Counter {
    /// A counter at zero.
    pub const fn new() -> Self {
        Self(AtomicU64::new(0))
    }

    /// Adds `n`. Only one context may add at a time.
    #[inline]
    pub fn add(&self, n: u64) {
        let v = self.0.load(Ordering::Relaxed);
        self.0.store(v.wrapping_add(n), Ordering::Relaxed);
    }

    /// Adds one.
    #[inline]
    pub fn inc(&self) {
        self.add(1);
    }

    /// The current value.
    #[inline]
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// The statistics `get_stats64` fills in (C `struct rtnl_link_stats64`),
/// shown by `ip -s link` and `/proc/net/dev`.
#[repr(transparent)]
pub struct LinkStats64(bindings::rtnl_link_stats64);

impl LinkStats64 {
    /// # Safety
    ///
    /// `ptr` must be valid and exclusively ours for `'a`.
    pub(super) unsafe fn from_raw<'a>(ptr: *mut bindings::rtnl_link_stats64) -> &'a mut Self {
        // SAFETY: Transparent wrapper; validity guaranteed by the caller.
        unsafe { &mut *ptr.cast::<Self>() }
    }
}

macro_rules! stats_fields {
    ($($field:ident: $doc:literal,)*) => {
        impl LinkStats64 {
            $(
                #[doc = $doc]
                pub fn $field(&mut self, value: u64) -> &mut Self {
                    self.0.$field = value;
                    self
                }
            )*
        }
    };
}

stats_fields! {
    rx_packets: "Sets the number of frames received.",
    tx_packets: "Sets the number of frames transmitted.",
    rx_bytes: "Sets the number of bytes received.",
    tx_bytes: "Sets the number of bytes transmitted.",
    rx_errors: "Sets the number of bad frames received (all causes).",
    tx_errors: "Sets the number of transmit failures (all causes).",
    rx_dropped: "Sets the number of good frames dropped (no buffer...).",
    tx_dropped: "Sets the number of frames dropped on transmit.",
    multicast: "Sets the number of multicast frames received.",
    collisions: "Sets the number of collisions.",
    rx_length_errors: "Sets the number of frames with a bad length.",
    rx_over_errors: "Sets the number of receiver ring overruns.",
    rx_crc_errors: "Sets the number of frames with a bad CRC.",
    rx_frame_errors: "Sets the number of frame alignment errors.",
    rx_fifo_errors: "Sets the number of receiver FIFO overruns.",
    rx_missed_errors: "Sets the number of frames missed for lack of buffers.",
    tx_aborted_errors: "Sets the number of aborted transmissions.",
    tx_carrier_errors: "Sets the number of transmissions without carrier.",
    tx_fifo_errors: "Sets the number of transmitter FIFO underruns.",
    tx_window_errors: "Sets the number of late collisions.",
}
