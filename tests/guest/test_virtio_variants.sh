# SPDX-License-Identifier: GPL-2.0
# Feature negotiation on QEMU's virtio-net-pci variants (issue 13): for
# each variant a virtio-net-pci with those properties is plugged into the
# empty root port hp2, on hub port hpnet2 (helpers/hotplug.sh; the host
# agent allows only the variants' properties), beside an e1000 peer on
# the in-tree C e1000. C virtio_net binds it first and what it shows is
# recorded (negotiated features, `ethtool -i -k -g -l -c` and link
# settings, MTU and its range), then the driver under test binds the same
# device, must show the same, must show what the variant is for, and must
# carry a ping and checked TCP transfers each way; the NIC is then
# unplugged under it. In C's reference run ("# reference" lines) C is the
# driver under test: its record is compared with nothing else, but the
# variant's checks and the traffic run on C.

REFERENCE_DRIVERS="virtio_net"
DRV=${E1000_DRIVER:-rust_virtio_net}
source "$HELPERS/virtio.sh"
source "$HELPERS/hotplug.sh"

HOT=2
# step WHAT: marks the kernel log, to see where the time goes.
step() { echo "rnic-variants: $*" >/dev/kmsg; }
NS_DUT=nsb ADDR_DUT=$ADDR_B NS_PEER=nsa ADDR_PEER=$ADDR_A

# Feature bits (include/uapi/linux/virtio_net.h, virtio_config.h).
F_MTU=3 F_MRG_RXBUF=15 F_STATUS=16 F_CTRL_VQ=17 F_CTRL_RX=18 F_RING_PACKED=34 F_SPEED_DUPLEX=63

# variant_bed: hp2 empty, neither virtio-net driver loaded, the first
# e1000 on the in-tree C e1000 in nsa with $ADDR_A, an empty nsb.
variant_bed() {
	unbind_all
	hot_cleanup "$HOT"
	c_e1000_peer
}

# plug_variant PROPS: plugs the virtio-net-pci with PROPS into hp2 (a trap
# unplugs it if the test fails) and sets VDEV, its virtio device.
plug_variant() {
	trap 'hot_cleanup $HOT' EXIT
	hot_plug virtio-net-pci "$HOT" "$1"
	local bdf
	bdf=$(hot_bdf "$HOT")
	wait_until 10 "ls -d /sys/bus/pci/devices/$bdf/virtio*"
	VDEV=$(basename "$(ls -d "/sys/bus/pci/devices/$bdf"/virtio*)")
}

# load DRIVER: loads the module of DRIVER if it is not loaded.
load() {
	case "$1" in
	rust_virtio_net) lsmod | grep -q '^rust_virtio_net ' || insmod "$RNIC_OUT/drivers/net/virtio/rust_virtio_net.ko" ;;
	*) modprobe "$1" ;;
	esac
}

# vbind DRIVER: binds $VDEV to DRIVER (unbinding it from any other), puts
# its interface into nsb with $ADDR_B, up with carrier. Sets IF_DUT.
vbind() {
	local dev=/sys/bus/virtio/devices/$VDEV
	load "$1"
	if [ -e "$dev/driver" ] && [ "$(basename "$(readlink "$dev/driver")")" != "$1" ]; then
		echo "$VDEV" >"$dev/driver/unbind"
	fi
	[ -e "$dev/driver" ] || echo "$VDEV" >"/sys/bus/virtio/drivers/$1/bind"
	wait_until 10 "ls $dev/net/ 2>/dev/null | grep -q ."
	expect_eq "$(basename "$(readlink "$dev/driver")")" "$1" "driver of $VDEV"
	IF_DUT=$(ls "$dev/net/")
	ip link set "$IF_DUT" netns nsb
	ip -n nsb addr add "$ADDR_B/24" dev "$IF_DUT"
	ip -n nsb link set "$IF_DUT" up
	wait_until 10 "ip netns exec nsb grep -qx 1 /sys/class/net/$IF_DUT/carrier"
}

# ethtool_lines [OPTION]: `ethtool OPTION IF_DUT` in nsb, one line per
# value, each prefixed with the command and its section ("ethtool -g
# [Current hardware settings:] RX: 256"), spaces squeezed, the interface
# named IFACE.
ethtool_lines() {
	ip netns exec nsb ethtool ${1:+"$1"} "$IF_DUT" 2>&1 | sed "s/$IF_DUT/IFACE/g" |
		awk -v cmd="ethtool${1:+ $1}" '
			{ gsub(/[ \t]+/, " "); sub(/^ /, ""); sub(/ $/, "") }
			$0 == "" { next }
			/:$/ { section = $0; next }
			{ print cmd " [" section "] " $0 }'
}

# record: what the driver bound to $VDEV shows, one "FIELD VALUE" line
# each. Not compared: `ethtool -i`'s driver (checked by vbind) and version
# (the kernel release for ours, 1.0.0 for C: Documentation/virtio-net.rst).
record() {
	local f bit
	f=$(cat "/sys/bus/virtio/devices/$VDEV/features")
	for ((bit = 0; bit < ${#f}; bit++)); do
		[ "${f:bit:1}" = 0 ] || echo "negotiated feature $bit"
	done
	ip -n nsb -d -j link show dev "$IF_DUT" | python3 -c '
import json, sys
link = json.load(sys.stdin)[0]
for key in ("mtu", "min_mtu", "max_mtu"):
    print("ip -d link", key, link[key])'
	ethtool_lines -i | grep -vE '^ethtool -i \[[^]]*\] (driver|version):'
	ethtool_lines -k
	ethtool_lines -g
	ethtool_lines -l
	ethtool_lines -c
	ethtool_lines
}

# expect_record RECORD WHAT EXPECT...: each EXPECT is a regular expression
# a line of RECORD must match in full, or "!" and one no line may match.
expect_record() {
	local record=$1 what=$2 e
	shift 2
	for e in "$@"; do
		if [ "${e:0:1}" = "!" ]; then
			if grep -qxE -- "${e:1}" <<<"$record"; then
				fail "$what: $DRV shows '$(grep -xE -- "${e:1}" <<<"$record" | head -n1)'"
			fi
		elif ! grep -qxE -- "$e" <<<"$record"; then
			fail "$what: $DRV shows no line /$e/"
		fi
	done
}

# transfer FROM TO ADDR PORT WHAT: 300 KB of random bytes over TCP from
# namespace FROM to ADDR:PORT in TO, checked with sha256; a transfer that
# stalls fails after 60 s rather than hanging the suite.
transfer() {
	local listener
	head -c 300000 /dev/urandom >/tmp/tx.bin
	rm -f /tmp/rx.bin
	ip netns exec "$2" timeout 60 socat -u "TCP-LISTEN:$4,reuseaddr" OPEN:/tmp/rx.bin,creat,trunc &
	listener=$!
	wait_until 5 listening "$2" "$4"
	ip netns exec "$1" timeout 60 socat -u OPEN:/tmp/tx.bin "TCP:$3:$4" || fail "$5: TCP send from $1"
	wait "$listener" || fail "$5: TCP receive in $2"
	expect_eq "$(sha256sum </tmp/rx.bin)" "$(sha256sum </tmp/tx.bin)" "$5: data received in $2"
}

# traffic WHAT: a ping from the NIC under test, and TCP each way.
traffic() {
	ip netns exec nsb ping -c 2 -i 0.2 -W 2 "$ADDR_A" >/dev/null || fail "$1: ping to the peer lost"
	transfer nsb nsa "$ADDR_A" 5301 "$1"
	transfer nsa nsb "$ADDR_B" 5302 "$1"
}

# variant PROPS EXPECT...: the virtio-net-pci with PROPS plugged in, C's
# record, then $DRV's (on C's run the same), equal to C's and with the
# lines EXPECT asks for (see expect_record), traffic. The NIC stays on
# $DRV in nsb ($IF_DUT) for more checks; unplug_variant ends the variant.
variant() {
	local props=$1 c ours diffs
	shift
	WHAT="variant '${props:-default}'"
	step "$WHAT: plug"
	plug_variant "$props"
	step "$WHAT: C"
	vbind virtio_net
	c=$(record)
	ours=$c
	if [ "$DRV" != virtio_net ]; then
		step "$WHAT: $DRV"
		vbind "$DRV"
		ours=$(record)
	fi
	diffs=$(diff <(echo "$c") <(echo "$ours") | sed -n 's/^< /C: /p; s/^> /ours: /p')
	if [ -n "$diffs" ]; then
		sed 's/^/    /' <<<"$diffs" >&2
		fail "$WHAT: $DRV shows otherwise than virtio_net: $(head -n 4 <<<"$diffs" | tr '\n' ';')"
	fi
	expect_record "$ours" "$WHAT" "$@"
	step "$WHAT: traffic"
	traffic "$WHAT"
}

# unplug_variant: the NIC is unplugged with its interface up on $DRV, and
# both the PCI device and its interface go.
unplug_variant() {
	step "$WHAT: unplug"
	hot_unplug "$HOT"
	if ip -n nsb link show "$IF_DUT" >/dev/null 2>&1; then
		fail "$WHAT: $IF_DUT still there after the unplug"
	fi
	trap - EXIT
}

# What every variant but the one that changes it shows.
PLAIN_MTU=("ip -d link mtu 1500" "ip -d link min_mtu 68" "ip -d link max_mtu 65535")
SPLIT_RING="!negotiated feature $F_RING_PACKED"
RINGS_256=("ethtool -g \[Pre-set maximums:\] RX: 256" "ethtool -g \[Pre-set maximums:\] TX: 256")

# The variants, one function each (variant_NAME), in the order they run.
VARIANTS="default packed_ring mrg_rxbuf_off host_mtu_9000 speed_duplex ctrl_vq_off status_off
	rx_queue_1024 ctrl_vq_off_alone_refused"

# QEMU's defaults on a hub: mergeable buffers, status, the control queue
# with its receive filter, a split ring of 256 entries each way, no MTU,
# no speed or duplex.
variant_default() {
	variant "" "negotiated feature $F_MRG_RXBUF" "negotiated feature $F_STATUS" \
		"negotiated feature $F_CTRL_VQ" "negotiated feature $F_CTRL_RX" "$SPLIT_RING" \
		"!negotiated feature $F_MTU" "!negotiated feature $F_SPEED_DUPLEX" \
		"${PLAIN_MTU[@]}" "${RINGS_256[@]}" "ethtool \[Settings for IFACE:\] Speed: Unknown!" \
		"ethtool -l \[Current hardware settings:\] Combined: 1"
	unplug_variant
}

variant_packed_ring() {
	variant packed=on "negotiated feature $F_RING_PACKED" "negotiated feature $F_MRG_RXBUF" \
		"${PLAIN_MTU[@]}" "${RINGS_256[@]}"
	unplug_variant
}

# Small receive buffers (C's add_recvbuf_small).
variant_mrg_rxbuf_off() {
	variant mrg_rxbuf=off "!negotiated feature $F_MRG_RXBUF" "$SPLIT_RING" "${PLAIN_MTU[@]}"
	unplug_variant
}

# The interface starts at the device's MTU, which is also its maximum; a
# 9000-byte frame passes each way with the peer at MTU 9000 (then back at
# 1500 for the next variant).
variant_host_mtu_9000() {
	variant host_mtu=9000 "negotiated feature $F_MTU" "ip -d link mtu 9000" \
		"ip -d link min_mtu 68" "ip -d link max_mtu 9000"
	expect_error 'mtu greater than device maximum' ip -n nsb link set "$IF_DUT" mtu 9001
	ip -n nsa link set "$IF_A" mtu 9000
	wait_until 20 "ip netns exec nsa ping -c 1 -W 1 -M do -s 8972 $ADDR_B"
	ip netns exec nsb ping -c 2 -i 0.2 -W 2 -M do -s 8972 "$ADDR_A" >/dev/null ||
		fail "$WHAT: 9000-byte ping from the virtio NIC lost"
	ip -n nsa link set "$IF_A" mtu 1500
	unplug_variant
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
}

variant_speed_duplex() {
	variant speed=10000,duplex=full "negotiated feature $F_SPEED_DUPLEX" \
		"ethtool \[Settings for IFACE:\] Speed: 10000Mb/s" \
		"ethtool \[Settings for IFACE:\] Duplex: Full" "${PLAIN_MTU[@]}"
	unplug_variant
}

# Without a control queue QEMU still offers the receive filter and the
# other control features, which both drivers then refuse (the last
# variant): the usable device turns them off too. The device stays
# promiscuous, and no VLAN filter is claimed.
variant_ctrl_vq_off() {
	variant ctrl_vq=off,ctrl_rx=off,ctrl_vlan=off,guest_announce=off,ctrl_mac_addr=off \
		"!negotiated feature $F_CTRL_VQ" "!negotiated feature $F_CTRL_RX" \
		"ethtool -k \[Features for IFACE:\] rx-vlan-filter: off \[fixed\]" "${PLAIN_MTU[@]}"
	unplug_variant
}

# Without the status field the link is taken as up.
variant_status_off() {
	variant status=off "!negotiated feature $F_STATUS" \
		"ethtool \[Settings for IFACE:\] Link detected: yes" "${PLAIN_MTU[@]}"
	unplug_variant
}

variant_rx_queue_1024() {
	variant rx_queue_size=1024 "ethtool -g \[Pre-set maximums:\] RX: 1024" \
		"ethtool -g \[Current hardware settings:\] RX: 1024" \
		"ethtool -g \[Pre-set maximums:\] TX: 256" "${PLAIN_MTU[@]}"
	unplug_variant
}

# ctrl_vq=off alone: the device offers CTRL_RX without CTRL_VQ, which C's
# validate refuses ("device advertises feature VIRTIO_NET_F_CTRL_RX but
# not VIRTIO_NET_F_CTRL_VQ"). With both drivers loaded both try the new
# device in turn as it appears: the driver under test must refuse it with
# the same message, and it stays unbound.
variant_ctrl_vq_off_alone_refused() {
	local mark c ours
	WHAT="variant 'ctrl_vq=off' alone"
	load virtio_net
	load "$DRV"
	mark=$(kernel_log_mark)
	step "$WHAT: plug"
	plug_variant ctrl_vq=off
	refusal() { dmesg | tail -n +$((mark + 1)) | sed -n "s/.*\] $1 $VDEV: //p" | head -n1; }
	wait_until 10 '[ -n "$(refusal virtio_net)" ] && [ -n "$(refusal "$DRV")" ]'
	c=$(refusal virtio_net)
	ours=$(refusal "$DRV")
	expect_match "$c" '^device advertises feature VIRTIO_NET_F_CTRL_RX but not VIRTIO_NET_F_CTRL_VQ$' \
		"$WHAT: C's refusal"
	expect_eq "$ours" "$c" "$WHAT: $DRV's refusal"
	[ ! -e "/sys/bus/virtio/devices/$VDEV/driver" ] || fail "$WHAT: a driver bound the device"
	step "$WHAT: unplug"
	hot_unplug "$HOT"
	trap - EXIT
}

# Each variant in turn, in a subshell of its own: a failure ends that
# variant only (its trap unplugs the NIC), names it and the field that
# differs, and the others still run.
test_variants_as_c() {
	local v failed=""
	variant_bed
	for v in $VARIANTS; do
		(
			set -e
			"variant_$v"
		) &
		wait $! || failed+=" $v"
	done
	[ -z "$failed" ] || fail "variants failed:$failed (see above)"
}
