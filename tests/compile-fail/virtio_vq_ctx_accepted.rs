// SPDX-License-Identifier: GPL-2.0

//! The control case of the context cases: mergeable buffers as a driver
//! uses them, from a page pool into a queue with their contexts, and back
//! into a frame as page fragments.
//!
//! expect: success

#![deny(unsafe_code)]

include!("virtio_fixture.rs");

use netdev::{PagePool, SkBuff};
use virtio::{RxFrag, Virtqueue};

fn fill(rx: &mut Virtqueue<RxFrag>, pool: &mut PagePool) {
    while let Some(frag) = pool.alloc(1536) {
        let Ok(buf) = RxFrag::new(frag) else {
            return;
        };
        if rx.add_inbuf_ctx(buf, GFP_ATOMIC).is_err() {
            return;
        }
    }
}

fn take(rx: &mut Virtqueue<RxFrag>, skb: &mut SkBuff) -> Option<u32> {
    let (buf, len) = rx.get_buf()?;
    if len > buf.truesize() {
        return None;
    }
    let frag = buf.into_frag();
    let mut hdr = [0u8; 12];
    frag.read(0, &mut hdr).ok()?;
    skb.append_pool_frag(frag, 12, len.checked_sub(12)?).ok()?;
    Some(len)
}
