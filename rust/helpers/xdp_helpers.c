// SPDX-License-Identifier: GPL-2.0
/*
 * Native XDP for the Rust netdev layer (rust/netdev/xdp/): the receive
 * queue's registration, a program run on a page-pool page with each
 * verdict carried out, and frames for transmission built from XDP frames.
 * Included from netdev_helpers.c.
 */
#include <linux/bpf.h>
#include <linux/filter.h>
#include <net/xdp.h>
#include <trace/events/xdp.h>

/*
 * Registers receive queue @queue of @dev, served by @napi, whose pages
 * come from @pool: the queue XDP programs see (their xdp_md ingress
 * index) and the memory model a redirected frame goes back to. Returns it,
 * or NULL.
 */
struct xdp_rxq_info *rnic_xdp_rxq_register(struct net_device *dev, u32 queue,
					   struct napi_struct *napi,
					   struct page_pool *pool)
{
	struct xdp_rxq_info *rxq = kzalloc(sizeof(*rxq), GFP_KERNEL);

	if (!rxq)
		return NULL;
	/* Fragments are whole pages: a program may grow the last one to
	 * the end of its page.
	 */
	if (__xdp_rxq_info_reg(rxq, dev, queue, napi->napi_id, PAGE_SIZE))
		goto err_free;
	if (xdp_rxq_info_reg_mem_model(rxq, MEM_TYPE_PAGE_POOL, pool))
		goto err_unreg;
	return rxq;
err_unreg:
	xdp_rxq_info_unreg(rxq);
err_free:
	kfree(rxq);
	return NULL;
}

/* Sends the frames this CPU's polls redirected (xdp_do_flush). */
void rnic_xdp_flush(void)
{
	xdp_do_flush();
}

/* Undoes rnic_xdp_rxq_register, once no poll can use @rxq any more. */
void rnic_xdp_rxq_unregister(struct xdp_rxq_info *rxq)
{
	xdp_rxq_info_unreg(rxq);
	kfree(rxq);
}

/* The most bytes a frame may have to fit one page with XDP's headroom and
 * the room a frame built around the page needs at its end.
 */
u32 rnic_xdp_max_frame(void)
{
	return PAGE_SIZE - XDP_PACKET_HEADROOM -
	       SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
}

/*
 * Sends @skb on transmit queue 0 of @dev the way netpoll does: under the
 * queue's xmit lock, with bottom halves off, through ndo_start_xmit with
 * no more frames to come (the device is told at once). Returns false, the
 * frame freed, if the driver stopped the queue (its ring is full) or this
 * CPU holds the lock already.
 */
bool rnic_xdp_xmit_skb(struct sk_buff *skb, struct net_device *dev)
{
	struct netdev_queue *txq = netdev_get_tx_queue(dev, 0);
	netdev_tx_t rc = NETDEV_TX_BUSY;

	local_bh_disable();
	if (READ_ONCE(txq->xmit_lock_owner) != smp_processor_id()) {
		__netif_tx_lock(txq, smp_processor_id());
		/* The driver's own stop only: byte queue limits hold back
		 * the stack, and these frames come from the device itself.
		 */
		if (!netif_xmit_frozen_or_drv_stopped(txq)) {
			skb_set_queue_mapping(skb, 0);
			rc = netdev_start_xmit(skb, dev, txq, false);
		}
		__netif_tx_unlock(txq);
	}
	local_bh_enable();
	if (!dev_xmit_complete(rc)) {
		dev_kfree_skb_any(skb);
		return false;
	}
	return true;
}

/*
 * Runs @prog on a frame received on @rxq, in the poll of the NAPI instance
 * whose page pool @pool the pages come from: @head_len bytes after
 * XDP_PACKET_HEADROOM in @head, then (a multi-buffer frame, for a program
 * that takes one) @nr_frags more pages, full but the last (@last_len
 * bytes). The caller hands over each page's pool reference. Returns the
 * verdict, carried out:
 * - XDP_PASS, XDP_TX: *skb is a frame holding the pages, for the stack or
 *   to send back; -ENOMEM if there was no memory for it (the pages went
 *   back to the pool);
 * - XDP_REDIRECT: the redirect target owns the pages (xdp_do_flush at the
 *   end of the poll sends the frame); -EIO if the redirect failed;
 * - XDP_DROP, XDP_ABORTED, any other value (traced as an exception): the
 *   pages went back to the pool.
 */
int rnic_xdp_run_pages(struct bpf_prog *prog, struct xdp_rxq_info *rxq,
		       struct page_pool *pool, struct page *head, u32 head_len,
		       struct page **frags, u32 nr_frags, u32 last_len,
		       struct sk_buff **skb)
{
	struct xdp_buff xdp;
	u32 act, i;

	*skb = NULL;
	xdp_init_buff(&xdp, PAGE_SIZE, rxq);
	xdp_prepare_buff(&xdp, page_address(head), XDP_PACKET_HEADROOM, head_len, true);
	for (i = 0; i < nr_frags; i++) {
		u32 len = i + 1 == nr_frags ? last_len : PAGE_SIZE;

		if (!xdp_buff_add_frag(&xdp, page_to_netmem(frags[i]), 0, len, PAGE_SIZE)) {
			/* No slot: this page and the rest go back, and the frame. */
			for (; i < nr_frags; i++)
				page_pool_put_full_page(pool, frags[i], true);
			xdp_return_buff(&xdp);
			return XDP_DROP;
		}
	}
	act = bpf_prog_run_xdp(prog, &xdp);
	switch (act) {
	case XDP_PASS:
	case XDP_TX:
		*skb = xdp_build_skb_from_buff(&xdp);
		if (*skb) {
			/* Built for the stack (eth_type_trans pulled the
			 * Ethernet header): put it back, for the driver's own
			 * receive path or for transmission.
			 */
			skb_push(*skb, ETH_HLEN);
			return act;
		}
		xdp_return_buff(&xdp);
		return -ENOMEM;
	case XDP_REDIRECT:
		if (!xdp_do_redirect(rxq->dev, &xdp, prog))
			return act;
		xdp_return_buff(&xdp);
		return -EIO;
	default:
		bpf_warn_invalid_xdp_action(rxq->dev, prog, act);
		fallthrough;
	case XDP_ABORTED:
		trace_xdp_exception(rxq->dev, prog, act);
		fallthrough;
	case XDP_DROP:
		xdp_return_buff(&xdp);
		return act;
	}
}

/* Whether @prog takes multi-buffer frames (its section is xdp.frags). */
bool rnic_bpf_prog_has_frags(const struct bpf_prog *prog)
{
	return prog->aux->xdp_has_frags;
}

/*
 * A frame to transmit on @dev built from XDP frame @xdpf (ndo_xdp_xmit),
 * which it takes over; NULL, the XDP frame untouched, if there was no
 * memory.
 */
struct sk_buff *rnic_xdp_frame_to_skb(struct xdp_frame *xdpf, struct net_device *dev)
{
	struct sk_buff *skb = xdp_build_skb_from_frame(xdpf, dev);

	if (!skb)
		return NULL;
	/* Built for the stack: put the Ethernet header back. */
	skb_push(skb, ETH_HLEN);
	return skb;
}

/* The frame @frames[@i] of an ndo_xdp_xmit call. */
struct xdp_frame *rnic_xdp_frame_at(struct xdp_frame **frames, int i)
{
	return frames[i];
}

/*
 * Whether @bpf (ndo_bpf) asks to install a program (XDP_SETUP_PROG, in
 * native mode): then *prog is the program or NULL, and *extack where to
 * report an error.
 */
bool rnic_netdev_bpf_setup_prog(struct netdev_bpf *bpf, struct bpf_prog **prog,
				struct netlink_ext_ack **extack)
{
	if (bpf->command != XDP_SETUP_PROG)
		return false;
	*prog = bpf->prog;
	*extack = bpf->extack;
	return true;
}

/* Declares what native XDP the device does: the basic verdicts,
 * redirect, and ndo_xdp_xmit.
 */
void rnic_xdp_set_features(struct net_device *dev)
{
	dev->xdp_features = NETDEV_XDP_ACT_BASIC | NETDEV_XDP_ACT_REDIRECT |
			    NETDEV_XDP_ACT_NDO_XMIT;
}

/* Reports @msg, a string that outlives the request, through @extack. */
void rnic_extack_set_msg(struct netlink_ext_ack *extack, const char *msg)
{
	if (extack)
		extack->_msg = msg;
}
