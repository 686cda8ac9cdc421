// SPDX-License-Identifier: GPL-2.0

//! A receive buffer offered for the device to read: a receive queue's
//! tokens are buffers the device writes, and only those go in.
//!
//! expect: error[E0277]

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

use virtio::{RxSkb, Virtqueue};

fn offer(rx: &mut Virtqueue<RxSkb>, buf: RxSkb) {
    if let Err((_, buf)) = rx.add_outbuf(buf, GFP_ATOMIC) {
        drop(buf);
    }
}
