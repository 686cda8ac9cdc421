/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C API our netdev and virtio layers bind to: the input of
 * scripts/gen-bindings.py. Only what rust/bindings/allowlist names (and the
 * types it reaches) ends up in the generated bindings.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <net/netdev_queues.h>
#include <net/page_pool/helpers.h>
#include <uapi/linux/virtio_ids.h>
#include <uapi/linux/virtio_net.h>

#include "helpers/netdev_helpers.h"
#include "helpers/virtio_helpers.h"
