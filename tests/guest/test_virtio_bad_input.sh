# SPDX-License-Identifier: GPL-2.0
# Bad input on the virtio-net NIC, as test_bad_input.sh does for the
# e1000: knobs given values out of range or malformed, an rx-mode list of
# thousands of groups, and frames longer than the MTU from the peer. Each
# value must get the answer C virtio_net gives (the same message and exit
# status) and leave the device as it was. The rows, "# bad-input DRIVER |
# CASE | MESSAGE | exit N", go to Documentation/reliability.rst. Every
# test also runs on C virtio_net (a "# reference" run).

REFERENCE_DRIVERS="virtio_net"
DRV=${E1000_DRIVER:-rust_virtio_net}
# virtio_dev, virtio_bind, virtio_up, virtio_bed, virtio_feature.
source "$HELPERS/virtio.sh"
# bad_row, kept_as_it_was, many_groups.
source "$HELPERS/bad_input.sh"

# The bad values: "CASE|COMMAND" (IFACE stands for the interface).
BAD_VALUES=(
	"mtu 67 (minimum 68)|ip link set IFACE mtu 67"
	"mtu 65536 (maximum 65535)|ip link set IFACE mtu 65536"
	"address zero|ip link set IFACE address 00:00:00:00:00:00"
	"address multicast|ip link set IFACE address 01:00:5e:00:00:01"
	"-G rx 0|ethtool -G IFACE rx 0"
	"-G tx 0|ethtool -G IFACE tx 0"
	"-G rx 257 (maximum 256)|ethtool -G IFACE rx 257"
	"-C rx-usecs 10001|ethtool -C IFACE rx-usecs 10001"
	"-C tx-frames 4294967295|ethtool -C IFACE tx-frames 4294967295"
	"-L combined 0|ethtool -L IFACE combined 0"
	"-L combined 2 (maximum 1)|ethtool -L IFACE combined 2"
	"-e offset 200|ethtool -e IFACE offset 200 length 4"
	"-E with a wrong magic|ethtool -E IFACE magic 0x12345678 offset 0 value 0"
	"-s speed 12345|ethtool -s IFACE speed 12345 duplex full autoneg off"
	"-s autoneg on|ethtool -s IFACE autoneg on"
)

# bad_values DRIVER: the rows of BAD_VALUES on a bed with DRIVER, with the
# driver's name and the interface's taken out, so that two drivers' rows
# compare; then checks that the device is as it was.
bad_values() {
	local row cmd
	virtio_bed "$1"
	for row in "${BAD_VALUES[@]}"; do
		cmd=${row#*|}
		# shellcheck disable=SC2086
		DRV=$1 bad_row nsb "${row%%|*}" ${cmd//IFACE/$IF_B} | sed "s/$IF_B/IFACE/g"
	done
	# The settings -s accepted (C's too) are undone: the link's values
	# come back from the device with the next link change.
	virtio_intact
}

# virtio_intact: the NIC kept its MTU, address, rings and carrier, and
# carries traffic.
virtio_intact() {
	kept_as_it_was nsb "$IF_B" "$MAC_VIRTIO" "$ADDR_A"
}

# Every row must be what C answers: the same message, the same status.
test_bad_values_as_c() {
	local c ours
	c=$(bad_values virtio_net)
	c=$(sed 's/^# bad-input virtio_net /# bad-input DRV /' <<<"$c")
	ours=$(bad_values "$DRV")
	echo "$ours"
	ours=$(sed "s/^# bad-input $DRV /# bad-input DRV /" <<<"$ours")
	if [ "$c" != "$ours" ]; then
		diff <(echo "$c") <(echo "$ours") | sed 's/^/    /' >&2 || true
		fail "$DRV answers bad values otherwise than virtio_net (- C, + ours)"
	fi
}

# features_and_netlink DRIVER: the -K and malformed netlink rows on a bed
# with DRIVER; then the device must be as it was.
features_and_netlink() {
	virtio_bed "$1"
	DRV=$1 features_and_netlink_rows nsb "$IF_B" "$MAC_VIRTIO"
	virtio_intact
}

# Contradicting or fixed features (-K) and malformed netlink requests:
# every row as C answers it.
test_features_and_netlink_as_c() {
	versus_c features_and_netlink virtio_net "$DRV"
}

# 4,096 groups: far over the device's 64-entry table (QEMU then takes all
# multicast), sent in one control command, then all left at once.
test_4096_multicast_groups() {
	virtio_bed
	virtio_feature 18 || return 0 # VIRTIO_NET_F_CTRL_RX: the device filters
	ip netns exec nsb sysctl -qw "net.ipv6.conf.$IF_B.disable_ipv6=1"
	many_groups nsb "$IF_B" nsa "$IF_A" 4096
	expect_eq "$(rxf multicast-overflow)" false "the device's table overflow after leaving"
	virtio_intact
}

# Frames longer than the NIC's MTU (1500), from a peer at MTU 9000, with a
# frame header every 2048 bytes: the NIC hands up each frame whole or
# drops it (C hands them up: the buffers are merged), never in pieces,
# and counts what it drops. Ours must do what C does.
frames_over_mtu() {
	local rxmac
	virtio_bed "$1"
	ip -n nsa link set "$IF_A" mtu 9000
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
	rxmac=$(mac nsb "$IF_B")
	for size in 1515 1600 4000 9000; do
		rx_start nsb "$IF_B" --until-sentinel --timeout 30
		rawframe nsa send "$IF_A" "$rxmac" --count 3 --size "$size" --nested 2048 --sentinel "$rxmac"
		rx_wait || fail "the sentinel after $size-byte frames never arrived"
		echo "$size-byte frames handed up: $(awk '{ print $2 }' /tmp/recv.out | sort | uniq -c |
			awk '{ printf "%s of %s bytes, ", $1, $2 }')the sentinel"
	done
	ip -n nsa link set "$IF_A" mtu 1500
	virtio_intact
}

test_frames_over_mtu_as_c() {
	local c ours
	c=$(frames_over_mtu virtio_net)
	ours=$(frames_over_mtu "$DRV")
	echo "$ours" | sed 's/^/# /'
	if [ "$c" != "$ours" ]; then
		diff <(echo "$c") <(echo "$ours") | sed 's/^/    /' >&2 || true
		fail "$DRV receives long frames otherwise than virtio_net (- C, + ours)"
	fi
}
