# SPDX-License-Identifier: GPL-2.0
# VLAN offloads on QEMU's 82540EM against a virtio-net peer on the in-tree
# driver: a VLAN device on each end with traffic both ways, the tag as the
# peer sees it on the wire with tag insertion on and off, frames of a VLAN
# nobody registered kept out by the device's filter (and let in while the
# interface is promiscuous), and the registers each driver programs (CTRL's
# VLAN mode, RCTL's filter enable, the first word of the filter table).
# Each test runs the same steps on the in-tree C e1000 and on ours and
# compares every row (versus_c).

# Each test runs C itself (versus_c): no reference run.
REFERENCE_DRIVERS=""
DRV=${E1000_DRIVER:-rust_e1000}
# versus_c.
source "$HELPERS/bad_input.sh"

VLAN_A=10.10.10.1 VLAN_B=10.10.10.2

# vlan_registers: CTRL.VME, RCTL.VFE and VFTA[0] (VLAN IDs 0-31).
vlan_registers() {
	local ctrl rctl vfta
	ctrl=$(python3 -S "$HELPERS/pcireg.py" "$BDF_A" 0)
	rctl=$(python3 -S "$HELPERS/pcireg.py" "$BDF_A" 0x100)
	vfta=$(python3 -S "$HELPERS/pcireg.py" "$BDF_A" 0x5600)
	printf 'VME %d VFE %d VFTA[0] %#010x' $(((ctrl >> 30) & 1)) $(((rctl >> 18) & 1)) "$vfta"
}

# vlan_row STEP TEXT: one row, "# vlan DRV | STEP | TEXT".
vlan_row() {
	echo "# vlan $DRV | $1 | $(tr '\n' ' ' <<<"$2")" | sed "s/$IF_A/IFACE/g"
}

# vlan_features: the VLAN lines of `ethtool -k`.
vlan_features() {
	ip netns exec nsa ethtool -k "$IF_A" | grep -E '^(rx|tx)-vlan' | tr -s ' \t\n' ' '
}

# ping_vlan: both ends ping each other over VLAN 10.
ping_vlan() {
	ip netns exec nsa ping -c 2 -W 2 "$VLAN_B" >/dev/null &&
		ip netns exec nsb ping -c 2 -W 2 "$VLAN_A" >/dev/null && echo ok || echo failed
}

# tag_at_peer: how the peer's capture shows a ping from our VLAN 10 device:
# the tag on the wire (the capture's first VLAN frame, link header fields
# only).
tag_at_peer() {
	local out
	ip netns exec nsb timeout 10 tcpdump -c 1 -e -nn -i "$IF_B" 'vlan 10 and icmp' \
		>/tmp/vlan.cap 2>/dev/null &
	local pid=$!
	sleep 1
	ip netns exec nsa ping -c 3 -i 0.3 -W 1 "$VLAN_B" >/dev/null || true
	wait "$pid" || true
	out=$(grep -o 'ethertype 802.1Q[^,]*, length [0-9]*: vlan [0-9]*, p [0-9]*, ethertype [A-Za-z0-9]*' /tmp/vlan.cap | sed 's/length [0-9]*: //')
	echo "${out:-no tagged frame seen}"
}

# vlan_rows DRIVER: the steps on the first e1000 under DRIVER.
vlan_rows() {
	local DRV=$1
	# Loaded before the interface comes up, the VLAN module registers VLAN
	# 0 on it (priority-tagged frames) for both drivers alike.
	modprobe 8021q
	e1000_bed "$1"
	MAC_A=$(mac nsa "$IF_A")
	vlan_row "features" "$(vlan_features)"
	vlan_row "registers, no VLAN device" "$(vlan_registers)"
	ip -n nsa link add link "$IF_A" name vA10 type vlan id 10
	ip -n nsb link add link "$IF_B" name vB10 type vlan id 10
	ip -n nsb link add link "$IF_B" name vB20 type vlan id 20
	ip -n nsa addr add "$VLAN_A/24" dev vA10
	ip -n nsb addr add "$VLAN_B/24" dev vB10
	ip -n nsa link set vA10 up
	ip -n nsb link set vB10 up
	ip -n nsb link set vB20 up
	vlan_row "ping over VLAN 10" "$(ping_vlan)"
	vlan_row "registers, VLAN 10" "$(vlan_registers)"
	vlan_row "tag at the peer, insertion on" "$(tag_at_peer)"
	vlan_row "VLAN 20 frames reaching the driver" "$(vlan20_reaching)"
	ip -n nsa link set "$IF_A" promisc on
	vlan_row "registers, promiscuous" "$(vlan_registers)"
	vlan_row "VLAN 20 frames reaching the driver, promiscuous" "$(vlan20_reaching)"
	ip -n nsa link set "$IF_A" promisc off
	vlan_row "rxvlan off" "$(ip netns exec nsa ethtool -K "$IF_A" rxvlan off 2>&1; echo "exit $?")"
	vlan_row "features, rxvlan off" "$(vlan_features)"
	vlan_row "registers, rxvlan off" "$(vlan_registers)"
	vlan_row "ping over VLAN 10, rxvlan off" "$(ping_vlan)"
	vlan_row "tag at the peer, insertion off" "$(tag_at_peer)"
	vlan_row "txvlan on alone" "$(ip netns exec nsa ethtool -K "$IF_A" txvlan on 2>&1; echo "exit $?")"
	vlan_row "features, txvlan on alone" "$(vlan_features)"
	vlan_row "rxvlan on" "$(ip netns exec nsa ethtool -K "$IF_A" rxvlan on 2>&1; echo "exit $?")"
	vlan_row "ping over VLAN 10, rxvlan on" "$(ping_vlan)"
	ip -n nsa link set "$IF_A" down
	ip -n nsa link set "$IF_A" up
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
	vlan_row "registers after down and up" "$(vlan_registers)"
	vlan_row "ping over VLAN 10 after down and up" "$(ping_vlan)"
	ip -n nsa link del vA10
	vlan_row "registers, VLAN 10 deleted" "$(vlan_registers)"
	ip -n nsb link del vB10
	ip -n nsb link del vB20
	ip netns exec nsa ping -c 2 -W 2 "$ADDR_B" >/dev/null || fail "untagged ping after the VLANs ($DRV)"
}

# VLAN devices, tag insertion and stripping, and the VLAN filter, as C
# programs and reports them.
test_vlan_offloads_as_c() {
	versus_c vlan_rows e1000 "$DRV"
}
