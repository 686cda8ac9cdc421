# SPDX-License-Identifier: GPL-2.0
# Module life cycle under traffic.

# The namespaces stay from one cycle to the next (deleting one is
# test_netns_deletion_returns_device's business): each cycle loads the
# module, moves the new ends into them, floods and unloads.
test_rmmod_under_traffic_20_cycles() {
	netpair_unload
	start=$(skb_objects)
	[ -n "$start" ] || fail "no skbuff_head_cache in /proc/slabinfo"
	ip netns add nsa
	ip netns add nsb
	ip -n nsa link set lo up
	ip -n nsb link set lo up
	for i in $(seq 20); do
		netpair_load
		ip link set "$IF_A" netns nsa
		ip link set "$IF_B" netns nsb
		ip -n nsa addr add "$ADDR_A/24" dev "$IF_A"
		ip -n nsb addr add "$ADDR_B/24" dev "$IF_B"
		both_up
		ip netns exec nsa ping -f "$ADDR_B" >/dev/null 2>&1 &
		a=$!
		ip netns exec nsb ping -f "$ADDR_A" >/dev/null 2>&1 &
		b=$!
		# Unload once traffic flows both ways.
		wait_until 10 '[ "$(stat nsb "$IF_B" rx_packets)" -gt 20 ] && [ "$(stat nsa "$IF_A" rx_packets)" -gt 20 ]'
		timeout 20 rmmod rust_netpair || fail "cycle $i: rmmod failed or hung"
		kill "$a" "$b" 2>/dev/null || true
		wait "$a" "$b" 2>/dev/null || true
		[ -z "$(netpair_ifaces)" ] || fail "cycle $i: interfaces left after rmmod"
	done
	ip netns del nsa
	ip netns del nsb
	# Per-CPU caches keep a few buffers; a leak per packet would leave
	# thousands.
	end=$(skb_objects)
	[ $((end - start)) -lt 512 ] || fail "socket buffers grew from $start to $end"
	if dmesg | grep -q 'unregister_netdevice: waiting'; then
		fail "a device reference was leaked"
	fi
}

test_netns_deletion_returns_device() {
	netpair_netns
	ip netns del nsa
	# Like any hardware device, the end returns to the initial namespace.
	wait_until 5 ip link show "$IF_A"
	expect_eq "$(ethtool -i "$IF_A" | sed -n 's/^driver: //p')" rust_netpair "driver of the returned end"
	# The end still works: bring it back into a namespace and ping.
	ip link set "$IF_A" netns nsb2 2>/dev/null && fail "moved into a missing namespace"
	ip netns add nsa
	ip link set "$IF_A" netns nsa
	ip -n nsa addr add "$ADDR_A/24" dev "$IF_A"
	ip -n nsa link set "$IF_A" up
	wait_until 5 ip netns exec nsa ping -c 1 -W 1 "$ADDR_B"
}
