# SPDX-License-Identifier: GPL-2.0
# XDP on the e1000: ours runs programs natively (in its receive poll,
# before a socket buffer exists), C's e1000 has no native XDP and runs
# them in generic mode. The same program (tests/bpf/xdp_verdict.bpf.c,
# its verdict set through a map with bpftool) gets each verdict in turn on
# both, and what the peer and the stack see must be the same: XDP_PASS
# lets a ping through, XDP_DROP keeps frames from the stack, XDP_TX sends
# them back to the peer, XDP_REDIRECT sends them back through the second
# e1000 (on ours, through its ndo_xdp_xmit) or through the virtio-net
# NIC; multi-buffer frames at MTU 9000. Then, on ours alone, the XDP
# counters of `ethtool -S` and the MTU refused while a program is
# attached.

# Each test runs C itself (versus_c): no reference run.
REFERENCE_DRIVERS=""
DRV=${E1000_DRIVER:-rust_e1000}
# versus_c.
source "$HELPERS/bad_input.sh"

XDP_OBJ=$RNIC_OUT/tests/bpf/xdp_verdict.bpf.o
XDP_FRAGS_OBJ=$RNIC_OUT/tests/bpf/xdp_verdict_frags.bpf.o
# Outside /sys: `ip netns exec` mounts a sysfs of its own.
BPF_DIR=/run/rnic-bpf

# xdp_load [OBJECT]: the program ($XDP_OBJ by default) and its maps
# pinned under $BPF_DIR (fresh).
xdp_load() {
	local obj=${1:-$XDP_OBJ}
	[ -f "$obj" ] || fail "no $obj (scripts/build-modules.sh builds it)"
	umount "$BPF_DIR" 2>/dev/null || true
	mkdir -p "$BPF_DIR"
	mount -t bpf bpf "$BPF_DIR"
	bpftool prog load "$obj" "$BPF_DIR/prog" type xdp pinmaps "$BPF_DIR/maps" ||
		fail "bpftool could not load $obj"
}

# xdp_config SLOT VALUE: a 32-bit value into the program's config map.
xdp_config() {
	local v=$2
	bpftool map update pinned "$BPF_DIR/maps/config" key "$1" 0 0 0 \
		value $((v & 255)) $(((v >> 8) & 255)) $(((v >> 16) & 255)) $(((v >> 24) & 255))
}

# xdp_verdict ACTION: the program's verdict from now on (XDP_DROP 1,
# XDP_PASS 2, XDP_TX 3, XDP_REDIRECT 4), stored plus one.
xdp_verdict() {
	xdp_config 0 $(($1 + 1))
}

# xdp_row STEP TEXT: one row, "# xdp DRV | STEP | TEXT".
xdp_row() {
	echo "# xdp $DRV | $1 | $(tr '\n' ' ' <<<"$2")"
}

# frames_reaching_stack: of 5 frames from the peer, how many our stack's
# packet socket gets (an untagged sentinel frame passes with XDP_PASS
# only: the count ends at the timeout otherwise).
frames_reaching_stack() {
	rawframe_probe nsa "$IF_A" nsb "$IF_B" "$MAC_A" --count 5 --timeout 3 || true
	grep -c . /tmp/recv.out
}

# frames_back_at_peer: of 5 frames the peer sends to us, how many come
# back to it (addressed to it).
frames_back_at_peer() {
	rawframe_probe nsb "$IF_B" nsb "$IF_B" "$MAC_A" --count 5 --timeout 5 || true
	awk '$1 == "host"' /tmp/recv.out | grep -c .
}

# second_e1000 DRIVER: the second e1000, on DRIVER, in nsa as "xdpout",
# up; prints its name.
second_e1000() {
	local ifc
	ifc=$(bind "$(pci_by_mac "$MAC_E1000_B")" "$1")
	ip link set "$ifc" name xdpout
	ip link set xdpout netns nsa
	ip -n nsa link set xdpout up
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/xdpout/carrier"
	echo xdpout
}

# xdp_versus_c ROWS: the rows of ROWS on C's e1000 in generic mode and on
# ours natively; prints ours (also left in $XDP_OURS), fails on any
# difference.
xdp_versus_c() {
	local c
	c=$("$1" e1000 xdpgeneric)
	XDP_OURS=$("$1" "$DRV" xdpdrv)
	echo "$XDP_OURS"
	DRV=$DRV same_as_c "$c" "$XDP_OURS"
}

# xdp_rows DRIVER MODE: the steps with the program attached to the first
# e1000 under DRIVER in MODE (xdpdrv, xdpgeneric).
xdp_rows() {
	local DRV=$1 mode=$2 out rc second
	e1000_bed "$DRV"
	MAC_A=$(mac nsa "$IF_A")
	second=$(second_e1000 "$DRV")
	xdp_load
	rc=0
	out=$(ip -n nsa link set dev "$IF_A" "$mode" pinned "$BPF_DIR/prog" 2>&1) || rc=$?
	xdp_row "attach" "$out exit $rc"
	out=$(ip netns exec nsa ping -c 2 -W 2 "$ADDR_B" >/dev/null 2>&1 && echo ok || echo failed)
	xdp_row "XDP_PASS: ping" "$out"
	xdp_row "XDP_PASS: frames reaching the stack" "$(frames_reaching_stack)"
	xdp_verdict 1
	xdp_row "XDP_DROP: frames reaching the stack" "$(frames_reaching_stack)"
	out=$(ip netns exec nsa ping -c 2 -W 1 "$ADDR_B" >/dev/null 2>&1 && echo ok || echo failed)
	xdp_row "XDP_DROP: ping" "$out"
	xdp_verdict 3
	xdp_row "XDP_TX: frames back at the peer" "$(frames_back_at_peer)"
	xdp_config 1 "$(ip netns exec nsa cat "/sys/class/net/$second/ifindex")"
	xdp_verdict 4
	xdp_row "XDP_REDIRECT: frames back at the peer" "$(frames_back_at_peer)"
	xdp_verdict 2
	rc=0
	out=$(ip -n nsa link set dev "$IF_A" "$mode" off 2>&1) || rc=$?
	xdp_row "detach" "$out exit $rc"
	out=$(ip netns exec nsa ping -c 2 -W 2 "$ADDR_B" >/dev/null 2>&1 && echo ok || echo failed)
	xdp_row "detached: ping" "$out"
}

# xdp_mb_rows DRIVER MODE: MTU 9000 on both ends and the multi-buffer
# build of the program on the first e1000 under DRIVER in MODE: 8000-byte
# frames (several pages each on ours) passed, sent back, dropped.
xdp_mb_rows() {
	local DRV=$1 mode=$2 out rc
	e1000_bed "$DRV"
	MAC_A=$(mac nsa "$IF_A")
	ip -n nsa link set dev "$IF_A" mtu 9000
	ip -n nsb link set dev "$IF_B" mtu 9000
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
	xdp_load "$XDP_FRAGS_OBJ"
	rc=0
	out=$(ip -n nsa link set dev "$IF_A" "$mode" pinned "$BPF_DIR/prog" 2>&1) || rc=$?
	xdp_row "attach at MTU 9000" "$out exit $rc"
	out=$(ip netns exec nsa ping -c 2 -W 2 -s 8000 -M do "$ADDR_B" >/dev/null 2>&1 && echo ok || echo failed)
	xdp_row "XDP_PASS: ping of 8000 bytes" "$out"
	rawframe_probe nsa "$IF_A" nsb "$IF_B" "$MAC_A" --count 5 --size 8000 --timeout 3 || true
	xdp_row "XDP_PASS: 8000-byte frames reaching the stack" "$(awk '{ print $2 }' /tmp/recv.out | tr '\n' ' ')"
	xdp_verdict 3
	rawframe_probe nsb "$IF_B" nsb "$IF_B" "$MAC_A" --count 5 --size 8000 --timeout 5 || true
	xdp_row "XDP_TX: 8000-byte frames back at the peer" "$(awk '$1 == "host" { print $2 }' /tmp/recv.out | tr '\n' ' ')"
	xdp_verdict 1
	rawframe_probe nsa "$IF_A" nsb "$IF_B" "$MAC_A" --count 5 --size 8000 --timeout 3 || true
	xdp_row "XDP_DROP: 8000-byte frames reaching the stack" "$(grep -c . /tmp/recv.out)"
	ip -n nsa link set dev "$IF_A" "$mode" off
	ip -n nsa link set dev "$IF_A" mtu 1500
	ip -n nsb link set dev "$IF_B" mtu 1500
}

# Multi-buffer frames (MTU 9000, a program that takes them) on ours
# natively, as C's generic XDP handles them.
test_multi_buffer_frames_as_c_generic() {
	xdp_versus_c xdp_mb_rows
	local ours=$XDP_OURS
	grep -qF "XDP_PASS: ping of 8000 bytes | ok" <<<"$ours" || fail "no jumbo ping with XDP_PASS"
	grep -qF "XDP_TX: 8000-byte frames back at the peer | 8000 8000 8000 8000 8000" <<<"$ours" ||
		fail "XDP_TX lost multi-buffer frames"
}

# xdp_virtio_rows DRIVER MODE: the first e1000 under DRIVER and the
# virtio-net NIC (C virtio_net) in nsa, the second e1000 (C) in nsb; the
# program on the first e1000 in MODE redirects the frames the second one
# sends to it out through the virtio-net NIC (C virtio_net sends
# redirected frames only with a program of its own: the same one, whose
# unset verdict is XDP_PASS).
xdp_virtio_rows() {
	local DRV=$1 mode=$2 out rc vio peer mac_peer
	unbind_all
	IF_A=$(bind "$(pci_by_mac "$MAC_E1000_A")" "$DRV")
	peer=$(bind "$(pci_by_mac "$MAC_E1000_B")" e1000)
	vio=$(bind "$(pci_by_mac "$MAC_VIRTIO")" virtio_net)
	ip netns add nsa
	ip netns add nsb
	ip link set "$IF_A" netns nsa
	ip link set "$vio" name xdpvio
	ip link set xdpvio netns nsa
	ip link set "$peer" name xdppeer
	ip link set xdppeer netns nsb
	ip -n nsa link set "$IF_A" up
	ip -n nsa link set xdpvio up
	ip -n nsb link set xdppeer up
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
	wait_until 10 "ip netns exec nsb grep -qx 1 /sys/class/net/xdppeer/carrier"
	MAC_A=$(mac nsa "$IF_A")
	xdp_load
	ip -n nsa link set dev xdpvio xdpdrv obj "$XDP_OBJ" sec xdp || fail "no program on virtio_net"
	rc=0
	out=$(ip -n nsa link set dev "$IF_A" "$mode" pinned "$BPF_DIR/prog" 2>&1) || rc=$?
	xdp_row "attach" "$out exit $rc"
	xdp_config 1 "$(ip netns exec nsa cat /sys/class/net/xdpvio/ifindex)"
	xdp_verdict 4
	rawframe_probe nsb xdppeer nsb xdppeer "$MAC_A" --count 5 --timeout 5 || true
	xdp_row "XDP_REDIRECT to virtio-net: frames back at the sender" "$(awk '$1 == "host"' /tmp/recv.out | grep -c .)"
	ip -n nsa link set dev "$IF_A" "$mode" off
	ip -n nsa link set dev xdpvio xdpdrv off
	ip netns del nsa
	ip netns del nsb
}

# A redirect to the virtio-net NIC forwards, natively on ours as in C's
# generic XDP.
test_redirect_to_virtio_as_c_generic() {
	xdp_versus_c xdp_virtio_rows
	grep -qF "frames back at the sender | 5" <<<"$XDP_OURS" || fail "the redirect to virtio-net lost frames"
}

# xdp_stat IFACE NAME: a counter of `ethtool -S` in nsa.
xdp_stat() {
	ip netns exec nsa ethtool -S "$1" | awk -v n="$2:" '$1 == n { print $2 }'
}

# Each verdict as C's generic XDP carries it out, and ours natively.
test_verdicts_native_as_c_generic() {
	xdp_versus_c xdp_rows
	local ours=$XDP_OURS
	grep -qF "XDP_PASS: ping | ok" <<<"$ours" || fail "no ping with XDP_PASS"
	grep -qF "XDP_PASS: frames reaching the stack | 5" <<<"$ours" || fail "XDP_PASS lost frames"
	grep -qF "XDP_DROP: frames reaching the stack | 0" <<<"$ours" || fail "dropped frames reached the stack"
	grep -qF "XDP_TX: frames back at the peer | 5" <<<"$ours" || fail "XDP_TX did not send the frames back"
	grep -qF "XDP_REDIRECT: frames back at the peer | 5" <<<"$ours" || fail "XDP_REDIRECT did not forward"
}

# Native mode on ours: the counters, and an MTU a page cannot take
# refused while a program is attached (with the attach refused at such
# an MTU).
test_native_counters_and_mtu() {
	local second before
	e1000_bed "$DRV"
	MAC_A=$(mac nsa "$IF_A")
	second=$(second_e1000 "$DRV")
	xdp_load
	ip -n nsa link set dev "$IF_A" xdpdrv pinned "$BPF_DIR/prog" || fail "native attach refused"
	ip -n nsa link show dev "$IF_A" | grep -q "prog/xdp id" || fail "ip link shows no native program"
	before=$(xdp_stat "$IF_A" xdp_drop)
	xdp_verdict 1
	frames_reaching_stack >/dev/null
	(($(xdp_stat "$IF_A" xdp_drop) >= before + 5)) || fail "xdp_drop did not count the 5 frames"
	xdp_config 1 "$(ip netns exec nsa cat "/sys/class/net/$second/ifindex")"
	xdp_verdict 4
	before=$(xdp_stat "$second" xdp_xmit)
	[ "$(frames_back_at_peer)" = 5 ] || fail "redirect lost frames"
	(($(xdp_stat "$IF_A" xdp_redirect) >= 5)) || fail "xdp_redirect did not count"
	(($(xdp_stat "$second" xdp_xmit) >= before + 5)) || fail "the target's xdp_xmit did not count"
	xdp_verdict 3
	frames_back_at_peer >/dev/null
	(($(xdp_stat "$IF_A" xdp_tx) >= 5)) || fail "xdp_tx did not count"
	xdp_verdict 2
	ip -n nsa link set dev "$IF_A" mtu 9000 2>/dev/null && fail "MTU 9000 accepted with a program attached"
	ip -n nsa link set dev "$IF_A" mtu 3000 || fail "MTU 3000 refused with a program attached"
	ip -n nsa link set dev "$IF_A" xdpdrv off
	ip -n nsa link set dev "$IF_A" mtu 9000 || fail "MTU 9000 refused without a program"
	ip -n nsa link set dev "$IF_A" xdpdrv pinned "$BPF_DIR/prog" 2>/tmp/xdp.err &&
		fail "attach accepted at MTU 9000"
	grep -q "MTU too large" /tmp/xdp.err || fail "no clear message: $(cat /tmp/xdp.err)"
	ip -n nsa link set dev "$IF_A" mtu 1500
	ip netns exec nsa ping -c 2 -W 2 "$ADDR_B" >/dev/null || fail "no ping at the end"
}
