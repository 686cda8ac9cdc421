// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_verdict.bpf.c for frames in several buffers (a jumbo MTU): the
 * "xdp.frags" section tells the kernel the program takes them. It reads
 * and writes the Ethernet header only, which is in the first buffer.
 */
#define XDP_SECTION "xdp.frags"
#include "xdp_verdict.bpf.c"
