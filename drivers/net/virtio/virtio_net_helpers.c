// SPDX-License-Identifier: GPL-2.0
/* This module's copy of the virtio layer's C helpers. */
#include "../../../rust/helpers/virtio_helpers.c"
