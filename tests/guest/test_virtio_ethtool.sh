# SPDX-License-Identifier: GPL-2.0
# The Rust virtio-net driver's ethtool operations, on QEMU's virtio-net-pci
# (speed=10000, duplex=full) against an e1000 peer on the in-tree C e1000:
# rings and their resize under traffic, coalescing, channels, statistics,
# features and link settings. Most tests look at the C virtio_net first,
# then at the driver under test on the same device, and fail on any answer
# or error that differs. Every test also runs on C virtio_net (reported as
# "# reference" lines by run-all.sh), where it compares C with itself.

REFERENCE_DRIVERS="virtio_net"
DRV=${E1000_DRIVER:-rust_virtio_net}
# virtio_dev, virtio_bind, virtio_up, virtio_bed.
source "$HELPERS/virtio.sh"
# netconsole_bed, netconsole_on, netconsole_lines_under_flood.
source "$HELPERS/netconsole.sh"

# try CMD...: runs CMD in nsb and prints it with its exit status and
# output on one line, the interface's name replaced by IFACE.
try() {
	local out rc=0
	out=$(ip netns exec nsb "$@" 2>&1) || rc=$?
	echo "$* -> $rc: $(tr '\n' '|' <<<"$out")" | sed "s/$IF_B/IFACE/g"
}

# as_c_does OBSERVE: runs the function OBSERVE (which prints what it sees,
# through `try`) on a bed with C virtio_net, then on a bed with $DRV, and
# fails if anything differs.
as_c_does() {
	local c ours
	virtio_bed virtio_net
	c=$("$1")
	virtio_bed "$DRV"
	ours=$("$1")
	if [ "$c" != "$ours" ]; then
		diff <(echo "$c") <(echo "$ours") | sed 's/^/    /' >&2 || true
		fail "$1: $DRV answers otherwise than virtio_net (- C, + ours)"
	fi
}

observe_rings() {
	try ethtool -g "$IF_B"
	# One frame's descriptors at most is too small a transmit ring: EINVAL.
	try ethtool -G "$IF_B" tx 16
	# Not a power of two: the split ring's allocation fails (ENOMEM).
	try ethtool -G "$IF_B" tx 100
	try ethtool -G "$IF_B" rx 100
	# Above the device's maximum: the core refuses.
	try ethtool -G "$IF_B" rx 512
	try ethtool -G "$IF_B" rx 64 tx 64
	try ethtool -g "$IF_B"
	if ip netns exec nsb ping -c 2 -i 0.2 -W 2 "$ADDR_A" >/dev/null; then
		echo "ping after the resize: ok"
	else
		echo "ping after the resize: lost"
	fi
	try ethtool -G "$IF_B" rx 256 tx 256
	try ethtool -g "$IF_B"
}

test_rings_as_c() {
	as_c_does observe_rings
}

# Both directions carry a TCP stream while the rings are resized, each
# direction's data checked; then ping.
test_ring_resize_under_traffic() {
	virtio_bed
	# The virtio NIC sends, then receives.
	tcp_transfer_checked 6000000 5101 back resize_both_rings
	tcp_transfer_checked 6000000 5102 forth resize_rx_ring
	ip netns exec nsb ping -c 3 -i 0.2 -W 2 "$ADDR_A" >/dev/null || fail "ping after the resizes"
}

# resize_both_rings, resize_rx_ring: the resizes done while data flows.
resize_both_rings() {
	ip netns exec nsb ethtool -G "$IF_B" rx 64 tx 64
	sleep 0.3
	ip netns exec nsb ethtool -G "$IF_B" rx 128 tx 32
	sleep 0.3
	ip netns exec nsb ethtool -G "$IF_B" rx 256 tx 256
}

resize_rx_ring() {
	ip netns exec nsb ethtool -G "$IF_B" rx 32
	sleep 0.3
	ip netns exec nsb ethtool -G "$IF_B" rx 256
}

observe_coalesce() {
	try ethtool -c "$IF_B"
	try ethtool -C "$IF_B" rx-usecs 10
	try ethtool -C "$IF_B" tx-usecs 10
	try ethtool -C "$IF_B" rx-frames 2
	try ethtool -C "$IF_B" tx-frames 2
	# Switching transmit NAPI off is refused while up.
	try ethtool -C "$IF_B" tx-frames 0
	try ethtool -C "$IF_B" adaptive-rx on
	try ethtool -C "$IF_B" rx-frames 1 tx-frames 1
	try ethtool -c "$IF_B"
}

test_coalesce_as_c() {
	as_c_does observe_coalesce
}

observe_channels_features() {
	try ethtool -l "$IF_B"
	try ethtool -L "$IF_B" combined 2
	try ethtool -L "$IF_B" rx 1
	try ethtool -L "$IF_B" combined 1
	try ethtool -l "$IF_B"
	# C's VLAN filter comes with the control queue, not part of this.
	ip netns exec nsb ethtool -k "$IF_B" | grep -v '^rx-vlan-filter:' | sed "s/$IF_B/IFACE/g"
	# The statistics' names (their values depend on timing).
	ip netns exec nsb ethtool -S "$IF_B" | sed -n 's/^ *\([^:]*\):.*/\1/p'
}

test_channels_features_stats_names_as_c() {
	as_c_does observe_channels_features
}

# The statistics after traffic: no XDP and no timeout counted, kicks
# counted each way, and the totals equal queue pair 0's.
test_stats_values() {
	virtio_bed
	local s
	ip netns exec nsa ping -f -c 300 "$ADDR_B" >/dev/null || fail "flood ping"
	s=$(ip netns exec nsb ethtool -S "$IF_B")
	stat_of() { sed -n "s/^ *$1: //p" <<<"$s"; }
	for name in xdp_packets xdp_tx xdp_redirects xdp_drops; do
		expect_eq "$(stat_of "rx_$name")" 0 "rx_$name"
	done
	expect_eq "$(stat_of tx_tx_timeouts)" 0 "tx_tx_timeouts"
	[ "$(stat_of rx_kicks)" -gt 0 ] || fail "no receive kick counted"
	[ "$(stat_of tx_kicks)" -gt 0 ] || fail "no transmit kick counted"
	for name in drops kicks; do
		expect_eq "$(stat_of "rx0_$name")" "$(stat_of "rx_$name")" "rx0_$name against rx_$name"
	done
	expect_eq "$(stat_of tx0_kicks)" "$(stat_of tx_kicks)" "tx0_kicks against tx_kicks"
}

observe_link() {
	ip netns exec nsb ethtool "$IF_B" | grep -E 'Speed|Duplex|Port|Auto-negotiation|Link detected'
	try ethtool -s "$IF_B" speed 1000 duplex half
	ip netns exec nsb ethtool "$IF_B" | grep -E 'Speed|Duplex'
	try ethtool -s "$IF_B" autoneg on
	try ethtool -s "$IF_B" port tp
	try ethtool -s "$IF_B" speed 100 duplex full
	ip netns exec nsb ethtool "$IF_B" | grep -E 'Speed|Duplex'
	# The device's values come back when the link does.
	host_request "set_link p2 off"
	wait_until 5 "ip netns exec nsb grep -qx 0 /sys/class/net/$IF_B/carrier"
	host_request "set_link p2 on"
	wait_until 5 "ip netns exec nsb grep -qx 1 /sys/class/net/$IF_B/carrier"
	ip netns exec nsb ethtool "$IF_B" | grep -E 'Speed|Duplex'
}

test_link_settings_as_c() {
	trap 'host_request "set_link p2 on"' EXIT
	as_c_does observe_link
}

# netconsole on the virtio NIC under a flood while its rings are resized
# over and over (sizes that fail print from the resize): netpoll's
# start_xmit and zero-budget polls meet the transmit lock held by the
# poll and by the resize. Every line reaches the peer, traffic after.
test_netconsole_during_ring_resizes() {
	unbind_all
	IF_A=$(bind "$(pci_by_mac "$MAC_E1000_A")" e1000)
	IF_B=$(virtio_bind "$DRV")
	netconsole_bed "$IF_B" "$ADDR_B" nsa "$IF_A" "$ADDR_A"
	netconsole_on 6667
	netconsole_lines_under_flood 100 resize_now_and_then
}

# resize_now_and_then LINE: every tenth line both rings to 64, then back
# to 256, and in between a transmit ring that is not a power of two (it
# fails, and prints).
resize_now_and_then() {
	case $(($1 % 10)) in
	0) ethtool -G "$IF_B" rx 64 tx 64 ;;
	5) ethtool -G "$IF_B" rx 256 tx 256 ;;
	7) ethtool -G "$IF_B" tx 100 2>/dev/null || true ;;
	esac
}
