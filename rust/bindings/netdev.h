/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C API our netdev layer binds to: the input of scripts/gen-bindings.py.
 * Only what rust/bindings/allowlist names (and the types it reaches) ends
 * up in the generated bindings.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <net/netdev_queues.h>

#include "helpers/netdev_helpers.h"
