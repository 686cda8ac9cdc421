// SPDX-License-Identifier: GPL-2.0

//! A buffer added with a context to a queue made without contexts: the
//! transport may have given that queue indirect descriptors, beside which
//! C's `virtqueue_add_inbuf_ctx` calls `BUG()`. Only tokens that carry a
//! context (`InBufCtx`, whose queues are made for them) have the method.
//!
//! expect: error[E0599]

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

use virtio::{RxSkb, Virtqueue};

fn add(rx: &mut Virtqueue<RxSkb>, buf: RxSkb) {
    let _ = rx.add_inbuf_ctx(buf, GFP_ATOMIC);
}
