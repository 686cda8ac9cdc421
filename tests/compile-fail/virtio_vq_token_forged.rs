// SPDX-License-Identifier: GPL-2.0

//! A driver's own token type, describing memory it does not own: a
//! buffer's description and its token's ownership are the layer's to
//! prove, and implementing `InBuf` is `unsafe`, which driver code cannot
//! write.
//!
//! expect: error: implementation of an `unsafe` trait

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

use core::ffi::c_void;
use core::ptr::NonNull;
use virtio::{InBuf, SgTable, Token};

struct Stack([u8; 64]);

unsafe impl Token for Stack {
    fn into_cookie(self) -> NonNull<c_void> {
        NonNull::dangling()
    }

    unsafe fn from_cookie(_cookie: NonNull<c_void>) -> Self {
        Stack([0; 64])
    }
}

unsafe impl InBuf for Stack {
    fn map_in(&mut self, _sg: &mut SgTable) -> Result<u32> {
        Ok(1)
    }
}
