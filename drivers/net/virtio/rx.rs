// SPDX-License-Identifier: GPL-2.0

//! The receive path in small-buffer mode (no `VIRTIO_NET_F_MRG_RXBUF`):
//! each buffer is a socket buffer with room for the virtio-net header and
//! a frame of up to `GOOD_PACKET_LEN` bytes (C `add_recvbuf_small`). The
//! NAPI poll takes up to its budget of frames, hands them to GRO, and
//! refills the queue.

use kernel::prelude::*;

use crate::iface::VirtnetIface;
use crate::netdev::napi::{PollContext, PollDone};
use crate::netdev::{Counter, Device, DropReason, SkBuff};
use crate::virtio::{RxSkb, Virtqueue};

/// The longest frame a small buffer takes: an Ethernet header, a VLAN tag
/// and 1500 bytes (C `GOOD_PACKET_LEN`).
const GOOD_PACKET_LEN: u32 =
    crate::netdev::ETH_HLEN + crate::netdev::VLAN_HLEN + crate::netdev::ETH_DATA_LEN;

/// The receive queue, with what its buffers are made of.
pub(crate) struct RxQueue {
    /// The queue; out (`None`) only while `ethtool -G` resizes it, with
    /// the receive poll disabled.
    pub(crate) vq: Option<Virtqueue<RxSkb>>,
    /// The header in front of each frame.
    hdr_len: u32,
}

impl RxQueue {
    /// The receive queue `vq` of a device whose frames come behind
    /// `hdr_len`-byte headers.
    pub(crate) fn new(vq: Virtqueue<RxSkb>, hdr_len: u32) -> Self {
        Self {
            vq: Some(vq),
            hdr_len,
        }
    }

    /// Whether the device has no buffer to receive into (while the queue
    /// is there).
    pub(crate) fn is_empty(&self) -> bool {
        self.vq
            .as_ref()
            .is_some_and(|vq| vq.num_free() == vq.size())
    }

    /// Adds buffers from `alloc` until the queue is full, then tells the
    /// device (C `try_fill_recv`), counting the notification in `kicks`.
    /// Returns `false` if memory ran out first.
    pub(crate) fn refill(
        &mut self,
        kicks: &Counter,
        mut alloc: impl FnMut(u32) -> Option<SkBuff>,
    ) -> bool {
        let len = self.hdr_len + GOOD_PACKET_LEN;
        let Some(vq) = self.vq.as_mut() else {
            return true;
        };
        let mut added = false;
        let mut oom = false;
        while vq.num_free() > 0 {
            let Some(skb) = alloc(len) else {
                oom = true;
                break;
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
                    oom = e == ENOMEM;
                    buf.into_skb().drop_reason(DropReason::NoMemory);
                    break;
                }
            }
        }
        if added && vq.kick_prepare() && vq.notify() {
            kicks.inc();
        }
        !oom
    }
}

/// The receive poll: up to the budget of frames to GRO, a refill once half
/// the queue (or half the budget) is free, and the layer's completion,
/// which turns the queue's callbacks back on. With a zero budget (netpoll)
/// it receives nothing and takes no lock.
pub(crate) fn poll<'a>(
    dev: &Device<VirtnetIface>,
    ctx: PollContext<'a, VirtnetIface>,
) -> PollDone<'a> {
    let data = dev.data();
    let budget = ctx.budget();
    if budget == 0 {
        // Netpoll receives nothing, and must not wait for the lock: it may
        // come from a message printed on this CPU while the lock is held
        // (by the refill task, say).
        return ctx.poll_again();
    }
    let mut guard = data.rx.lock();
    let rx = &mut *guard;
    // Out for a resize, with this instance disabled: nothing to poll.
    let Some(vq) = rx.vq.as_mut() else {
        return ctx.complete_done(0);
    };
    let mut work = 0;
    while work < budget {
        let Some((buf, len)) = vq.get_buf() else {
            break;
        };
        work += 1;
        receive(dev, &ctx, rx.hdr_len, buf, len);
    }
    if vq.num_free() > budget.min(vq.size()) / 2 {
        // Out of memory: the task tries again from process context (C
        // schedules its refill work on any failure too).
        if !rx.refill(&data.stats.rx_kicks, |len| ctx.alloc_skb(len)) {
            data.refill.schedule(0);
        }
    }
    let Some(vq) = rx.vq.as_mut() else {
        return ctx.complete_done(work);
    };
    ctx.complete_done_rearm(work, vq)
}

/// Hands one received buffer, `len` bytes long with its header, to the
/// stack, or drops it.
fn receive(
    dev: &Device<VirtnetIface>,
    ctx: &PollContext<'_, VirtnetIface>,
    hdr_len: u32,
    buf: RxSkb,
    len: u32,
) {
    let stats = &dev.data().stats;
    let mut skb = buf.into_skb();
    if len < hdr_len + crate::netdev::ETH_HLEN {
        stats.rx_length_errors.inc();
        skb.drop_reason(DropReason::TooSmall);
        return;
    }
    // Without offloads negotiated the header says nothing the stack needs
    // (no checksum state, no segmentation); it only goes.
    if skb.pull(hdr_len).is_err() || skb.eth_type_trans(dev).is_err() {
        stats.rx_dropped.inc();
        skb.drop_reason(DropReason::NotSpecified);
        return;
    }
    stats.rx_packets.inc();
    stats.rx_bytes.add(u64::from(len - hdr_len));
    ctx.gro_receive(skb);
}
