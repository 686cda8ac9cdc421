// SPDX-License-Identifier: GPL-2.0

//! VLAN tags carried beside a frame instead of in its data (C
//! `skb->vlan_tci`): the tag the stack asks a device with
//! [`super::Features::HW_VLAN_CTAG_TX`] to insert, and the tag a device
//! with [`super::Features::HW_VLAN_CTAG_RX`] stripped from a received frame.

use super::bindings;
use super::skbuff::SkBuff;

impl SkBuff {
    /// The tag control information (priority, drop eligibility, VLAN ID)
    /// of the 802.1Q tag the device must insert when it sends the frame,
    /// if any (C `skb_vlan_tag_present`, `skb_vlan_tag_get`). The stack
    /// hands such frames only to a device that offers tag insertion.
    pub fn vlan_tag(&self) -> Option<u16> {
        // SAFETY: We own the reference (invariant), so the frame is valid.
        let tag = unsafe { bindings::rnic_skb_vlan_tag(self.as_raw()) };
        u16::try_from(tag).ok()
    }

    /// Records the 802.1Q tag the device stripped from this received frame
    /// (C `__vlan_hwaccel_put_tag`), for the stack to hand the frame to
    /// the VLAN device; call it before the frame goes up.
    pub fn set_vlan_tag(&mut self, tci: u16) {
        // SAFETY: We own the frame (invariant); the helper sets two of its
        // fields.
        unsafe { bindings::rnic_skb_put_vlan_ctag(self.as_raw(), tci) }
    }
}
