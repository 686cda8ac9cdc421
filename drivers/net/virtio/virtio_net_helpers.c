// SPDX-License-Identifier: GPL-2.0
/* This module's copy of the virtio and netdev layers' C helpers. */
#include "../../../rust/helpers/netdev_helpers.c"
#include "../../../rust/helpers/virtio_helpers.c"
