# SPDX-License-Identifier: GPL-2.0
# Mergeable receive buffers (VIRTIO_NET_F_MRG_RXBUF) and jumbo frames on
# the virtio-net NIC, against the e1000 peer on the in-tree C e1000 (whose
# largest MTU is 16110): the feature negotiated as C negotiates it, the MTU
# range, TCP at MTU 9000 and 16110 verified both ways, small and large
# frames mixed (the buffers follow the average frame length), and the
# counters after it. Every test also runs on the in-tree C virtio_net.
#
# The checks follow the feature: without it (QEMU mrg_rxbuf=off, through
# RNIC_VIRTIO_NET_PROPS on the host) receive buffers are small, and QEMU
# drops a frame larger than one, for C as for us.

REFERENCE_DRIVERS="virtio_net"
DRV=${E1000_DRIVER:-rust_virtio_net}
# virtio_dev, virtio_bind, virtio_up, virtio_bed, virtio_feature.
source "$HELPERS/virtio.sh"

# Feature bit (uapi linux/virtio_net.h).
F_MRG_RXBUF=15

# mergeable: whether the driver under test negotiated MRG_RXBUF.
mergeable() {
	virtio_feature $F_MRG_RXBUF
}

# length_errors: the virtio NIC's rx_length_errors (ip -s -s).
length_errors() {
	ip -n nsb -s -s -j link show dev "$IF_B" | jq -e '.[0].stats64.rx.length_errors'
}

# jumbo_bed MTU: the bed, both interfaces at MTU.
jumbo_bed() {
	virtio_bed
	ip -n nsa link set "$IF_A" mtu "$1"
	ip -n nsb link set "$IF_B" mtu "$1"
	# The e1000 peer resets for a new MTU and its link comes back with its
	# watchdog, a second or two later; frames sent before are dropped (a
	# cold run lost all 50 of test_counters_after_jumbo_frames' first).
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
	wait_until 10 "ip netns exec nsb grep -qx 1 /sys/class/net/$IF_B/carrier"
}

# jumbo_both_ways MTU PORT: DF pings of the full MTU each way, then TCP
# each way (PORT, PORT + 1), verified. Without mergeable buffers, full
# frames from the virtio NIC still go out (TCP carries data out, only small
# acknowledgements come back), and a full frame toward it must not arrive.
jumbo_both_ways() {
	local size=$(($1 - 28))
	if ! mergeable; then
		tcp_transfer_checked 2000000 $(($2 + 1)) back
		if ip netns exec nsa ping -c 2 -M do -s "$size" -W 2 "$ADDR_B" >/dev/null; then
			fail "a $1-byte frame arrived in small buffers"
		fi
		return 0
	fi
	ip netns exec nsb ping -c 2 -M do -s "$size" -W 3 "$ADDR_A" >/dev/null ||
		fail "$1-byte DF ping out"
	ip netns exec nsa ping -c 3 -M do -s "$size" -W 3 "$ADDR_B" >/dev/null ||
		fail "$1-byte DF ping in"
	tcp_transfer_checked 6000000 "$2"
	tcp_transfer_checked 6000000 $(($2 + 1)) back
}

# C negotiates MRG_RXBUF whenever the device offers it: ours must agree,
# on this device (mrg_rxbuf=off or not). The MTU range is C's either way.
test_mergeable_negotiated_as_c() {
	local c ours
	virtio_bind virtio_net >/dev/null
	c=$(virtio_feature $F_MRG_RXBUF && echo on || echo off)
	virtio_bed
	ours=$(mergeable && echo on || echo off)
	expect_eq "$ours" "$c" "MRG_RXBUF as C virtio_net negotiates it"
	expect_match "$(ip -n nsb -d link show "$IF_B")" 'minmtu 68 maxmtu 65535 ' "MTU range"
	ip -n nsb link set "$IF_B" mtu 65535 || fail "MTU 65535 refused"
	expect_match "$(ip -n nsb link show "$IF_B")" 'mtu 65535 ' "MTU after the change"
	expect_error 'mtu greater than device maximum' ip -n nsb link set "$IF_B" mtu 65536
	ip -n nsb link set "$IF_B" mtu 9000 || fail "MTU 9000 refused"
	ip -n nsb link set "$IF_B" mtu 1500
}

test_jumbo_9000_tcp_verified() {
	jumbo_bed 9000
	jumbo_both_ways 9000 5011
}

# The largest MTU of the e1000 peer.
test_jumbo_16110_tcp_verified() {
	jumbo_bed 16110
	jumbo_both_ways 16110 5013
}

# small_pings: a stream of small frames toward the virtio NIC.
small_pings() {
	ip netns exec nsa ping -c 400 -i 0.005 -s 16 -q "$ADDR_B" >/dev/null ||
		fail "small pings lost"
}

# Small frames pull the running average down (small buffers), large ones
# then span several buffers each; large frames push it up, and small ones
# then take a page each. Rounds of both, and both at once: every byte
# arrives, and nothing is counted as an error.
test_mixed_small_and_large_frames() {
	jumbo_bed 9000
	if ! mergeable; then
		small_pings
		return 0
	fi
	local round e0 d0
	e0=$(length_errors)
	d0=$(link_stat nsb "$IF_B" rx.dropped)
	for round in 1 2 3; do
		small_pings
		tcp_transfer_checked 2000000 $((5020 + round))
		ip netns exec nsa ping -c 3 -s 65000 -W 3 "$ADDR_B" >/dev/null ||
			fail "round $round: 65000-byte pings (fragments of 9000)"
	done
	tcp_transfer_checked 6000000 5030 forth small_pings
	expect_eq "$(link_stat nsb "$IF_B" rx.dropped)" "$d0" "rx dropped"
	expect_eq "$(length_errors)" "$e0" "rx length errors"
}

# Raw frames of 100, 1514, 4000 and 8000 bytes: each arrives whole, once,
# and the counters of ip and ethtool -S add up.
test_counters_after_jumbo_frames() {
	jumbo_bed 9000
	ip netns exec nsa sysctl -qw "net.ipv6.conf.$IF_A.disable_ipv6=1"
	ip netns exec nsb sysctl -qw "net.ipv6.conf.$IF_B.disable_ipv6=1"
	local sizes="100 1514 4000 8000" size n=50 rx0 rxb0 drops0 kicks0 got
	mergeable || sizes="100 1514"
	for size in $sizes; do
		rx0=$(link_stat nsb "$IF_B" rx.packets)
		rxb0=$(link_stat nsb "$IF_B" rx.bytes)
		drops0=$(stat nsb "$IF_B" rx_drops)
		kicks0=$(stat nsb "$IF_B" rx0_kicks)
		rx_start nsb "$IF_B" --count $n --timeout 30
		rawframe nsa send "$IF_A" "$MAC_VIRTIO" --count $n --size "$size"
		rx_wait || fail "$size bytes: the socket got $(wc -l </tmp/recv.out) of $n frames"
		got=$(awk -v s="$size" '$2 == s' /tmp/recv.out | wc -l)
		expect_eq "$got" $n "$size-byte frames received whole"
		expect_eq "$(($(link_stat nsb "$IF_B" rx.packets) - rx0))" $n "$size bytes: rx packets"
		expect_eq "$(($(link_stat nsb "$IF_B" rx.bytes) - rxb0))" $((n * size)) \
			"$size bytes: rx bytes"
		expect_eq "$(stat nsb "$IF_B" rx_drops)" "$drops0" "$size bytes: ethtool rx_drops"
		expect_eq "$(stat nsb "$IF_B" rx0_drops)" "$drops0" "$size bytes: ethtool rx0_drops"
		[ "$(stat nsb "$IF_B" rx0_kicks)" -ge "$kicks0" ] || fail "rx0_kicks went down"
	done
	expect_eq "$(length_errors)" 0 "rx length errors"
	[ "$(stat nsb "$IF_B" rx0_kicks)" -gt 0 ] || fail "the receive queue was never kicked"
}
