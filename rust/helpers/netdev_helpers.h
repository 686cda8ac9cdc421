/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Out-of-line wrappers of the static inline functions and macros of the
 * netdev API, for Rust. Each module links its own copy of
 * netdev_helpers.c (see the module's *_helpers.c).
 */
#ifndef RNIC_NETDEV_HELPERS_H
#define RNIC_NETDEV_HELPERS_H

#include <linux/interrupt.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

void *rnic_netdev_priv(const struct net_device *dev);
void rnic_set_netdev_dev(struct net_device *dev, struct device *parent);
void rnic_eth_hw_addr_set(struct net_device *dev, const u8 *addr);
void rnic_eth_hw_addr_random(struct net_device *dev);
bool rnic_netif_carrier_ok(const struct net_device *dev);
bool rnic_netif_running(const struct net_device *dev);
void rnic_dev_hold(struct net_device *dev);
void rnic_dev_put(struct net_device *dev);

void rnic_netif_start_queue(struct net_device *dev);
void rnic_netif_stop_queue(struct net_device *dev);
void rnic_netif_wake_queue(struct net_device *dev);
bool rnic_netif_queue_stopped(const struct net_device *dev);
bool rnic_netdev_xmit_more(void);
bool rnic_netif_xmit_stopped(struct net_device *dev);
unsigned int rnic_netif_tx_idle_usecs(struct net_device *dev, unsigned int index);
bool rnic_netdev_is_registered(const struct net_device *dev);
bool rnic_netdev_work_sched(struct net_device *dev, unsigned long events);
void rnic_netdev_sent_queue(struct net_device *dev, unsigned int bytes);
void rnic_netdev_completed_queue(struct net_device *dev, unsigned int pkts,
				 unsigned int bytes);
void rnic_netdev_reset_queue(struct net_device *dev);

void rnic_netif_napi_add(struct net_device *dev, struct napi_struct *napi,
			 int (*poll)(struct napi_struct *, int));
void rnic_netif_napi_add_tx(struct net_device *dev, struct napi_struct *napi,
			    int (*poll)(struct napi_struct *, int));
void rnic_netif_napi_del(struct napi_struct *napi);
bool rnic_napi_may_sleep(struct napi_struct *napi);
int rnic_request_intx(struct net_device *dev, struct device *parent,
		      irq_handler_t handler);
bool rnic_free_intx(struct net_device *dev, unsigned int irq);
bool rnic_napi_schedule(struct napi_struct *napi);
void rnic_netif_napi_set_irq(struct napi_struct *napi, int irq);
gro_result_t rnic_napi_gro_receive(struct napi_struct *napi,
				   struct sk_buff *skb);

struct sk_buff *rnic_netdev_alloc_skb_ip_align(struct net_device *dev,
					       unsigned int length);
unsigned int rnic_skb_headlen(const struct sk_buff *skb);
int rnic_skb_tailroom(const struct sk_buff *skb);
int rnic_skb_put_padto(struct sk_buff *skb, unsigned int len);
void rnic_dev_consume_skb_any(struct sk_buff *skb);
void rnic_skb_queue_head_init(struct sk_buff_head *list);
u32 rnic_skb_queue_len(const struct sk_buff_head *list);
unsigned char *rnic_skb_data(const struct sk_buff *skb);
bool rnic_skb_cloned(const struct sk_buff *skb);
struct sk_buff *rnic_skb_unshare_for_xmit(struct sk_buff *skb, struct net_device *dev);
u8 rnic_skb_pkt_type(const struct sk_buff *skb);
u8 rnic_eth_type_trans(struct sk_buff *skb, struct net_device *dev);

/* What a frame to transmit asks of the device (see rust/netdev/offload.rs). */
enum rnic_tx_offload_kind {
	RNIC_TX_OFFLOAD_NONE,
	RNIC_TX_OFFLOAD_CSUM,
	RNIC_TX_OFFLOAD_TSO4,
	RNIC_TX_OFFLOAD_TSO6,
	RNIC_TX_OFFLOAD_OTHER_GSO,
};

struct rnic_tx_offload {
	u32 kind;
	u32 csum_start;
	u32 csum_offset;
	u32 network_offset;
	u32 transport_offset;
	u32 headers_len;
	u16 gso_size;
	u16 gso_segs;
	u16 l3_proto;
	u8 l4_proto;
};

void rnic_skb_tx_offload(const struct sk_buff *skb, struct rnic_tx_offload *out);
int rnic_skb_tso_prepare(struct sk_buff *skb);
void rnic_skb_checksum_unnecessary(struct sk_buff *skb);
bool rnic_skb_is_gso(const struct sk_buff *skb);
void rnic_skb_tx_timestamp(struct sk_buff *skb);
int rnic_skb_vlan_tag(const struct sk_buff *skb);
void rnic_skb_put_vlan_ctag(struct sk_buff *skb, u16 tci);
bool rnic_skb_no_fcs(const struct sk_buff *skb);

/* Most pieces a frame has: its linear part and each page fragment. */
enum { RNIC_SKB_MAX_SEGMENTS = MAX_SKB_FRAGS + 1 };

unsigned int rnic_skb_nr_frags(const struct sk_buff *skb);
int rnic_skb_map_head(struct device *dev, struct sk_buff *skb,
		      dma_addr_t *addr);
int rnic_skb_map_frag(struct device *dev, struct sk_buff *skb, unsigned int i,
		      dma_addr_t *addr, u32 *len);
void rnic_dma_unmap_single_to_device(struct device *dev, dma_addr_t addr,
				     u32 len);
void rnic_dma_unmap_page_to_device(struct device *dev, dma_addr_t addr,
				   u32 len);

void rnic_init_delayed_work(struct delayed_work *dwork, work_func_t fn);
bool rnic_mod_delayed_work(struct delayed_work *dwork, unsigned long delay);

bool rnic_spin_lock_bh(spinlock_t *lock);
void rnic_spin_unlock_bh(spinlock_t *lock, bool bh);
int rnic_spin_trylock_bh(spinlock_t *lock, bool *bh);

int rnic_netif_tx_lock(struct net_device *dev, unsigned int index, bool wait);
void rnic_netif_tx_unlock(struct net_device *dev, unsigned int index, int mode);
bool rnic_netif_tx_held_here(struct net_device *dev, unsigned int index);
u16 rnic_skb_get_queue_mapping(const struct sk_buff *skb);

bool rnic_device_can_wakeup(struct device *dev);
int rnic_device_set_wakeup_enable(struct device *dev, bool enable);

struct page_pool;
int rnic_page_pool_create(struct device *dma_dev, struct napi_struct *napi,
			  unsigned int pool_size, unsigned int max_len,
			  struct page_pool **out);
void rnic_page_pool_destroy(struct page_pool *pool);
void rnic_napi_page_pool_destroy(struct page_pool *pool);
struct page *rnic_page_pool_alloc_frag(struct page_pool *pool,
				       unsigned int *offset, unsigned int size);
void rnic_page_pool_put_page(struct page_pool *pool, struct page *page);
dma_addr_t rnic_page_pool_dma_addr(const struct page *page);
void rnic_page_pool_sync_for_cpu(const struct page_pool *pool,
				 const struct page *page, u32 offset, u32 len);
void *rnic_page_address(const struct page *page);
int rnic_skb_add_pool_frag(struct sk_buff *skb, struct page *page,
			   unsigned int off, unsigned int len,
			   unsigned int truesize);
struct page *rnic_page_pool_alloc(struct page_pool *pool, unsigned int *offset,
				  unsigned int *size);
struct page *rnic_page_pool_frag_of(void *va, unsigned int *offset,
				    struct page_pool **pool);
int rnic_skb_append_pool_frag(struct sk_buff *head, struct page *page,
			      unsigned int off, unsigned int len,
			      unsigned int truesize);

/* Native XDP (xdp_helpers.c). */
struct bpf_prog;
struct netdev_bpf;
struct netlink_ext_ack;
struct xdp_frame;
struct xdp_rxq_info;
struct xdp_rxq_info *rnic_xdp_rxq_register(struct net_device *dev, u32 queue,
					   struct napi_struct *napi,
					   struct page_pool *pool);
void rnic_xdp_rxq_unregister(struct xdp_rxq_info *rxq);
void rnic_xdp_flush(void);
int rnic_xdp_run_pages(struct bpf_prog *prog, struct xdp_rxq_info *rxq,
		       struct page_pool *pool, struct page *head, u32 head_len,
		       struct page **frags, u32 nr_frags, u32 last_len,
		       struct sk_buff **skb);
bool rnic_bpf_prog_has_frags(const struct bpf_prog *prog);
struct sk_buff *rnic_xdp_frame_to_skb(struct xdp_frame *xdpf, struct net_device *dev);
struct xdp_frame *rnic_xdp_frame_at(struct xdp_frame **frames, int i);
bool rnic_netdev_bpf_setup_prog(struct netdev_bpf *bpf, struct bpf_prog **prog,
				struct netlink_ext_ack **extack);
void rnic_xdp_set_features(struct net_device *dev);
u32 rnic_xdp_max_frame(void);
bool rnic_xdp_xmit_skb(struct sk_buff *skb, struct net_device *dev);
void rnic_extack_set_msg(struct netlink_ext_ack *extack, const char *msg);

#endif /* RNIC_NETDEV_HELPERS_H */
