// SPDX-License-Identifier: GPL-2.0

//! The receive side of an end: its queue of frames off the wire, and the
//! NAPI poll that filters them and hands them to the stack.

use core::sync::atomic::Ordering;

use crate::netdev::napi::{PollContext, PollDone};
use crate::netdev::{self, Device, DropReason, MacAddress, PacketType, Poll, SkBuff};
use crate::pair::PairEnd;

impl PairEnd {
    /// Takes a frame off the wire into this end's receive queue. Returns
    /// whether the queue is now full.
    pub(crate) fn enqueue_from_wire(&self, skb: SkBuff) -> bool {
        let limit = self.rx_ring.load(Ordering::Relaxed);
        if self.rx_queue.len() >= limit {
            // The sender normally stops before this; count it like a NIC
            // counts frames it had no descriptor for.
            skb.drop_reason(DropReason::FullRing);
            return true;
        }
        self.rx_queue.push_back(skb);
        self.napi.schedule();
        self.rx_queue.len() >= limit
    }

    /// Receives one frame from the queue: filter, check, copy into a new
    /// buffer and hand it to the stack.
    fn receive(&self, dev: &Device<Self>, ctx: &PollContext<'_, Self>, wire_skb: SkBuff) {
        let len = wire_skb.len();
        let max_len = dev.mtu() + netdev::ETH_HLEN + netdev::VLAN_HLEN;
        if len < netdev::ETH_HLEN || len > max_len {
            self.stats.rx_length_errors.inc();
            let reason = if len < netdev::ETH_HLEN {
                DropReason::TooSmall
            } else {
                DropReason::TooBig
            };
            wire_skb.drop_reason(reason);
            return;
        }

        let mut header = [0u8; 6];
        if wire_skb.copy_bits(0, &mut header).is_err() {
            self.stats.rx_length_errors.inc();
            wire_skb.drop_reason(DropReason::TooSmall);
            return;
        }
        let dst = MacAddress(header);
        if !self.filter.lock().accepts(&dst) {
            self.stats.rx_filtered.inc();
            wire_skb.drop_reason(DropReason::OtherHost);
            return;
        }

        let Some(mut skb) = ctx.alloc_skb(len) else {
            self.stats.rx_dropped.inc();
            wire_skb.drop_reason(DropReason::NoMemory);
            return;
        };
        if skb.put_frame(&wire_skb).is_err() {
            self.stats.rx_dropped.inc();
            wire_skb.drop_reason(DropReason::NoMemory);
            return;
        }
        wire_skb.consume();

        let Ok(class) = skb.eth_type_trans(dev) else {
            self.stats.rx_dropped.inc();
            skb.drop_reason(DropReason::TooSmall);
            return;
        };
        if class == PacketType::Multicast {
            self.stats.rx_multicast.inc();
        }
        self.stats.rx_packets.inc();
        self.stats.rx_bytes.add(u64::from(len));
        ctx.gro_receive(skb);
    }
}

impl Poll for PairEnd {
    fn poll<'a>(dev: &Device<Self>, ctx: PollContext<'a, Self>) -> PollDone<'a> {
        let end = dev.data();
        let mut done = 0;
        while done < ctx.budget() {
            let Some(skb) = end.rx_queue.pop_front() else {
                break;
            };
            end.receive(dev, &ctx, skb);
            done += 1;
        }

        // Restart a sender that stopped on our full queue once half of it
        // is free.
        if end.rx_queue.len() <= end.rx_ring.load(Ordering::Relaxed) / 2 {
            if let Some(peer) = end.wire.peer_of(end.side) {
                if peer.queue_stopped() {
                    peer.wake_queue();
                    peer.data().stats.tx_queue_wakes.inc();
                }
            }
        }

        ctx.complete_done(done)
    }
}
