// SPDX-License-Identifier: GPL-2.0

//! The generated bindings, private to the virtio layer.
//!
//! The same file as the netdev layer's (`scripts/gen-bindings.py` writes
//! one for both, from `rust/bindings/netdev.h`), included here again so
//! that the virtio layer stands on its own: a module that mounts it does
//! not have to mount the netdev layer. Types that `kernel::bindings`
//! defines in full (`device`, `device_driver`, `virtio_device_id`,
//! `work_struct`...) come from there through the glob import, so they are
//! the kernel crate's own types.

#![allow(
    clippy::all,
    clippy::as_underscore,
    clippy::cast_lossless,
    clippy::ptr_as_ptr,
    clippy::ptr_cast_constness,
    clippy::ref_as_ptr,
    clippy::undocumented_unsafe_blocks,
    dead_code,
    improper_ctypes,
    missing_docs,
    non_camel_case_types,
    non_snake_case,
    non_upper_case_globals,
    unreachable_pub,
    unsafe_op_in_unsafe_fn
)]

pub(crate) use kernel::bindings::*;
use kernel::ffi;
use pin_init::{MaybeZeroable, Zeroable};

// The kernel maps these to `usize`/`isize` by hand, as we do.
type __kernel_size_t = usize;
type __kernel_ssize_t = isize;
type __kernel_ptrdiff_t = isize;

// SAFETY: `__BindgenBitfieldUnit<Storage>` is a newtype around `Storage`.
unsafe impl<Storage> Zeroable for __BindgenBitfieldUnit<Storage> where Storage: Zeroable {}

include!(concat!(env!("RNIC_GENERATED"), "/netdev_bindings.rs"));
