// SPDX-License-Identifier: GPL-2.0

//! The receive filter of an end: which destination addresses it takes.

use crate::netdev::MacAddress;

/// Multicast addresses the "hardware" filter matches exactly; beyond this
/// many, an end receives every multicast frame, as NICs do when their
/// filter overflows.
pub(crate) const MC_FILTER_SLOTS: usize = 16;

/// The receive filter, as "programmed into the hardware" by
/// `set_rx_mode` and `set_mac_address`.
#[derive(Clone, Copy)]
pub(crate) struct RxFilter {
    pub(crate) own: MacAddress,
    pub(crate) promiscuous: bool,
    pub(crate) all_multicast: bool,
    pub(crate) multicast: [MacAddress; MC_FILTER_SLOTS],
    pub(crate) multicast_len: usize,
}

impl RxFilter {
    pub(crate) fn new(own: MacAddress) -> Self {
        Self {
            own,
            promiscuous: false,
            all_multicast: false,
            multicast: [MacAddress::default(); MC_FILTER_SLOTS],
            multicast_len: 0,
        }
    }

    /// Whether a frame to `dst` gets through.
    pub(crate) fn accepts(&self, dst: &MacAddress) -> bool {
        if self.promiscuous || *dst == self.own || dst.is_broadcast() {
            return true;
        }
        dst.is_multicast()
            && (self.all_multicast || self.multicast[..self.multicast_len].contains(dst))
    }
}
