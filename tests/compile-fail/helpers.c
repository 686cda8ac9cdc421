// SPDX-License-Identifier: GPL-2.0
/* The compile-fail module's copy of the netdev layer's C helpers. */
#include "../../rust/helpers/netdev_helpers.c"
/* And the virtio layer's, for the virtio cases. */
#include "../../rust/helpers/virtio_helpers.c"
