// SPDX-License-Identifier: GPL-2.0

//! The receive queue and its NAPI poll, in either of C's two modes for a
//! device without big packets: mergeable buffers from a page pool with
//! `VIRTIO_NET_F_MRG_RXBUF` (`rx_mergeable`), small buffers without
//! (`rx_small`). The poll frees the frames the device sent, takes up to
//! its budget of frames, hands them to GRO, and refills the queue: only
//! the poll fills it (`open`, a resize and the refill task schedule a
//! poll), because only the poll may allocate from its instance's page
//! pool, which recycles directly.

use kernel::prelude::*;

use crate::iface::{Stats, VirtnetIface};
use crate::netdev::napi::{PollContext, PollDone};
use crate::netdev::{Device, SkBuff};
use crate::rx_mergeable::Mergeable;
use crate::virtio::{RxFrag, RxSkb, Virtqueue, VqNapi};

/// The receive virtqueue, with the buffers of its mode.
pub(crate) enum RxVq {
    /// Small buffers: socket buffers (no `MRG_RXBUF`).
    Small(Virtqueue<RxSkb>),
    /// Mergeable buffers: page-pool fragments (`MRG_RXBUF`).
    Mergeable(Virtqueue<RxFrag>),
}

impl RxVq {
    /// The queue's size.
    pub(crate) fn size(&self) -> u32 {
        match self {
            Self::Small(vq) => vq.size(),
            Self::Mergeable(vq) => vq.size(),
        }
    }

    /// The device's largest size for the queue.
    pub(crate) fn size_max(&self) -> u32 {
        match self {
            Self::Small(vq) => vq.size_max(),
            Self::Mergeable(vq) => vq.size_max(),
        }
    }

    /// Free descriptors.
    fn num_free(&self) -> u32 {
        match self {
            Self::Small(vq) => vq.num_free(),
            Self::Mergeable(vq) => vq.num_free(),
        }
    }

    /// Resizes the queue through its NAPI instance (disabled).
    pub(crate) fn resize(&mut self, napi: &VqNapi<VirtnetIface>, num: u32) -> Result {
        match self {
            Self::Small(vq) => napi.resize(vq, num),
            Self::Mergeable(vq) => napi.resize(vq, num),
        }
    }
}

/// The receive queue, with what its buffers are made of.
pub(crate) struct RxQueue {
    /// The queue; out (`None`) only while `ethtool -G` resizes it, with
    /// the receive poll disabled.
    pub(crate) vq: Option<RxVq>,
    /// The header in front of each frame.
    hdr_len: u32,
    /// The buffer sizing of mergeable buffers (with `RxVq::Mergeable`).
    mrg: Option<Mergeable>,
    /// Whether the last refill ran out of memory: the next retry waits.
    short: bool,
}

impl RxQueue {
    /// The receive queue `vq` of a device whose frames come behind
    /// `hdr_len`-byte headers, with `mrg` for mergeable buffers.
    pub(crate) fn new(vq: RxVq, hdr_len: u32, mrg: Option<Mergeable>) -> Self {
        Self {
            vq: Some(vq),
            hdr_len,
            mrg,
            short: false,
        }
    }

    /// Whether the queue is mergeable: its ring size then, the size of the
    /// page pool it fills from.
    pub(crate) fn mergeable_ring(&self) -> Option<u32> {
        match &self.vq {
            Some(RxVq::Mergeable(vq)) => Some(vq.size()),
            _ => None,
        }
    }

    /// Adds buffers until the queue is full, from the poll `ctx` (C
    /// `try_fill_recv`): socket buffers from its NAPI cache, or fragments
    /// of its instance's page pool, which only its polls may allocate
    /// from. Then tells the device, counting the notification in
    /// `stats.rx_kicks`. If memory ran out first, counts that in
    /// `stats.rx_alloc_fails` and returns in how many milliseconds the
    /// refill task should poll again: at once after the first failure,
    /// half a second after the next (C's refill work).
    fn refill(&mut self, ctx: &PollContext<'_, VirtnetIface>, stats: &Stats) -> Option<u32> {
        let hdr_len = self.hdr_len;
        let (added, ok) = match (self.vq.as_mut(), self.mrg.as_mut()) {
            (None, _) => return None,
            (Some(RxVq::Small(vq)), _) => {
                crate::rx_small::fill(vq, hdr_len, |len| ctx.alloc_skb(len))
            }
            (Some(RxVq::Mergeable(vq)), Some(mrg)) => mrg.fill(ctx, vq, hdr_len),
            // Never: a mergeable queue comes with its sizing.
            (Some(RxVq::Mergeable(_)), None) => return None,
        };
        if added {
            let kicked = match self.vq.as_mut() {
                Some(RxVq::Small(vq)) => vq.kick_prepare() && vq.notify(),
                Some(RxVq::Mergeable(vq)) => vq.kick_prepare() && vq.notify(),
                None => false,
            };
            if kicked {
                stats.rx_kicks.inc();
            }
        }
        if ok {
            self.short = false;
            return None;
        }
        stats.rx_alloc_fails.inc();
        let delay = if self.short { 500 } else { 0 };
        self.short = true;
        Some(delay)
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
    // Sent frames first (C `virtnet_poll_cleantx`), outside the receive
    // queue's lock.
    crate::tx::clean_from_rx(dev, &ctx);
    let mut guard = data.rx.lock();
    let rx = &mut *guard;
    let hdr_len = rx.hdr_len;
    let work = match (rx.vq.as_mut(), rx.mrg.as_mut()) {
        // Out for a resize, with this instance disabled: nothing to poll.
        (None, _) => return ctx.complete_done(0),
        (Some(RxVq::Small(vq)), _) => crate::rx_small::receive(dev, &ctx, vq, hdr_len, budget),
        (Some(RxVq::Mergeable(vq)), Some(mrg)) => {
            crate::rx_mergeable::receive(dev, &ctx, vq, mrg, hdr_len, budget)
        }
        (Some(RxVq::Mergeable(_)), None) => 0,
    };
    let half_free = rx
        .vq
        .as_ref()
        .is_some_and(|vq| vq.num_free() > budget.min(vq.size()) / 2);
    // Out of memory: the task schedules this poll again (C schedules its
    // refill work on any failure too).
    if half_free {
        if let Some(delay) = rx.refill(&ctx, &data.stats) {
            data.refill.schedule(delay);
        }
    }
    match rx.vq.as_mut() {
        Some(RxVq::Small(vq)) => ctx.complete_done_rearm(work, vq),
        Some(RxVq::Mergeable(vq)) => ctx.complete_done_rearm(work, vq),
        None => ctx.complete_done(work),
    }
}

/// Hands a frame, its header pulled, to the stack through GRO, counting
/// it; or drops it if `eth_type_trans` cannot take it.
pub(crate) fn deliver(
    dev: &Device<VirtnetIface>,
    ctx: &PollContext<'_, VirtnetIface>,
    mut skb: SkBuff,
) {
    let stats = &dev.data().stats;
    let len = skb.len();
    if skb.eth_type_trans(dev).is_err() {
        stats.rx_dropped.inc();
        skb.drop_reason(crate::netdev::DropReason::NotSpecified);
        return;
    }
    stats.rx_packets.inc();
    stats.rx_bytes.add(u64::from(len));
    ctx.gro_receive(skb);
}
