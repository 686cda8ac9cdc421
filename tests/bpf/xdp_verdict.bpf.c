// SPDX-License-Identifier: GPL-2.0
/*
 * The XDP program of the suite's XDP tests: every frame gets the verdict
 * in slot 0 of the "config" map, stored plus one (bpftool sets it; 0, as
 * a new map holds, is XDP_PASS). For XDP_TX and XDP_REDIRECT it swaps the frame's Ethernet
 * addresses first, so that the frame goes back to its sender; a redirect
 * goes out of the interface whose index is in slot 1. Slot 0 of the
 * "seen" map counts the frames the program ran on.
 *
 * Built by scripts/build-modules.sh with the host's clang for the BPF
 * target; it needs the UAPI headers only.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>

#define SEC(name) __attribute__((section(name), used))
/* xdp_verdict_frags.bpf.c builds the same program for multi-buffer frames. */
#ifndef XDP_SECTION
#define XDP_SECTION "xdp"
#endif
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name

static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)BPF_FUNC_map_lookup_elem;
static long (*bpf_redirect)(__u32 ifindex, __u64 flags) = (void *)BPF_FUNC_redirect;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

SEC(XDP_SECTION)
int xdp_verdict(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 action = XDP_PASS, zero = 0, one = 1;
	__u32 *slot;
	__u64 *count;
	unsigned char tmp[ETH_ALEN];

	count = bpf_map_lookup_elem(&seen, &zero);
	if (count)
		__sync_fetch_and_add(count, 1);
	slot = bpf_map_lookup_elem(&config, &zero);
	if (slot && *slot)
		action = *slot - 1;
	if (action != XDP_TX && action != XDP_REDIRECT)
		return action;
	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	__builtin_memcpy(tmp, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, tmp, ETH_ALEN);
	if (action == XDP_TX)
		return XDP_TX;
	slot = bpf_map_lookup_elem(&config, &one);
	return bpf_redirect(slot ? *slot : 0, 0);
}

char _license[] SEC("license") = "GPL";
