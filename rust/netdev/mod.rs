// SPDX-License-Identifier: GPL-2.0

//! Safe abstractions for Ethernet network device drivers.
//!
//! The 7.2 kernel crate has no `net_device`, `sk_buff`, NAPI or ethtool
//! abstractions, so this layer provides them on top of bindings we generate
//! ourselves (see `scripts/gen-bindings.py`) and a few C helpers for the
//! `static inline` part of the API (`rust/helpers/netdev_helpers.c`).
//!
//! A driver describes its device with a private data type `T` that
//! implements [`Operations`] (the `net_device_ops` callbacks) and, where it
//! wants them, [`Poll`] (NAPI) and [`EthtoolOps`]. It builds the device with
//! a [`Builder`], which allocates the `net_device` with `T` in its private
//! area, and registers it into a [`Registration`] that unregisters and frees
//! it on drop. Every callback receives a [`Device<T>`], from which the
//! driver reaches its data and the device's state.
//!
//! All `unsafe` code of a driver lives in this layer; drivers include it as
//! a module of their own crate:
//!
//! ```ignore
//! #[path = "../../rust/netdev/mod.rs"]
//! mod netdev;
//! ```
//!
//! Each driver uses part of the layer only, and includes it as a private
//! module, hence the `dead_code`, `unused_imports` and `unreachable_pub`
//! allowances.

#![allow(dead_code, unused_imports, unreachable_pub)]

// Shared with the virtio layer, which a crate mounts beside this one: the
// generated bindings may be included once per crate (two copies declare
// the same C functions with distinct Rust types, which rustc flags).
pub(crate) mod bindings;

pub mod addr;
pub mod builder;
pub mod context;
pub mod device;
pub mod dma;
pub mod dma_buffers;
pub mod ethtool;
pub mod fail_alloc;
pub mod features;
pub mod intx;
pub mod mii;
pub mod napi;
mod napi_pool;
pub mod offload;
pub mod ops;
pub mod page_pool;
pub mod poll;
mod pool_frag_skb;
pub mod qstats;
pub mod skb_dma;
mod skb_vlan;
pub mod skbuff;
pub mod spsc;
pub mod stats;
pub mod sync;
pub mod task;
pub mod tx_lock;
pub mod tx_queue;
pub mod wakeup;
pub mod xdp;

pub use addr::{AddrList, AddrLists, MacAddress};
pub use builder::{Builder, Registration};
pub use context::Sleepable;
pub use device::{Building, Device, Registered};
pub use dma_buffers::DmaBuffers;
pub use ethtool::{
    Channels, Coalesce, DrvInfo, EthtoolOps, LinkSettings, PauseParam, PauseStats, RingParam,
};
pub use fail_alloc::FailAlloc;
pub use features::{DeviceName, Features};
pub use intx::Intx;
pub use mii::MiiRequest;
pub use napi::{Napi, Poll, PollContext, PollDone, QueueKind, Rearm};
pub use offload::{ChecksumOffload, TsoOffload, TxOffload};
pub use ops::Operations;
pub use page_pool::{PagePool, PoolFrag};
pub use qstats::{QueueStatsOps, RxQueueStats, TxQueueStats};
pub use skb_dma::{DmaSegment, MappedSkb};
pub use skbuff::{DropReason, PacketType, SkBuff, SkbQueue};
pub use stats::{Counter, LinkStats64};
pub use sync::{SpinLockBh, SpinLockBhGuard};
pub use task::{DeviceTask, Rtnl, Task};
pub use tx_lock::{TxLock, TxLocked};
pub use xdp::{Xdp, XdpStats, XdpVerdict};

/// Error codes the kernel crate does not name.
pub(crate) mod code {
    use kernel::error::Error;

    fn errno(code: u32) -> Error {
        Error::from_errno(-(code as i32))
    }

    /// The address is not usable here (a group or all-zero station
    /// address).
    pub(crate) fn eaddrnotavail() -> Error {
        errno(super::bindings::EADDRNOTAVAIL)
    }

    /// The operation is not supported.
    pub(crate) fn eopnotsupp() -> Error {
        errno(super::bindings::EOPNOTSUPP)
    }

    /// The interface is down.
    pub(crate) fn enetdown() -> Error {
        errno(super::bindings::ENETDOWN)
    }
}

/// Length of an Ethernet header: two addresses and the EtherType.
pub const ETH_HLEN: u32 = 14;
/// Minimum Ethernet frame length, without the frame check sequence.
pub const ETH_ZLEN: u32 = 60;
/// Length of an IEEE 802.1Q VLAN tag.
pub const VLAN_HLEN: u32 = 4;
/// Standard Ethernet MTU.
pub const ETH_DATA_LEN: u32 = 1500;
/// Smallest MTU an Ethernet device accepts (IPv4's minimum datagram).
pub const ETH_MIN_MTU: u32 = 68;
