# SPDX-License-Identifier: GPL-2.0
# Hot-unplug of virtio-net: a virtio-net-pci NIC plugged into an empty
# pcie-root-port (helpers/hotplug.sh; behind a PCIe port it is a modern-only
# virtio device) is unplugged under traffic and with its interface down,
# with the checks of test_hotplug.sh. The peer is the first e1000 on the
# in-tree C e1000. Every test also runs on the in-tree C virtio_net for
# comparison ("# reference" lines).

REFERENCE_DRIVERS="virtio_net"
DRV=${E1000_DRIVER:-rust_virtio_net}
source "$HELPERS/virtio.sh"
source "$HELPERS/hotplug.sh"

HOT=2 MODULE=$DRV
NS_DUT=nsb ADDR_DUT=$ADDR_B NS_PEER=nsa ADDR_PEER=$ADDR_A

# hot_virtio_bed: hp2 empty, neither virtio-net driver loaded (unbind_all),
# the first e1000 on the in-tree C e1000 in nsa with $ADDR_A.
hot_virtio_bed() {
	unbind_all
	hot_cleanup "$HOT"
	c_e1000_peer
}

dut_plug() {
	local bdf vdev
	hot_plug virtio-net-pci "$HOT"
	bdf=$(hot_bdf "$HOT")
	wait_until 10 "ls -d /sys/bus/pci/devices/$bdf/virtio*"
	vdev=$(basename "$(ls -d "/sys/bus/pci/devices/$bdf"/virtio*)")
	case "$DRV" in
	rust_virtio_net) loaded rust_virtio_net || insmod "$RNIC_OUT/drivers/net/virtio/rust_virtio_net.ko" ;;
	*) modprobe "$DRV" ;;
	esac
	wait_until 10 "[ -e /sys/bus/virtio/devices/$vdev/driver ]"
	expect_eq "$(basename "$(readlink "/sys/bus/virtio/devices/$vdev/driver")")" "$DRV" "driver of the plugged NIC"
	wait_until 10 "iface_of /sys/bus/virtio/devices/$vdev"
	IF_DUT=$(iface_of "/sys/bus/virtio/devices/$vdev")
	expect_eq "$(cat "/sys/class/net/$IF_DUT/address")" "$(hot_mac "$HOT")" "address of the plugged NIC"
	ip link set "$IF_DUT" netns nsb
	ip -n nsb addr add "$ADDR_B/24" dev "$IF_DUT"
	ip -n nsb link set "$IF_DUT" up
	wait_until 10 "ip netns exec nsb grep -qx 1 /sys/class/net/$IF_DUT/carrier"
	wait_until 10 "ip netns exec nsb ping -c 1 -W 1 $ADDR_A"
}

# Five cycles on ours, three on C (the reference run doubles the time;
# make check's time budget).
test_unplug_under_traffic_and_replug() {
	hot_virtio_bed
	local cycles=5
	[ "$DRV" = rust_virtio_net ] || cycles=3
	unplug_under_traffic_cycles "${HOTPLUG_CYCLES:-$cycles}"
}

test_unplug_while_down_and_replug() {
	hot_virtio_bed
	unplug_while_down
}
