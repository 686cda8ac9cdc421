# SPDX-License-Identifier: GPL-2.0
# What the benchmark's timed runs (guest-bench.sh) and count runs
# (guest-counts.sh) share: the addresses, the set-up of the device under
# test (DUT) and its peer, and the DUT's counters. Sourced after
# tests/guest/lib.sh.
#
# The DUT's driver says which NIC is under test: e1000 or rust_e1000 the
# first e1000 NIC, with the virtio-net NIC on the in-tree virtio_net as
# its peer; virtio_net or rust_virtio_net the virtio-net NIC, with the
# first e1000 NIC on the in-tree e1000 as its peer.

source /project/tests/guest/helpers/virtio.sh

DUT_ADDR=192.0.2.1
PEER_ADDR=192.0.2.2
# The frames the DUT sends with pktgen go to a station nobody on the hub
# has: QEMU drops them at every port, so the peer's receive path stays out
# of the DUT's transmit measurement. Under TCG the peer taking them in
# holds QEMU's global lock that the DUT's tail register writes also need,
# and how many it takes in depends on how busy the shared vCPUs are: with
# it, the same tail write cost 1.6 times more with one driver than with
# the other (Documentation/benchmark.rst).
ABSENT_MAC=02:00:00:00:00:99

# irq_count REGEX: the interrupts of every line of /proc/interrupts whose
# name matches REGEX, all CPUs; nothing if no interrupt matches. The
# e1000 drivers name their interrupt after the interface, the virtio-pci
# transport its vectors "virtioN-<queue>" (input.0, output.0, config).
irq_count() {
	awk -v d="$1" '$NF ~ d { n = 1; for (i = 2; i < NF; i++) if ($i ~ /^[0-9]+$/) s += $i } END { if (n) print s + 0 }' /proc/interrupts
}

# System, interrupt and softirq time of all CPUs, in USER_HZ ticks.
kernel_ticks() {
	awk '$1 == "cpu" { print $4 + $7 + $8 }' /proc/stat
}

dut_packets() {
	ip netns exec dut cat "/sys/class/net/$DUT_IF/statistics/rx_packets" \
		"/sys/class/net/$DUT_IF/statistics/tx_packets" | awk '{ s += $1 } END { print s }'
}

# pktgen_ready NS IFACE DST_ADDR DST_MAC COUNT: readies pktgen's first
# thread in NS to send COUNT (0: until stopped) 64-byte UDP frames from
# IFACE to port 9; "echo start >/proc/net/pktgen/pgctrl" in NS sends them.
pktgen_ready() {
	local pg="ip netns exec $1" dev=/proc/net/pktgen/$2 c
	$pg sh -c "echo reset >/proc/net/pktgen/pgctrl"
	$pg sh -c "echo rem_device_all >/proc/net/pktgen/kpktgend_0"
	$pg sh -c "echo add_device $2 >/proc/net/pktgen/kpktgend_0"
	for c in "count $5" "pkt_size 60" "delay 0" "dst $3" "dst_mac $4" "udp_dst_min 9" "udp_dst_max 9"; do
		$pg sh -c "echo '$c' >$dev"
	done
}

# driver_order ROUND DRIVER...: the drivers in the order round ROUND
# runs them: as given in odd rounds, reversed in even ones, so that a host
# slowing down for a minute or two (common under TCG on a shared machine)
# hits both drivers' runs alike.
driver_order() {
	local round=$1 i
	shift
	if ((round % 2)); then
		echo "$@"
	else
		for ((i = $#; i > 0; i--)); do
			echo -n "${!i} "
		done
		echo
	fi
}

# fill_in ARRAY: replaces the words DUT_IF, PEER_IF and DUT_MAC in the
# named array by the interface names and the DUT's address, known only
# once setup has run.
fill_in() {
	local -n words=$1
	local i
	for i in "${!words[@]}"; do
		case "${words[$i]}" in
		DUT_IF) words[$i]=$DUT_IF ;;
		PEER_IF) words[$i]=$PEER_IF ;;
		DUT_MAC) words[$i]=$(mac dut "$DUT_IF") ;;
		esac
	done
}

# setup DRIVER: binds the DUT to DRIVER and the peer to the in-tree
# driver of the other NIC, each in its namespace with its address, both
# up, and checks they ping. Sets DUT_NIC (e1000 or virtio), DUT_IF,
# PEER_IF, DUT_PCI (the DUT's PCI function) and irq_re (its interrupts in
# /proc/interrupts).
setup() {
	drv=$1
	unbind_all
	ip netns del dut 2>/dev/null
	ip netns del peer 2>/dev/null
	case "$drv" in
	e1000 | rust_e1000)
		DUT_NIC=e1000
		DUT_PCI=$(pci_by_mac "$MAC_E1000_A")
		DUT_IF=$(bind "$DUT_PCI" "$drv")
		PEER_IF=$(bind "$(pci_by_mac "$MAC_VIRTIO")" virtio_net)
		irq_re="^$DUT_IF\$"
		;;
	virtio_net | rust_virtio_net)
		DUT_NIC=virtio
		DUT_PCI=$(pci_by_mac "$MAC_VIRTIO")
		DUT_IF=$(virtio_bind "$drv")
		PEER_IF=$(bind "$(pci_by_mac "$MAC_E1000_A")" e1000)
		irq_re="^$(virtio_dev)-"
		;;
	*) echo "# no NIC for driver $drv" >&2; return 1 ;;
	esac
	ip netns add dut
	ip netns add peer
	ip link set "$DUT_IF" netns dut
	ip link set "$PEER_IF" netns peer
	for ns in dut peer; do
		ip -n $ns link set lo up
	done
	ip -n dut addr add $DUT_ADDR/24 dev "$DUT_IF"
	ip -n peer addr add $PEER_ADDR/24 dev "$PEER_IF"
	ip -n dut link set "$DUT_IF" up
	ip -n peer link set "$PEER_IF" up
	wait_until 10 "ip netns exec dut grep -qx 1 /sys/class/net/$DUT_IF/carrier"
	# An e1000 peer's link comes up with its watchdog, a second or two
	# later.
	wait_until 10 "ip netns exec peer grep -qx 1 /sys/class/net/$PEER_IF/carrier"
	ip netns exec dut ping -c 3 -i 0.2 -W 2 $PEER_ADDR >/dev/null || echo "# $drv: no ping"
}
