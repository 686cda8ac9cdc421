# SPDX-License-Identifier: GPL-2.0
# The e1000's settings for looking at a link rather than using it, on
# QEMU's 82540EM against a virtio-net peer on the in-tree driver:
# `ethtool -K rx-fcs` (each frame handed up with its 4-byte frame check
# sequence), `-K rx-all` (frames with errors, MAC control frames and
# tagged frames of any VLAN kept), and SO_NOFCS (a packet socket sending
# frames without a frame check sequence). The same steps run on the
# in-tree C e1000 and on ours, and every row is compared (versus_c).
#
# QEMU's e1000 never reports a receive error and leaves the four bytes of
# the frame check sequence unwritten (what the buffer held before), so the
# rows show lengths, counts and registers, never those bytes.

# Each test runs C itself (versus_c): no reference run.
REFERENCE_DRIVERS=""
DRV=${E1000_DRIVER:-rust_e1000}
# versus_c.
source "$HELPERS/bad_input.sh"

# rxdbg_row STEP TEXT: one row, "# rxdbg DRV | STEP | TEXT".
rxdbg_row() {
	echo "# rxdbg $DRV | $1 | $(tr '\n' ' ' <<<"$2")" | sed "s/$IF_A/IFACE/g"
}

# rctl_bits: RCTL's receive filter bits, by name, as set.
rctl_bits() {
	local rctl bit out=""
	rctl=$(python3 -S "$HELPERS/pcireg.py" "$BDF_A" 0x100)
	for bit in SBP:2 BAM:15 VFE:18 CFIEN:19 DPF:22 PMCF:23 SECRC:26; do
		(((rctl >> ${bit#*:}) & 1)) && out+="${bit%:*} "
	done
	echo "${out:-none}"
}

# set_feature ARGS...: `ethtool -K` on our interface: its answer and exit
# status, once the link is back (C resets the device for rx-all).
set_feature() {
	local out rc=0
	out=$(ip netns exec nsa ethtool -K "$IF_A" "$@" 2>&1) || rc=$?
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
	echo "$out exit $rc"
}

# frames_from_peer: three 100-byte frames from the peer as our packet
# socket gets them (the length of each), and what the interface counted
# for them in bytes.
frames_from_peer() {
	local before after
	before=$(ip netns exec nsa cat "/sys/class/net/$IF_A/statistics/rx_bytes")
	rawframe_probe nsa "$IF_A" nsb "$IF_B" "$MAC_A" --count 3 --size 100 --timeout 10 ||
		echo "fewer than 3 frames arrived"
	after=$(ip netns exec nsa cat "/sys/class/net/$IF_A/statistics/rx_bytes")
	echo "lengths $(awk '{ print $2 }' /tmp/recv.out | tr '\n' ' ')counted $((after - before)) bytes"
}

# rxdbg_rows DRIVER: the steps on the first e1000 under DRIVER.
rxdbg_rows() {
	local DRV=$1 out rc
	modprobe 8021q
	e1000_bed "$1"
	MAC_A=$(mac nsa "$IF_A")
	rxdbg_row "features" "$(ip netns exec nsa ethtool -k "$IF_A" | grep -E '^rx-(fcs|all):' | tr -s ' \t' ' ')"
	rxdbg_row "RCTL" "$(rctl_bits)"
	rxdbg_row "frames" "$(frames_from_peer)"

	rxdbg_row "rx-fcs on" "$(set_feature rx-fcs on)"
	rxdbg_row "RCTL, rx-fcs on" "$(rctl_bits)"
	rxdbg_row "frames, rx-fcs on" "$(frames_from_peer)"
	out=$(ip netns exec nsa ping -c 2 -W 2 "$ADDR_B" >/dev/null 2>&1 && echo ok || echo failed)
	rxdbg_row "ping, rx-fcs on" "$out"
	rxdbg_row "rx-fcs off" "$(set_feature rx-fcs off)"
	rxdbg_row "frames, rx-fcs off" "$(frames_from_peer)"

	ip -n nsa link add link "$IF_A" name vA10 type vlan id 10
	ip -n nsb link add link "$IF_B" name vB20 type vlan id 20
	ip -n nsa link set vA10 up
	ip -n nsb link set vB20 up
	rxdbg_row "RCTL, VLAN 10" "$(rctl_bits)"
	rxdbg_row "VLAN 20 frames reaching the driver" "$(vlan20_reaching | cut -d" " -f1)"
	rxdbg_row "rx-all on" "$(set_feature rx-all on)"
	rxdbg_row "RCTL, rx-all on" "$(rctl_bits)"
	rxdbg_row "VLAN 20 frames reaching the driver, rx-all on" "$(vlan20_reaching | cut -d" " -f1)"
	rxdbg_row "frames, rx-all on" "$(frames_from_peer)"
	rxdbg_row "rx-all off" "$(set_feature rx-all off)"
	rxdbg_row "RCTL, rx-all off" "$(rctl_bits)"
	rxdbg_row "VLAN 20 frames reaching the driver, rx-all off" "$(vlan20_reaching | cut -d" " -f1)"
	ip -n nsa link del vA10
	ip -n nsb link del vB20

	rc=0
	out=$(python3 -S "$HELPERS/rawframe.py" probe nsb "$IF_B" nsa "$IF_A" "$(mac nsb "$IF_B")" \
		--count 3 --size 100 --timeout 10 --nofcs) || rc=$?
	rxdbg_row "3 frames sent with SO_NOFCS, at the peer" "$(awk '{ print $1, $2 }' <<<"$out") exit $rc"
	ip netns exec nsa ping -c 2 -W 2 "$ADDR_B" >/dev/null || fail "no ping at the end ($DRV)"
}

# rx-fcs, rx-all and SO_NOFCS as C has them.
test_rx_fcs_rx_all_and_nofcs_as_c() {
	versus_c rxdbg_rows e1000 "$DRV"
}
