# SPDX-License-Identifier: GPL-2.0
# The Rust e1000 driver on QEMU's 82540EM, against a virtio-net peer on
# the in-tree driver. Every test also runs on the in-tree C e1000 for
# comparison (reported as "# reference" lines by run-all.sh).

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
	head -c 4000000 /dev/urandom >/tmp/tx2.bin
	ip netns exec nsa socat -u TCP-LISTEN:5002,reuseaddr OPEN:/tmp/rx2.bin,creat,trunc &
	listener=$!
	wait_until 5 listening nsa 5002
	ip netns exec nsb socat -u OPEN:/tmp/tx2.bin "TCP:$ADDR_A:5002" || fail "socat send"
	wait "$listener" || fail "socat receive"
	expect_eq "$(sha256sum </tmp/rx2.bin)" "$(sha256sum </tmp/tx2.bin)" "data received by the e1000"
}

test_jumbo_mtu_9000() {
	e1000_bed
	ip -n nsa link set "$IF_A" mtu 9000
	ip -n nsb link set "$IF_B" mtu 9000
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
	ip netns exec nsa ping -c 2 -M do -s 8972 -W 3 "$ADDR_B" >/dev/null || fail "9000-byte DF ping"
	tcp_transfer_checked 2000000 5003
	expect_error 'mtu greater than device maximum' ip -n nsa link set "$IF_A" mtu 16111
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

test_counters_match_traffic() {
	e1000_bed
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

test_ring_resize_and_mtu_change_under_traffic() {
	e1000_bed
	head -c 6000000 /dev/urandom >/tmp/tx.bin
	ip netns exec nsb socat -u TCP-LISTEN:5004,reuseaddr OPEN:/tmp/rx.bin,creat,trunc &
	listener=$!
	wait_until 5 listening nsb 5004
	ip netns exec nsa socat -u OPEN:/tmp/tx.bin "TCP:$ADDR_B:5004" &
	sender=$!
	sleep 0.5
	ip netns exec nsa ethtool -G "$IF_A" rx 512 tx 512
	sleep 0.3
	ip -n nsa link set "$IF_A" mtu 4000
	sleep 0.3
	ip netns exec nsa ethtool -G "$IF_A" rx 64 tx 64
	wait "$sender" || fail "socat send"
	wait "$listener" || fail "socat receive"
	expect_eq "$(sha256sum </tmp/rx.bin)" "$(sha256sum </tmp/tx.bin)" "data across reconfigurations"
	out=$(ip netns exec nsa ethtool -g "$IF_A" | sed -n '/Current/,$p')
	expect_match "$out" 'RX:[[:space:]]+64' "RX ring after resize"
	expect_match "$out" 'TX:[[:space:]]+64' "TX ring after resize"
}

test_ethtool_ring_limits() {
	e1000_bed
	out=$(ip netns exec nsa ethtool -g "$IF_A")
	expect_match "$(sed -n '/maximums/,/Current/p' <<<"$out")" 'RX:[[:space:]]+4096' "RX maximum"
	expect_match "$(sed -n '/Current/,$p' <<<"$out")" 'RX:[[:space:]]+256' "RX default"
	# Like the C driver: below the minimum is raised to 48, others are
	# rounded up to a multiple of 8; above the maximum is refused.
	ip netns exec nsa ethtool -G "$IF_A" rx 20 tx 100
	out=$(ip netns exec nsa ethtool -g "$IF_A" | sed -n '/Current/,$p')
	expect_match "$out" 'RX:[[:space:]]+48' "RX below the minimum"
	expect_match "$out" 'TX:[[:space:]]+104' "TX rounded up"
	expect_error 'invalid argument|exceeds|out of range' ip netns exec nsa ethtool -G "$IF_A" rx 5000
	ip netns exec nsa ping -c 2 -W 2 "$ADDR_B" >/dev/null || fail "ping after ring changes"
}

test_ethtool_coalesce_regs_msglevel() {
	e1000_bed
	expect_match "$(ip netns exec nsa ethtool -c "$IF_A")" 'rx-usecs:[[:space:]]+3' "default rx-usecs"
	ip netns exec nsa ethtool -C "$IF_A" rx-usecs 100
	expect_match "$(ip netns exec nsa ethtool -c "$IF_A")" 'rx-usecs:[[:space:]]+100' "rx-usecs after -C"
	expect_error 'invalid argument' ip netns exec nsa ethtool -C "$IF_A" rx-usecs 5
	ip netns exec nsa ping -c 2 -W 2 "$ADDR_B" >/dev/null || fail "ping after coalesce change"
	dump=$(ip netns exec nsa ethtool -d "$IF_A" raw on | wc -c)
	[ "$dump" -ge 128 ] || fail "register dump of $dump bytes"
	ip netns exec nsa ethtool -s "$IF_A" msglvl 0x1
	expect_match "$(ip netns exec nsa ethtool "$IF_A")" 'Current message level: 0x00000001' "msglevel"
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
	expect_match "$(dmesg | tail -n 20)" "$IF_A NIC Link is Up 1000 Mbps Full Duplex" "link up message"
	ip netns exec nsa ping -c 2 -W 2 "$ADDR_B" >/dev/null || fail "ping after the flap"
}

test_rmmod_under_traffic_cycles() {
	for i in $(seq 25); do
		e1000_bed
		ip netns exec nsa ping -f "$ADDR_B" >/dev/null 2>&1 &
		a=$!
		ip netns exec nsb ping -f "$ADDR_A" >/dev/null 2>&1 &
		b=$!
		wait_until 10 "[ \$(stat nsa $IF_A rx_packets) -gt 20 ]"
		if [ "$DRV" = rust_e1000 ]; then
			timeout 20 rmmod rust_e1000 || fail "cycle $i: rmmod failed or hung"
		else
			timeout 20 rmmod e1000 || fail "cycle $i: rmmod failed or hung"
		fi
		kill "$a" "$b" 2>/dev/null || true
		wait "$a" "$b" 2>/dev/null || true
		unbind_all
	done
	if dmesg | grep -q 'unregister_netdevice: waiting'; then
		fail "a device reference was leaked"
	fi
}

test_ethtool_eeprom_channels_pause() {
	e1000_bed
	ip netns exec nsa ethtool -e "$IF_A" raw on >/tmp/eeprom.bin
	expect_eq "$(wc -c </tmp/eeprom.bin)" 128 "EEPROM size"
	expect_eq "$(head -c 6 /tmp/eeprom.bin | od -An -tx1 | tr -d ' \n')" 525400123401 "address in the EEPROM"
	sum=$(python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); print(hex(sum(int.from_bytes(d[i:i + 2], "little") for i in range(0, len(d), 2)) & 0xffff))' /tmp/eeprom.bin)
	expect_eq "$sum" 0xbaba "EEPROM checksum"
	expect_match "$(ip netns exec nsa ethtool -l "$IF_A")" 'Combined:[[:space:]]+1' "channels"
	ip netns exec nsa ethtool -L "$IF_A" combined 1
	expect_error 'invalid argument|out of range|exceeds' ip netns exec nsa ethtool -L "$IF_A" combined 2
	out=$(ip netns exec nsa ethtool -I -a "$IF_A")
	expect_match "$out" 'Autonegotiate:[[:space:]]+on' "pause autonegotiation"
	expect_match "$out" 'tx_pause_frames: [0-9]+' "pause statistics"
}
