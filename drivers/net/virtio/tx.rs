// SPDX-License-Identifier: GPL-2.0

//! The transmit path: `start_xmit` frees what the device has sent and
//! puts each frame behind its virtio-net header into the transmit queue,
//! with byte queue limits, one kick per batch (`xmit_more`) and the queue
//! stopped while a largest frame might not fit; the transmit NAPI poll
//! (C's `napi_tx`) and the receive poll free what the device sent and
//! wake the queue; the transmit timeout counts and logs.
//!
//! The queue lives in a `TxLocked`: only the holder of the netdev queue's
//! xmit lock reaches it. `start_xmit` runs with that lock held by the
//! core; the poll takes it (C `__netif_tx_lock`). So netpoll, which tries
//! that lock before it calls `start_xmit`, never waits for one of ours.

use kernel::prelude::*;

use crate::iface::VirtnetIface;
use crate::netdev::napi::{PollContext, PollDone};
use crate::netdev::{Device, DropReason, SkBuff, TxLock};
use crate::virtio::{SgTable, TxFrame, Virtqueue};

/// Descriptors a frame may need, at most (C `MAX_SKB_FRAGS + 2`): the
/// queue stops below that, and a ring must be larger.
pub(crate) const ROOM: u32 = SgTable::LEN as u32;

/// The longest virtio-net header (`struct virtio_net_hdr_mrg_rxbuf`).
const MAX_HDR: usize = 12;

/// The transmit queue and the header every frame goes out with.
pub(crate) struct TxQueue {
    /// The queue; out (`None`) only while `ethtool -G` resizes it, with
    /// the netdev queue stopped.
    pub(crate) vq: Option<Virtqueue<TxFrame>>,
    /// All zeroes: no checksum or segmentation offload is negotiated, so
    /// every frame goes out complete (`VIRTIO_NET_HDR_GSO_NONE`, no
    /// flags); the first `hdr_len` bytes are sent.
    hdr: [u8; MAX_HDR],
    hdr_len: usize,
    /// Whether the header may go into a frame's headroom (one entry).
    push: bool,
}

impl TxQueue {
    /// The transmit queue `vq` of a device that takes `hdr_len`-byte
    /// headers, in front of the frame in one entry if `push`.
    pub(crate) fn new(vq: Virtqueue<TxFrame>, hdr_len: u32, push: bool) -> Result<Self> {
        let hdr_len = usize::try_from(hdr_len).map_err(|_| EINVAL)?;
        if hdr_len > MAX_HDR {
            return Err(EINVAL);
        }
        Ok(Self {
            vq: Some(vq),
            hdr: [0; MAX_HDR],
            hdr_len,
            push,
        })
    }
}

/// Whether a largest frame fits in `vq`.
fn has_room(vq: &Virtqueue<TxFrame>) -> bool {
    vq.num_free() >= ROOM
}

/// Sends `skb` (C `start_xmit`), or drops it if the queue refuses it,
/// which a queue stopped in time never does.
pub(crate) fn xmit(
    dev: &Device<VirtnetIface>,
    mut skb: SkBuff,
    txq: &mut TxLock<'_, VirtnetIface>,
) {
    let data = dev.data();
    // The queue is ours and so is the lock (one queue pair); it is out
    // only for a resize, with the netdev queue stopped.
    let Some(TxQueue {
        vq: Some(vq),
        hdr,
        hdr_len,
        push,
    }) = data.tx.get(txq).ok()
    else {
        data.stats.tx_dropped.inc();
        skb.drop_reason(DropReason::DeviceNotReady);
        return;
    };
    skb.tx_timestamp();
    let frame = match TxFrame::new(skb, &hdr[..*hdr_len], *push) {
        Ok(frame) => frame,
        Err(skb) => {
            data.stats.tx_dropped.inc();
            skb.drop_reason(DropReason::TooSmall);
            return;
        }
    };
    let len = frame.len();
    // No completion interrupts while the batch goes in (C `start_xmit`);
    // the kick at its end turns them on again, delayed.
    data.tx_napi.xmit_begin(vq);
    // Frees what the device has sent meanwhile (C `free_old_xmit` in
    // `start_xmit`): a sender's frames go back to their socket without
    // waiting for a poll, which TCP's small-queue limit waits for.
    // The queue is awake (the core calls `start_xmit` on an awake queue
    // only): counted, with nothing to wake, and nothing at all to do when
    // nothing was freed (C's "called speculatively from start_xmit").
    free_sent(dev, vq);
    match vq.add_outbuf(frame, GFP_ATOMIC) {
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
    if !has_room(vq) {
        data.stats.tx_stops.inc();
        if !dev.maybe_stop_queue(|| has_room(vq)) {
            // A completion made room meanwhile: started again.
            data.stats.tx_wakes.inc();
        }
    }
    // After the byte queue limits saw the frame: they may have stopped the
    // queue, and then no later frame comes to kick the device.
    if !dev.xmit_may_defer_kick() {
        if vq.kick_prepare() && vq.notify() {
            data.stats.tx_kicks.inc();
        }
        data.tx_napi.xmit_kicked(vq);
    }
}

/// The transmit poll, under the netdev queue's xmit lock (C
/// `virtnet_poll_tx`): frees every frame the device is done with, counts
/// it, wakes the queue when a largest frame fits again, and completes
/// through the layer, which turns the queue's callbacks back on. Frames
/// are not counted against the budget (as C). A netpoll poll (budget 0,
/// interrupts off) only tries the lock, then frees too and leaves the
/// instance to its owner.
pub(crate) fn poll<'a>(
    dev: &Device<VirtnetIface>,
    ctx: PollContext<'a, VirtnetIface>,
) -> PollDone<'a> {
    let data = dev.data();
    // Fails only under netpoll, when another CPU holds the lock (or this
    // one does, which netpoll checks first): then it frees nothing now.
    let Ok(mut lock) = dev.lock_tx_queue(0) else {
        return ctx.poll_again();
    };
    let Ok(tx) = data.tx.get(&mut lock) else {
        return ctx.poll_again();
    };
    // Out for a resize, with this instance disabled: nothing to poll.
    let Some(vq) = tx.vq.as_mut() else {
        return ctx.complete_done(0);
    };
    let (mut packets, mut bytes) = (0u32, 0u32);
    while let Some((frame, _)) = vq.get_buf() {
        packets += 1;
        bytes = bytes.wrapping_add(frame.len());
        ctx.consume_skb(frame.into_skb());
    }
    completed(dev, vq, packets, bytes);
    ctx.complete_done_rearm(0, vq)
}

/// Frees the frames the device sent from the receive poll `ctx`, if the
/// transmit queue's lock is free (C `virtnet_poll_cleantx`), and turns the
/// transmit completion interrupt on again, delayed (see
/// [`crate::virtio::VqNapi::reap_delayed`]): a flow that both sends and
/// receives frees its frames without an interrupt of their own.
pub(crate) fn clean_from_rx(dev: &Device<VirtnetIface>, ctx: &PollContext<'_, VirtnetIface>) {
    let data = dev.data();
    let Ok(mut lock) = dev.try_lock_tx_queue(0) else {
        return;
    };
    let Ok(tx) = data.tx.get(&mut lock) else {
        return;
    };
    // Out for a resize: nothing to free.
    let Some(vq) = tx.vq.as_mut() else {
        return;
    };
    let (mut packets, mut bytes) = (0u32, 0u32);
    data.tx_napi.reap_delayed(vq, |frame, _| {
        packets += 1;
        bytes = bytes.wrapping_add(frame.len());
        ctx.consume_skb(frame.into_skb());
    });
    completed(dev, vq, packets, bytes);
}

/// Before a resize, with the queue stopped and the transmit poll
/// disabled: kicks the device and frees what it sends until the ring is
/// empty, for at most 100 ms. The frames the device has not sent go with
/// the old ring, dropped (C drops them at once); a netconsole line among
/// them would be lost. Process context.
pub(crate) fn drain(dev: &Device<VirtnetIface>) -> Result {
    let data = dev.data();
    for round in 0..100 {
        let empty = {
            let mut lock = dev.lock_tx_queue(0)?;
            let Some(vq) = data.tx.get(&mut lock)?.vq.as_mut() else {
                return Ok(());
            };
            if round == 0 {
                // A batch the stack meant to end with a later frame.
                vq.kick();
            }
            free_sent(dev, vq);
            vq.num_free() == vq.size()
        };
        if empty {
            break;
        }
        kernel::time::delay::fsleep(kernel::time::Delta::from_millis(1));
    }
    Ok(())
}

/// Counts `packets` frames of `bytes` bytes freed from `vq`, and wakes the
/// queue when a largest frame fits again. Under the xmit lock.
fn completed(dev: &Device<VirtnetIface>, vq: &Virtqueue<TxFrame>, packets: u32, bytes: u32) {
    count_freed(dev, packets, bytes);
    if dev.wake_queue_if_room(has_room(vq)) {
        dev.data().stats.tx_wakes.inc();
    }
}

/// Frees every frame the device has sent, outside a poll, and counts
/// them (see `count_freed`). Under the xmit lock.
fn free_sent(dev: &Device<VirtnetIface>, vq: &mut Virtqueue<TxFrame>) {
    let (mut packets, mut bytes) = (0u32, 0u32);
    while let Some((sent, _)) = vq.get_buf() {
        packets += 1;
        bytes = bytes.wrapping_add(sent.len());
        sent.into_skb().consume();
    }
    count_freed(dev, packets, bytes);
}

/// Counts `packets` frames of `bytes` bytes freed, in the statistics and
/// for byte queue limits. Under the xmit lock.
fn count_freed(dev: &Device<VirtnetIface>, packets: u32, bytes: u32) {
    if packets == 0 {
        return;
    }
    let data = dev.data();
    data.stats.tx_packets.add(u64::from(packets));
    data.stats.tx_bytes.add(u64::from(bytes));
    dev.completed_queue(packets, bytes);
}

/// The transmit queue has been stopped for longer than the watchdog's
/// timeout (C `virtnet_tx_timeout`): counted (`ethtool -S`
/// `tx_timeouts`) and logged, as C does; no reset.
pub(crate) fn timeout(dev: &Device<VirtnetIface>, queue: u32) {
    dev.data().stats.tx_timeouts.inc();
    pr_err!(
        "{}: TX timeout on queue: {}, sq: output.{}, vq: {:#x}, name: output.{}, {} usecs ago\n",
        dev.name(),
        queue,
        queue,
        2 * queue + 1,
        queue,
        dev.tx_queue_idle_usecs(queue)
    );
}
