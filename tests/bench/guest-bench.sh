#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The benchmark's guest side: the first e1000 NIC is the device under test
# in namespace "dut" (192.0.2.1), the virtio-net NIC on the same QEMU hub
# the peer in namespace "peer" (192.0.2.2), always on the in-tree
# virtio_net driver. Each measurement runs on each driver in turn, for
# several rounds, and prints one line per run:
#
#   RESULT <driver> <round> <metric> <value>
#
# Usage: guest-bench.sh RNIC_OUT TCP_RR_BINARY ROUNDS SECONDS DRIVER...
# BENCH_ONLY="NAME..." runs only those measurements (tcp_rx, tcp_tx,
# udp64_rx, udp64_tx, tcp_rr).

export RNIC_OUT=$1
rr=$2 rounds=$3 secs=$4
shift 4
cd /project/tests/guest || exit 1
source ./lib.sh

DUT_ADDR=192.0.2.1
PEER_ADDR=192.0.2.2
# The frames the DUT sends with pktgen go to a station nobody on the hub
# has: QEMU drops them at every port, so the peer's receive path stays out
# of the DUT's transmit measurement. Under TCG the peer taking them in
# holds QEMU's global lock that the DUT's tail register writes also need,
# and how many it takes in depends on how busy the shared vCPUs are: with
# it, the same tail write cost 1.6 times more with one driver than with
# the other (Documentation/benchmark.rst).
ABSENT_MAC=02:00:00:00:00:99

result() {
	echo "RESULT $drv $round $1 $2"
}

# The driver's interrupt count, all CPUs; nothing if no interrupt has
# that name.
irq_count() {
	awk -v d="$1" '$NF == d { n = 1; for (i = 2; i < NF; i++) if ($i ~ /^[0-9]+$/) s += $i } END { if (n) print s + 0 }' /proc/interrupts
}

# System, interrupt and softirq time of all CPUs, in USER_HZ ticks.
kernel_ticks() {
	awk '$1 == "cpu" { print $4 + $7 + $8 }' /proc/stat
}

dut_packets() {
	ip netns exec dut cat "/sys/class/net/$DUT_IF/statistics/rx_packets" \
		"/sys/class/net/$DUT_IF/statistics/tx_packets" | awk '{ s += $1 } END { print s }'
}

# measure NAME COMMAND...: runs COMMAND and reports the kernel CPU time
# and the DUT interrupts per DUT packet while it ran.
measure() {
	local name=$1 p0 t0 i0 p1 t1 i1
	shift
	p0=$(dut_packets) t0=$(kernel_ticks) i0=$(irq_count "$irq_name")
	"$@"
	p1=$(dut_packets) t1=$(kernel_ticks) i1=$(irq_count "$irq_name")
	local packets=$((p1 - p0))
	((packets > 0)) || packets=1
	result "${name}_cpu_us_per_pkt" "$(awk -v t=$((t1 - t0)) -v p=$packets 'BEGIN { printf "%.3f", t * 1e6 / 100 / p }')"
	if [ -z "$i0" ] || [ -z "$i1" ]; then
		echo "# $drv: no interrupt named $irq_name in /proc/interrupts: interrupts not counted" >&2
		return
	fi
	result "${name}_irqs_per_pkt" "$(awk -v i=$((i1 - i0)) -v p=$packets 'BEGIN { printf "%.4f", i / p }')"
}

# iperf3 NAME SERVER_NS CLIENT_NS SERVER_ADDR: TCP throughput in Mbit/s.
iperf() {
	ip netns exec "$2" iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
	local server=$!
	wait_until 5 listening "$2" 5201
	local mbps
	mbps=$(ip netns exec "$3" iperf3 -c "$4" -p 5201 -t "$secs" -J |
		python3 -c 'import json,sys; print("%.1f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))')
	wait "$server"
	result "$1_mbps" "${mbps:-0}"
}

# pktgen NAME NS IFACE DST_ADDR DST_MAC COUNTER_NS COUNTER_IF COUNTER:
# 64-byte UDP frames from the kernel of NS for $secs seconds; reports
# the frames per second COUNTER (rx_packets or tx_packets) of
# COUNTER_IF grew by.
pktgen() {
	local name=$1 ns=$2 ifc=$3 stats=/sys/class/net/$7/statistics/$8
	local pg="ip netns exec $ns"
	$pg sh -c "echo reset >/proc/net/pktgen/pgctrl"
	$pg sh -c "echo rem_device_all >/proc/net/pktgen/kpktgend_0"
	$pg sh -c "echo add_device $ifc >/proc/net/pktgen/kpktgend_0"
	local dev=/proc/net/pktgen/$ifc
	for c in "count 0" "pkt_size 60" "delay 0" "dst $4" "dst_mac $5" "udp_dst_min 9" "udp_dst_max 9"; do
		$pg sh -c "echo '$c' >$dev"
	done
	local c0 c1
	c0=$(ip netns exec "$6" cat "$stats")
	$pg sh -c "echo start >/proc/net/pktgen/pgctrl" &
	local gen=$!
	sleep "$secs"
	c1=$(ip netns exec "$6" cat "$stats")
	$pg sh -c "echo stop >/proc/net/pktgen/pgctrl"
	wait "$gen"
	result "${name}_pps" "$(((c1 - c0) / secs))"
}

tcp_rr() {
	ip netns exec dut "$rr" server 5300 &
	local server=$!
	wait_until 5 listening dut 5300
	local out
	out=$(ip netns exec peer "$rr" client "$DUT_ADDR" 5300 "$secs")
	wait "$server"
	set -- $out
	result tcp_rr_per_s "$4"
	result tcp_rr_p50_us "$6"
	result tcp_rr_p99_us "$8"
}

# setup DRIVER: binds the DUT to DRIVER and the peer to virtio_net, each
# in its namespace with its address, both up, and checks they ping.
setup() {
	drv=$1
	unbind_all
	ip netns del dut 2>/dev/null
	ip netns del peer 2>/dev/null
	DUT_IF=$(bind "$(pci_by_mac "$MAC_E1000_A")" "$drv")
	PEER_IF=$(bind "$(pci_by_mac "$MAC_VIRTIO")" virtio_net)
	# Both drivers name their interrupt after the interface.
	irq_name=$DUT_IF
	ip netns add dut
	ip netns add peer
	ip link set "$DUT_IF" netns dut
	ip link set "$PEER_IF" netns peer
	for ns in dut peer; do
		ip -n $ns link set lo up
	done
	ip -n dut addr add $DUT_ADDR/24 dev "$DUT_IF"
	ip -n peer addr add $PEER_ADDR/24 dev "$PEER_IF"
	ip -n dut link set "$DUT_IF" up
	ip -n peer link set "$PEER_IF" up
	wait_until 10 "ip netns exec dut grep -qx 1 /sys/class/net/$DUT_IF/carrier"
	ip netns exec dut ping -c 3 -i 0.2 -W 2 $PEER_ADDR >/dev/null || echo "# $drv: no ping"
}

# The measurements, each run on every driver in turn, round after round.
# C and Rust alternate per measurement, not per round, so that the host
# slowing down for a minute or two (common under TCG on a shared machine)
# hits both drivers' runs of a measurement alike; every other round runs
# the drivers in the opposite order.
tests=(
	"tcp_rx iperf tcp_rx dut peer $DUT_ADDR"
	"tcp_tx iperf tcp_tx peer dut $PEER_ADDR"
	"udp64_rx pktgen udp64_rx peer PEER_IF $DUT_ADDR DUT_MAC dut DUT_IF rx_packets"
	"udp64_tx pktgen udp64_tx dut DUT_IF $PEER_ADDR $ABSENT_MAC dut DUT_IF tx_packets"
	"tcp_rr tcp_rr"
)

modprobe pktgen
for t in "${tests[@]}"; do
	if [ -n "${BENCH_ONLY:-}" ] && [[ " $BENCH_ONLY " != *" ${t%% *} "* ]]; then
		continue
	fi
	for round in $(seq "$rounds"); do
		order=("$@")
		if ((round % 2 == 0)); then
			order=()
			for ((i = $#; i > 0; i--)); do
				order+=("${!i}")
			done
		fi
		for d in "${order[@]}"; do
			setup "$d"
			echo "# round $round, $drv: ${t%% *} on $DUT_IF"
			# The interface names and addresses are known only now.
			read -ra cmd <<<"$t"
			for i in "${!cmd[@]}"; do
				case "${cmd[$i]}" in
				DUT_IF) cmd[$i]=$DUT_IF ;;
				PEER_IF) cmd[$i]=$PEER_IF ;;
				DUT_MAC) cmd[$i]=$(mac dut "$DUT_IF") ;;
				esac
			done
			measure "${cmd[@]}"
		done
	done
done
unbind_all
