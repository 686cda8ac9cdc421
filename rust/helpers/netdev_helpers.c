// SPDX-License-Identifier: GPL-2.0
/*
 * Out-of-line wrappers of the static inline netdev API for our Rust layer.
 * Nearly every function forwards to the kernel's own inline of the same
 * name; the transmit offload pair reads the offload fields of a frame in
 * one call and readies TSO headers the way the kernel's TSO drivers do.
 */
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/ip6_checksum.h>

#include "netdev_helpers.h"

void *rnic_netdev_priv(const struct net_device *dev)
{
	return netdev_priv(dev);
}

void rnic_set_netdev_dev(struct net_device *dev, struct device *parent)
{
	SET_NETDEV_DEV(dev, parent);
}

void rnic_eth_hw_addr_set(struct net_device *dev, const u8 *addr)
{
	eth_hw_addr_set(dev, addr);
}

void rnic_eth_hw_addr_random(struct net_device *dev)
{
	eth_hw_addr_random(dev);
}

bool rnic_netif_carrier_ok(const struct net_device *dev)
{
	return netif_carrier_ok(dev);
}

bool rnic_netif_running(const struct net_device *dev)
{
	return netif_running(dev);
}

void rnic_dev_hold(struct net_device *dev)
{
	dev_hold(dev);
}

void rnic_dev_put(struct net_device *dev)
{
	dev_put(dev);
}

void rnic_netif_start_queue(struct net_device *dev)
{
	netif_start_queue(dev);
}

void rnic_netif_stop_queue(struct net_device *dev)
{
	netif_stop_queue(dev);
}

void rnic_netif_wake_queue(struct net_device *dev)
{
	netif_wake_queue(dev);
}

bool rnic_netif_queue_stopped(const struct net_device *dev)
{
	return netif_queue_stopped(dev);
}

bool rnic_netdev_xmit_more(void)
{
	return netdev_xmit_more();
}

bool rnic_netif_xmit_stopped(struct net_device *dev)
{
	return netif_xmit_stopped(netdev_get_tx_queue(dev, 0));
}

bool rnic_netdev_is_registered(const struct net_device *dev)
{
	return READ_ONCE(dev->reg_state) == NETREG_REGISTERED;
}

/*
 * netdev_work_sched() takes a spin_lock_bh: not in hard IRQ context, nor
 * with interrupts off (netpoll), where re-enabling bottom halves is a bug.
 */
bool rnic_netdev_work_sched(struct net_device *dev, unsigned long events)
{
	if (in_hardirq() || irqs_disabled()) {
		netdev_warn_once(dev, "work scheduled in hard IRQ context, dropped\n");
		return false;
	}
	netdev_work_sched(dev, events);
	return true;
}

void rnic_netdev_sent_queue(struct net_device *dev, unsigned int bytes)
{
	netdev_sent_queue(dev, bytes);
}

/*
 * dql_completed() hits BUG_ON when more bytes complete than are in flight:
 * a driver's miscount must not bring the kernel down, so the completion is
 * capped (and logged) here. In flight only grows between the driver's
 * accounting of a frame and its completion, so a correct count is never
 * capped.
 */
void rnic_netdev_completed_queue(struct net_device *dev, unsigned int pkts,
				 unsigned int bytes)
{
#ifdef CONFIG_BQL
	struct dql *dql = &netdev_get_tx_queue(dev, 0)->dql;
	unsigned int in_flight = READ_ONCE(dql->num_queued) - READ_ONCE(dql->num_completed);

	if (unlikely(bytes > in_flight)) {
		netdev_warn_once(dev, "BQL: %u bytes completed, %u in flight\n",
				 bytes, in_flight);
		bytes = in_flight;
	}
#endif
	netdev_completed_queue(dev, pkts, bytes);
}

void rnic_netdev_reset_queue(struct net_device *dev)
{
	netdev_reset_queue(dev);
}

void rnic_netif_napi_add(struct net_device *dev, struct napi_struct *napi,
			 int (*poll)(struct napi_struct *, int))
{
	netif_napi_add(dev, napi, poll);
}

void rnic_netif_napi_del(struct napi_struct *napi)
{
	netif_napi_del(napi);
}

bool rnic_napi_schedule(struct napi_struct *napi)
{
	return napi_schedule(napi);
}

void rnic_netif_napi_set_irq(struct napi_struct *napi, int irq)
{
	netif_napi_set_irq(napi, irq);
}

gro_result_t rnic_napi_gro_receive(struct napi_struct *napi,
				   struct sk_buff *skb)
{
	return napi_gro_receive(napi, skb);
}

struct sk_buff *rnic_netdev_alloc_skb_ip_align(struct net_device *dev,
					       unsigned int length)
{
	return netdev_alloc_skb_ip_align(dev, length);
}

unsigned int rnic_skb_headlen(const struct sk_buff *skb)
{
	return skb_headlen(skb);
}

int rnic_skb_tailroom(const struct sk_buff *skb)
{
	return skb_tailroom(skb);
}

int rnic_skb_put_padto(struct sk_buff *skb, unsigned int len)
{
	/* The caller keeps ownership on failure. */
	return __skb_put_padto(skb, len, false);
}

void rnic_dev_consume_skb_any(struct sk_buff *skb)
{
	dev_consume_skb_any(skb);
}

void rnic_skb_queue_head_init(struct sk_buff_head *list)
{
	skb_queue_head_init(list);
}

u32 rnic_skb_queue_len(const struct sk_buff_head *list)
{
	return skb_queue_len_lockless(list);
}

unsigned char *rnic_skb_data(const struct sk_buff *skb)
{
	return skb->data;
}

bool rnic_skb_cloned(const struct sk_buff *skb)
{
	return skb_cloned(skb);
}

u8 rnic_skb_pkt_type(const struct sk_buff *skb)
{
	return skb->pkt_type;
}

/* Sets the protocol as drivers do with eth_type_trans()'s result. */
u8 rnic_eth_type_trans(struct sk_buff *skb, struct net_device *dev)
{
	skb->protocol = eth_type_trans(skb, dev);
	return skb->pkt_type;
}

static u8 rnic_skb_l4_proto(const struct sk_buff *skb, __be16 l3)
{
	if (l3 == htons(ETH_P_IP))
		return ip_hdr(skb)->protocol;
	if (l3 == htons(ETH_P_IPV6))
		return ipv6_hdr(skb)->nexthdr;
	return IPPROTO_RAW;
}

void rnic_skb_tx_offload(const struct sk_buff *skb, struct rnic_tx_offload *out)
{
	__be16 l3 = vlan_get_protocol(skb);

	memset(out, 0, sizeof(*out));
	out->l3_proto = ntohs(l3);
	if (skb_is_gso(skb)) {
		const struct skb_shared_info *shinfo = skb_shinfo(skb);

		if (shinfo->gso_type & SKB_GSO_TCPV4)
			out->kind = RNIC_TX_OFFLOAD_TSO4;
		else if (shinfo->gso_type & SKB_GSO_TCPV6)
			out->kind = RNIC_TX_OFFLOAD_TSO6;
		else
			out->kind = RNIC_TX_OFFLOAD_OTHER_GSO;
		out->gso_size = shinfo->gso_size;
		out->gso_segs = shinfo->gso_segs;
		out->network_offset = skb_network_offset(skb);
		out->transport_offset = skb_transport_offset(skb);
		if (out->kind != RNIC_TX_OFFLOAD_OTHER_GSO)
			out->headers_len = skb_tcp_all_headers(skb);
		out->l4_proto = rnic_skb_l4_proto(skb, l3);
	} else if (skb->ip_summed == CHECKSUM_PARTIAL) {
		out->kind = RNIC_TX_OFFLOAD_CSUM;
		out->csum_start = skb_checksum_start_offset(skb);
		out->csum_offset = skb->csum_offset;
		out->network_offset = skb_network_offset(skb);
		out->transport_offset = skb_transport_offset(skb);
		out->l4_proto = rnic_skb_l4_proto(skb, l3);
	}
}

/*
 * Readies the headers of a TCP GSO frame for a device that segments it:
 * the IPv4 length and checksum are cleared, and the TCP checksum holds the
 * pseudo-header sum without the length, which the device adds per segment.
 */
int rnic_skb_tso_prepare(struct sk_buff *skb)
{
	int err = skb_cow_head(skb, 0);

	if (err < 0)
		return err;
	if (skb_shinfo(skb)->gso_type & SKB_GSO_TCPV4) {
		struct iphdr *iph = ip_hdr(skb);

		iph->tot_len = 0;
		iph->check = 0;
		tcp_hdr(skb)->check = ~csum_tcpudp_magic(iph->saddr, iph->daddr,
							 0, IPPROTO_TCP, 0);
		return 0;
	}
	if (skb_shinfo(skb)->gso_type & SKB_GSO_TCPV6) {
		tcp_v6_gso_csum_prep(skb);
		return 0;
	}
	return -EINVAL;
}

void rnic_skb_checksum_unnecessary(struct sk_buff *skb)
{
	skb->ip_summed = CHECKSUM_UNNECESSARY;
}

bool rnic_skb_is_gso(const struct sk_buff *skb)
{
	return skb_is_gso(skb);
}

void rnic_skb_tx_timestamp(struct sk_buff *skb)
{
	skb_tx_timestamp(skb);
}

unsigned int rnic_skb_nr_frags(const struct sk_buff *skb)
{
	return skb_shinfo(skb)->nr_frags;
}

/* Maps the linear part of a frame for the device to read. */
int rnic_skb_map_head(struct device *dev, struct sk_buff *skb,
		      dma_addr_t *addr)
{
	*addr = dma_map_single(dev, skb->data, skb_headlen(skb), DMA_TO_DEVICE);
	return dma_mapping_error(dev, *addr);
}

/* Maps fragment i of a frame for the device to read; *len is its size. */
int rnic_skb_map_frag(struct device *dev, struct sk_buff *skb, unsigned int i,
		      dma_addr_t *addr, u32 *len)
{
	const skb_frag_t *frag = &skb_shinfo(skb)->frags[i];

	*len = skb_frag_size(frag);
	*addr = skb_frag_dma_map(dev, frag, 0, *len, DMA_TO_DEVICE);
	return dma_mapping_error(dev, *addr);
}

void rnic_dma_unmap_single_to_device(struct device *dev, dma_addr_t addr,
				     u32 len)
{
	dma_unmap_single(dev, addr, len, DMA_TO_DEVICE);
}

void rnic_dma_unmap_page_to_device(struct device *dev, dma_addr_t addr,
				   u32 len)
{
	dma_unmap_page(dev, addr, len, DMA_TO_DEVICE);
}

void rnic_init_delayed_work(struct delayed_work *dwork, work_func_t fn)
{
	INIT_DELAYED_WORK(dwork, fn);
}

bool rnic_mod_delayed_work(struct delayed_work *dwork, unsigned long delay)
{
	return mod_delayed_work(system_percpu_wq, dwork, delay);
}

/*
 * Bottom-half locks for state that netpoll reaches too: netconsole calls
 * ndo_start_xmit and the budget-0 NAPI poll with interrupts off. There,
 * bottom halves cannot run on this CPU anyway, and spin_unlock_bh() would
 * run pending softirqs and turn interrupts back on under netpoll. So with
 * interrupts off the plain lock is taken. Each returns whether it
 * disabled bottom halves; the unlock undoes exactly that.
 */
bool rnic_spin_lock_bh(spinlock_t *lock)
{
	if (irqs_disabled()) {
		spin_lock(lock);
		return false;
	}
	spin_lock_bh(lock);
	return true;
}

void rnic_spin_unlock_bh(spinlock_t *lock, bool bh)
{
	if (bh)
		spin_unlock_bh(lock);
	else
		spin_unlock(lock);
}

int rnic_spin_trylock_bh(spinlock_t *lock, bool *bh)
{
	*bh = !irqs_disabled();
	return *bh ? spin_trylock_bh(lock) : spin_trylock(lock);
}
