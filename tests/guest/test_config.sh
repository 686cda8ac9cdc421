# SPDX-License-Identifier: GPL-2.0
# Configuration through ip and ethtool, and its error paths.

test_mtu_range() {
	netpair_load
	ip link set "$IF_A" mtu 9000
	expect_eq "$(cat "/sys/class/net/$IF_A/mtu")" 9000 "MTU after setting 9000"
	ip link set "$IF_A" mtu 68
	expect_eq "$(cat "/sys/class/net/$IF_A/mtu")" 68 "MTU after setting 68"
	expect_error 'mtu greater than device maximum' ip link set "$IF_A" mtu 9001
	expect_error 'mtu less than device minimum' ip link set "$IF_A" mtu 67
	expect_eq "$(cat "/sys/class/net/$IF_A/mtu")" 68 "MTU after refused changes"
	# While up, too.
	ip link set "$IF_A" up
	ip link set "$IF_A" mtu 1500
	expect_eq "$(cat "/sys/class/net/$IF_A/mtu")" 1500 "MTU changed while up"
}

test_mac_address_change() {
	netpair_load
	ip link set "$IF_A" address 02:11:22:33:44:55
	expect_eq "$(cat "/sys/class/net/$IF_A/address")" 02:11:22:33:44:55 "new address"
	expect_error 'cannot assign requested address' ip link set "$IF_A" address 01:11:22:33:44:55
	expect_error 'cannot assign requested address' ip link set "$IF_A" address 00:00:00:00:00:00
	expect_eq "$(cat "/sys/class/net/$IF_A/address")" 02:11:22:33:44:55 "address after refused changes"
}

test_mac_change_while_up_reaches_filter() {
	netpair_quiet
	ip -n nsb link set "$IF_B" address 02:11:22:33:44:66
	rx_start nsb "$IF_B" --timeout 20
	rawframe nsa send "$IF_A" 02:11:22:33:44:66
	rx_wait || fail "frame to the new address not received"
	expect_eq "$(awk '{ print $1 }' /tmp/recv.out)" host "class of a frame to the new address"
}

test_ring_parameters() {
	netpair_load
	out=$(ethtool -g "$IF_A")
	expect_match "$(sed -n '/maximums/,/Current/p' <<<"$out")" 'RX:[[:space:]]+4096' "RX maximum"
	expect_match "$(sed -n '/Current/,$p' <<<"$out")" 'RX:[[:space:]]+256' "RX default"
	ethtool -G "$IF_A" rx 1024
	expect_match "$(ethtool -g "$IF_A" | sed -n '/Current/,$p')" 'RX:[[:space:]]+1024' "RX after -G"
	expect_error 'invalid argument' ethtool -G "$IF_A" rx 8
	expect_error 'invalid argument|out of range|exceeds' ethtool -G "$IF_A" rx 5000
	expect_match "$(ethtool -g "$IF_A" | sed -n '/Current/,$p')" 'RX:[[:space:]]+1024' "RX after refused -G"
}

test_msglevel() {
	netpair_load
	expect_match "$(ethtool "$IF_A")" 'Current message level: 0x00000007' "default message level"
	ethtool -s "$IF_A" msglvl 0x25
	expect_match "$(ethtool "$IF_A")" 'Current message level: 0x00000025' "message level after set"
	ip link set "$IF_A" up
	expect_match "$(dmesg | tail -n 5)" "$IF_A: up" "ifup message enabled by msglvl"
}

test_link_settings() {
	netpair_load
	out=$(ethtool "$IF_A")
	expect_match "$out" 'Speed: 10000Mb/s' "speed"
	expect_match "$out" 'Duplex: Full' "duplex"
	expect_match "$out" 'Auto-negotiation: off' "autoneg"
}
