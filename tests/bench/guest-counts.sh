#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The benchmark's count runs, in the guest: the same set-up as the timed
# runs (guest-common.sh), but each run does a fixed amount of work and
# counts what it cost instead of timing it. For each run the host's agent
# switches QEMU's trace events on and off around the work ("trace on",
# "trace off") and replies with the register accesses, virtio kicks and
# notifications QEMU logged; in the guest, tracefs counts socket buffer
# allocations and frees and the DUT's DMA mappings
# (guest-kernel-counts.sh), and /proc/interrupts and the interface
# counters give interrupts and packets. One line per
# count:
#
#   COUNT <driver> <round> <workload> <what> <count>
#
# The drivers given say which NIC is the DUT (guest-common.sh).
# <what> is "packets" (the DUT's received plus sent), "work" (frames,
# transactions or bytes asked for), "irqs" (the DUT's interrupts, all its
# vectors), "bar0" (the physical address of the DUT's BAR 0),
# "guest:<probe>" or "qemu:<kind>:<region>:<offset or queue>".
#
# Usage: guest-counts.sh RNIC_OUT TCP_RR_BINARY ROUNDS DRIVER...
# BENCH_ONLY="NAME..." runs only those workloads (tcp_rx, tcp_tx, udp64_rx,
# udp64_tx, tcp_rr). COUNT_FRAMES, COUNT_TRANSACTIONS and COUNT_BYTES set
# the amounts (default 20000 frames, 2000 transactions, 8M bytes).

export RNIC_OUT=$1
rr=$2 rounds=$3
shift 3
cd /project/tests/guest || exit 1
source ./lib.sh
source /project/tests/bench/guest-common.sh
source /project/tests/bench/guest-kernel-counts.sh

frames=${COUNT_FRAMES:-20000}
transactions=${COUNT_TRANSACTIONS:-2000}
bytes=${COUNT_BYTES:-8M}

count() {
	echo "COUNT $drv $round $workload $1 $2"
}

# The work of each workload: a fixed amount, silent (the guest's output
# goes to the host over virtio, which the count would see).
work_tcp() { # SERVER_NS CLIENT_NS SERVER_ADDR
	ip netns exec "$1" iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
	local server=$!
	wait_until 5 listening "$1" 5201
	ip netns exec "$2" iperf3 -c "$3" -p 5201 -n "$bytes" >/dev/null
	wait "$server"
}
work_pktgen() { # NS IFACE DST_ADDR DST_MAC
	pktgen_ready "$@" "$frames"
	ip netns exec "$1" sh -c "echo start >/proc/net/pktgen/pgctrl"
	# "start" waits for the sending thread only if it is running 125 ms
	# later, which a slow guest misses; the result of the run ("OK: N usec",
	# not a setting's "OK: name=value") says when it is done.
	wait_until 600 "ip netns exec $1 grep -q '^Result: OK: [0-9]' /proc/net/pktgen/$2"
}
work_tcp_rr() {
	ip netns exec dut "$rr" server 5300 &
	local server=$!
	wait_until 5 listening dut 5300
	ip netns exec peer "$rr" client "$DUT_ADDR" 5300 600 "$transactions" >/dev/null
	wait "$server"
}

# The work that was asked for, in its own unit.
work_amount() {
	case "$workload" in
	tcp_*x) numfmt --from=iec "$bytes" ;;
	udp64_*) echo "$frames" ;;
	tcp_rr) echo "$transactions" ;;
	esac
}

# counted COMMAND...: runs COMMAND with every counter on and prints the
# counts.
counted() {
	local p0 p1 i0 i1 qemu guest
	# The packet counters are read outside the traced span: ours reads
	# the statistics registers for every ndo_get_stats64, C does not.
	p0=$(dut_packets)
	kernel_counts_start "$DUT_PCI"
	[ "$(host_query "trace on")" = on ] || echo "# $drv: QEMU tracing did not start"
	i0=$(irq_count "$irq_re")
	"$@"
	i1=$(irq_count "$irq_re")
	qemu=$(host_query "trace off")
	guest=$(kernel_counts_stop)
	p1=$(dut_packets)
	count packets $((p1 - p0))
	count work "$(work_amount)"
	count irqs $((i1 - i0))
	# QEMU traces physical addresses: the report needs the DUT's BAR 0.
	local bar0
	read -r bar0 _ <"/sys/bus/pci/devices/$DUT_PCI/resource"
	count bar0 $((bar0))
	while read -r what n; do
		[ -z "$what" ] || count "$what" "$n"
	done <<<"$guest"
	python3 -c 'import json, sys
for k, v in sorted(json.loads(sys.argv[1]).items()):
    print("qemu:" + k.replace(" ", ":"), v)' "$qemu" | while read -r what n; do
		count "$what" "$n"
	done
}

# setup_named DRIVER: setup, the first time with QEMU's tracing on and
# its counts thrown away. QEMU knows a virtio queue in a notification only
# by address; the agent learns each queue's number from a kick of it
# (scripts/qemu_trace_counts.py), for the rest of the boot. The receive
# queue is kicked when the interface comes up, but with EVENT_IDX seldom
# during the work, so without this its notifications would go unnamed
# ("queue ?"), the virtio-net DUT's and the e1000 DUT's virtio-net peer's.
named=
setup_named() {
	[ -n "$named" ] || host_query "trace on" >/dev/null
	setup "$1"
	[ -n "$named" ] || host_query "trace off" >/dev/null
	named=1
}

workloads=(
	"tcp_rx work_tcp dut peer $DUT_ADDR"
	"tcp_tx work_tcp peer dut $PEER_ADDR"
	"udp64_rx work_pktgen peer PEER_IF $DUT_ADDR DUT_MAC"
	"udp64_tx work_pktgen dut DUT_IF $PEER_ADDR $ABSENT_MAC"
	"tcp_rr work_tcp_rr"
)

modprobe pktgen
kernel_counts_setup
for w in "${workloads[@]}"; do
	workload=${w%% *}
	if [ -n "${BENCH_ONLY:-}" ] && [[ " $BENCH_ONLY " != *" $workload "* ]]; then
		continue
	fi
	for round in $(seq "$rounds"); do
		for d in $(driver_order "$round" "$@"); do
			setup_named "$d"
			echo "# count round $round, $drv: $workload on $DUT_IF"
			read -ra cmd <<<"${w#* }"
			fill_in cmd
			counted "${cmd[@]}"
		done
	done
done
unbind_all
