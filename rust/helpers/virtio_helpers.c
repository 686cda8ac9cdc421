// SPDX-License-Identifier: GPL-2.0
/*
 * Out-of-line wrappers of the static inline virtio API for our Rust layer.
 * Each function forwards to the kernel's inline of the same name, or to the
 * transport operation the inline would call.
 */
#include <linux/bottom_half.h>
#include <linux/sched.h>
#include <linux/scatterlist.h>
#include <linux/skbuff.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/workqueue.h>

#include "virtio_helpers.h"

bool rnic_virtio_test_bit(const struct virtio_device *vdev, unsigned int fbit)
{
	return __virtio_test_bit(vdev, fbit);
}

bool rnic_virtio_has_feature(const struct virtio_device *vdev,
			     unsigned int fbit)
{
	return virtio_has_feature(vdev, fbit);
}

void rnic_virtio_clear_bit(struct virtio_device *vdev, unsigned int fbit)
{
	__virtio_clear_bit(vdev, fbit);
}

bool rnic_virtio_is_little_endian(struct virtio_device *vdev)
{
	return virtio_is_little_endian(vdev);
}

const char *rnic_virtio_bus_name(struct virtio_device *vdev)
{
	return virtio_bus_name(vdev);
}

u8 rnic_virtio_get_status(struct virtio_device *vdev)
{
	return vdev->config->get_status(vdev);
}

void rnic_virtio_device_ready(struct virtio_device *vdev)
{
	virtio_device_ready(vdev);
}

void rnic_virtio_synchronize_cbs(struct virtio_device *vdev)
{
	virtio_synchronize_cbs(vdev);
}

int rnic_virtio_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
			 struct virtqueue *vqs[],
			 struct virtqueue_info vqs_info[],
			 struct irq_affinity *desc)
{
	return virtio_find_vqs(vdev, nvqs, vqs, vqs_info, desc);
}

struct virtqueue *rnic_virtio_find_single_vq(struct virtio_device *vdev,
					     vq_callback_t *callback,
					     const char *name)
{
	return virtio_find_single_vq(vdev, callback, name);
}

void rnic_virtio_del_vqs(struct virtio_device *vdev)
{
	vdev->config->del_vqs(vdev);
}

void rnic_virtio_set_priv(struct virtio_device *vdev, void *priv)
{
	vdev->priv = priv;
}

void *rnic_virtio_get_priv(const struct virtio_device *vdev)
{
	return READ_ONCE(vdev->priv);
}

void rnic_virtio_sg_set_buf(struct scatterlist *sg, const void *buf,
			    unsigned int len)
{
	sg_set_buf(sg, buf, len);
}

unsigned char *rnic_virtio_skb_cb(struct sk_buff *skb)
{
	return (unsigned char *)skb->cb;
}

unsigned char *rnic_virtio_skb_tail(const struct sk_buff *skb)
{
	return skb_tail_pointer(skb);
}

/*
 * Writes @len bytes of @hdr into @skb's headroom, right in front of its
 * data (C virtio_net's can_push), if the headroom has them, the data is
 * aligned for the header's 16-bit fields and the head is not shared with
 * a clone. Returns whether it did.
 */
bool rnic_virtio_skb_push_hdr(struct sk_buff *skb, const void *hdr,
			      unsigned int len)
{
	if (skb_headroom(skb) < len || skb_header_cloned(skb) ||
	    !IS_ALIGNED((unsigned long)skb->data, 2))
		return false;
	memcpy(skb->data - len, hdr, len);
	return true;
}

/*
 * Maps the @hdr_len bytes in front of @skb's data (written by
 * rnic_virtio_skb_push_hdr) together with its linear part into @sg's first
 * entry, and its fragments into the entries after it: C virtio_net's
 * mapping of a pushed header, without moving @skb->data, which a shared
 * buffer's other holders see. Returns the entries used (the last marked)
 * or a negative error.
 */
int rnic_virtio_skb_to_sgvec_pushed(struct sk_buff *skb,
				    struct scatterlist *sg,
				    unsigned int hdr_len)
{
	unsigned int head = skb_headlen(skb);
	int n;

	sg_set_buf(sg, skb->data - hdr_len, hdr_len + head);
	if (skb->len == head) {
		sg_mark_end(sg);
		return 1;
	}
	n = skb_to_sgvec(skb, sg + 1, head, skb->len - head);
	return n < 0 ? n : n + 1;
}

bool rnic_virtio_skb_has_frag_list(const struct sk_buff *skb)
{
	return skb_has_frag_list(skb);
}

bool rnic_virtio_skb_shared(const struct sk_buff *skb)
{
	return skb_shared(skb);
}

void rnic_virtio_local_bh_disable(void)
{
	local_bh_disable();
}

void rnic_virtio_local_bh_enable(void)
{
	local_bh_enable();
}

/* Whether local_bh_enable() may run here (task context, interrupts on). */
bool rnic_virtio_bh_may_toggle(void)
{
	return in_task() && !irqs_disabled();
}

/* Whether the caller may sleep (take a mutex, wait for a handler). */
bool rnic_virtio_may_sleep(void)
{
#ifdef CONFIG_PREEMPT_COUNT
	return preemptible();
#else
	return !in_interrupt() && !irqs_disabled();
#endif
}

/*
 * virtqueue_resize() for a queue that no poll or callback of ours uses
 * meanwhile (see rust/virtio/resize.rs). It resets the queue, hands every
 * buffer the device had not used to @recycle, and allocates the new ring
 * with GFP_KERNEL, and the transport waits for the queue's interrupt
 * handler: it sleeps, so it is refused (-EPERM) in atomic context.
 */
int rnic_virtqueue_resize(struct virtqueue *vq, u32 num,
			  void (*recycle)(struct virtqueue *vq, void *buf))
{
	if (!rnic_virtio_may_sleep()) {
		dev_warn_once(&vq->vdev->dev, "virtqueue resized in atomic context, refused\n");
		return -EPERM;
	}
	return virtqueue_resize(vq, num, recycle, NULL);
}

/* The largest size the device takes for @vq. */
u32 rnic_virtqueue_num_max(const struct virtqueue *vq)
{
	return vq->num_max;
}

u8 rnic_virtio_cread8(struct virtio_device *vdev, unsigned int offset)
{
	return virtio_cread8(vdev, offset);
}

u16 rnic_virtio_cread16(struct virtio_device *vdev, unsigned int offset)
{
	return virtio_cread16(vdev, offset);
}

u32 rnic_virtio_cread32(struct virtio_device *vdev, unsigned int offset)
{
	return virtio_cread32(vdev, offset);
}

u64 rnic_virtio_cread64(struct virtio_device *vdev, unsigned int offset)
{
	return virtio_cread64(vdev, offset);
}

void rnic_virtio_cread_bytes(struct virtio_device *vdev, unsigned int offset,
			     void *buf, size_t len)
{
	virtio_cread_bytes(vdev, offset, buf, len);
}

u16 rnic_virtio16_to_cpu(struct virtio_device *vdev, __virtio16 val)
{
	return virtio16_to_cpu(vdev, val);
}

u32 rnic_virtio32_to_cpu(struct virtio_device *vdev, __virtio32 val)
{
	return virtio32_to_cpu(vdev, val);
}

u64 rnic_virtio64_to_cpu(struct virtio_device *vdev, __virtio64 val)
{
	return virtio64_to_cpu(vdev, val);
}

__virtio16 rnic_cpu_to_virtio16(struct virtio_device *vdev, u16 val)
{
	return cpu_to_virtio16(vdev, val);
}

__virtio32 rnic_cpu_to_virtio32(struct virtio_device *vdev, u32 val)
{
	return cpu_to_virtio32(vdev, val);
}

__virtio64 rnic_cpu_to_virtio64(struct virtio_device *vdev, u64 val)
{
	return cpu_to_virtio64(vdev, val);
}

void rnic_virtio_init_work(struct work_struct *work, work_func_t fn)
{
	INIT_WORK(work, fn);
}

bool rnic_virtio_schedule_work(struct work_struct *work)
{
	return schedule_work(work);
}

void rnic_virtio_cread_raw(struct virtio_device *vdev, unsigned int offset,
			   void *buf, size_t len)
{
	__virtio_cread_many(vdev, offset, buf, 1, len);
}

void rnic_virtio_cwrite8(struct virtio_device *vdev, unsigned int offset,
			 u8 val)
{
	virtio_cwrite8(vdev, offset, val);
}

/* Lets other tasks run while a control command waits for the device. */
void rnic_virtio_cond_resched(void)
{
	cond_resched();
}
