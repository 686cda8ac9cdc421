# SPDX-License-Identifier: GPL-2.0
# Counters must equal the traffic sent.

test_counters_match_traffic() {
	netpair_quiet
	N=250
	SIZE=300
	tx0=$(link_stat nsa "$IF_A" tx.packets)
	txb0=$(link_stat nsa "$IF_A" tx.bytes)
	rx0=$(link_stat nsb "$IF_B" rx.packets)
	rxb0=$(link_stat nsb "$IF_B" rx.bytes)
	erx0=$(stat nsb "$IF_B" rx_packets)
	etx0=$(stat nsa "$IF_A" tx_packets)
	# A socket takes every frame, so the stack drops none of them.
	rx_start nsb "$IF_B" --count $N --timeout 20
	rawframe nsa send "$IF_A" "$(mac nsb "$IF_B")" --count $N --size $SIZE
	rx_wait || fail "the socket got $(wc -l </tmp/recv.out) of $N frames"
	expect_eq "$(($(link_stat nsa "$IF_A" tx.packets) - tx0))" $N "ip -s: A tx packets"
	expect_eq "$(($(link_stat nsa "$IF_A" tx.bytes) - txb0))" $((N * SIZE)) "ip -s: A tx bytes"
	expect_eq "$(($(link_stat nsb "$IF_B" rx.packets) - rx0))" $N "ip -s: B rx packets"
	expect_eq "$(($(link_stat nsb "$IF_B" rx.bytes) - rxb0))" $((N * SIZE)) "ip -s: B rx bytes"
	expect_eq "$(($(stat nsb "$IF_B" rx_packets) - erx0))" $N "ethtool -S: B rx_packets"
	expect_eq "$(($(stat nsa "$IF_A" tx_packets) - etx0))" $N "ethtool -S: A tx_packets"
	expect_eq "$(link_stat nsb "$IF_B" rx.dropped)" 0 "B rx dropped"
	expect_eq "$(stat nsb "$IF_B" rx_dropped)" 0 "ethtool -S: B rx_dropped"
	expect_eq "$(link_stat nsa "$IF_A" tx.dropped)" 0 "A tx dropped"
}

test_multicast_and_drop_counters() {
	netpair_quiet
	ip -n nsb maddr add 01:00:5e:00:00:42 dev "$IF_B"
	m0=$(link_stat nsb "$IF_B" rx.multicast)
	rawframe nsa send "$IF_A" 01:00:5e:00:00:42 --count 7
	wait_until 5 '[ "$(link_stat nsb "$IF_B" rx.multicast)" -ge $((m0 + 7)) ]'
	expect_eq "$(($(link_stat nsb "$IF_B" rx.multicast) - m0))" 7 "ip -s: multicast"
	# With the peer down, A drops what it sends and says so.
	d0=$(link_stat nsa "$IF_A" tx.dropped)
	ip -n nsb link set "$IF_B" down
	rawframe nsa send "$IF_A" ff:ff:ff:ff:ff:ff --count 3
	wait_until 5 '[ $(($(link_stat nsa "$IF_A" tx.dropped) - d0)) -ge 3 ]'
	expect_eq "$(($(link_stat nsa "$IF_A" tx.dropped) - d0))" 3 "ip -s: tx dropped, peer down"
}

test_stats_read_under_load() {
	netpair_netns
	# get_stats64 runs concurrently with the data path; hammer it.
	# 200 reads of /proc/net/dev in nsa (by the shell: a process each
	# would cost more than the read) beside 200 ethtool -S in nsb.
	ip netns exec nsa ping -f -c 3000 "$ADDR_B" >/dev/null &
	pinger=$!
	ip netns exec nsa bash -c 'for ((i = 0; i < 200; i++)); do x=$(</proc/net/dev) || exit 1; done' &
	reader=$!
	ip netns exec nsb bash -c 'for ((i = 0; i < 200; i++)); do ethtool -S "$1" >/dev/null || exit 1; done' - "$IF_B" ||
		fail "ethtool -S"
	wait "$reader" || fail "reading /proc/net/dev"
	wait "$pinger" || fail "flood ping"
}
