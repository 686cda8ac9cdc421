// SPDX-License-Identifier: GPL-2.0

//! Receive in small-buffer mode (no `VIRTIO_NET_F_MRG_RXBUF`): each buffer
//! is a socket buffer with room for the virtio-net header and a frame of
//! up to `GOOD_PACKET_LEN` bytes (C `add_recvbuf_small`, whose buffers are
//! page fragments instead).

use kernel::prelude::*;

use crate::iface::VirtnetIface;
use crate::netdev::napi::PollContext;
use crate::netdev::{Device, DropReason, SkBuff};
use crate::virtio::{RxSkb, Virtqueue};

/// The longest frame a small buffer takes: an Ethernet header, a VLAN tag
/// and 1500 bytes (C `GOOD_PACKET_LEN`).
pub(crate) const GOOD_PACKET_LEN: u32 =
    crate::netdev::ETH_HLEN + crate::netdev::VLAN_HLEN + crate::netdev::ETH_DATA_LEN;

/// Adds socket buffers from `alloc` until the queue is full. Returns
/// whether any went in, and `false` second if memory ran out first.
pub(crate) fn fill(
    vq: &mut Virtqueue<RxSkb>,
    hdr_len: u32,
    mut alloc: impl FnMut(u32) -> Option<SkBuff>,
) -> (bool, bool) {
    let len = hdr_len + GOOD_PACKET_LEN;
    let mut added = false;
    while vq.num_free() > 0 {
        let Some(skb) = alloc(len) else {
            return (added, false);
        };
        // A fresh buffer of `len` bytes: it always qualifies.
        let buf = match RxSkb::new(skb, len) {
            Ok(buf) => buf,
            Err(skb) => {
                skb.drop_reason(DropReason::NotSpecified);
                break;
            }
        };
        // A one-entry buffer needs no indirect table: no allocation.
        match vq.add_inbuf(buf, GFP_ATOMIC) {
            Ok(()) => added = true,
            Err((e, buf)) => {
                buf.into_skb().drop_reason(DropReason::NoMemory);
                return (added, e != ENOMEM);
            }
        }
    }
    (added, true)
}

/// Receives up to `budget` frames; returns how many buffers it took.
pub(crate) fn receive(
    dev: &Device<VirtnetIface>,
    ctx: &PollContext<'_, VirtnetIface>,
    vq: &mut Virtqueue<RxSkb>,
    hdr_len: u32,
    budget: u32,
) -> u32 {
    let stats = &dev.data().stats;
    let mut work = 0;
    while work < budget {
        let Some((buf, len)) = vq.get_buf() else {
            break;
        };
        work += 1;
        let mut skb = buf.into_skb();
        if len < hdr_len + crate::netdev::ETH_HLEN {
            stats.rx_length_errors.inc();
            skb.drop_reason(DropReason::TooSmall);
            continue;
        }
        // Without offloads negotiated the header says nothing the stack
        // needs (no checksum state, no segmentation); it only goes.
        if skb.pull(hdr_len).is_err() {
            stats.rx_dropped.inc();
            skb.drop_reason(DropReason::NotSpecified);
            continue;
        }
        crate::rx::deliver(dev, ctx, skb);
    }
    work
}
