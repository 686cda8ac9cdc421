# SPDX-License-Identifier: GPL-2.0
# The guest kernel's side of a count run (guest-counts.sh), through
# tracefs: kprobe events on the socket buffer allocators,
# napi_consume_skb and TCP's sending (__tcp_transmit_skb: one per TCP
# frame however many segments it carries; tcp_wfree: a sent frame
# released; tcp_tsq_write: TCP sending again from a completion after its
# small-queue limit held it back), the skb tracepoints (consume_skb,
# kfree_skb), all devices, and the DMA API tracepoints of the DUT only.
# The peer's and the stack's allocations and frees are the same whichever
# driver the DUT has, so differences are the DUT driver's. (bpftrace
# cannot attach kprobes on this kernel: PERF_EVENT_IOC_SET_BPF fails.)
# Every event is recorded in the trace buffer and counted from it
# afterwards; a run whose buffer overflowed says so. Sourced; needs
# tests/guest/lib.sh.

TRACEFS=/sys/kernel/tracing
KPROBE_GROUP=rnic_count
KPROBED_FUNCTIONS=(__alloc_skb napi_alloc_skb __netdev_alloc_skb napi_build_skb build_skb
	__napi_alloc_frag_align __netdev_alloc_frag_align page_pool_alloc_frag napi_consume_skb
	__tcp_transmit_skb tcp_wfree tcp_tsq_write)
SKB_EVENTS=(skb/consume_skb skb/kfree_skb)
DMA_EVENTS=(dma/dma_map_phys dma/dma_unmap_phys dma/dma_sync_single_for_cpu
	dma/dma_sync_single_for_device)

# kernel_counts_setup: defines the kprobe events (once per boot) and
# sizes the trace buffer.
kernel_counts_setup() {
	local f
	echo 0 >"$TRACEFS/tracing_on"
	echo nop >"$TRACEFS/current_tracer"
	echo 16384 >"$TRACEFS/buffer_size_kb"
	for f in "${KPROBED_FUNCTIONS[@]}"; do
		if grep -q " $f\$" /proc/kallsyms; then
			echo "p:$KPROBE_GROUP/$f $f" >>"$TRACEFS/kprobe_events"
		else
			echo "# no $f in this kernel: not counted"
		fi
	done
}

# kernel_counts_start DUT_PCI: enables the events, the DMA ones for the
# device at PCI address DUT_PCI only, on an empty buffer.
kernel_counts_start() {
	local e
	echo 0 >"$TRACEFS/tracing_on"
	for e in "${DMA_EVENTS[@]}"; do
		echo "device == \"$1\"" >"$TRACEFS/events/$e/filter"
	done
	for e in "$KPROBE_GROUP" "${SKB_EVENTS[@]}" "${DMA_EVENTS[@]}"; do
		echo 1 >"$TRACEFS/events/$e/enable"
	done
	echo >"$TRACEFS/trace"
	echo 1 >"$TRACEFS/tracing_on"
}

# kernel_counts_stop: disables the events and prints "guest:EVENT COUNT"
# for each event recorded, and "guest:lost_events N" if the buffer
# overflowed.
kernel_counts_stop() {
	local e lost
	echo 0 >"$TRACEFS/tracing_on"
	for e in "$KPROBE_GROUP" "${SKB_EVENTS[@]}" "${DMA_EVENTS[@]}"; do
		echo 0 >"$TRACEFS/events/$e/enable"
	done
	lost=$(cat "$TRACEFS"/per_cpu/cpu*/stats | awk '$1 == "overrun:" || $1 == "dropped" { s += $NF } END { print s + 0 }')
	((lost == 0)) || echo "guest:lost_events $lost"
	awk '!/^#/ { for (i = 1; i < NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { n[$(i + 1)]++; break } }
		END { for (e in n) { name = e; sub(/:$/, "", name); print "guest:" name, n[e] } }' "$TRACEFS/trace"
}
