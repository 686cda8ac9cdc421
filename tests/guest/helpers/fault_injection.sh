# SPDX-License-Identifier: GPL-2.0
# The kernel's own allocation fault injection (failslab for kmalloc and
# kmem_cache_alloc, fail_page_alloc for alloc_pages, dma_alloc_coherent
# and vmalloc's pages), aimed at one driver by the stack-trace filter: an
# allocation may fail only if a return address on its call stack lies in
# the driver module's code. So it reaches what the driver allocates and
# what the stack allocates on its behalf in its poll (a reply built while
# a received frame is processed), and nothing else, for the in-tree C
# drivers as for ours. Sourced by test_fault_injection.sh and
# test_virtio_fault_injection.sh.

FAULT_ATTRS="/sys/kernel/debug/failslab /sys/kernel/debug/fail_page_alloc"
# Failures to allow per injection; what is left of it says how many
# happened (the kernel counts "times" down on each).
FAULT_TIMES=1000000

# module_text MODULE: the first address of MODULE's code and one past it,
# from its functions in /proc/kallsyms: the end is the page after the one
# the last function starts in, plus a page (a function's body follows its
# symbol).
module_text() {
	local first last
	read -r first last < <(awk -v m="[$1]" '$4 == m && ($2 == "t" || $2 == "T") { print $1 }' /proc/kallsyms |
		sort | sed -n '1h; $ { H; x; s/\n/ /; p }')
	[ -n "$last" ] || return 0
	printf '0x%s 0x%x\n' "$first" $(((16#$last & ~4095) + 8192))
}

# inject MODULE PERCENT: from now on, PERCENT % of the allocations made
# through MODULE's code fail, sleeping ones included; quietly (no stack
# dump per failure).
inject() {
	local range start end a
	range=$(module_text "$1")
	[ -n "$range" ] || fail "no code of module $1 in /proc/kallsyms"
	[[ "$range" != 0x0000000000000000* ]] || fail "/proc/kallsyms hides addresses (kernel.kptr_restrict)"
	read -r start end <<<"$range"
	for a in $FAULT_ATTRS; do
		[ -d "$a" ] || fail "no fault injection attribute $a (CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC)"
		[ -e "$a/require-start" ] || fail "no stack-trace filter in $a (CONFIG_FAULT_INJECTION_STACKTRACE_FILTER)"
		echo 0 >"$a/probability"
		echo "$start" >"$a/require-start"
		echo "$end" >"$a/require-end"
		echo 32 >"$a/stacktrace-depth"
		echo N >"$a/ignore-gfp-wait"
		echo N >"$a/task-filter"
		echo 0 >"$a/verbose"
		echo 0 >"$a/space"
		echo 1 >"$a/interval"
		echo "$FAULT_TIMES" >"$a/times"
	done
	[ ! -e /sys/kernel/debug/fail_page_alloc/min-order ] || echo 0 >/sys/kernel/debug/fail_page_alloc/min-order
	echo "rnic-suite: fault injection on $1" >/dev/kmsg
	for a in $FAULT_ATTRS; do
		echo "$2" >"$a/probability"
	done
}

# inject_stop: no more failures; prints how many allocations failed.
inject_stop() {
	local a left n=0
	for a in $FAULT_ATTRS; do
		echo 0 >"$a/probability"
		left=$(<"$a/times")
		n=$((n + FAULT_TIMES - left))
		echo 0 >"$a/times"
	done
	echo "rnic-suite: fault injection off" >/dev/kmsg
	echo "$n"
}

# no_skb_leak BEFORE CASE: the active socket buffers (skb_objects) are
# back near BEFORE once traffic stopped: a buffer lost on each failed
# allocation would leave hundreds more. Per-CPU caches hold a few dozen.
no_skb_leak() {
	local after
	after=$(skb_objects)
	fault_row "$DRV" "$2" "socket buffers $1 -> $after"
	((after - $1 < 128)) || fail "$2: socket buffers grew from $1 to $after"
}

# flood_with_failures PERCENT: a 1000-byte flood ping each way between
# nsa and nsb while PERCENT % of $DRV's allocations fail for 5 s; then no
# socket buffer may be lost (no_skb_leak) and more than ten allocations
# must have failed. Sets FAULTS to how many did.
flood_with_failures() {
	local skbs a b
	skbs=$(skb_objects)
	ip netns exec nsa ping -f -s 1000 "$ADDR_B" >/dev/null 2>&1 &
	a=$!
	ip netns exec nsb ping -f -s 1000 "$ADDR_A" >/dev/null 2>&1 &
	b=$!
	inject "$DRV" "$1"
	sleep 5
	FAULTS=$(inject_stop)
	kill "$a" "$b" 2>/dev/null
	wait "$a" "$b" 2>/dev/null
	sleep 1
	no_skb_leak "$skbs" "socket buffers after 5 s of failures"
	((FAULTS > 10)) || fail "only $FAULTS allocations failed by injection"
}

# fault_row DRIVER CASE RESULT: one row of Documentation/reliability.rst's
# allocation-failure table.
fault_row() {
	echo "# fault-injection $1 | $2 | $3"
}

# up_or_enomem NS IFACE CASE: brings IFACE up with every allocation of
# $DRV failing. Either the driver copes (its receive buffers come later,
# from a retry) or `ip` fails with ENOMEM and IFACE stays down; prints the
# row either way.
up_or_enomem() {
	local ns=$1 ifc=$2 out rc n
	inject "$DRV" 100
	out=$(ip -n "$ns" link set "$ifc" up 2>&1) && rc=0 || rc=$?
	n=$(inject_stop)
	fault_row "$DRV" "$3" "exit $rc: ${out:-(no message)} ($n failed)"
	if ((rc != 0)); then
		expect_match "$out" "Cannot allocate memory" "$3: the error"
		ip -n "$ns" link show "$ifc" | grep -q "state DOWN" || fail "$3: the interface is not down after a failed open"
		ip -n "$ns" link set "$ifc" up || fail "$3: up after injection"
	fi
}

# resize_or_enomem NS IFACE CASE ARGS...: `ethtool -G IFACE ARGS` with
# every allocation of $DRV failing. Refused with ENOMEM, the sizes must be
# the old ones; accepted, the new ones. Prints the row.
resize_or_enomem() {
	local ns=$1 ifc=$2 what=$3 out rc n before
	shift 3
	before=$(ip netns exec "$ns" ethtool -g "$ifc" | sed -n '/^Current/,$p')
	inject "$DRV" 100
	out=$(ip netns exec "$ns" ethtool -G "$ifc" "$@" 2>&1) && rc=0 || rc=$?
	n=$(inject_stop)
	fault_row "$DRV" "$what" "exit $rc: ${out:-(no message)} ($n failed)"
	if ((rc != 0)); then
		expect_match "$out" "Cannot allocate memory" "$what: the error"
		expect_eq "$(ip netns exec "$ns" ethtool -g "$ifc" | sed -n '/^Current/,$p')" "$before" \
			"$what: ring sizes after a refused resize"
	fi
}
