// SPDX-License-Identifier: GPL-2.0

//! Ethernet addresses and the device's address lists.

use core::marker::PhantomData;
use kernel::fmt;

use super::bindings;

/// An Ethernet (IEEE 802 MAC-48) address.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct MacAddress(pub [u8; 6]);

impl MacAddress {
    /// The broadcast address, `ff:ff:ff:ff:ff:ff`.
    pub const BROADCAST: Self = Self([0xff; 6]);

    /// Reads an address from the first six bytes of `bytes`, if it has them.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        let six: &[u8; 6] = bytes.get(..6)?.try_into().ok()?;
        Some(Self(*six))
    }

    /// Whether this is a group (multicast or broadcast) address.
    pub fn is_multicast(&self) -> bool {
        self.0[0] & 0x01 != 0
    }

    /// Whether this is the broadcast address.
    pub fn is_broadcast(&self) -> bool {
        *self == Self::BROADCAST
    }

    /// Whether all six bytes are zero.
    pub fn is_zero(&self) -> bool {
        self.0 == [0; 6]
    }

    /// Whether the address can be a station's own address: neither a group
    /// address nor all zeroes (the kernel's `is_valid_ether_addr`).
    pub fn is_valid_unicast(&self) -> bool {
        !self.is_multicast() && !self.is_zero()
    }

    /// Whether the locally administered bit is set.
    pub fn is_local(&self) -> bool {
        self.0[0] & 0x02 != 0
    }
}

impl fmt::Display for MacAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = &self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            a[0], a[1], a[2], a[3], a[4], a[5]
        )
    }
}

impl fmt::Debug for MacAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        <Self as fmt::Display>::fmt(self, f)
    }
}

/// The unicast and multicast address lists of a device, as
/// `ndo_set_rx_mode` sees them.
///
/// The core holds the device's address lock for as long as this exists
/// (it is only handed to [`super::Operations::set_rx_mode`]), so the lists
/// cannot change while they are walked.
pub struct AddrLists<'a> {
    dev: *mut bindings::net_device,
    _lock: PhantomData<&'a ()>,
}

impl<'a> AddrLists<'a> {
    /// # Safety
    ///
    /// `dev` must be a valid `net_device` whose address lock is held for `'a`.
    pub(super) unsafe fn new(dev: *mut bindings::net_device) -> Self {
        Self {
            dev,
            _lock: PhantomData,
        }
    }

    /// The secondary unicast addresses (macvlan, `bridge fdb`...).
    pub fn unicast(&self) -> AddrIter<'a> {
        // SAFETY: `self.dev` is valid and its address lock is held (type
        // invariant), so taking the address of its list is sound.
        unsafe { AddrIter::new(&raw mut (*self.dev).uc) }
    }

    /// The multicast addresses the device must receive.
    pub fn multicast(&self) -> AddrIter<'a> {
        // SAFETY: As in `unicast`.
        unsafe { AddrIter::new(&raw mut (*self.dev).mc) }
    }

    /// Number of secondary unicast addresses.
    pub fn unicast_count(&self) -> usize {
        // SAFETY: As in `unicast`; the count is protected by the same lock.
        let count = unsafe { (*self.dev).uc.count };
        usize::try_from(count).unwrap_or(0)
    }

    /// Number of multicast addresses.
    pub fn multicast_count(&self) -> usize {
        // SAFETY: As in `unicast_count`.
        let count = unsafe { (*self.dev).mc.count };
        usize::try_from(count).unwrap_or(0)
    }
}

/// A snapshot of one of a device's address lists, as
/// `ndo_set_rx_mode_async` gets it: the core copied the list for the call,
/// under the address lock, and reconciles it with the live list after the
/// call returns. Nobody else changes the copy meanwhile, so it is walked
/// without a lock, in process context, while the driver sleeps.
pub struct AddrList<'a> {
    list: *mut bindings::netdev_hw_addr_list,
    _call: PhantomData<&'a ()>,
}

impl<'a> AddrList<'a> {
    /// # Safety
    ///
    /// `list` must be a valid address list that nobody changes for `'a`
    /// (the snapshot the core passes to `ndo_set_rx_mode_async`, for the
    /// call).
    pub(super) unsafe fn new(list: *mut bindings::netdev_hw_addr_list) -> Self {
        Self {
            list,
            _call: PhantomData,
        }
    }

    /// The addresses, in the list's order.
    pub fn iter(&self) -> AddrIter<'a> {
        // SAFETY: The list is valid and stable for `'a` (type invariant).
        unsafe { AddrIter::new(self.list) }
    }

    /// Number of addresses.
    pub fn len(&self) -> usize {
        // SAFETY: As in `iter`.
        let count = unsafe { (*self.list).count };
        usize::try_from(count).unwrap_or(0)
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Iterator over a `netdev_hw_addr_list` (the `netdev_for_each_*_addr`
/// macros of C).
pub struct AddrIter<'a> {
    head: *mut bindings::list_head,
    pos: *mut bindings::list_head,
    _lock: PhantomData<&'a ()>,
}

impl AddrIter<'_> {
    /// # Safety
    ///
    /// `list` must be a valid address list that does not change for the
    /// iterator's lifetime (its lock is held, or it is a snapshot).
    unsafe fn new(list: *mut bindings::netdev_hw_addr_list) -> Self {
        // SAFETY: `list` is valid (function safety requirement).
        let head = unsafe { &raw mut (*list).list };
        Self {
            head,
            // SAFETY: `head` points into a valid list.
            pos: unsafe { (*head).next },
            _lock: PhantomData,
        }
    }
}

impl Iterator for AddrIter<'_> {
    type Item = MacAddress;

    fn next(&mut self) -> Option<MacAddress> {
        if self.pos == self.head {
            return None;
        }
        let offset = core::mem::offset_of!(bindings::netdev_hw_addr, list);
        // The list cannot change (type invariant: lock held, or a snapshot).
        // SAFETY: Every entry but the head is the `list` member of a
        // `netdev_hw_addr`, and the list is stable.
        let (entry, next) = unsafe {
            let entry = self.pos.byte_sub(offset).cast::<bindings::netdev_hw_addr>();
            (entry, (*self.pos).next)
        };
        self.pos = next;
        // SAFETY: `entry` is a valid `netdev_hw_addr`; its `addr` holds at
        // least the six bytes of an Ethernet address.
        let addr = unsafe { (*entry).addr };
        MacAddress::from_slice(&addr)
    }
}
