// SPDX-License-Identifier: GPL-2.0

//! Device features (`NETIF_F_*`), the callbacks that adjust and apply
//! them (`ndo_fix_features`, `ndo_set_features`), and interface names.

use kernel::error::from_result;
use kernel::fmt;
use kernel::prelude::*;

use super::bindings;
use super::ops::{Adapter, Operations};

/// An interface name, copied out of the device for printing.
#[derive(Clone, Copy)]
pub struct DeviceName(pub(super) [u8; 16]);

impl fmt::Display for DeviceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let len = self.0.iter().position(|&b| b == 0).unwrap_or(self.0.len());
        for &b in &self.0[..len] {
            write!(f, "{}", char::from(b))?;
        }
        Ok(())
    }
}

/// A set of `NETIF_F_*` device features.
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub struct Features(pub u64);

macro_rules! features {
    ($($(#[$doc:meta])* $name:ident = $bit:ident;)*) => {
        impl Features {
            $(
                $(#[$doc])*
                pub const $name: Self = Self(1 << bindings::$bit);
            )*
        }
    };
}

features! {
    /// Scatter/gather: frames may come in page fragments.
    SG = NETIF_F_SG_BIT;
    /// Checksums any protocol in hardware (`CHECKSUM_PARTIAL`).
    HW_CSUM = NETIF_F_HW_CSUM_BIT;
    /// Checksums TCP/UDP over IPv4 in hardware.
    IP_CSUM = NETIF_F_IP_CSUM_BIT;
    /// Checksums TCP/UDP over IPv6 in hardware.
    IPV6_CSUM = NETIF_F_IPV6_CSUM_BIT;
    /// Verifies received checksums in hardware.
    RXCSUM = NETIF_F_RXCSUM_BIT;
    /// TCP segmentation offload over IPv4.
    TSO = NETIF_F_TSO_BIT;
    /// TCP segmentation offload over IPv6.
    TSO6 = NETIF_F_TSO6_BIT;
    /// Can DMA to high memory.
    HIGHDMA = NETIF_F_HIGHDMA_BIT;
    /// Receives frames with a bad FCS instead of dropping them.
    RXALL = NETIF_F_RXALL_BIT;
    /// Hands the FCS up with the frame.
    RXFCS = NETIF_F_RXFCS_BIT;
    /// Strips VLAN tags in hardware.
    HW_VLAN_CTAG_RX = NETIF_F_HW_VLAN_CTAG_RX_BIT;
    /// Inserts VLAN tags in hardware.
    HW_VLAN_CTAG_TX = NETIF_F_HW_VLAN_CTAG_TX_BIT;
    /// Filters VLANs in hardware.
    HW_VLAN_CTAG_FILTER = NETIF_F_HW_VLAN_CTAG_FILTER_BIT;
    /// Loopback mode.
    LOOPBACK = NETIF_F_LOOPBACK_BIT;
}

impl Features {
    /// No feature.
    pub const EMPTY: Self = Self(0);

    /// Whether every feature of `other` is in `self`.
    pub fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
}

impl core::ops::BitOr for Features {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        Self(self.0 | rhs.0)
    }
}

impl core::ops::BitAnd for Features {
    type Output = Self;
    fn bitand(self, rhs: Self) -> Self {
        Self(self.0 & rhs.0)
    }
}

impl core::ops::BitXor for Features {
    type Output = Self;
    fn bitxor(self, rhs: Self) -> Self {
        Self(self.0 ^ rhs.0)
    }
}

impl<T: Operations> Adapter<T> {
    pub(super) extern "C" fn fix_features(
        dev: *mut bindings::net_device,
        features: bindings::netdev_features_t,
    ) -> bindings::netdev_features_t {
        // SAFETY: Called by the core on a device built for `T`.
        let dev = unsafe { Self::dev(dev) };
        T::fix_features(dev, Features(features)).0
    }

    pub(super) extern "C" fn set_features(
        dev: *mut bindings::net_device,
        features: bindings::netdev_features_t,
    ) -> c_int {
        // SAFETY: Called by the core on a device built for `T`.
        let dev = unsafe { Self::dev(dev) };
        from_result(|| T::set_features(dev, Features(features)).map(|()| 0))
    }
}
