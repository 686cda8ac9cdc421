// SPDX-License-Identifier: GPL-2.0

//! Receive with mergeable buffers (`VIRTIO_NET_F_MRG_RXBUF`), as C's
//! `add_recvbuf_mergeable` and `receive_mergeable`: each buffer is a
//! page-pool fragment sized from a running average of the frames received
//! (C `get_mergeable_buf_len`); a frame spans as many buffers as its
//! header's `num_buffers` says. The head of the frame is copied into a
//! small socket buffer (C `page_to_skb`); the rest of its bytes, in the
//! first buffer and the others, become page fragments of the frame.

use kernel::prelude::*;

use crate::iface::VirtnetIface;
use crate::netdev::napi::PollContext;
use crate::netdev::{page_pool::MAX_FRAG, Device, DropReason};
use crate::virtio::{RxFrag, Virtqueue};

/// What a frame's head is copied into, and all of a frame this short (C
/// `GOOD_COPY_LEN`).
const GOOD_COPY_LEN: u32 = 128;
/// Buffer lengths are rounded up to this (C `L1_CACHE_BYTES` on x86-64).
const BUF_ALIGN: u32 = 64;
/// Where `num_buffers` lies in `struct virtio_net_hdr_mrg_rxbuf`.
const NUM_BUFFERS_AT: u32 = 10;

/// A running average of frame lengths (C `DECLARE_EWMA(pkt_len, 0, 64)`):
/// each new length weighs 1/64.
#[derive(Default)]
pub(crate) struct Ewma(u64);

impl Ewma {
    /// Adds a frame of `len` bytes.
    fn add(&mut self, len: u32) {
        let len = u64::from(len);
        self.0 = if self.0 == 0 {
            len
        } else {
            (self.0 * 63 + len) / 64
        };
    }

    /// The average.
    fn read(&self) -> u32 {
        u32::try_from(self.0).unwrap_or(u32::MAX)
    }
}

/// How the receive queue sizes its buffers, which come from the page pool
/// of its NAPI instance (C `rq->page_pool`, made by `register`).
pub(crate) struct Mergeable {
    /// The average frame length (C `mrg_avg_pkt_len`).
    avg: Ewma,
    /// The smallest buffer, without the header (C `min_buf_len`).
    min_buf_len: u32,
    /// Whether the header is little-endian (`VERSION_1`), else native.
    le: bool,
}

impl Mergeable {
    /// Mergeable buffers for a receive queue of `ring` entries on an
    /// interface whose MTU can reach `max_mtu`, behind `hdr_len`-byte
    /// headers (`le`: in little-endian).
    pub(crate) fn new(ring: u32, max_mtu: u32, hdr_len: u32, le: bool) -> Self {
        // C `mergeable_min_buf_len`: a ring of buffers holds a frame of
        // the largest MTU, and no buffer is smaller than a normal frame.
        let frame = hdr_len + crate::netdev::ETH_HLEN + crate::netdev::VLAN_HLEN + max_mtu;
        let min_buf_len = frame
            .div_ceil(ring.max(1))
            .max(hdr_len)
            .saturating_sub(hdr_len)
            .max(crate::rx_small::GOOD_PACKET_LEN);
        Self {
            avg: Ewma::default(),
            min_buf_len,
            le,
        }
    }

    /// The length of the next buffer (C `get_mergeable_buf_len` without
    /// XDP headroom): the header and the average frame, at least the
    /// smallest buffer and at most what fits in a page, cache-aligned.
    pub(crate) fn buf_len(&self, hdr_len: u32) -> u32 {
        let payload = self.avg.read().clamp(self.min_buf_len, MAX_FRAG - hdr_len);
        (hdr_len + payload)
            .next_multiple_of(BUF_ALIGN)
            .min(MAX_FRAG)
    }

    /// Adds buffers until the queue is full (C `add_recvbuf_mergeable`):
    /// each a fragment of the polled instance's pool of at least the
    /// current buffer length, grown to the end of its page when no other
    /// would fit there, its length (truesize) as the queue's context.
    /// Returns whether any went in, and `false` second if memory ran out
    /// first (failure injection, the device's `fail_alloc`, included).
    pub(crate) fn fill(
        &mut self,
        ctx: &PollContext<'_, VirtnetIface>,
        vq: &mut Virtqueue<RxFrag>,
        hdr_len: u32,
    ) -> (bool, bool) {
        let mut added = false;
        while vq.num_free() > 0 {
            let Some(frag) = ctx.alloc_pool_frag(self.buf_len(hdr_len)) else {
                return (added, false);
            };
            // A plain pool's non-empty fragment always qualifies.
            let Ok(buf) = RxFrag::new(frag) else {
                break;
            };
            // One entry: no indirect table (none on a queue with contexts).
            match vq.add_inbuf_ctx(buf, GFP_ATOMIC) {
                Ok(()) => added = true,
                Err((e, _buf)) => return (added, e != ENOMEM),
            }
        }
        (added, true)
    }

    /// `num_buffers` of the header at the start of `buf`.
    fn num_buffers(&self, buf: &crate::netdev::PoolFrag) -> Option<u16> {
        let mut bytes = [0; 2];
        buf.read(NUM_BUFFERS_AT, &mut bytes).ok()?;
        Some(if self.le {
            u16::from_le_bytes(bytes)
        } else {
            u16::from_ne_bytes(bytes)
        })
    }
}

/// Receives up to `budget` frames; returns how many it took (C counts
/// frames, not buffers).
pub(crate) fn receive(
    dev: &Device<VirtnetIface>,
    ctx: &PollContext<'_, VirtnetIface>,
    vq: &mut Virtqueue<RxFrag>,
    mrg: &mut Mergeable,
    hdr_len: u32,
    budget: u32,
) -> u32 {
    let mut work = 0;
    while work < budget {
        let Some((buf, len)) = vq.get_buf() else {
            break;
        };
        work += 1;
        receive_one(dev, ctx, vq, mrg, hdr_len, buf, len);
    }
    work
}

/// Builds the frame that starts with `first` (`len` bytes written, header
/// included) from it and the rest of its buffers, and hands it on; or
/// drops it with C's counts.
fn receive_one(
    dev: &Device<VirtnetIface>,
    ctx: &PollContext<'_, VirtnetIface>,
    vq: &mut Virtqueue<RxFrag>,
    mrg: &mut Mergeable,
    hdr_len: u32,
    first: RxFrag,
    len: u32,
) {
    let stats = &dev.data().stats;
    if len < hdr_len + crate::netdev::ETH_HLEN {
        // C frees this buffer alone.
        stats.rx_length_errors.inc();
        return;
    }
    let truesize = first.truesize();
    let first = first.into_frag();
    let num_buf = match mrg.num_buffers(&first) {
        Some(0) | None => {
            // No frame is made of no buffer (see virtio-net.rst).
            stats.rx_length_errors.inc();
            stats.rx_dropped.inc();
            return;
        }
        Some(n) => u32::from(n),
    };
    if len > truesize {
        // C `check_mergeable_len`.
        stats.rx_length_errors.inc();
        drop(first);
        drain(vq, stats, num_buf - 1);
        return;
    }
    let Some(mut skb) = ctx.alloc_skb(GOOD_COPY_LEN) else {
        stats.rx_alloc_fails.inc();
        drop(first);
        drain(vq, stats, num_buf - 1);
        return;
    };
    // C `page_to_skb`: the whole frame into the head if it fits, else
    // the Ethernet header, and the rest stays in the page.
    let data = len - hdr_len;
    let copy = if data <= skb.tailroom() {
        data
    } else {
        crate::netdev::ETH_HLEN
    };
    if skb.put_from_frag(&first, hdr_len, copy).is_err() {
        drop(first);
        drain(vq, stats, num_buf - 1);
        skb.drop_reason(DropReason::NotSpecified);
        return;
    }
    if data > copy {
        if let Err(frag) = skb.append_pool_frag(first, hdr_len + copy, data - copy) {
            drop(frag);
            drain(vq, stats, num_buf - 1);
            skb.drop_reason(DropReason::NoMemory);
            return;
        }
    }
    // `left`: the buffers of the frame still in the queue, this one
    // included.
    for left in (1..num_buf).rev() {
        let Some((buf, len)) = vq.get_buf() else {
            // C: "rx error: N buffers out of M missing".
            stats.rx_length_errors.inc();
            stats.rx_dropped.inc();
            skb.drop_reason(DropReason::TooSmall);
            return;
        };
        if len > buf.truesize() {
            stats.rx_length_errors.inc();
            drop(buf);
            drain(vq, stats, left - 1);
            skb.drop_reason(DropReason::NotSpecified);
            return;
        }
        if len == 0 {
            continue;
        }
        if let Err(frag) = skb.append_pool_frag(buf.into_frag(), 0, len) {
            drop(frag);
            drain(vq, stats, left - 1);
            skb.drop_reason(DropReason::NoMemory);
            return;
        }
    }
    mrg.avg.add(skb.len());
    crate::rx::deliver(dev, ctx, skb);
}

/// Drops the next `count` buffers, the rest of a frame being dropped (C
/// `mergeable_buf_free`), and counts the frame in `rx_dropped`; a missing
/// buffer counts in `rx_length_errors`.
fn drain(vq: &mut Virtqueue<RxFrag>, stats: &crate::iface::Stats, count: u32) {
    for _ in 0..count {
        if vq.get_buf().is_none() {
            stats.rx_length_errors.inc();
            break;
        }
    }
    stats.rx_dropped.inc();
}
