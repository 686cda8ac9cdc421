# SPDX-License-Identifier: GPL-2.0
# The classic ioctl path (what ifconfig and mii-tool do, through
# helpers/ifioctl.py) and the link events `ip monitor link` shows, for
# every driver. On the e1000 and the virtio-net NIC each test runs the
# same steps on the in-tree C driver, then on ours, and fails on any row
# that differs; rust_netpair has no C twin and is held to the values the
# core documents.

REFERENCE_DRIVERS=""
# virtio_bed.
source "$HELPERS/virtio.sh"
# kept_as_it_was, versus_c.
source "$HELPERS/bad_input.sh"

# io NS IFACE OP...: ifioctl.py's rows for $DRV, "# ioctl DRV | OP | RESULT".
io() {
	local ns=$1 ifc=$2
	shift 2
	ip netns exec "$ns" python3 -S "$HELPERS/ifioctl.py" "$ifc" "$@" |
		sed "s/^\([^|]*\)|\(.*\)$/# ioctl $DRV | \1 | \2/"
}

# row CASE VALUE: one more row.
row() {
	echo "# ioctl $DRV | $1 | $2"
}

promiscuity() {
	ip -n "$1" -d link show "$2" | sed -n 's/.* promiscuity \([0-9]*\) .*/\1/p'
}

# ioctl_rows NS IFACE MAC PEER_NS PEER_IFACE: the ioctl steps on IFACE in
# NS, whose own address is MAC, with PEER_IFACE in PEER_NS sending frames
# to it. `ifconfig promisc` sets IFF_PROMISC, one count of the
# promiscuity counter: with a sniffer as well the device must stay
# promiscuous when the flag goes, and leave it only when the sniffer does.
ioctl_rows() {
	local ns=$1 ifc=$2 mac=$3 pns=$4 pif=$5 sniffer
	io "$ns" "$ifc" flags mtu hwaddr down flags up flags
	wait_until 10 "ip netns exec $ns grep -qx 1 /sys/class/net/$ifc/carrier"
	io "$ns" "$ifc" promisc flags
	row "promiscuity after ifconfig promisc" "$(promiscuity "$ns" "$ifc")"
	ip netns exec "$ns" tcpdump -i "$ifc" -w /dev/null >/dev/null 2>&1 &
	sniffer=$!
	wait_until 10 "[ \"\$(promiscuity $ns $ifc)\" = 2 ]"
	io "$ns" "$ifc" -promisc flags
	row "promiscuity with a sniffer left" "$(promiscuity "$ns" "$ifc")"
	row "frame to another station, a sniffer left" \
		"$(delivered_to "$pns" "$pif" "$ns" "$ifc" 02:00:00:00:00:77)"
	kill "$sniffer"
	wait "$sniffer" 2>/dev/null
	wait_until 10 "[ \"\$(promiscuity $ns $ifc)\" = 0 ]"
	row "frame to another station, nobody sniffing" \
		"$(delivered_to "$pns" "$pif" "$ns" "$ifc" 02:00:00:00:00:77)"
	io "$ns" "$ifc" mtu=1400 mtu mtu=100000 mtu=20 mtu mtu=1500 mtu
	io "$ns" "$ifc" hwaddr=02:00:00:00:00:99 hwaddr hwaddr=01:00:5e:00:00:01 \
		hwaddr=00:00:00:00:00:00 "hwaddr=$mac" hwaddr mii
}

# e1000_side DRIVER: the ioctl steps on the first e1000 on DRIVER, the
# interface's name taken out; then the device must be as it was.
e1000_side() {
	e1000_bed "$1"
	DRV=$1 ioctl_rows nsa "$IF_A" "$MAC_E1000_A" nsb "$IF_B" >/tmp/ioctl.rows
	sed "s/$IF_A/IFACE/g" /tmp/ioctl.rows
	kept_as_it_was nsa "$IF_A" "$MAC_E1000_A" "$ADDR_B" >&2
}

# virtio_side DRIVER: the same on the virtio-net NIC.
virtio_side() {
	virtio_bed "$1"
	DRV=$1 ioctl_rows nsb "$IF_B" "$MAC_VIRTIO" nsa "$IF_A" >/tmp/ioctl.rows
	sed "s/$IF_B/IFACE/g" /tmp/ioctl.rows
	kept_as_it_was nsb "$IF_B" "$MAC_VIRTIO" "$ADDR_A" >&2
}

# The ioctl steps on the e1000, the MII registers included: C's rows and
# ours must match.
test_e1000_ioctls_as_c() {
	versus_c e1000_side e1000 rust_e1000
}

test_virtio_ioctls_as_c() {
	versus_c virtio_side virtio_net rust_virtio_net
}

# link_events NS IFACE MAC LOSE REGAIN: `ip -o monitor link` in NS while
# IFACE goes down and up, changes its MTU, its address and a feature, and
# loses and regains its link (the commands LOSE and REGAIN: QEMU's
# set_link of the NIC's hub port, or the other end of a pair going down
# and up), with time to settle after each step; prints IFACE's events in
# order, one row each, "# event DRV | STEP | EVENT", its index, name and
# address taken out.
link_events() {
	local ns=$1 ifc=$2 mac=$3 lose=$4 regain=$5 mon seen=0
	ip -n "$ns" -o monitor link >/tmp/events.raw 2>&1 &
	mon=$!
	sleep 1
	# after STATE STEP: once IFACE's operational state matches STATE (the core
	# reports it from its link watch, up to a second late), with the
	# carrier for "up" (C's e1000 drops it in an MTU change and its
	# watchdog brings it back), and a second more: the events since the
	# last step, attributed to STEP.
	after() {
		local total sys="ip netns exec $ns cat /sys/class/net/$ifc"
		wait_until 10 "$sys/operstate | grep -qxE '$1'"
		[ "$1" != up ] || wait_until 10 "[ \"\$($sys/carrier)\" = 1 ] && [ \"\$($sys/operstate)\" = up ]"
		sleep 1
		grep -F "$ifc" /tmp/events.raw >/tmp/events.now
		total=$(wc -l </tmp/events.now)
		((total > seen)) || return 0
		tail -n +$((seen + 1)) /tmp/events.now |
			sed -E "s/^[0-9]+: //; s/$ifc/IFACE/g; s/$mac/MAC/g; s/^/# event $DRV | $2 | /"
		seen=$total
	}
	ip -n "$ns" link set "$ifc" down
	after down down
	ip -n "$ns" link set "$ifc" up
	after up up
	ip -n "$ns" link set "$ifc" mtu 1400
	after up "mtu 1400"
	ip -n "$ns" link set "$ifc" mtu 1500
	after up "mtu 1500"
	ip -n "$ns" link set "$ifc" address 02:00:00:00:00:99
	after up "address"
	ip -n "$ns" link set "$ifc" address "$mac"
	after up "address back"
	ip netns exec "$ns" ethtool -K "$ifc" gro off
	after up "gro off"
	ip netns exec "$ns" ethtool -K "$ifc" gro on
	after up "gro on"
	eval "$lose"
	# A pair end whose peer is down is "lowerlayerdown" (veth).
	after "down|lowerlayerdown" "link lost"
	eval "$regain"
	after up "link back"
	kill "$mon"
	wait "$mon" 2>/dev/null
}

# e1000_events DRIVER, virtio_events DRIVER: link_events on that NIC
# with DRIVER.
e1000_events() {
	e1000_bed "$1" >&2
	DRV=$1 link_events nsa "$IF_A" "$MAC_E1000_A" "host_request 'set_link p1 off'" \
		"host_request 'set_link p1 on'"
}

virtio_events() {
	virtio_bed "$1" >&2
	DRV=$1 link_events nsb "$IF_B" "$MAC_VIRTIO" "host_request 'set_link p2 off'" \
		"host_request 'set_link p2 on'"
}

# pair_events KIND: link_events on one end of a pair of KIND, rust_netpair
# or veth (its C twin), each end in its own namespace with an address; the
# link is lost when the other end goes down. What veth adds to every
# message and rust_netpair does not have is taken out: the peer's index
# and namespace (veth's ndo_get_iflink and link-netns) and the qdisc (veth
# has no queue).
pair_events() {
	if [ "$1" = veth ]; then
		netpair_unload >&2
		ip link add vethA type veth peer name vethB
		IF_A=vethA IF_B=vethB
		into_netns
		ip -n nsa addr add "$ADDR_A/24" dev "$IF_A"
		ip -n nsb addr add "$ADDR_B/24" dev "$IF_B"
		both_up
		# On, as on every other device here, for the "gro" steps.
		ip netns exec nsa ethtool -K "$IF_A" gro on
	else
		netpair_netns >&2
	fi
	DRV=$1 link_events nsa "$IF_A" "$(mac nsa "$IF_A")" "ip -n nsb link set $IF_B down" \
		"ip -n nsb link set $IF_B up" |
		sed -E 's/IFACE@if[0-9]+:/IFACE:/; s/ link-netns [a-z]+//; s/ qdisc [a-z_]+ / /'
	ip netns del nsa
	ip netns del nsb
}

# The events of the e1000 on C and on ours: the same, in the same order,
# but for "up" and the MTU changes. C's open turns the carrier off and its
# watchdog on again, and an MTU change resets the device (carrier off and
# on); ours keeps the carrier through an MTU change and reports it at open
# (Documentation/e1000.rst).
test_e1000_link_events_as_c() {
	versus_c e1000_events e1000 rust_e1000 "up|mtu 1400|mtu 1500"
}

# The same on the virtio-net NIC, but for "up": C reports the open with
# the carrier on and the operational state still down, then the state
# (two events); ours one (Documentation/virtio-net.rst).
test_virtio_link_events_as_c() {
	versus_c virtio_events virtio_net rust_virtio_net "up"
}

# The events of rust_netpair against those of veth, the in-tree pair
# device, step by step.
test_netpair_link_events_as_veth() {
	versus_c pair_events veth rust_netpair
}

# rust_netpair through the same ioctls, against what the core answers for
# any Ethernet device.
test_netpair_ioctls() {
	netpair_netns
	local rows mac
	mac=$(mac nsa "$IF_A")
	rows=$(DRV=rust_netpair ioctl_rows nsa "$IF_A" "$mac" nsb "$IF_B")
	echo "$rows"
	for want in "flags | UP BROADCAST MULTICAST" "down | ok" "promisc | ok" \
		"promiscuity after ifconfig promisc | 1" "promiscuity with a sniffer left | 1" \
		"a sniffer left | otherhost" "nobody sniffing | none" "mtu=1400 | ok" \
		"mtu=100000 | EINVAL" "mtu=20 | EINVAL" "hwaddr=01:00:5e:00:00:01 | EADDRNOTAVAIL" \
		"hwaddr | family 1 $mac" "mii | ENOTSUP"; do
		grep -qF "$want" <<<"$rows" || fail "no row '$want'"
	done
}
