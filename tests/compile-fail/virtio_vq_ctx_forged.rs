// SPDX-License-Identifier: GPL-2.0

//! A driver giving a mergeable buffer a context of its own: the context
//! is the buffer's truesize, and a larger one would let the frame that
//! takes the fragment reach past it. Only `get_buf` restores a context,
//! the one added with that very buffer: the key is the layer's.
//!
//! expect: error[E0423]

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

use virtio::{RxFrag, Token, UsedKey};

fn grow(buf: &mut RxFrag) {
    buf.received_ctx(1 << 20, &UsedKey(()));
}
