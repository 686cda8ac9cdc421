// SPDX-License-Identifier: GPL-2.0

//! The transmit path: `start_xmit` puts each frame behind its virtio-net
//! header into the transmit queue, with byte queue limits, one kick per
//! batch (`xmit_more`) and the queue stopped while a largest frame might
//! not fit; the transmit NAPI poll (C's `napi_tx`) frees what the device
//! sent and wakes the queue.

use kernel::prelude::*;

use crate::iface::VirtnetIface;
use crate::netdev::napi::{PollContext, PollDone};
use crate::netdev::{Device, DropReason, SkBuff};
use crate::virtio::{SgTable, TxFrame, Virtqueue};

/// Descriptors a frame may need, at most (C `MAX_SKB_FRAGS + 2`): the
/// queue stops below that.
const ROOM: u32 = SgTable::LEN as u32;

/// The longest virtio-net header (`struct virtio_net_hdr_mrg_rxbuf`).
const MAX_HDR: usize = 12;

/// The transmit queue and the header every frame goes out with.
pub(crate) struct TxQueue {
    vq: Virtqueue<TxFrame>,
    /// All zeroes: no checksum or segmentation offload is negotiated, so
    /// every frame goes out complete (`VIRTIO_NET_HDR_GSO_NONE`, no
    /// flags); the first `hdr_len` bytes are sent.
    hdr: [u8; MAX_HDR],
    hdr_len: usize,
}

impl TxQueue {
    /// The transmit queue `vq` of a device that takes `hdr_len`-byte
    /// headers.
    pub(crate) fn new(vq: Virtqueue<TxFrame>, hdr_len: u32) -> Result<Self> {
        let hdr_len = usize::try_from(hdr_len).map_err(|_| EINVAL)?;
        if hdr_len > MAX_HDR {
            return Err(EINVAL);
        }
        Ok(Self {
            vq,
            hdr: [0; MAX_HDR],
            hdr_len,
        })
    }

    /// Whether a largest frame fits.
    fn has_room(&self) -> bool {
        self.vq.num_free() >= ROOM
    }
}

/// Sends `skb` (C `start_xmit`), or drops it if the queue refuses it,
/// which a queue stopped in time never does.
pub(crate) fn xmit(dev: &Device<VirtnetIface>, mut skb: SkBuff) {
    let data = dev.data();
    let mut tx = data.tx.lock();
    skb.tx_timestamp();
    let frame = match TxFrame::new(skb, &tx.hdr[..tx.hdr_len]) {
        Ok(frame) => frame,
        Err(skb) => {
            data.stats.tx_dropped.inc();
            skb.drop_reason(DropReason::TooSmall);
            return;
        }
    };
    let len = frame.len();
    match tx.vq.add_outbuf(frame, GFP_ATOMIC) {
        Ok(()) => dev.sent_queue(len),
        Err((e, frame)) => {
            data.stats.tx_dropped.inc();
            let skb = frame.into_skb();
            if e == ENOSPC {
                skb.drop_reason(DropReason::FullRing);
            } else {
                skb.drop_reason(DropReason::NotSpecified);
            }
        }
    }
    dev.maybe_stop_queue(|| tx.has_room());
    // After the byte queue limits saw the frame: they may have stopped the
    // queue, and then no later frame comes to kick the device.
    if !dev.xmit_may_defer_kick() && tx.vq.kick_prepare() {
        tx.vq.notify();
    }
}

/// The transmit poll: frees every frame the device is done with, counts
/// it, wakes the queue when a largest frame fits again, and completes
/// through the layer, which turns the queue's callbacks back on. Frames
/// are not counted against the budget (as C); a netpoll poll (budget 0)
/// frees them too and leaves the instance to its owner.
pub(crate) fn poll<'a>(
    dev: &Device<VirtnetIface>,
    ctx: PollContext<'a, VirtnetIface>,
) -> PollDone<'a> {
    let data = dev.data();
    // Netpoll (a zero budget) may come from a message printed on this CPU
    // while the lock is held (in `start_xmit`): it frees only if the lock
    // is free.
    let mut tx = if ctx.budget() == 0 {
        match data.tx.try_lock() {
            Some(tx) => tx,
            None => return ctx.poll_again(),
        }
    } else {
        data.tx.lock()
    };
    let (mut packets, mut bytes) = (0u32, 0u32);
    while let Some((frame, _)) = tx.vq.get_buf() {
        packets += 1;
        bytes = bytes.wrapping_add(frame.len());
        ctx.consume_skb(frame.into_skb());
    }
    if packets > 0 {
        data.stats.tx_packets.add(u64::from(packets));
        data.stats.tx_bytes.add(u64::from(bytes));
        dev.completed_queue(packets, bytes);
    }
    dev.wake_queue_if_room(tx.has_room());
    ctx.complete_done_rearm(0, &mut tx.vq)
}
