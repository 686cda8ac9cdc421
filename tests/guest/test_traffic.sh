# SPDX-License-Identifier: GPL-2.0
# Traffic between the two ends, each in its own network namespace.

test_ping_both_ways() {
	netpair_netns
	ip netns exec nsa ping -c 3 -i 0.2 -W 2 "$ADDR_B" >/dev/null || fail "ping A -> B"
	ip netns exec nsb ping -c 3 -i 0.2 -W 2 "$ADDR_A" >/dev/null || fail "ping B -> A"
}

test_ping_large_fragmented() {
	netpair_netns
	ip netns exec nsa ping -c 2 -s 65000 -W 3 "$ADDR_B" >/dev/null || fail "65000-byte ping"
}

test_tcp_transfer_verified() {
	netpair_netns
	tcp_transfer_checked 4000000 5001
}

test_iperf3_both_directions() {
	netpair_netns
	ip netns exec nsb iperf3 -s -1 -D -p 5201 >/dev/null
	wait_until 5 listening nsb 5201
	out=$(ip netns exec nsa iperf3 -c "$ADDR_B" -p 5201 -t 2 -J) || fail "iperf3 A -> B"
	bps=$(python3 -c 'import json,sys; print(int(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]))' <<<"$out")
	[ "$bps" -gt 1000000 ] || fail "iperf3 A -> B: $bps bit/s"
	ip netns exec nsb iperf3 -s -1 -D -p 5202 >/dev/null
	wait_until 5 listening nsb 5202
	out=$(ip netns exec nsa iperf3 -c "$ADDR_B" -p 5202 -t 2 -R -J) || fail "iperf3 B -> A"
	bps=$(python3 -c 'import json,sys; print(int(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]))' <<<"$out")
	[ "$bps" -gt 1000000 ] || fail "iperf3 B -> A: $bps bit/s"
}

test_jumbo_mtu_ping_dont_fragment() {
	netpair_netns
	ip -n nsa link set "$IF_A" mtu 9000
	ip -n nsb link set "$IF_B" mtu 9000
	ip netns exec nsa ping -c 2 -M do -s 8972 -W 2 "$ADDR_B" >/dev/null || fail "9000-byte DF ping"
	# One byte more does not fit.
	expect_error 'message too long|mtu' ip netns exec nsa ping -c 1 -M do -s 8973 -W 1 "$ADDR_B"
}

test_oversize_frame_dropped_by_receiver() {
	netpair_netns
	# A sends 2000-byte frames; B's MTU of 1500 does not admit them.
	ip -n nsa link set "$IF_A" mtu 9000
	before=$(stat nsb "$IF_B" rx_length_errors)
	ip netns exec nsa ping -c 2 -M do -s 1972 -W 1 "$ADDR_B" >/dev/null && fail "oversize ping answered"
	after=$(stat nsb "$IF_B" rx_length_errors)
	[ $((after - before)) -ge 2 ] || fail "rx_length_errors went from $before to $after"
}

test_tiny_ring_flow_control() {
	netpair_netns
	# A 16-frame receive ring at B makes A stop and restart its queue
	# whenever a burst outruns B's poll. pktgen's bursts of 64 do, on any
	# kernel however slow: B's poll cannot run on this CPU inside a burst
	# (bottom halves are off). Then TCP, four streams beside it, must
	# still get every byte through.
	ip netns exec nsb ethtool -G "$IF_B" rx 16
	pktgen_setup nsa "$IF_A" "$ADDR_B" "$(mac nsb "$IF_B")" "count 1000" "burst 64" "pkt_size 60"
	[ "$(pktgen_run nsa 60)" -ge 1000 ] || fail "pktgen did not send its 1000 frames"
	ip netns exec nsb iperf3 -s -1 -D -p 5205 >/dev/null
	wait_until 5 listening nsb 5205
	ip netns exec nsa iperf3 -c "$ADDR_B" -p 5205 -t 4 -P 4 >/dev/null &
	load=$!
	tcp_transfer_checked 3000000 5003
	wait "$load" || fail "iperf3 under flow control"
	stops=$(stat nsa "$IF_A" tx_queue_stops)
	wakes=$(stat nsa "$IF_A" tx_queue_wakes)
	[ "$stops" -gt 0 ] || fail "the sender never stopped its queue"
	[ "$wakes" -gt 0 ] || fail "the sender's queue was never woken"
	expect_eq "$(ip netns exec nsa cat "/sys/class/net/$IF_A/queues/tx-0/tx_timeout")" 0 "TX timeouts"
}
