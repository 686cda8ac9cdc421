# SPDX-License-Identifier: GPL-2.0
# The sample module: loading, identity, unloading.

test_load_creates_pair() {
	netpair_unload
	insmod "$NETPAIR_KO"
	wait_until 5 '[ "$(netpair_ifaces | wc -l)" = 2 ]'
	# Each end has its own random, locally administered unicast address.
	read -r a b <<<"$(netpair_ifaces | tr '\n' ' ')"
	ma=$(cat "/sys/class/net/$a/address")
	mb=$(cat "/sys/class/net/$b/address")
	[ "$ma" != "$mb" ] || fail "both ends have address $ma"
	expect_match "$ma" '^.[26ae]:' "address of $a (locally administered)"
	expect_eq "$(cat "/sys/class/net/$a/addr_assign_type")" 1 "addr_assign_type (random)"
	expect_eq "$(cat "/sys/class/net/$a/type")" 1 "ARPHRD type (Ethernet)"
	expect_eq "$(cat "/sys/class/net/$a/mtu")" 1500 "default MTU"
}

test_ethtool_driver_info() {
	netpair_load
	info=$(ethtool -i "$IF_A")
	expect_match "$info" '^driver: rust_netpair$' "ethtool -i driver"
	expect_match "$info" '^bus-info: software$' "ethtool -i bus-info"
	expect_match "$info" "^version: $(uname -r)$" "ethtool -i version (kernel release)"
}

test_modinfo() {
	info=$(modinfo "$NETPAIR_KO")
	expect_match "$info" '^license: +GPL$' "modinfo license"
	expect_match "$info" '^author: +rust-nic developers$' "modinfo author"
	expect_match "$info" '^description: +Pair of back-to-back Ethernet devices' "modinfo description"
	expect_match "$info" '^name: +rust_netpair$' "modinfo name"
}

test_unload_removes_pair() {
	netpair_load
	ip link set "$IF_A" up
	ip link set "$IF_B" up
	rmmod rust_netpair
	expect_eq "$(netpair_ifaces | wc -l)" 0 "interfaces left after rmmod"
	# And it comes back.
	netpair_load
	expect_eq "$(netpair_ifaces | wc -l)" 2 "interfaces after reload"
}

test_carrier_follows_peer() {
	netpair_load
	ip link set "$IF_A" up
	sleep 0.2
	expect_eq "$(cat "/sys/class/net/$IF_A/carrier")" 0 "carrier with the peer down"
	ip link set "$IF_B" up
	wait_until 3 grep -qx 1 "/sys/class/net/$IF_A/carrier"
	expect_eq "$(cat "/sys/class/net/$IF_B/carrier")" 1 "peer carrier"
	expect_match "$(ethtool "$IF_A")" 'Link detected: yes' "ethtool link"
	ip link set "$IF_B" down
	wait_until 3 grep -qx 0 "/sys/class/net/$IF_A/carrier"
	expect_match "$(ethtool "$IF_A")" 'Link detected: no' "ethtool link after peer down"
	expect_match "$(ip link show "$IF_A")" 'NO-CARRIER' "ip link after peer down"
}
