# SPDX-License-Identifier: GPL-2.0
# The virtio-net test bed, shared by the test_virtio*.sh files (sourced
# after lib.sh, with DRV set to the driver under test): finding the NIC's
# virtio device, binding it to a driver, the two-namespace bed with an
# e1000 peer on the in-tree C e1000, and QEMU's view of the receive filter.

VIRTIO_NET_KO=$RNIC_OUT/drivers/net/virtio/rust_virtio_net.ko

# virtio_dev: the virtio device (virtioN) of the virtio-net NIC.
virtio_dev() {
	local d
	d=$(echo "/sys/bus/pci/devices/$(pci_by_mac "$MAC_VIRTIO")"/virtio*)
	[ -e "$d" ] && echo "${d##*/}"
}

# virtio_bind DRIVER: binds the virtio-net NIC to DRIVER (loading it
# first) and prints the interface name once it appears. The virtio bus has
# no driver_override: the device is unbound from its driver and bound
# through DRIVER's bind file.
virtio_bind() {
	local drv=$1 vdev dev
	vdev=$(virtio_dev)
	dev=/sys/bus/virtio/devices/$vdev
	case "$drv" in
	rust_virtio_net) loaded rust_virtio_net || insmod "$VIRTIO_NET_KO" ;;
	*) modprobe "$drv" ;;
	esac
	if [ -e "$dev/driver" ] && ! bound_to "$dev" "$drv"; then
		echo "$vdev" >"$dev/driver/unbind"
	fi
	[ -e "$dev/driver" ] || echo "$vdev" >"/sys/bus/virtio/drivers/$drv/bind"
	wait_until 5 "iface_of $dev"
	iface_of "$dev"
}

# virtio_up IFACE: moves the virtio-net interface into nsb with $ADDR_B
# and brings it up with carrier.
virtio_up() {
	ip link set "$1" netns nsb
	ip -n nsb addr add "$ADDR_B/24" dev "$1"
	ip -n nsb link set "$1" up
	wait_until 10 "ip netns exec nsb grep -qx 1 /sys/class/net/$1/carrier"
}

# virtio_bed [DRIVER]: the virtio-net NIC on DRIVER (default $DRV) in nsb
# with $ADDR_B, the first e1000 on the in-tree C e1000 in nsa with
# $ADDR_A, both up with carrier. Sets IF_A, IF_B, BDF_A, VDEV.
virtio_bed() {
	unbind_all
	IF_B=$(virtio_bind "${1:-$DRV}")
	VDEV=$(virtio_dev)
	c_e1000_peer
	virtio_up "$IF_B"
}

# c_e1000_peer: the first e1000 on the in-tree C e1000, in nsa with
# $ADDR_A, up with carrier, and an empty nsb beside (end_in_netns). Sets
# IF_A and BDF_A.
c_e1000_peer() {
	BDF_A=$(pci_by_mac "$MAC_E1000_A")
	IF_A=$(bind "$BDF_A" e1000)
	end_in_netns nsa "$IF_A" "$ADDR_A"
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
}

# virtio_feature BIT: whether the driver and the device agreed on feature
# BIT (the device's sysfs "features" string, one digit per bit).
virtio_feature() {
	[ "$(cut -c $(($1 + 1)) "/sys/bus/virtio/devices/$(virtio_dev)/features")" = 1 ]
}

# rx_filter: QEMU's view of the virtio-net NIC's receive filter (QMP
# query-rx-filter, run by the host agent), as JSON.
rx_filter() {
	host_query "qmp query-rx-filter"
}

# rxf FIELD: one field of rx_filter: promiscuous, multicast, unicast (each
# "normal", "all" or "none"; promiscuous true or false), main-mac,
# unicast-overflow, multicast-overflow, unicast-table, multicast-table and
# vlan-table (lists, one entry per line).
rxf() {
	rx_filter | jq -r --arg f "$1" '.[0] | if has($f) then .[$f] else error("no \($f)") end |
		if type == "array" then .[] else . end'
}

# rxf_is FIELD VALUE: whether rxf FIELD is VALUE (a list field: contains it).
rxf_is() {
	grep -qx -- "$2" <<<"$(rxf "$1")"
}

# rxf_lacks FIELD VALUE: whether the list field FIELD lacks VALUE.
rxf_lacks() {
	! grep -qx -- "$2" <<<"$(rxf "$1")"
}
