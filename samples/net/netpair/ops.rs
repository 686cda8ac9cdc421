// SPDX-License-Identifier: GPL-2.0

//! The `net_device` operations of an end: bringing it up and down,
//! transmitting onto the wire, its counters, its receive filter and MTU.

use core::sync::atomic::Ordering;

use kernel::prelude::*;

use crate::filter::MC_FILTER_SLOTS;
use crate::netdev::{
    self, AddrLists, Device, DropReason, LinkStats64, MacAddress, Operations, SkBuff,
};
use crate::pair::{PairEnd, NETIF_MSG_IFUP, NETIF_MSG_LINK};

#[vtable]
impl Operations for PairEnd {
    fn open(dev: &Device<Self>) -> Result {
        let end = dev.data();
        end.rx_queue.purge(DropReason::DeviceNotReady);
        end.napi.enable();
        end.wire.ends.lock()[end.side] = Some(dev.into());
        dev.start_queue();
        end.update_carrier();
        if end.msg_enabled(NETIF_MSG_IFUP) {
            pr_info!("{}: up\n", dev.name());
        }
        Ok(())
    }

    fn stop(dev: &Device<Self>) -> Result {
        let end = dev.data();
        dev.stop_queue();
        // Detach first: once this returns, the peer no longer reaches our
        // queue or schedules our NAPI.
        let me = end.wire.ends.lock()[end.side].take();
        drop(me);
        dev.carrier_off();
        end.update_carrier();
        end.napi.disable();
        end.rx_queue.purge(DropReason::DeviceNotReady);
        if end.msg_enabled(NETIF_MSG_IFUP) {
            pr_info!("{}: down\n", dev.name());
        }
        Ok(())
    }

    fn start_xmit(dev: &Device<Self>, mut skb: SkBuff, _txq: &mut netdev::TxLock<'_, Self>) {
        let end = dev.data();
        // Short frames go on the wire padded with zeroes, as hardware does.
        if skb.pad_to(netdev::ETH_ZLEN).is_err() {
            end.stats.tx_dropped.inc();
            skb.drop_reason(DropReason::NoMemory);
            return;
        }
        let len = skb.len();
        let Some(peer) = end.wire.peer_of(end.side) else {
            end.stats.tx_dropped.inc();
            skb.drop_reason(DropReason::DeviceNotReady);
            return;
        };
        let peer_end = peer.data();
        let full = peer_end.enqueue_from_wire(skb);
        end.stats.tx_packets.inc();
        end.stats.tx_bytes.add(u64::from(len));
        if full {
            dev.stop_queue();
            end.stats.tx_queue_stops.inc();
            // The peer may have drained its queue before we stopped: look
            // again so that the queue cannot stay stopped for ever.
            if peer_end.rx_queue.len() < peer_end.rx_ring.load(Ordering::Relaxed) {
                dev.wake_queue();
            }
        }
    }

    fn get_stats64(dev: &Device<Self>, stats: &mut LinkStats64) {
        let s = &dev.data().stats;
        stats
            .rx_packets(s.rx_packets.get())
            .rx_bytes(s.rx_bytes.get())
            .multicast(s.rx_multicast.get())
            .rx_dropped(s.rx_dropped.get())
            .rx_length_errors(s.rx_length_errors.get())
            .rx_missed_errors(s.rx_missed.get())
            .rx_errors(s.rx_length_errors.get())
            .tx_packets(s.tx_packets.get())
            .tx_bytes(s.tx_bytes.get())
            .tx_dropped(s.tx_dropped.get());
    }

    fn set_rx_mode(dev: &Device<Self>, addrs: &AddrLists<'_>) {
        let end = dev.data();
        let mut filter = end.filter.lock();
        filter.promiscuous = dev.is_promiscuous();
        filter.all_multicast = dev.is_allmulti() || addrs.multicast_count() > MC_FILTER_SLOTS;
        filter.multicast_len = 0;
        if !filter.all_multicast {
            for addr in addrs.multicast().take(MC_FILTER_SLOTS) {
                let i = filter.multicast_len;
                filter.multicast[i] = addr;
                filter.multicast_len += 1;
            }
        }
    }

    fn set_mac_address(
        dev: &Device<Self>,
        addr: &MacAddress,
        _ctx: &crate::netdev::Sleepable,
    ) -> Result {
        dev.data().filter.lock().own = *addr;
        Ok(())
    }

    fn change_mtu(dev: &Device<Self>, new_mtu: u32) -> Result {
        if dev.data().msg_enabled(NETIF_MSG_LINK) {
            pr_info!("{}: MTU {} -> {}\n", dev.name(), dev.mtu(), new_mtu);
        }
        Ok(())
    }
}
