/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Out-of-line wrappers of the static inline functions and macros of the
 * virtio API, for the Rust virtio layer (rust/virtio). A module that uses
 * the layer links its own copy of virtio_helpers.c (see the module's
 * *_helpers.c), beside netdev_helpers.c.
 */
#ifndef RNIC_VIRTIO_HELPERS_H
#define RNIC_VIRTIO_HELPERS_H

#include <linux/scatterlist.h>
#include <linux/skbuff.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/workqueue.h>
#include <uapi/linux/virtio_net.h>

/* Feature bits a device can have: bindgen cannot evaluate the macro. */
enum {
	RNIC_VIRTIO_FEATURES_BITS = VIRTIO_FEATURES_BITS,
	RNIC_VIRTIO_TRANSPORT_F_START = VIRTIO_TRANSPORT_F_START,
	RNIC_VIRTIO_TRANSPORT_F_END = VIRTIO_TRANSPORT_F_END,
};

/*
 * Sizes for virtqueue buffers: scatterlist entries a buffer may take (a
 * header, a frame's linear part and each page fragment), the control block
 * of a socket buffer, and virtio-net's headers (legacy and VERSION_1).
 */
enum {
	RNIC_VIRTIO_SG_MAX = MAX_SKB_FRAGS + 2,
	RNIC_VIRTIO_SKB_CB_LEN = sizeof_field(struct sk_buff, cb),
	RNIC_VIRTIO_NET_HDR_LEN = sizeof(struct virtio_net_hdr),
	RNIC_VIRTIO_NET_HDR_MRG_LEN = sizeof(struct virtio_net_hdr_mrg_rxbuf),
};

/* Feature bits. */
bool rnic_virtio_test_bit(const struct virtio_device *vdev, unsigned int fbit);
bool rnic_virtio_has_feature(const struct virtio_device *vdev,
			     unsigned int fbit);
void rnic_virtio_clear_bit(struct virtio_device *vdev, unsigned int fbit);
bool rnic_virtio_is_little_endian(struct virtio_device *vdev);

/* The name of the bus device the transport sits on (C virtio_bus_name). */
const char *rnic_virtio_bus_name(struct virtio_device *vdev);

/* Status and life cycle. */
u8 rnic_virtio_get_status(struct virtio_device *vdev);
void rnic_virtio_device_ready(struct virtio_device *vdev);
void rnic_virtio_synchronize_cbs(struct virtio_device *vdev);

/* Virtqueues. */
int rnic_virtio_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
			 struct virtqueue *vqs[],
			 struct virtqueue_info vqs_info[],
			 struct irq_affinity *desc);
struct virtqueue *rnic_virtio_find_single_vq(struct virtio_device *vdev,
					     vq_callback_t *callback,
					     const char *name);
void rnic_virtio_del_vqs(struct virtio_device *vdev);
void rnic_virtio_set_priv(struct virtio_device *vdev, void *priv);
void *rnic_virtio_get_priv(const struct virtio_device *vdev);

/* Buffers: scatterlists and the socket buffer fields they use. */
void rnic_virtio_sg_set_buf(struct scatterlist *sg, const void *buf,
			    unsigned int len);
unsigned char *rnic_virtio_skb_cb(struct sk_buff *skb);
unsigned char *rnic_virtio_skb_tail(const struct sk_buff *skb);
bool rnic_virtio_skb_push_hdr(struct sk_buff *skb, const void *hdr,
			      unsigned int len);
int rnic_virtio_skb_to_sgvec_pushed(struct sk_buff *skb,
				    struct scatterlist *sg,
				    unsigned int hdr_len);
bool rnic_virtio_skb_has_frag_list(const struct sk_buff *skb);
bool rnic_virtio_skb_shared(const struct sk_buff *skb);

/* Scheduling a NAPI poll from process context runs it on bh enable. */
void rnic_virtio_local_bh_disable(void);
void rnic_virtio_local_bh_enable(void);
bool rnic_virtio_bh_may_toggle(void);
int rnic_virtqueue_resize(struct virtqueue *vq, u32 num,
			  void (*recycle)(struct virtqueue *vq, void *buf));
u32 rnic_virtqueue_num_max(const struct virtqueue *vq);
bool rnic_virtio_may_sleep(void);

/* Configuration space, in the device's byte order. */
u8 rnic_virtio_cread8(struct virtio_device *vdev, unsigned int offset);
u16 rnic_virtio_cread16(struct virtio_device *vdev, unsigned int offset);
u32 rnic_virtio_cread32(struct virtio_device *vdev, unsigned int offset);
u64 rnic_virtio_cread64(struct virtio_device *vdev, unsigned int offset);
void rnic_virtio_cread_bytes(struct virtio_device *vdev, unsigned int offset,
			     void *buf, size_t len);
/* One field of 1, 2, 4 or 8 bytes as the device stores it, unconverted. */
void rnic_virtio_cread_raw(struct virtio_device *vdev, unsigned int offset,
			   void *buf, size_t len);

/* A legacy device's writable configuration byte (its MAC address). */
void rnic_virtio_cwrite8(struct virtio_device *vdev, unsigned int offset,
			 u8 val);

/* The control queue's wait for the device's answer. */
void rnic_virtio_cond_resched(void);

/* Values in the device's byte order (ring and header fields). */
u16 rnic_virtio16_to_cpu(struct virtio_device *vdev, __virtio16 val);
u32 rnic_virtio32_to_cpu(struct virtio_device *vdev, __virtio32 val);
u64 rnic_virtio64_to_cpu(struct virtio_device *vdev, __virtio64 val);
__virtio16 rnic_cpu_to_virtio16(struct virtio_device *vdev, u16 val);
__virtio32 rnic_cpu_to_virtio32(struct virtio_device *vdev, u32 val);
__virtio64 rnic_cpu_to_virtio64(struct virtio_device *vdev, u64 val);

/* The work item that runs a driver's config_changed in process context. */
void rnic_virtio_init_work(struct work_struct *work, work_func_t fn);
bool rnic_virtio_schedule_work(struct work_struct *work);

#endif /* RNIC_VIRTIO_HELPERS_H */
