# SPDX-License-Identifier: GPL-2.0
# The bad-input cases that test_bad_input.sh (e1000) and
# test_virtio_bad_input.sh share (sourced after lib.sh, with DRV set):
# the rows they print for Documentation/reliability.rst, the check that
# the device kept its settings, and the rx-mode case with thousands of
# multicast groups.

# bad_row NS CASE CMD...: runs CMD in NS and prints one table row,
# "# bad-input DRV | CASE | MESSAGE | exit N", the message on one line.
# Sets BAD_OUT (the message) and BAD_RC (the exit status).
bad_row() {
	local ns=$1 what=$2
	shift 2
	BAD_RC=0
	BAD_OUT=$(ip netns exec "$ns" "$@" 2>&1) || BAD_RC=$?
	BAD_OUT=$(tr '\n' ' ' <<<"${BAD_OUT:-(no message)}")
	echo "# bad-input $DRV | $what | $BAD_OUT| exit $BAD_RC"
}

# kept_as_it_was NS IFACE MAC PEER_ADDR: after bad input, IFACE in NS still
# has MTU 1500, address MAC, a 256-entry receive ring and carrier, and
# reaches PEER_ADDR.
kept_as_it_was() {
	local ns=$1 iface=$2
	expect_eq "$(ip netns exec "$ns" cat "/sys/class/net/$iface/mtu")" 1500 "MTU after bad input"
	expect_eq "$(mac "$ns" "$iface")" "$3" "address after bad input"
	expect_match "$(ip netns exec "$ns" ethtool -g "$iface" | sed -n '/Current/,$p')" \
		'RX:[[:space:]]+256' "RX ring after bad input"
	wait_until 10 "ip netns exec $ns grep -qx 1 /sys/class/net/$iface/carrier"
	ip netns exec "$ns" ping -c 2 -W 2 "$4" >/dev/null || fail "ping after bad input"
}

# GROUPS_JOINED: the Ethernet addresses of mcast_join.py's groups begin so.
GROUPS_JOINED=01:00:5e:01:

# groups_on NS IFACE: how many of mcast_join.py's groups IFACE has.
groups_on() {
	ip -n "$1" maddr show dev "$2" | grep -c " $GROUPS_JOINED" || true
}

# many_groups RXNS RXIF TXNS TXIF COUNT: RXIF joins COUNT IPv4 multicast
# groups at once (rx-mode with a list far longer than any filter table),
# then leaves them all at once. While joined, frames to the first and the
# last group arrive as multicast; after, a frame to a group no longer
# joined is dropped (the device filters again), and traffic flows.
many_groups() {
	local rxns=$1 rxif=$2 txns=$3 txif=$4 count=$5 pid first last
	ip netns exec "$rxns" sysctl -qw net.ipv4.igmp_max_memberships=256
	rm -f /tmp/joined
	ip netns exec "$rxns" python3 -S "$HELPERS/mcast_join.py" "$rxif" "$count" /tmp/joined &
	pid=$!
	wait_until 300 "[ -e /tmp/joined ] || ! kill -0 $pid"
	[ -e /tmp/joined ] || fail "joining $count groups failed"
	expect_eq "$(groups_on "$rxns" "$rxif")" "$count" "groups on $rxif"
	first=${GROUPS_JOINED}00:00
	last=$(printf '%s%02x:%02x' "$GROUPS_JOINED" $(((count - 1) >> 8)) $(((count - 1) & 255)))
	expect_eq "$(delivered_to "$txns" "$txif" "$rxns" "$rxif" "$first")" multicast \
		"frame to the first of $count groups"
	expect_eq "$(delivered_to "$txns" "$txif" "$rxns" "$rxif" "$last")" multicast \
		"frame to the last of $count groups"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	wait_until 60 "[ \"\$(groups_on $rxns $rxif)\" = 0 ]"
	# The device's filter must catch up with the list's change.
	wait_until 10 "[ \"\$(delivered_to $txns $txif $rxns $rxif $first)\" = none ]"
	ip netns exec "$txns" ping -c 2 -W 2 "$(ip -n "$rxns" -4 -o addr show dev "$rxif" |
		awk '{ sub("/.*", "", $4); print $4 }')" >/dev/null || fail "ping after leaving the groups"
}

# Feature requests that contradict each other (TSO needs scatter-gather
# and checksum offload) or name a feature the device cannot change or
# ethtool does not know.
FEATURE_COMBOS=(
	"sg off tso on"
	"tx off tso on"
	"rx-gro-hw on"
	"ntuple on"
	"rxhash on"
	"no-such-feature on"
)

# feature_rows NS IFACE: a row per -K combination, then a row with the
# state of the features they touch; then turns those back on.
feature_rows() {
	local combo
	for combo in "${FEATURE_COMBOS[@]}"; do
		# shellcheck disable=SC2086
		bad_row "$1" "-K $combo" ethtool -K "$2" $combo
	done
	bad_row "$1" "-k afterwards: sg, tso, tx" sh -c \
		"ethtool -k $2 | grep -E '^(scatter-gather|tcp-segmentation-offload|tx-checksumming):'"
	ip netns exec "$1" ethtool -K "$2" sg on tx on tso on >/dev/null 2>&1 || true
}

# netlink_rows NS IFACE MAC: a row per malformed netlink request of
# helpers/bad_netlink.py. The kernel takes an IFLA_ADDRESS longer than
# the address (its first bytes), as it does for every driver: the
# address goes back to MAC afterwards.
netlink_rows() {
	local row
	ip netns exec "$1" python3 -S "$HELPERS/bad_netlink.py" "$2" >/tmp/bad_netlink.out ||
		fail "bad_netlink.py could not send its requests"
	while IFS= read -r row; do
		echo "# bad-input $DRV | ${row%%|*} | ${row#*|} | netlink"
	done </tmp/bad_netlink.out
	ip -n "$1" link set "$2" address "$3"
}

# features_and_netlink_rows NS IFACE MAC: feature_rows and netlink_rows,
# with IFACE's name taken out so that two drivers' rows compare.
features_and_netlink_rows() {
	{
		feature_rows "$1" "$2"
		netlink_rows "$1" "$2" "$3"
	} | sed "s/$2/IFACE/g"
}

# versus_c SIDE C_DRIVER OUR_DRIVER [CASES]: the rows `SIDE C_DRIVER`
# prints, then those of `SIDE OUR_DRIVER`; prints ours and fails on any
# difference outside CASES (same_as_c).
versus_c() {
	local c ours
	c=$("$1" "$2")
	ours=$("$1" "$3")
	echo "$ours"
	DRV=$3 same_as_c "$c" "$ours" "${4:-}"
}

# same_as_c C_ROWS OUR_ROWS [CASES]: fails, showing the difference,
# unless our rows (DRV's: "# KIND DRIVER | CASE | ...") say what C's say,
# the driver's name aside; rows whose case matches the extended regular
# expression CASES (a difference the documentation explains) are left
# out of the comparison.
same_as_c() {
	local c ours skip="^# [a-z-]+ [a-z0-9_]+ \| (${3:-\b\B}) \|"
	[ -n "$2" ] || fail "no rows from $DRV"
	c=$(grep -vE "$skip" <<<"$1" | sed 's/^# \([a-z-]*\) [a-z0-9_]* /# \1 DRV /')
	ours=$(grep -vE "$skip" <<<"$2" | sed 's/^# \([a-z-]*\) [a-z0-9_]* /# \1 DRV /')
	if [ "$c" != "$ours" ]; then
		diff <(echo "$c") <(echo "$ours") | sed 's/^/    /' >&2 || true
		fail "$DRV answers otherwise than C (- C, + ours)"
	fi
}
