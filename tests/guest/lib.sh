# SPDX-License-Identifier: GPL-2.0
# Helpers for the in-guest tests. Sourced by run-all.sh; every test runs in
# its own subshell with `set -e`, so a failed command or assertion fails
# the test.

# Where the modules are, inside the guest (set by tests/run.sh).
: "${RNIC_OUT:?RNIC_OUT must name the module output directory}"
NETPAIR_KO=$RNIC_OUT/samples/net/rust_netpair.ko
HELPERS=/project/tests/guest/helpers

# Addresses of the two ends, from TEST-NET-1 (RFC 5737): never routed.
ADDR_A=192.0.2.1
ADDR_B=192.0.2.2

fail() {
	echo "    FAIL: $*" >&2
	exit 1
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() {
	[ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
}

# expect_match TEXT REGEX WHAT
expect_match() {
	grep -qE -- "$2" <<<"$1" || fail "$3: '$1' does not match /$2/"
}

# expect_error REGEX CMD...: CMD must fail with a message matching REGEX.
expect_error() {
	local re=$1 out
	shift
	if out=$("$@" 2>&1); then
		fail "'$*' succeeded, expected an error"
	fi
	grep -qiE -- "$re" <<<"$out" || fail "'$*' failed with '$out', expected /$re/"
}

# wait_until SECONDS 'SHELL CODE': evaluates the code (quote it, so that
# `$(...)` in it runs on every try) until it succeeds.
wait_until() {
	local limit=$1 i
	shift
	for ((i = 0; i < limit * 10; i++)); do
		eval "$*" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	fail "timed out after ${limit}s waiting for: $*"
}

# Interfaces driven by the sample, by name, in creation order.
netpair_ifaces() {
	local d
	for d in /sys/class/net/*; do
		[ "$(ethtool -i "${d##*/}" 2>/dev/null | sed -n 's/^driver: //p')" = rust_netpair ] &&
			echo "${d##*/}"
	done | sort
}

netpair_load() {
	lsmod | grep -q '^rust_netpair ' || insmod "$NETPAIR_KO"
	wait_until 5 '[ "$(netpair_ifaces | wc -l)" = 2 ]'
	read -r IF_A IF_B <<<"$(netpair_ifaces | tr '\n' ' ')"
}

netpair_unload() {
	ip netns del nsa 2>/dev/null || true
	ip netns del nsb 2>/dev/null || true
	if lsmod | grep -q '^rust_netpair '; then
		rmmod rust_netpair
	fi
}

# netpair_split: reloads the sample and moves one end into netns nsa, the
# other into nsb. Sets IF_A and IF_B.
netpair_split() {
	netpair_unload
	netpair_load
	ip netns add nsa
	ip netns add nsb
	ip link set "$IF_A" netns nsa
	ip link set "$IF_B" netns nsb
	ip -n nsa link set lo up
	ip -n nsb link set lo up
}

# both_up: brings both ends up and waits for the carrier.
both_up() {
	ip -n nsa link set "$IF_A" up
	ip -n nsb link set "$IF_B" up
	wait_until 5 ip netns exec nsa grep -qx 1 "/sys/class/net/$IF_A/carrier"
}

# netpair_netns: split ends with addresses $ADDR_A and $ADDR_B, up.
netpair_netns() {
	netpair_split
	ip -n nsa addr add "$ADDR_A/24" dev "$IF_A"
	ip -n nsb addr add "$ADDR_B/24" dev "$IF_B"
	both_up
}

# netpair_quiet: split ends without IPv6 or addresses, up, so the only
# frames on the wire are the ones a test sends.
netpair_quiet() {
	netpair_split
	ip netns exec nsa sysctl -qw "net.ipv6.conf.$IF_A.disable_ipv6=1"
	ip netns exec nsb sysctl -qw "net.ipv6.conf.$IF_B.disable_ipv6=1"
	both_up
}

# tcp_transfer_checked BYTES PORT: sends BYTES random bytes from nsa to
# $ADDR_B:PORT over TCP and checks that exactly they arrived.
tcp_transfer_checked() {
	head -c "$1" /dev/urandom >/tmp/tx.bin
	ip netns exec nsb socat -u "TCP-LISTEN:$2,reuseaddr" OPEN:/tmp/rx.bin,creat,trunc &
	local listener=$!
	wait_until 5 listening nsb "$2"
	ip netns exec nsa socat -u OPEN:/tmp/tx.bin "TCP:$ADDR_B:$2" || fail "socat send"
	wait "$listener" || fail "socat receive"
	expect_eq "$(sha256sum </tmp/rx.bin)" "$(sha256sum </tmp/tx.bin)" "received data"
}

# listening NS PORT: whether a TCP socket listens on PORT in NS.
listening() {
	ip netns exec "$1" ss -Hltn "sport = :$2" | grep -q .
}

# stat NS IFACE NAME: one `ethtool -S` counter.
stat() {
	ip netns exec "$1" ethtool -S "$2" | awk -v n="$3:" '$1 == n { print $2 }'
}

# link_stat NS IFACE PATH: one counter of `ip -s -j link`: rx.packets,
# tx.bytes, rx.multicast...
link_stat() {
	ip -n "$1" -s -j link show dev "$2" |
		python3 -c 'import json,sys; s=json.load(sys.stdin)[0]["stats64"]; d,k=sys.argv[1].split("."); print(s[d][k])' "$3"
}

# promiscuity NS IFACE: the device's promiscuity count.
promiscuity() {
	ip -n "$1" -d -j link show dev "$2" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["promiscuity"])'
}

# mac NS IFACE
mac() {
	ip netns exec "$1" cat "/sys/class/net/$2/address"
}

# rawframe NS ARGS...: tests/guest/helpers/rawframe.py in namespace NS.
rawframe() {
	local ns=$1
	shift
	ip netns exec "$ns" python3 "$HELPERS/rawframe.py" "$@"
}

# rx_start NS IFACE [recv options...]: starts a raw frame receiver in the
# background (output in /tmp/recv.out) and returns once it listens.
rx_start() {
	rm -f /tmp/recv.ready /tmp/recv.out
	rawframe "$1" recv "${@:2}" --ready /tmp/recv.ready >/tmp/recv.out &
	RX_PID=$!
	wait_until 10 '[ -e /tmp/recv.ready ]'
}

# rx_wait: waits for the receiver; fails (returns 1) if it got fewer
# frames than asked for.
rx_wait() {
	wait "$RX_PID"
}
