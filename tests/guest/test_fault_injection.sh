# SPDX-License-Identifier: GPL-2.0
# Allocation failure on the e1000, injected by the kernel's failslab and
# fail_page_alloc and aimed at the driver's module (helpers/
# fault_injection.sh), so that the in-tree C e1000 goes through it too
# (a "# reference" run). test_fail_alloc.sh does the same through our
# layer's own injection point, which fails exactly the driver's buffers.
# Each case prints a row, "# fault-injection DRIVER | CASE | RESULT", for
# Documentation/reliability.rst.

REFERENCE_DRIVERS="e1000"
DRV=${E1000_DRIVER:-rust_e1000}
# flood_with_failures, fault_row, up_or_enomem, resize_or_enomem.
source "$HELPERS/fault_injection.sh"

# One allocation in five through the driver fails for 5 s, under a flood
# ping each way: no report, no socket buffer lost, receive failures
# counted in alloc_rx_buff_failed, and traffic back by itself within
# seconds.
test_fifth_of_allocations_fail_under_traffic() {
	e1000_bed "$DRV"
	local failed
	failed=$(stat nsa "$IF_A" alloc_rx_buff_failed)
	flood_with_failures 20
	failed=$(($(stat nsa "$IF_A" alloc_rx_buff_failed) - failed))
	fault_row "$DRV" "20 % for 5 s, flood both ways" "$FAULTS failed, alloc_rx_buff_failed +$failed"
	((failed > 0)) || fail "receive allocation failures not counted in alloc_rx_buff_failed"
	wait_until 5 "ip netns exec nsa ping -c 1 -W 1 $ADDR_B"
	tcp_transfer_checked 1000000 5041
}

# Every allocation through the driver fails while the interface comes up,
# then while its rings are resized: a clean ENOMEM and the device as it
# was, or a success; either way traffic once injection stops.
test_open_and_resize_with_every_allocation_failing() {
	e1000_bed "$DRV"
	ip -n nsa link set "$IF_A" down
	up_or_enomem nsa "$IF_A" "ip link set up, every allocation failing"
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
	wait_until 10 "ip netns exec nsa ping -c 1 -W 1 $ADDR_B"
	resize_or_enomem nsa "$IF_A" "ethtool -G rx 512 tx 512, every allocation failing" rx 512 tx 512
	wait_until 10 "ip netns exec nsa ping -c 1 -W 1 $ADDR_B"
	tcp_transfer_checked 1000000 5042
}
