# SPDX-License-Identifier: GPL-2.0
# netconsole on the e1000 while it carries a flood: netpoll calls the
# driver's start_xmit and a budget-0 NAPI poll with interrupts off, beside
# the ordinary paths. Every line must reach the peer and the device must
# carry traffic afterwards; the host fails the run on any kernel report
# (on the debug kernel, lockdep sees bottom-half locks taken with
# interrupts off). Also runs on the in-tree C e1000 for comparison.

REFERENCE_DRIVERS="e1000"
DRV=${E1000_DRIVER:-rust_e1000}
NETCON_PORT=6666
NETCON=/sys/kernel/config/netconsole/rnic

netconsole_off() {
	[ -d "$NETCON" ] && { echo 0 >"$NETCON/enabled"; rmdir "$NETCON"; }
	ip netns del nsb 2>/dev/null
	return 0
}

test_netconsole_under_a_flood() {
	unbind_all
	modprobe netconsole
	BDF_A=$(pci_by_mac "$MAC_E1000_A")
	IF_A=$(bind "$BDF_A" "$DRV")
	IF_B=$(bind "$(pci_by_mac "$MAC_VIRTIO")" virtio_net)
	# netconsole sends from the initial namespace; the peer has its own.
	ip netns add nsb
	ip link set "$IF_B" netns nsb
	ip addr add "$ADDR_A/24" dev "$IF_A"
	ip link set "$IF_A" up
	ip -n nsb addr add "$ADDR_B/24" dev "$IF_B"
	ip -n nsb link set "$IF_B" up
	trap netconsole_off EXIT
	wait_until 10 "grep -qx 1 /sys/class/net/$IF_A/carrier"
	ip netns exec nsb ping -c 1 -W 5 "$ADDR_A" >/dev/null || fail "no ping before netconsole"

	rm -f /tmp/netcon.out
	ip netns exec nsb socat -u "UDP-RECV:$NETCON_PORT" OPEN:/tmp/netcon.out,creat,append &
	receiver=$!
	mkdir "$NETCON"
	echo "$IF_A" >"$NETCON/dev_name"
	echo "$ADDR_A" >"$NETCON/local_ip"
	echo "$ADDR_B" >"$NETCON/remote_ip"
	mac nsb "$IF_B" >"$NETCON/remote_mac"
	echo "$NETCON_PORT" >"$NETCON/remote_port"
	echo 1 >"$NETCON/enabled" || fail "netconsole would not start on $IF_A"

	# Error level passes the guest's console log level (4).
	ip netns exec nsb ping -f -w 10 "$ADDR_A" >/dev/null 2>&1 &
	flood=$!
	sleep 1
	for i in $(seq 1 200); do
		echo "<3>rnic-netcon line $i" >/dev/kmsg
	done
	wait "$flood"
	wait_until 10 'grep -q "rnic-netcon line 200$" /tmp/netcon.out'
	got=$(grep -c 'rnic-netcon line' /tmp/netcon.out)
	expect_eq "$got" 200 "netconsole lines at the peer"
	ip netns exec nsb ping -c 3 -i 0.2 -W 2 "$ADDR_A" >/dev/null || fail "no ping after the flood"
	kill "$receiver" 2>/dev/null
}
