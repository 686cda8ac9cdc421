# SPDX-License-Identifier: GPL-2.0
# The Rust e1000 driver on QEMU's 82540EM, against a virtio-net peer on
# the in-tree driver: probe, traffic, receive filter, counters, link flap,
# unload and transmit timeout (its ethtool operations and offloads are in
# test_e1000_ethtool.sh, its netdev netlink view in test_e1000_netlink.sh).
# Every test also runs on the in-tree C e1000 for comparison (reported as
# "# reference" lines by run-all.sh).

REFERENCE_DRIVERS="e1000"
DRV=${E1000_DRIVER:-rust_e1000}

test_probe_identity() {
	e1000_bed
	expect_eq "$(mac nsa "$IF_A")" "$MAC_E1000_A" "address read from the EEPROM"
	info=$(ip netns exec nsa ethtool -i "$IF_A")
	expect_match "$info" "^driver: $DRV\$" "ethtool -i driver"
	expect_match "$info" "^bus-info: $BDF_A\$" "ethtool -i bus-info"
	expect_match "$(dmesg)" "$BDF_A.*Intel\(R\) PRO/1000 Network Connection" "probe message"
	out=$(ip netns exec nsa ethtool "$IF_A")
	expect_match "$out" 'Speed: 1000Mb/s' "speed"
	expect_match "$out" 'Duplex: Full' "duplex"
	expect_match "$out" 'Link detected: yes' "link"
}

test_ping_both_ways_and_fragmented() {
	e1000_bed
	ip netns exec nsa ping -c 3 -i 0.2 -W 2 "$ADDR_B" >/dev/null || fail "ping e1000 -> virtio"
	ip netns exec nsb ping -c 3 -i 0.2 -W 2 "$ADDR_A" >/dev/null || fail "ping virtio -> e1000"
	ip netns exec nsa ping -c 2 -s 65000 -W 3 "$ADDR_B" >/dev/null || fail "65000-byte ping"
}

test_tcp_both_ways_verified() {
	e1000_bed
	tcp_transfer_checked 4000000 5001
	# And the other way: the e1000 receives.
	tcp_transfer_checked 4000000 5002 back
}

# mtu_both MTU: sets MTU at both ends and waits for the e1000's link,
# which comes back with its watchdog after the reset.
mtu_both() {
	ip -n nsa link set "$IF_A" mtu "$1"
	ip -n nsb link set "$IF_B" mtu "$1"
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
}

test_jumbo_mtu_9000() {
	e1000_bed
	mtu_both 9000
	ip netns exec nsa ping -c 2 -M do -s 8972 -W 3 "$ADDR_B" >/dev/null || fail "9000-byte DF ping"
	tcp_transfer_checked 2000000 5003
	expect_error 'mtu greater than device maximum' ip -n nsa link set "$IF_A" mtu 16111
}

# MTU 4000 takes 4 KiB receive buffers (1500 takes 2 KiB, 9000 16 KiB).
test_mtu_4000_buffers() {
	e1000_bed
	mtu_both 4000
	ip netns exec nsb ping -c 2 -M do -s 3972 -W 3 "$ADDR_A" >/dev/null || fail "4000-byte DF ping"
	tcp_transfer_checked 2000000 5004 back
}

# A frame longer than the receive buffers (sized for our MTU), which the
# device spreads over several descriptors, must not reach the stack in
# pieces: each piece after a buffer boundary starts with a frame header
# of its own here. C's jumbo path assembles the frame; ours drops it.
test_oversize_frame_not_split() {
	e1000_bed
	ip -n nsa link set "$IF_A" mtu 2000
	ip -n nsb link set "$IF_B" mtu 9000
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
	rxmac=$(mac nsa "$IF_A")
	rx_start nsa "$IF_A" --until-sentinel --timeout 30
	rawframe nsb send "$IF_B" "$rxmac" --count 3 --size 9000 --nested 2048 --sentinel "$rxmac"
	rx_wait || fail "the sentinel frame never arrived"
	pieces=$(awk '$2 != 9000' /tmp/recv.out)
	[ -z "$pieces" ] || fail "pieces of 9000-byte frames handed up as frames: $pieces"
}

test_promiscuous_foreign_frame() {
	e1000_bed
	foreign=02:00:5e:aa:bb:cc
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" "$foreign")" none "foreign frame"
	ip -n nsa link set "$IF_A" promisc on
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" "$foreign")" otherhost "foreign frame, promiscuous"
	ip -n nsa link set "$IF_A" promisc off
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" "$foreign")" none "foreign frame after promisc off"
}

# Two sniffers: the device leaves promiscuous mode when the second stops.
test_promiscuity_count_two_sniffers() {
	e1000_bed
	foreign=02:00:5e:aa:bb:cd
	ip netns exec nsa tcpdump -i "$IF_A" -w /dev/null 2>/dev/null &
	one=$!
	wait_until 5 "[ \$(promiscuity nsa $IF_A) = 1 ]"
	ip netns exec nsa tcpdump -i "$IF_A" -w /dev/null 2>/dev/null &
	two=$!
	wait_until 5 "[ \$(promiscuity nsa $IF_A) = 2 ]"
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" "$foreign")" otherhost "foreign frame, two sniffers"
	kill "$one"
	wait "$one" || true
	wait_until 5 "[ \$(promiscuity nsa $IF_A) = 1 ]"
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" "$foreign")" otherhost "foreign frame, one sniffer left"
	kill "$two"
	wait "$two" || true
	wait_until 5 "[ \$(promiscuity nsa $IF_A) = 0 ]"
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" "$foreign")" none "foreign frame, no sniffer"
}

# A new station address reaches the receive filter: frames to it are
# delivered, frames to the old one no longer; group addresses are refused.
test_mac_address_change() {
	e1000_bed
	new=02:11:22:33:44:55
	ip -n nsa link set "$IF_A" address "$new"
	expect_eq "$(mac nsa "$IF_A")" "$new" "address after the change"
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" "$new")" host "frame to the new address"
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" "$MAC_E1000_A")" none "frame to the old address"
	expect_error 'cannot assign|invalid|not available' ip -n nsa link set "$IF_A" address 01:00:5e:00:00:01
	ip netns exec nsb ip neigh flush dev "$IF_B"
	ip netns exec nsa ping -c 2 -W 2 "$ADDR_B" >/dev/null || fail "ping with the new address"
}

test_multicast_filters() {
	e1000_bed
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" ff:ff:ff:ff:ff:ff)" broadcast "broadcast"
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" 01:00:5e:01:02:03)" none "unjoined group"
	ip -n nsa maddr add 01:00:5e:01:02:03 dev "$IF_A"
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" 01:00:5e:01:02:03)" multicast "joined group"
	# More groups than receive address registers: the hash table.
	for i in $(seq 10 40); do
		ip -n nsa maddr add "01:00:5e:00:01:$i" dev "$IF_A"
	done
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" 01:00:5e:00:01:33)" multicast "group in the hash table"
	ip -n nsa link set "$IF_A" allmulticast on
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" 01:00:5e:7f:7f:7f)" multicast "any group, allmulti"
}

test_short_frame_zero_padded() {
	e1000_bed
	short_frame_padded nsa "$IF_A" nsb "$IF_B"
}

# Batches from the stack (xmit_more): the driver writes the tail register
# once per batch, and the last frame of every batch writes it, so no frame
# waits for a next one that never comes. pktgen hands the driver bursts of
# 8 frames, one burst a millisecond; every frame it counts must leave the
# device and reach the peer within a few seconds.
test_tx_batches_all_sent() {
	e1000_bed
	pktgen_setup nsa "$IF_A" "$ADDR_B" "$(mac nsb "$IF_B")" \
		"count 1000" "burst 8" "delay 1000000" "pkt_size 60"
	local tx0 rx0 sent
	tx0=$(link_stat nsa "$IF_A" tx.packets)
	rx0=$(link_stat nsb "$IF_B" rx.packets)
	sent=$(pktgen_run nsa)
	[ -n "$sent" ] && ((sent >= 1000)) || fail "pktgen sent '${sent}' frames"
	wait_until 5 "[ \$((\$(link_stat nsa $IF_A tx.packets) - $tx0)) -ge $sent ]" ||
		fail "the device sent $(($(link_stat nsa "$IF_A" tx.packets) - tx0)) of $sent frames"
	wait_until 5 "[ \$((\$(link_stat nsb $IF_B rx.packets) - $rx0)) -ge $sent ]" ||
		fail "the peer got $(($(link_stat nsb "$IF_B" rx.packets) - rx0)) of $sent frames"
}

# Software transmit timestamps (SO_TIMESTAMPING), as the C driver gives
# them: ethtool -T says so, and every datagram sent comes back stamped.
test_software_tx_timestamps() {
	e1000_bed
	expect_match "$(ip netns exec nsa ethtool -T "$IF_A")" "software-transmit" "ethtool -T"
	expect_eq "$(ip netns exec nsa python3 -S "$HELPERS/txstamp.py" "$ADDR_B" 5)" "stamped 5 of 5" "timestamps"
}

test_counters_match_traffic() {
	e1000_bed
	# Only the test's frames: no IPv6 router solicitations or reports
	# from either end in the middle of a count.
	ip netns exec nsa sysctl -qw "net.ipv6.conf.$IF_A.disable_ipv6=1"
	ip netns exec nsb sysctl -qw "net.ipv6.conf.$IF_B.disable_ipv6=1"
	N=200
	SIZE=300
	rx0=$(stat nsa "$IF_A" rx_packets)
	rxb0=$(stat nsa "$IF_A" rx_bytes)
	lrx0=$(link_stat nsa "$IF_A" rx.packets)
	rx_start nsa "$IF_A" --count $N --timeout 30
	rawframe nsb send "$IF_B" "$MAC_E1000_A" --count $N --size $SIZE
	rx_wait || fail "the socket got $(wc -l </tmp/recv.out) of $N frames"
	expect_eq "$(($(stat nsa "$IF_A" rx_packets) - rx0))" $N "ethtool -S rx_packets"
	expect_eq "$(($(stat nsa "$IF_A" rx_bytes) - rxb0))" $((N * SIZE)) "ethtool -S rx_bytes"
	expect_eq "$(($(link_stat nsa "$IF_A" rx.packets) - lrx0))" $N "ip -s rx packets"
	tx0=$(link_stat nsa "$IF_A" tx.packets)
	rx_start nsb "$IF_B" --count $N --timeout 30
	rawframe nsa send "$IF_A" "$MAC_VIRTIO" --count $N --size $SIZE
	rx_wait || fail "the peer got $(wc -l </tmp/recv.out) of $N frames"
	wait_until 5 "[ \$((\$(link_stat nsa $IF_A tx.packets) - $tx0)) -ge $N ]"
	expect_eq "$(($(link_stat nsa "$IF_A" tx.packets) - tx0))" $N "ip -s tx packets"
}

test_link_flap_from_qemu_monitor() {
	e1000_bed
	trap 'host_request "set_link p1 on"' EXIT
	host_request "set_link p1 off"
	wait_until 2 "ip netns exec nsa grep -qx 0 /sys/class/net/$IF_A/carrier"
	expect_match "$(ip -n nsa link show "$IF_A")" 'NO-CARRIER' "link after set_link off"
	host_request "set_link p1 on"
	wait_until 2 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
	expect_match "$(dmesg | tail -n 20)" "$IF_A NIC Link is Down" "link down message"
	# Ours logs it from the watchdog, once flow control is resolved, just
	# after the carrier (C logs it just before).
	wait_until 2 "dmesg | tail -n 20 | grep -q '$IF_A NIC Link is Up 1000 Mbps Full Duplex'"
	ip netns exec nsa ping -c 2 -W 2 "$ADDR_B" >/dev/null || fail "ping after the flap"
}

# Unloads the driver under a flood both ways, 50 times (the C driver, as
# a reference, 10 times: the cycles take most of the suite's time).
test_rmmod_under_traffic_cycles() {
	e1000_bed
	local cycles=50 module=rust_e1000
	if [ "$DRV" != rust_e1000 ]; then
		cycles=10 module=e1000
	fi
	for i in $(seq "$cycles"); do
		if [ "$i" -gt 1 ]; then
			IF_A=$(bind "$BDF_A" "$DRV")
			ip link set "$IF_A" netns nsa
			ip -n nsa addr add "$ADDR_A/24" dev "$IF_A"
			ip -n nsa link set "$IF_A" up
			wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
		fi
		ip netns exec nsa ping -f "$ADDR_B" >/dev/null 2>&1 &
		a=$!
		ip netns exec nsb ping -f "$ADDR_A" >/dev/null 2>&1 &
		b=$!
		wait_until 10 "[ \$(stat nsa $IF_A rx_packets) -gt 20 ]"
		timeout 20 rmmod "$module" || fail "cycle $i: rmmod failed or hung"
		kill "$a" "$b" 2>/dev/null || true
		wait "$a" "$b" 2>/dev/null || true
	done
	if dmesg | grep -q 'unregister_netdevice: waiting'; then
		fail "a device reference was leaked"
	fi
}

# A transmit unit that stops (injected through debugfs: frames are queued
# but the device is not told) stops the queue; the core's watchdog calls
# tx_timeout, the driver resets the device from process context, and
# traffic resumes. The C driver has no such injection point.
test_tx_timeout_resets_and_traffic_resumes() {
	e1000_bed
	knob=/sys/kernel/debug/rust_e1000-$BDF_A/inject_tx_hang
	[ -e "$knob" ] || fail "no fault injection point $knob"
	timeouts=$(stat nsa "$IF_A" tx_timeout_count)
	echo 1 >"$knob"
	rawframe nsa send "$IF_A" "$MAC_VIRTIO" --count 400
	wait_until 20 "dmesg | grep -q '$IF_A: Reset adapter'"
	expect_match "$(dmesg)" "$IF_A: NETDEV WATCHDOG: .*transmit queue 0 timed out" "timeout reported by the core"
	expect_eq "$(cat "$knob")" 0 "injected hang cleared by the reset"
	[ "$(stat nsa "$IF_A" tx_timeout_count)" -gt "$timeouts" ] || fail "tx_timeout_count did not grow"
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
	ip netns exec nsa ping -c 3 -i 0.2 -W 2 "$ADDR_B" >/dev/null || fail "ping after the reset"
	tcp_transfer_checked 1000000 5030
}
