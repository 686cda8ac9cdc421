// SPDX-License-Identifier: GPL-2.0
/*
 * Page pool helpers of our Rust layer: creating and destroying a pool,
 * page fragments and their DMA addresses, and fragments added to frames.
 * Included by netdev_helpers.c, so that each module still links one copy.
 */
#include <linux/skbuff.h>
#include <linux/workqueue.h>
#include <net/page_pool/helpers.h>

#include "netdev_helpers.h"

/*
 * A pool of order-0 pages for receive buffers of up to @max_len bytes.
 * With @dma_dev the pool maps its pages for that device and syncs them
 * for it on recycling (PP_FLAG_DMA_MAP | PP_FLAG_DMA_SYNC_DEV), the whole
 * page: its fragments may lie anywhere in it, and the pool syncs from the
 * page's start. Without, the pages are plain memory (virtio without
 * ACCESS_PLATFORM: the transport maps what it is given).
 *
 * With @napi (attached to its device) the pool belongs to that instance,
 * as C drivers set pp.napi: pages freed in softirq on the CPU the instance
 * is scheduled on go straight back to the pool's lockless cache, and
 * netdev netlink lists the pool under the device with the instance's ID.
 * The caller then allocates only from that instance's poll and destroys
 * the pool with rnic_napi_page_pool_destroy() while the instance is
 * disabled.
 */
int rnic_page_pool_create(struct device *dma_dev, struct napi_struct *napi,
			  unsigned int pool_size, unsigned int max_len,
			  struct page_pool **out)
{
	struct page_pool_params pp = {
		.order = 0,
		.pool_size = pool_size,
		.nid = NUMA_NO_NODE,
		.dev = dma_dev,
		.dma_dir = DMA_FROM_DEVICE,
		.max_len = dma_dev ? PAGE_SIZE : max_len,
		.offset = 0,
		.flags = dma_dev ? PP_FLAG_DMA_MAP | PP_FLAG_DMA_SYNC_DEV : 0,
		.napi = napi,
		.netdev = napi ? napi->dev : NULL,
	};
	struct page_pool *pool;

	if (max_len == 0 || max_len > PAGE_SIZE)
		return -EINVAL;
	pool = page_pool_create(&pp);
	if (IS_ERR(pool))
		return PTR_ERR(pool);
	*out = pool;
	return 0;
}

/*
 * Destroys a pool created for a NAPI instance, which is disabled (so no
 * CPU is its list owner and page_pool_destroy() may clear pp.napi), then
 * waits until every softirq that may have read pp.napi before has ended:
 * after this no page return touches the instance, whose memory the
 * caller may free. Process context.
 */
void rnic_napi_page_pool_destroy(struct page_pool *pool)
{
	might_sleep();
	page_pool_destroy(pool);
	synchronize_net();
}

struct rnic_pool_destroy {
	struct work_struct work;
	struct page_pool *pool;
};

static void rnic_page_pool_destroy_work(struct work_struct *work)
{
	struct rnic_pool_destroy *d = container_of(work, struct rnic_pool_destroy, work);

	page_pool_destroy(d->pool);
	kfree(d);
}

/*
 * page_pool_destroy() may sleep (synchronize_net() before unmapping a
 * DMA-mapped pool's pages). From atomic context it runs from a work item;
 * if even that allocation fails, the pool is leaked rather than destroyed
 * where it cannot be.
 */
void rnic_page_pool_destroy(struct page_pool *pool)
{
	struct rnic_pool_destroy *d;

	if (preemptible()) {
		page_pool_destroy(pool);
		return;
	}
	d = kmalloc(sizeof(*d), GFP_ATOMIC);
	if (WARN_ONCE(!d, "rust-nic: page pool leaked, destroyed in atomic context\n"))
		return;
	d->pool = pool;
	INIT_WORK(&d->work, rnic_page_pool_destroy_work);
	schedule_work(&d->work);
}

struct page *rnic_page_pool_alloc_frag(struct page_pool *pool,
				       unsigned int *offset, unsigned int size)
{
	return page_pool_dev_alloc_frag(pool, offset, size);
}

void rnic_page_pool_put_page(struct page_pool *pool, struct page *page)
{
	page_pool_put_full_page(pool, page, false);
}

dma_addr_t rnic_page_pool_dma_addr(const struct page *page)
{
	return page_pool_get_dma_addr(page);
}

/* Only for a pool that maps its pages (PP_FLAG_DMA_MAP). */
void rnic_page_pool_sync_for_cpu(const struct page_pool *pool,
				 const struct page *page, u32 offset, u32 len)
{
	page_pool_dma_sync_for_cpu(pool, page, offset, len);
}

void *rnic_page_address(const struct page *page)
{
	return page_address(page);
}

/*
 * Adds @len bytes at @off of a pool page to @skb as its next fragment, the
 * fragment's reference moving to the frame, which returns it to its pool
 * when freed. Fails if the frame has no fragment slot left.
 */
int rnic_skb_add_pool_frag(struct sk_buff *skb, struct page *page,
			   unsigned int off, unsigned int len,
			   unsigned int truesize)
{
	int i = skb_shinfo(skb)->nr_frags;

	if (i >= MAX_SKB_FRAGS)
		return -EMSGSIZE;
	skb_add_rx_frag(skb, i, page, off, len, truesize);
	skb_mark_for_recycle(skb);
	return 0;
}

/*
 * A fragment of at least *@size bytes (C page_pool_dev_alloc): a whole
 * page for more than half a page, and a fragment grown to the end of its
 * page when no other fragment of that size would fit after it. *@size
 * becomes the size handed out.
 */
struct page *rnic_page_pool_alloc(struct page_pool *pool, unsigned int *offset,
				  unsigned int *size)
{
	return page_pool_dev_alloc(pool, offset, size);
}

/*
 * The pool page that holds @va (an address a pool fragment gave out), its
 * offset there and its pool.
 */
struct page *rnic_page_pool_frag_of(void *va, unsigned int *offset,
				    struct page_pool **pool)
{
	struct page *page = virt_to_head_page(va);

	*offset = va - page_address(page);
	*pool = netmem_get_pp(page_to_netmem(page));
	return page;
}

/* Whether @skb is the only holder of its data and of its own header. */
static bool rnic_skb_exclusive(const struct sk_buff *skb)
{
	return !skb_cloned(skb) && !skb_shared(skb);
}

/*
 * Appends @len bytes at @off of a pool page (truesize @truesize) to the
 * frame @head: to the last fragment of the last frame in its chain if the
 * bytes follow it in the same page, else as a new fragment of that frame,
 * or of a new empty frame chained to @head's fragment list once the last
 * one has no fragment slot left. @head's lengths and truesize count what
 * the chain takes. Returns 0 if the frame took the fragment's reference,
 * 1 if the bytes joined a fragment the frame holds already (the caller
 * still owns its reference and returns it), a negative error (nothing
 * changed) if a frame of the chain is cloned or shared, or a chained
 * frame cannot be allocated.
 */
int rnic_skb_append_pool_frag(struct sk_buff *head, struct page *page,
			      unsigned int off, unsigned int len,
			      unsigned int truesize)
{
	struct sk_buff *last = head, *extra;
	int nr, ret = 0;

	if (!rnic_skb_exclusive(head))
		return -EINVAL;
	for (extra = skb_shinfo(head)->frag_list; extra; extra = extra->next) {
		if (!rnic_skb_exclusive(extra))
			return -EINVAL;
		last = extra;
	}
	nr = skb_shinfo(last)->nr_frags;
	if (nr && skb_can_coalesce(last, nr, page, off)) {
		skb_coalesce_rx_frag(last, nr - 1, len, truesize);
		ret = 1;
	} else {
		if (nr >= MAX_SKB_FRAGS) {
			extra = alloc_skb(0, GFP_ATOMIC);
			if (!extra)
				return -ENOMEM;
			skb_mark_for_recycle(extra);
			if (last == head)
				skb_shinfo(head)->frag_list = extra;
			else
				last->next = extra;
			head->truesize += extra->truesize;
			last = extra;
			nr = 0;
		}
		skb_add_rx_frag(last, nr, page, off, len, truesize);
	}
	skb_mark_for_recycle(last);
	if (last != head) {
		head->len += len;
		head->data_len += len;
		head->truesize += truesize;
	}
	return ret;
}
