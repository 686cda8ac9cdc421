# SPDX-License-Identifier: GPL-2.0
# Allocation failure, injected through the layer's per-device FailAlloc
# (debugfs `fail_alloc`: "INTERVAL [TIMES]"), which fails only what one
# device allocates: received frames, transmit mappings and rings. Our
# e1000 and our virtio-net only: the C drivers have no such point, and the
# kernel's failslab and fail_page_alloc would need a stack-trace filter the
# test kernel lacks to aim at one driver (Documentation/reliability.rst).

DRV=rust_e1000

fail_alloc_knob() {
	echo "/sys/kernel/debug/rust_e1000-$BDF_A/fail_alloc"
}

# Every third allocation fails under a flood both ways: frames are lost and
# counted, nothing breaks, and traffic recovers once injection stops.
test_allocations_fail_under_traffic() {
	e1000_bed
	knob=$(fail_alloc_knob)
	[ -w "$knob" ] || fail "no fault injection point $knob"
	failed=$(stat nsa "$IF_A" alloc_rx_buff_failed)
	ip netns exec nsa ping -f -s 1000 "$ADDR_B" >/dev/null 2>&1 &
	a=$!
	ip netns exec nsb ping -f -s 1000 "$ADDR_A" >/dev/null 2>&1 &
	b=$!
	echo 3 >"$knob"
	sleep 5
	echo 0 >"$knob"
	kill "$a" "$b" 2>/dev/null
	wait "$a" "$b" 2>/dev/null
	read -r _ _ injected <"$knob"
	[ "$injected" -gt 10 ] || fail "only $injected allocations failed by injection"
	[ "$(stat nsa "$IF_A" alloc_rx_buff_failed)" -gt "$failed" ] ||
		fail "receive allocation failures not counted in alloc_rx_buff_failed"
	wait_until 5 "ip netns exec nsa ping -c 1 -W 1 $ADDR_B"
	ip netns exec nsa ping -c 5 -i 0.2 -W 2 "$ADDR_B" >/dev/null || fail "ping after injection"
	tcp_transfer_checked 1000000 5031
}

# One failed allocation in `open` or in a ring resize: the command fails
# with ENOMEM and the device is as it was.
test_open_and_ring_resize_fail_cleanly() {
	e1000_bed
	knob=$(fail_alloc_knob)
	[ -w "$knob" ] || fail "no fault injection point $knob"
	ip -n nsa link set "$IF_A" down
	echo "1 1" >"$knob"
	out=$(ip -n nsa link set "$IF_A" up 2>&1) && fail "open succeeded under injection"
	expect_match "$out" "Cannot allocate memory" "open's error"
	ip -n nsa link show "$IF_A" | grep -q "state DOWN" || fail "the interface is not down after a failed open"
	ip -n nsa link set "$IF_A" up || fail "open after injection"
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
	# Nothing else may allocate between the knob and the resize: no IPv6
	# chatter on either side.
	ip netns exec nsa sysctl -qw "net.ipv6.conf.$IF_A.disable_ipv6=1"
	ip netns exec nsb sysctl -qw "net.ipv6.conf.$IF_B.disable_ipv6=1"
	rings=$(ip netns exec nsa ethtool -g "$IF_A")
	echo "1 1" >"$knob"
	out=$(ip netns exec nsa ethtool -G "$IF_A" rx 512 tx 512 2>&1) && fail "ring resize succeeded under injection"
	expect_match "$out" "Cannot allocate memory" "ring resize's error"
	expect_eq "$(ip netns exec nsa ethtool -g "$IF_A")" "$rings" "ring sizes after a failed resize"
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
	ip netns exec nsa ping -c 3 -i 0.2 -W 2 "$ADDR_B" >/dev/null || fail "ping after the failed resize"
	# Every allocation failing: the new rings come first, so the resize
	# fails and the interface goes on running on the old ones.
	echo "1 -1" >"$knob"
	out=$(ip netns exec nsa ethtool -G "$IF_A" rx 512 tx 512 2>&1) && fail "ring resize succeeded under injection"
	expect_match "$out" "Cannot allocate memory" "ring resize's error with every allocation failing"
	out=$(ip netns exec nsa ip link set "$IF_A" mtu 9000 2>&1) && fail "MTU change succeeded under injection"
	expect_match "$out" "Cannot allocate memory" "MTU change's error with every allocation failing"
	echo 0 >"$knob"
	expect_eq "$(ip netns exec nsa ethtool -g "$IF_A")" "$rings" "ring sizes after resizes that failed"
	expect_match "$(ip -n nsa link show "$IF_A")" "mtu 1500 " "MTU after a change that failed"
	ip netns exec nsa ping -c 3 -i 0.2 -W 2 "$ADDR_B" >/dev/null || fail "ping after failures with the interface running"
}

# rust_virtio_net: every receive buffer allocation fails (mergeable or
# small, whichever the device negotiated) while the peer's frames use the
# buffers up. An empty receive queue raises no interrupt, so only the
# refill task, retrying every 500 ms, can fill it again: once injection
# stops, traffic must come back by itself.
test_virtio_refill_retries_until_memory_returns() {
	source "$HELPERS/virtio.sh"
	virtio_bed rust_virtio_net
	local knob=/sys/kernel/debug/rust_virtio_net-$VDEV/fail_alloc injected
	[ -w "$knob" ] || fail "no fault injection point $knob"
	echo "1 -1" >"$knob"
	rawframe nsa send "$IF_A" "$MAC_VIRTIO" --count 600 --size 100
	sleep 2
	if ip netns exec nsa ping -c 2 -W 1 "$ADDR_B" >/dev/null; then
		fail "frames still arrive with every allocation failing"
	fi
	echo 0 >"$knob"
	read -r _ _ injected <"$knob"
	[ "$injected" -gt 0 ] || fail "no allocation failed by injection"
	wait_until 10 "ip netns exec nsa ping -c 1 -W 1 $ADDR_B >/dev/null"
	tcp_transfer_checked 2000000 5032
}
