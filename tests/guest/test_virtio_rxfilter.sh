# SPDX-License-Identifier: GPL-2.0
# What rides on virtio-net's control queue, checked where it lands: in the
# device. After each change on the interface (promiscuous mode, all-
# multicast, multicast groups, secondary unicast addresses, the address,
# VLANs) QEMU's own view of the NIC's receive filter (QMP query-rx-filter,
# through the host agent) must follow, and frames the filter should drop
# must not arrive. Then QEMU's announce_self: the driver must announce the
# interface (gratuitous ARP, seen by the e1000 peer) and acknowledge it.
# Every test also runs on the in-tree C virtio_net.
#
# The checks follow the features negotiated: without VIRTIO_NET_F_CTRL_RX
# (QEMU ctrl_rx=off, or ctrl_vq=off) the device stays promiscuous, as it
# starts; RNIC_VIRTIO_NET_PROPS on the host sets such properties (see
# scripts/qemu-run.sh).

REFERENCE_DRIVERS="virtio_net"
DRV=${E1000_DRIVER:-rust_virtio_net}
# virtio_dev, virtio_bind, virtio_up, virtio_bed, rx_filter, rxf.
source "$HELPERS/virtio.sh"

FOREIGN=02:00:5e:aa:bb:cc
SECONDARY=02:00:5e:11:22:33
GROUP=01:00:5e:01:02:03
OTHER_GROUP=01:00:5e:01:02:04
NEW_MAC=52:54:00:12:34:22

# Feature bits (uapi linux/virtio_net.h).
F_CTRL_VQ=17
F_CTRL_RX=18
F_CTRL_VLAN=19
F_CTRL_RX_EXTRA=20
F_GUEST_ANNOUNCE=21
F_CTRL_MAC_ADDR=23

# quiet_bed: the bed without IPv6, so that only the tests' groups and
# frames come and go.
quiet_bed() {
	virtio_bed
	ip netns exec nsa sysctl -qw "net.ipv6.conf.$IF_A.disable_ipv6=1"
	ip netns exec nsb sysctl -qw "net.ipv6.conf.$IF_B.disable_ipv6=1"
}

# to_b DST: how the virtio NIC's stack classified a frame from the peer to
# DST, or "none" if the device (or the stack) dropped it.
to_b() {
	delivered_to nsa "$IF_A" nsb "$IF_B" "$1"
}

# filtering: whether the device filters (VIRTIO_NET_F_CTRL_RX); without
# it the device receives everything.
filtering() {
	virtio_feature $F_CTRL_RX
}

# want_promiscuous true|false: waits for the device's promiscuous mode
# (always on without filtering).
want_promiscuous() {
	if filtering; then
		wait_until 10 rxf_is promiscuous "$1"
	else
		expect_eq "$(rxf promiscuous)" true "device promiscuous without CTRL_RX"
	fi
}

# sniffers_are N: whether B's promiscuity count is N.
sniffers_are() {
	[ "$(promiscuity nsb "$IF_B")" = "$1" ]
}

test_control_queue_features() {
	virtio_bed
	local bit
	for bit in $F_CTRL_VQ $F_CTRL_RX $F_CTRL_VLAN $F_GUEST_ANNOUNCE $F_CTRL_MAC_ADDR; do
		virtio_feature "$bit" || fail "feature bit $bit not negotiated"
	done
	# C does not list it.
	! virtio_feature $F_CTRL_RX_EXTRA || fail "CTRL_RX_EXTRA negotiated"
	expect_match "$(ip netns exec nsb ethtool -k "$IF_B")" 'rx-vlan-filter: on \[fixed\]' "VLAN filter feature"
	# C polls the control queue for answers: it has no interrupt.
	if grep -q "$VDEV-control" /proc/interrupts; then
		fail "the control queue has an interrupt"
	fi
	expect_eq "$(rxf main-mac)" "$MAC_VIRTIO" "the device's station address"
}

# Two sniffers make the promiscuity count 2; the device is promiscuous
# until the last one goes.
test_promiscuity_two_sniffers_reach_the_device() {
	quiet_bed
	local one two
	want_promiscuous false
	ip netns exec nsb tcpdump -i "$IF_B" -w /dev/null 2>/dev/null &
	one=$!
	wait_until 5 sniffers_are 1
	want_promiscuous true
	ip netns exec nsb tcpdump -i "$IF_B" -w /dev/null 2>/dev/null &
	two=$!
	wait_until 5 sniffers_are 2
	want_promiscuous true
	kill "$one"
	wait "$one" || true
	wait_until 5 sniffers_are 1
	want_promiscuous true
	expect_eq "$(to_b "$FOREIGN")" otherhost "foreign frame with one sniffer left"
	kill "$two"
	wait "$two" || true
	wait_until 5 sniffers_are 0
	want_promiscuous false
}

test_foreign_frame_only_when_promiscuous() {
	quiet_bed
	want_promiscuous false
	if filtering; then
		expect_eq "$(to_b "$FOREIGN")" none "foreign frame, not promiscuous"
	else
		expect_eq "$(to_b "$FOREIGN")" otherhost "foreign frame, device without a filter"
	fi
	expect_eq "$(to_b "$MAC_VIRTIO")" host "frame to the station address"
	expect_eq "$(to_b ff:ff:ff:ff:ff:ff)" broadcast "broadcast frame"
	ip -n nsb link set "$IF_B" promisc on
	want_promiscuous true
	expect_eq "$(to_b "$FOREIGN")" otherhost "foreign frame, promiscuous"
	ip -n nsb link set "$IF_B" promisc off
	want_promiscuous false
	filtering || return 0
	expect_eq "$(to_b "$FOREIGN")" none "foreign frame after 'promisc off'"
}

test_allmulti_reaches_the_device() {
	quiet_bed
	filtering || return 0
	wait_until 10 rxf_is multicast normal
	expect_eq "$(to_b "$OTHER_GROUP")" none "unjoined group"
	ip -n nsb link set "$IF_B" allmulticast on
	wait_until 10 rxf_is multicast all
	expect_eq "$(to_b "$OTHER_GROUP")" multicast "unjoined group, all-multicast"
	expect_eq "$(to_b "$FOREIGN")" none "foreign unicast frame, all-multicast"
	ip -n nsb link set "$IF_B" allmulticast off
	wait_until 10 rxf_is multicast normal
	expect_eq "$(to_b "$OTHER_GROUP")" none "unjoined group after 'allmulticast off'"
}

# Joins land in the device's multicast table; more than its 64 entries
# make it take every group (multicast-overflow), and leaving undoes both.
test_multicast_joins_reach_the_device() {
	quiet_bed
	filtering || return 0
	ip -n nsb maddr add "$GROUP" dev "$IF_B"
	wait_until 10 rxf_is multicast-table "$GROUP"
	expect_eq "$(rxf multicast-overflow)" false "overflow with a few groups"
	expect_eq "$(to_b "$GROUP")" multicast "joined group"
	expect_eq "$(to_b "$OTHER_GROUP")" none "unjoined group"
	many maddr add "01:00:5e:00:10:%02x dev $IF_B"
	expect_eq "$(ip -n nsb maddr show dev "$IF_B" | grep -c '01:00:5e:00:10:')" 70 "groups joined"
	wait_until 10 rxf_is multicast-overflow true
	expect_eq "$(to_b "$OTHER_GROUP")" multicast "unjoined group, table overflowed"
	many maddr del "01:00:5e:00:10:%02x dev $IF_B"
	wait_until 10 rxf_is multicast-overflow false
	wait_until 10 rxf_is multicast-table "$GROUP"
	expect_eq "$(to_b "$OTHER_GROUP")" none "unjoined group after the others left"
	ip -n nsb maddr del "$GROUP" dev "$IF_B"
	wait_until 10 rxf_lacks multicast-table "$GROUP"
	expect_eq "$(to_b "$GROUP")" none "group after leaving"
}

# many OBJECT VERB FORMAT: 70 commands "OBJECT VERB FORMAT" in nsb, the
# format's %02x counting from 0: ip for maddr (one by one: "ip -batch"
# returns 0 but joins none), bridge for fdb (as one batch).
many() {
	local i cmd
	for i in $(seq 0 69); do
		# shellcheck disable=SC2059
		cmd=$(printf "$1 $2 $3" "$i")
		if [ "$1" = fdb ]; then
			echo "$cmd"
		else
			# shellcheck disable=SC2086
			ip -n nsb $cmd || fail "ip $cmd"
		fi
	done >/tmp/batch
	[ "$1" = fdb ] || return 0
	ip netns exec nsb bridge -batch /tmp/batch || fail "bridge -batch: $1 $2"
}

# fdb ADD|DEL MAC: a secondary unicast address of B (the default FDB
# handler puts it in the device's unicast list).
fdb() {
	ip netns exec nsb bridge fdb "$1" "$2" dev "$IF_B" self permanent
}

test_unicast_addresses_reach_the_device() {
	quiet_bed
	filtering || return 0
	fdb add "$SECONDARY"
	wait_until 10 rxf_is unicast-table "$SECONDARY"
	expect_eq "$(rxf unicast-overflow)" false "overflow with one address"
	# Not the station address, so "otherhost" for the stack; but the
	# device let it through.
	expect_eq "$(to_b "$SECONDARY")" otherhost "frame to the secondary address"
	expect_eq "$(to_b "$FOREIGN")" none "frame to a foreign address"
	many fdb add "02:00:5e:00:10:%02x dev $IF_B self permanent"
	expect_eq "$(ip netns exec nsb bridge fdb show dev "$IF_B" | grep -c '02:00:5e:00:10:')" 70 "addresses added"
	wait_until 10 rxf_is unicast-overflow true
	expect_eq "$(to_b "$FOREIGN")" otherhost "foreign frame, table overflowed"
	many fdb del "02:00:5e:00:10:%02x dev $IF_B self permanent"
	wait_until 10 rxf_is unicast-overflow false
	fdb del "$SECONDARY"
	wait_until 10 rxf_lacks unicast-table "$SECONDARY"
	expect_eq "$(to_b "$SECONDARY")" none "frame to the removed address"
	expect_eq "$(promiscuity nsb "$IF_B")" 0 "promiscuity (the device filters unicast)"
}

test_mac_change_reaches_the_device() {
	quiet_bed
	ip -n nsb link set "$IF_B" address "$NEW_MAC"
	expect_eq "$(mac nsb "$IF_B")" "$NEW_MAC" "interface address"
	if virtio_feature $F_CTRL_MAC_ADDR; then
		wait_until 10 rxf_is main-mac "$NEW_MAC"
		expect_eq "$(to_b "$NEW_MAC")" host "frame to the new address"
		filtering && expect_eq "$(to_b "$MAC_VIRTIO")" none "frame to the old address"
	fi
	ip -n nsb link set "$IF_B" address "$MAC_VIRTIO"
	wait_until 10 rxf_is main-mac "$MAC_VIRTIO"
	ip netns exec nsb ping -c 2 -W 2 "$ADDR_A" >/dev/null || fail "ping after the change"
}

# vlan_seen VID NET: whether frames tagged VID reach B's device driver
# (a capture on B that does not make it promiscuous) while the peer looks
# for NET.2 on its VLAN VID interface (ARP broadcasts, tagged).
vlan_seen() {
	rm -f /tmp/vlan.out /tmp/vlan.err
	ip netns exec nsb tcpdump -p -l -n -e -i "$IF_B" vlan "$1" >/tmp/vlan.out 2>/tmp/vlan.err &
	local sniffer=$!
	wait_until 10 'grep -q "listening on" /tmp/vlan.err'
	ip netns exec nsa ping -c 2 -W 1 "$2.2" >/dev/null 2>&1 || true
	kill "$sniffer" 2>/dev/null || true
	wait "$sniffer" 2>/dev/null || true
	grep -q "vlan $1" /tmp/vlan.out
}

# peer_vlan VID NET: a VLAN interface on the peer, with NET.1.
peer_vlan() {
	ip -n nsa link add link "$IF_A" name "vl$1" type vlan id "$1"
	ip -n nsa addr add "$2.1/24" dev "vl$1"
	ip -n nsa link set "vl$1" up
}

# A VLAN on the interface lands in the device's VLAN table and its traffic
# passes; another VLAN's frames do not reach the driver; deleting the VLAN
# takes it out of the table, and its frames stop too.
test_vlan_filter_reaches_the_device() {
	quiet_bed
	ip -n nsb link add link "$IF_B" name vl5 type vlan id 5
	ip -n nsb addr add 198.51.100.2/24 dev vl5
	ip -n nsb link set vl5 up
	peer_vlan 5 198.51.100
	peer_vlan 6 203.0.113
	ip netns exec nsa ping -c 2 -W 2 198.51.100.2 >/dev/null || fail "ping over VLAN 5"
	if ! virtio_feature $F_CTRL_VLAN; then
		vlan_seen 6 203.0.113 || fail "VLAN 6 filtered by a device without a VLAN filter"
		return 0
	fi
	wait_until 10 rxf_is vlan-table 5
	rxf_lacks vlan-table 6 || fail "VLAN 6 in the device's table"
	! vlan_seen 6 203.0.113 || fail "frames of VLAN 6 reached the driver"
	ip -n nsb link del vl5
	wait_until 10 rxf_lacks vlan-table 5
	! vlan_seen 5 198.51.100 || fail "frames of VLAN 5 reached the driver after its deletion"
}

# QEMU's announce_self (as after a migration): the device asks the driver
# to announce itself, the driver sends a gratuitous ARP for its address and
# acknowledges, and the e1000 peer sees it.
test_announce_self_sends_gratuitous_arp() {
	virtio_bed
	local sniffer
	rm -f /tmp/arp.out /tmp/arp.err
	ip netns exec nsa tcpdump -l -n -i "$IF_A" "arp and ether src $MAC_VIRTIO" \
		>/tmp/arp.out 2>/tmp/arp.err &
	sniffer=$!
	wait_until 10 'grep -q "listening on" /tmp/arp.err'
	host_request announce_self
	if virtio_feature $F_GUEST_ANNOUNCE; then
		wait_until 10 "grep -qE 'who-has $ADDR_B tell $ADDR_B|Announcement $ADDR_B' /tmp/arp.out"
	else
		sleep 3
		if grep -qE "tell $ADDR_B|Announcement $ADDR_B" /tmp/arp.out; then
			fail "gratuitous ARP without GUEST_ANNOUNCE"
		fi
	fi
	kill "$sniffer" 2>/dev/null || true
	wait "$sniffer" 2>/dev/null || true
	if dmesg | grep -q 'Failed to ack link announce'; then
		fail "the announcement was not acknowledged"
	fi
}
