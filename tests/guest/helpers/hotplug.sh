# SPDX-License-Identifier: GPL-2.0
# The hotplug test bed, shared by test_hotplug.sh (e1000) and
# test_virtio_hotplug.sh (virtio-net), sourced after lib.sh with DRV set
# to the driver under test. scripts/qemu-run.sh leaves two empty
# pcie-root-ports, hp1 and hp2, and two hub ports without a NIC, hpnet1
# and hpnet2. On request the host agent plugs NIC hpnicN (address
# 52:54:00:12:34:1N) into hpN with QEMU's device_add, and unplugs it with
# device_del, which asks the guest (ACPI hotplug) to let it go first.

# hot_mac N: the address of the NIC plugged into hpN.
hot_mac() { echo "52:54:00:12:34:1$1"; }

# hot_bdf N: the PCI address of the NIC in root port hpN (the Nth of
# QEMU's pcie-root-ports, 1b36:000c); fails while the port is empty.
hot_bdf() {
	local port d
	port=$(pci_nth 1b36 000c "$1") || return 1
	for d in /sys/bus/pci/devices/"$port"/0000:*; do
		[ -e "$d/vendor" ] && echo "${d##*/}" && return 0
	done
	return 1
}

# in_qemu ID: whether a device with this id is on one of QEMU's PCI buses
# (QMP query-pci, through the host agent).
in_qemu() {
	host_query "qmp query-pci" | jq -e --arg id "$1" 'any(.. | .qdev_id? // empty; . == $id)' >/dev/null
}

# hot_plug MODEL N [PROPS]: plugs a MODEL NIC (e1000, virtio-net-pci) into
# hpN and waits until the guest sees it. PROPS ("name=value,...") are
# more device properties: for a virtio-net-pci, the variants the host
# agent allows (scripts/host-agent.py, VIRTIO_NET_PROPS).
hot_plug() {
	local reply
	reply=$(host_query "device_add $1,id=hpnic$2,bus=hp$2,netdev=hpnet$2,mac=$(hot_mac "$2"),romfile=${3:+,$3}")
	if grep -qiE 'error|refused' <<<"$reply"; then
		fail "device_add $1${3:+ ($3)} into hp$2: $reply"
	fi
	wait_until 60 "hot_bdf $2"
}

# hot_gone SECONDS N: whether the NIC in hpN is gone for the guest within
# SECONDS of wall-clock time (wait_until counts tries, which take seconds
# each on a loaded host).
hot_gone() {
	local end=$((SECONDS + $1))
	while ((SECONDS < end)); do
		hot_bdf "$2" >/dev/null || return 0
		sleep 0.5
	done
	return 1
}

# hot_unplug N: has QEMU unplug hpnicN, then waits until the guest let it
# go (the PCI device is gone) and QEMU removed it. The request is sent a
# second time if the guest has not acted on it within 30 s: on a loaded
# host QEMU 7.2's ACPI eject request was seen lost (the device stayed for
# 13 minutes; a second device_del removed it at once).
hot_unplug() {
	local reply try
	for try in 1 2; do
		reply=$(host_query "device_del hpnic$1")
		if grep -qiE 'error|refused' <<<"$reply"; then
			fail "device_del hpnic$1: $reply"
		fi
		hot_gone 30 "$1" && break
		echo "    hpnic$1 still there 30 s after device_del (try $try)" >&2
	done
	hot_gone 30 "$1" || fail "hpnic$1 still in the guest after two device_del"
	wait_until 30 "! in_qemu hpnic$1"
}

# hot_cleanup N: leaves hpN empty, as the next test expects (for a trap).
hot_cleanup() {
	if hot_bdf "$1" >/dev/null || in_qemu "hpnic$1"; then
		host_request "device_del hpnic$1"
		wait_until 60 "! in_qemu hpnic$1"
	fi
}

# kernel_log_mark: the number of lines in the kernel log now, for
# kernel_reports_since.
kernel_log_mark() { dmesg | wc -l; }

# kernel_reports_since MARK: the kernel's reports (warnings, BUG, lockdep,
# KASAN, RCU stalls, reference counts, a device reference held forever)
# logged after MARK; nothing when the log is clean.
kernel_reports_since() {
	dmesg | tail -n +$(($1 + 1)) |
		grep -E 'BUG:|WARNING:|Oops|KASAN|refcount_t:|UBSAN|panicked at|Call Trace:|possible recursive locking|inconsistent lock state|bad unlock balance|RTNL: assertion failed|rcu.*stall|unregister_netdevice: waiting' |
		head -n 5 || true
}

# Active socket buffers, once the slab cache gave back what it holds.
skb_objects() {
	echo 1 >/sys/kernel/slab/skbuff_head_cache/shrink 2>/dev/null || true
	awk '$1 == "skbuff_head_cache" { print $2 }' /proc/slabinfo
}

# traffic_start NS_DUT IF_DUT NS_PEER ADDR_DUT ADDR_PEER: a flood ping
# each way and an iperf3 stream from the device under test to the peer,
# in the background (TRAFFIC_PIDS); returns once frames flow both ways.
traffic_start() {
	local ns=$1 dev=$2 peer=$3 addr=$4 peer_addr=$5 rx tx
	TRAFFIC_PIDS=
	ip netns exec "$peer" ping -f "$addr" >/dev/null 2>&1 &
	TRAFFIC_PIDS+=" $!"
	ip netns exec "$ns" ping -f "$peer_addr" >/dev/null 2>&1 &
	TRAFFIC_PIDS+=" $!"
	if command -v iperf3 >/dev/null; then
		ip netns exec "$peer" iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
		TRAFFIC_PIDS+=" $!"
		wait_until 10 listening "$peer" 5201
		ip netns exec "$ns" iperf3 -c "$peer_addr" -p 5201 -t 600 >/dev/null 2>&1 &
		TRAFFIC_PIDS+=" $!"
	fi
	rx=$(link_stat "$ns" "$dev" rx.packets)
	tx=$(link_stat "$ns" "$dev" tx.packets)
	wait_until 20 "[ \$(link_stat $ns $dev rx.packets) -gt $((rx + 50)) ] && [ \$(link_stat $ns $dev tx.packets) -gt $((tx + 50)) ]"
}

# traffic_stop: ends what traffic_start started.
traffic_stop() {
	# shellcheck disable=SC2086 # a list of process ids
	kill $TRAFFIC_PIDS 2>/dev/null || true
	# shellcheck disable=SC2086
	wait $TRAFFIC_PIDS 2>/dev/null || true
	TRAFFIC_PIDS=
}

# The cycles below use these, set by the test file: HOT (the root port's
# number), MODULE (the module of $DRV), NS_DUT, ADDR_DUT, NS_PEER and
# ADDR_PEER, and its function dut_plug, which plugs the NIC in, binds it to
# $DRV, checks its address, puts it in NS_DUT with ADDR_DUT, brings it up
# and sets IF_DUT once it passes a ping.

# unloaded: MODULE must unload, and leave nothing behind.
unloaded() {
	timeout 20 rmmod "$MODULE" || fail "$1: rmmod $MODULE failed or hung"
	if loaded "$MODULE"; then
		fail "$1: $MODULE still loaded"
	fi
}

# unplugged: the NIC in hpHOT is gone for the guest and for QEMU, and so
# is its interface.
unplugged() {
	hot_unplug "$HOT"
	if ip -n "$NS_DUT" link show "$IF_DUT" >/dev/null 2>&1; then
		fail "$1: $IF_DUT still there after the unplug"
	fi
}

# no_leak_since SKBS MARK: socket buffers did not pile up since SKBS was
# counted, and the kernel log has no report since MARK.
no_leak_since() {
	local end reports
	end=$(skb_objects)
	# Per-CPU caches keep a few buffers; a leak per packet leaves thousands.
	[ $((end - $1)) -lt 512 ] || fail "socket buffers grew from $1 to $end"
	reports=$(kernel_reports_since "$2")
	[ -z "$reports" ] || fail "kernel log: $reports"
}

# unplug_under_traffic_cycles CYCLES: CYCLES times, the NIC is unplugged
# under flood pings both ways and an iperf3 stream, then its module is
# removed; at last it is plugged back and carries a checked TCP transfer.
unplug_under_traffic_cycles() {
	local cycles=$1 i skbs mark
	trap 'traffic_stop; hot_cleanup $HOT' EXIT
	skbs=$(skb_objects)
	[ -n "$skbs" ] || fail "no skbuff_head_cache in /proc/slabinfo"
	mark=$(kernel_log_mark)
	for i in $(seq "$cycles"); do
		dut_plug
		traffic_start "$NS_DUT" "$IF_DUT" "$NS_PEER" "$ADDR_DUT" "$ADDR_PEER"
		unplugged "cycle $i"
		traffic_stop
		unloaded "cycle $i"
	done
	dut_plug
	transfer_checked_to_peer 1000000 5040
	unplugged "last"
	unloaded "last"
	no_leak_since "$skbs" "$mark"
}

# unplug_while_down: the NIC is unplugged with its interface down, then
# plugged back.
unplug_while_down() {
	local skbs mark
	trap 'hot_cleanup $HOT' EXIT
	skbs=$(skb_objects)
	mark=$(kernel_log_mark)
	dut_plug
	ip netns exec "$NS_DUT" ping -c 3 -i 0.2 -W 2 "$ADDR_PEER" >/dev/null || fail "ping before"
	ip -n "$NS_DUT" link set "$IF_DUT" down
	unplugged "down"
	unloaded "down"
	dut_plug
	ip netns exec "$NS_DUT" ping -c 3 -i 0.2 -W 2 "$ADDR_PEER" >/dev/null || fail "ping after the replug"
	unplugged "again"
	unloaded "again"
	no_leak_since "$skbs" "$mark"
}

# transfer_checked_to_peer BYTES PORT: BYTES random bytes over TCP from
# the NIC under test to the peer, checked.
transfer_checked_to_peer() {
	local listener
	head -c "$1" /dev/urandom >/tmp/tx.bin
	ip netns exec "$NS_PEER" socat -u "TCP-LISTEN:$2,reuseaddr" OPEN:/tmp/rx.bin,creat,trunc &
	listener=$!
	wait_until 5 listening "$NS_PEER" "$2"
	ip netns exec "$NS_DUT" socat -u OPEN:/tmp/tx.bin "TCP:$ADDR_PEER:$2" || fail "socat send"
	wait "$listener" || fail "socat receive"
	expect_eq "$(sha256sum </tmp/rx.bin)" "$(sha256sum </tmp/tx.bin)" "data received by the peer"
}
