// SPDX-License-Identifier: GPL-2.0
/*
 * Socket buffer helpers of our Rust layer: the static inline sk_buff API,
 * the transmit offload pair (it reads the offload fields of a frame in one
 * call and readies TSO headers the way the kernel's TSO drivers do) and
 * the streaming DMA mappings of a frame. Included by netdev_helpers.c, so
 * that each module still links one copy of the helpers.
 */
#include <linux/dma-mapping.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/ip6_checksum.h>

#include "netdev_helpers.h"

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

/*
 * A frame of the caller's own for a frame the core handed to
 * ndo_start_xmit: the frame itself if nobody else holds it, else a clone
 * (the original's reference dropped), or NULL, the frame freed and counted
 * as the device's core tx_dropped, if the clone could not be allocated.
 */
struct sk_buff *rnic_skb_unshare_for_xmit(struct sk_buff *skb, struct net_device *dev)
{
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		dev_core_stats_tx_dropped_inc(dev);
	return skb;
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

/* The VLAN tag control information to insert with @skb, or -1 if none. */
int rnic_skb_vlan_tag(const struct sk_buff *skb)
{
	return skb_vlan_tag_present(skb) ? skb_vlan_tag_get(skb) : -1;
}

/* Records an 802.1Q tag the device stripped from a received frame. */
void rnic_skb_put_vlan_ctag(struct sk_buff *skb, u16 tci)
{
	__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), tci);
}

/* Whether the sender asked for @skb to leave without a frame check
 * sequence (SO_NOFCS; a bit field, so no binding reads it).
 */
bool rnic_skb_no_fcs(const struct sk_buff *skb)
{
	return skb->no_fcs;
}
