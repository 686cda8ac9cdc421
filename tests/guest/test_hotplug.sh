# SPDX-License-Identifier: GPL-2.0
# Hot-unplug of the e1000: an e1000 plugged into an empty pcie-root-port
# (helpers/hotplug.sh) is unplugged under traffic and with its interface down;
# each time the interface must go, the module must unload, nothing may
# leak and the kernel log must stay clean; plugged back, the NIC must
# bind again with the same address and carry traffic. The peer is the
# virtio-net NIC on the in-tree driver. Every test also runs on the
# in-tree C e1000 for comparison ("# reference" lines).

REFERENCE_DRIVERS="e1000"
DRV=${E1000_DRIVER:-rust_e1000}
source "$HELPERS/hotplug.sh"

HOT=1 MODULE=$DRV
NS_DUT=nsa ADDR_DUT=$ADDR_A NS_PEER=nsb ADDR_PEER=$ADDR_B

# hot_e1000_bed: hp1 empty, only $DRV of the two e1000 drivers loaded (so
# that the plugged NIC never probes with the other), the virtio-net NIC
# on the in-tree driver in nsb with $ADDR_B.
hot_e1000_bed() {
	unbind_all
	hot_cleanup "$HOT"
	if loaded e1000; then
		rmmod e1000
	fi
	IF_B=$(bind "$(pci_by_mac "$MAC_VIRTIO")" virtio_net)
	end_in_netns nsb "$IF_B" "$ADDR_B"
}

dut_plug() {
	local bdf
	hot_plug e1000 "$HOT"
	bdf=$(hot_bdf "$HOT")
	IF_DUT=$(bind "$bdf" "$DRV")
	expect_eq "$(cat "/sys/class/net/$IF_DUT/address")" "$(hot_mac "$HOT")" "address of the plugged e1000"
	ip link set "$IF_DUT" netns nsa
	ip -n nsa addr add "$ADDR_A/24" dev "$IF_DUT"
	ip -n nsa link set "$IF_DUT" up
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_DUT/carrier"
	wait_until 10 "ip netns exec nsa ping -c 1 -W 1 $ADDR_B"
}

# Five cycles on ours, three on C (the reference run doubles the time;
# make check's time budget).
test_unplug_under_traffic_and_replug() {
	hot_e1000_bed
	local cycles=5
	[ "$DRV" = rust_e1000 ] || cycles=3
	unplug_under_traffic_cycles "${HOTPLUG_CYCLES:-$cycles}"
}

test_unplug_while_down_and_replug() {
	hot_e1000_bed
	unplug_while_down
}
