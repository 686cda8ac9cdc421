#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The benchmark's guest side: the NIC of the drivers given is the device
# under test in namespace "dut" (192.0.2.1): the first e1000 NIC for
# e1000 and rust_e1000, the virtio-net NIC for virtio_net and
# rust_virtio_net. The other NIC on the same QEMU hub is the peer in
# namespace "peer" (192.0.2.2), always on its in-tree driver
# (guest-common.sh). Each measurement runs on each driver in turn, for
# several rounds, and prints one line per run:
#
#   RESULT <driver> <round> <metric> <value>
#
# Usage: guest-bench.sh RNIC_OUT TCP_RR_BINARY ROUNDS SECONDS DRIVER...
# BENCH_ONLY="NAME..." runs only those measurements (tcp_rx, tcp_tx,
# udp64_rx, udp64_tx, tcp_rr, xdp_drop_rx).

export RNIC_OUT=$1
rr=$2 rounds=$3 secs=$4
shift 4
cd /project/tests/guest || exit 1
source ./lib.sh
source /project/tests/bench/guest-common.sh

result() {
	echo "RESULT $drv $round $1 $2"
}

# measure NAME COMMAND...: runs COMMAND and reports the kernel CPU time
# and the DUT interrupts per DUT packet while it ran.
measure() {
	local name=$1 p0 t0 i0 p1 t1 i1
	shift
	p0=$(dut_packets) t0=$(kernel_ticks) i0=$(irq_count "$irq_re")
	"$@"
	p1=$(dut_packets) t1=$(kernel_ticks) i1=$(irq_count "$irq_re")
	local packets=$((p1 - p0))
	((packets > 0)) || packets=1
	result "${name}_cpu_us_per_pkt" "$(awk -v t=$((t1 - t0)) -v p=$packets 'BEGIN { printf "%.3f", t * 1e6 / 100 / p }')"
	if [ -z "$i0" ] || [ -z "$i1" ]; then
		echo "# $drv: no interrupt matching $irq_re in /proc/interrupts: interrupts not counted" >&2
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
	local name=$1 ns=$2 stats=/sys/class/net/$7/statistics/$8
	local pg="ip netns exec $ns"
	pktgen_ready "$ns" "$3" "$4" "$5" 0
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

# xdp_drop_rx NAME ARGS...: as pktgen with ARGS, while an XDP program
# that drops every frame (tests/bpf/xdp_verdict.bpf.c, verdict XDP_DROP)
# is attached to the DUT in the mode the driver offers: native where it
# has ndo_bpf (ours on the e1000, C virtio_net), generic otherwise (C
# e1000). Counts the frames the DUT received (rx_packets counts them
# before the program runs, in either mode).
xdp_drop_rx() {
	local name=$1 dir=/run/rnic-bench-bpf
	shift
	mountpoint -q "$dir" || { mkdir -p "$dir" && mount -t bpf bpf "$dir"; }
	rm -rf "${dir:?}"/*
	bpftool prog load "$RNIC_OUT/tests/bpf/xdp_verdict.bpf.o" "$dir/prog" type xdp \
		pinmaps "$dir/maps" || return
	# Slot 0 holds the verdict plus one: XDP_DROP (1).
	bpftool map update pinned "$dir/maps/config" key 0 0 0 0 value 2 0 0 0
	ip -n dut link set dev "$DUT_IF" xdp pinned "$dir/prog" || return
	echo "# $drv: XDP program attached ($(ip -n dut -d link show dev "$DUT_IF" | grep -o 'xdp[a-z]*/id:[0-9]*'))"
	pktgen "$name" "$@"
	ip -n dut link set dev "$DUT_IF" xdp off
	ip -n dut link set dev "$DUT_IF" xdpgeneric off 2>/dev/null
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
	"xdp_drop_rx xdp_drop_rx xdp_drop_rx peer PEER_IF $DUT_ADDR DUT_MAC dut DUT_IF rx_packets"
)

modprobe pktgen
for t in "${tests[@]}"; do
	if [ -n "${BENCH_ONLY:-}" ] && [[ " $BENCH_ONLY " != *" ${t%% *} "* ]]; then
		continue
	fi
	for round in $(seq "$rounds"); do
		for d in $(driver_order "$round" "$@"); do
			setup "$d"
			echo "# round $round, $drv: ${t%% *} on $DUT_IF"
			# The interface names and addresses are known only now.
			read -ra cmd <<<"$t"
			fill_in cmd
			measure "${cmd[@]}"
		done
	done
done
unbind_all
