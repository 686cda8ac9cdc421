// SPDX-License-Identifier: GPL-2.0

//! The generated bindings, private to the virtio layer: those of the
//! netdev layer, which the crate mounts beside this one as `crate::netdev`.
//!
//! `scripts/gen-bindings.py` writes one file for both layers, from
//! `rust/bindings/netdev.h`. A crate may include it only once: a second
//! copy would declare the same C functions again with its own
//! `net_device` and `napi_struct` types, distinct to Rust
//! (`clashing_extern_declarations`), and the two layers could not pass
//! those structures to each other. Types that `kernel::bindings` defines
//! in full (`device`, `device_driver`, `virtio_device_id`,
//! `work_struct`...) are the kernel crate's own.

pub(crate) use crate::netdev::bindings::*;
