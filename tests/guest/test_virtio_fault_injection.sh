# SPDX-License-Identifier: GPL-2.0
# Allocation failure on the virtio-net NIC, as test_fault_injection.sh
# does for the e1000: the kernel's failslab and fail_page_alloc aimed at
# the driver's module, on ours and on C virtio_net (a "# reference" run).
# Rows "# fault-injection DRIVER | CASE | RESULT" go to
# Documentation/reliability.rst.

REFERENCE_DRIVERS="virtio_net"
DRV=${E1000_DRIVER:-rust_virtio_net}
# virtio_bed.
source "$HELPERS/virtio.sh"
# qstats.
source "$HELPERS/netlink.sh"
# flood_with_failures, fault_row, up_or_enomem, resize_or_enomem.
source "$HELPERS/fault_injection.sh"

# rx_alloc_fails: the receive queue's alloc-fail statistic, or "-" if
# the driver does not report one (C virtio_net does not).
rx_alloc_fails() {
	local ifindex
	ifindex=$(ip netns exec nsb cat "/sys/class/net/$IF_B/ifindex")
	qstats nsb "$ifindex" | awk '$1 == "rx-alloc-fail" { v = $2 } END { print (v == "" ? "-" : v) }'
}

# One allocation in five through the driver fails for 5 s under a flood
# ping each way: no report, no socket buffer lost, traffic back by itself
# within seconds, and on ours the failed refills counted in the
# alloc-fail queue statistic.
test_fifth_of_allocations_fail_under_traffic() {
	virtio_bed "$DRV"
	local before after
	before=$(rx_alloc_fails)
	flood_with_failures 20
	after=$(rx_alloc_fails)
	fault_row "$DRV" "20 % for 5 s, flood both ways" "$FAULTS failed, rx-alloc-fail $before -> $after"
	if [ "$DRV" = rust_virtio_net ]; then
		[ "$before" != - ] && ((after > before)) || fail "failed refills not counted: rx-alloc-fail $before -> $after"
	fi
	wait_until 5 "ip netns exec nsb ping -c 1 -W 1 $ADDR_A"
	tcp_transfer_checked 1000000 5043
}

# Every allocation through the driver fails while the interface comes up,
# then while its rings are resized (virtqueue_resize, which allocates the
# new ring first): a clean ENOMEM and the device as it was, or a success;
# either way traffic once injection stops.
test_open_and_resize_with_every_allocation_failing() {
	virtio_bed "$DRV"
	ip -n nsb link set "$IF_B" down
	up_or_enomem nsb "$IF_B" "ip link set up, every allocation failing"
	wait_until 10 "ip netns exec nsb ping -c 1 -W 1 $ADDR_A"
	resize_or_enomem nsb "$IF_B" "ethtool -G rx 128 tx 128, every allocation failing" rx 128 tx 128
	wait_until 10 "ip netns exec nsb ping -c 1 -W 1 $ADDR_A"
	tcp_transfer_checked 1000000 5044
}
