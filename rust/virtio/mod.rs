// SPDX-License-Identifier: GPL-2.0

//! Safe abstractions for virtio drivers.
//!
//! The 7.2 kernel crate has nothing for virtio, so this layer provides it
//! on top of our generated bindings (see `scripts/gen-bindings.py`) and C
//! helpers for the `static inline` part of the API
//! (`rust/helpers/virtio_helpers.c`).
//!
//! A driver implements [`Driver`]: an ID table ([`virtio_device_table!`]),
//! the feature bits it supports, `probe` returning its per-device data,
//! and optionally `validate`, `remove` and `config_changed`. It declares
//! its module with [`module_virtio_driver!`], which registers the driver
//! through the kernel crate's generic `driver::Registration` and this
//! layer's [`Adapter`]. Callbacks receive a [`Device`] in the context of
//! the call (`Core` in bus callbacks, `Bound` in `config_changed`), through
//! which the driver tests features and reads the configuration space
//! ([`ConfigField`]; the fields of each device type are declared here,
//! as in [`net`]).
//!
//! Virtqueues come from [`Device::find_vqs`] as typed handles
//! ([`Virtqueue`]): buffers go in with an owned [`Token`] and come back as
//! that token. A [`VqNapi`] binds a NAPI instance to a queue: the layer's
//! callback schedules it, and its poll completes through the netdev
//! layer's `PollContext::complete_done_rearm`, so C's interrupt dance is
//! the layer's, not the driver's.
//!
//! The layer owns the order of teardown: after the driver's `remove` it
//! resets the device, then detaches the queues' unused buffers (dropping
//! their tokens) and deletes the queues; the per-device data is dropped
//! after the reset.
//!
//! All `unsafe` code of a virtio driver lives in this layer; drivers mount
//! it as a module of their own crate, named `virtio` (the macros refer to
//! `crate::virtio`), beside the netdev layer as `netdev`, whose generated
//! bindings it shares (a crate can hold one copy of them):
//!
//! ```ignore
//! #[path = "../../../rust/virtio/mod.rs"]
//! mod virtio;
//! #[path = "../../../rust/netdev/mod.rs"]
//! mod netdev;
//! ```
//!
//! Each driver uses part of the layer only, and includes it as a private
//! module, hence the `dead_code`, `unused_imports` and `unreachable_pub`
//! allowances.

#![allow(dead_code, unused_imports, unreachable_pub, unused_macros)]

mod bindings;

pub mod adapter;
pub mod config;
pub mod ctrl;
pub mod device;
pub mod driver;
pub mod id;
pub mod net;
pub mod net_buf;
pub mod queues;
pub mod resize;
pub mod rx_frag;
pub mod sgs;
pub mod teardown;
pub mod virtqueue;
pub mod vq_napi;

pub use adapter::Adapter;
pub use config::{ConfigField, ConfigType, Le};
pub use ctrl::{CtrlCmd, CtrlQueue, CtrlReply};
pub use device::{Device, DeviceRef};
pub use driver::{Driver, Validation};
pub use id::{DeviceId, IdTable, ANY_ID};
pub use net_buf::{RxSkb, TxFrame};
pub use queues::QueueSet;
pub use rx_frag::{InBufCtx, RxFrag};
pub use sgs::SgsBuf;
pub use virtqueue::{InBuf, OutBuf, SgTable, Token, UsedKey, Virtqueue};
pub use vq_napi::{VqNapi, VqTarget};

/// Transport feature bits, which every device type shares
/// (`VIRTIO_F_*`).
pub mod feature {
    use super::bindings;

    /// The device follows virtio 1.0 or later: little-endian
    /// configuration space and rings.
    pub const VERSION_1: u32 = bindings::VIRTIO_F_VERSION_1;
    /// The device's accesses go through the platform's IOMMU (the DMA
    /// API), not to guest-physical addresses.
    pub const ACCESS_PLATFORM: u32 = bindings::VIRTIO_F_ACCESS_PLATFORM;
    /// The device has packed rings.
    pub const RING_PACKED: u32 = bindings::VIRTIO_F_RING_PACKED;
    /// Each queue can be reset alone (resizing a ring).
    pub const RING_RESET: u32 = bindings::VIRTIO_F_RING_RESET;
}
