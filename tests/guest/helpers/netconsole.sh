# SPDX-License-Identifier: GPL-2.0
# netconsole through the device under test, shared by the tests that send
# kernel log lines through a driver's netpoll path (start_xmit and
# zero-budget polls with interrupts off) while it carries a flood.
# netconsole sends from the initial namespace; the peer has its own.
# Sourced after lib.sh.

NETCON=/sys/kernel/config/netconsole/rnic
NETCON_OUT=/tmp/netcon.out

# netconsole_bed DUT_IF DUT_ADDR PEER_NS PEER_IF PEER_ADDR: DUT_IF up with
# DUT_ADDR in the initial namespace, PEER_IF moved into a new PEER_NS with
# PEER_ADDR; both with carrier and a ping between them. Undone on exit.
netconsole_bed() {
	NC_DUT=$1 NC_DUT_ADDR=$2 NC_NS=$3 NC_PEER=$4 NC_PEER_ADDR=$5
	modprobe netconsole
	ip netns add "$NC_NS"
	ip link set "$NC_PEER" netns "$NC_NS"
	ip -n "$NC_NS" addr add "$NC_PEER_ADDR/24" dev "$NC_PEER"
	ip -n "$NC_NS" link set "$NC_PEER" up
	ip addr add "$NC_DUT_ADDR/24" dev "$NC_DUT"
	ip link set "$NC_DUT" up
	trap netconsole_off EXIT
	wait_until 10 "grep -qx 1 /sys/class/net/$NC_DUT/carrier"
	wait_until 10 "ip netns exec $NC_NS grep -qx 1 /sys/class/net/$NC_PEER/carrier"
	ip netns exec "$NC_NS" ping -c 1 -W 5 "$NC_DUT_ADDR" >/dev/null || fail "no ping before netconsole"
}

# netconsole_on PORT: a netconsole target on the bed's device that sends to
# PORT at the peer, where a receiver appends what arrives to $NETCON_OUT.
netconsole_on() {
	rm -f "$NETCON_OUT"
	ip netns exec "$NC_NS" socat -u "UDP-RECV:$1" "OPEN:$NETCON_OUT,creat,append" 2>/dev/null &
	NC_RECEIVER=$!
	mkdir "$NETCON"
	echo "$NC_DUT" >"$NETCON/dev_name"
	echo "$NC_DUT_ADDR" >"$NETCON/local_ip"
	echo "$NC_PEER_ADDR" >"$NETCON/remote_ip"
	mac "$NC_NS" "$NC_PEER" >"$NETCON/remote_mac"
	echo "$1" >"$NETCON/remote_port"
	echo 1 >"$NETCON/enabled" || fail "netconsole would not start on $NC_DUT"
}

# netconsole_off: the target, the receiver and the peer's namespace gone.
netconsole_off() {
	[ -d "$NETCON" ] && { echo 0 >"$NETCON/enabled"; rmdir "$NETCON"; }
	[ -n "${NC_RECEIVER:-}" ] && kill "$NC_RECEIVER" 2>/dev/null
	ip netns del "$NC_NS" 2>/dev/null
	return 0
}

# netconsole_lines_under_flood N [EACH]: logs N numbered lines at error
# level (above the guest's console level, 4) while the peer floods the
# device with pings for 10 s, calling the function EACH with the line's
# number after each line. Every line must reach the peer, and the device
# answer pings after.
netconsole_lines_under_flood() {
	local n=$1 each=${2:-} flood i
	ip netns exec "$NC_NS" ping -f -w 10 "$NC_DUT_ADDR" >/dev/null 2>&1 &
	flood=$!
	sleep 1
	for i in $(seq 1 "$n"); do
		echo "<3>rnic-netcon line $i" >/dev/kmsg
		[ -z "$each" ] || "$each" "$i"
	done
	wait "$flood" || fail "no reply to the flood"
	wait_until 15 "grep -q 'rnic-netcon line $n\$' $NETCON_OUT"
	expect_eq "$(grep -c 'rnic-netcon line' "$NETCON_OUT")" "$n" "netconsole lines at the peer"
	ip netns exec "$NC_NS" ping -c 3 -i 0.2 -W 2 "$NC_DUT_ADDR" >/dev/null ||
		fail "no ping after the flood"
}
