// SPDX-License-Identifier: GPL-2.0

//! A receive queue's buffer taken back as another type: the queue's
//! tokens are receive buffers, and `get_buf` gives nothing else.
//!
//! expect: error[E0308]

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

use virtio::{RxSkb, Virtqueue};

fn take_back(rx: &mut Virtqueue<RxSkb>) -> Option<KBox<[u8; 64]>> {
    let (buf, _len): (KBox<[u8; 64]>, u32) = rx.get_buf()?;
    Some(buf)
}
