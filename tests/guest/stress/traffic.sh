# SPDX-License-Identifier: GPL-2.0
# The chaos soak's traffic and counters (sourced by soak.sh): iperf3 and a
# flood ping each way between the device under test and its peer, each
# restarted when the soak broke it (a reload, an MTU change...), and the
# device's counters sampled after every action. iperf3 is held to
# 100 Mbit/s each way: unbounded, under TCG, it leaves the guest's two
# CPUs too little time for the actions.

COUNTER_LOG=/tmp/stress-counters.log

# forever CMD...: runs CMD again and again in the background.
forever() {
	(while :; do
		"$@" >/dev/null 2>&1
		sleep 0.5
	done) &
	SOAK_LOOPS+=("$!")
}

soak_traffic_start() {
	SOAK_LOOPS=()
	forever ip netns exec "$NS_PEER" timeout 60 iperf3 -s -1 -p 5201
	forever ip netns exec "$NS_DUT" timeout 60 iperf3 -s -1 -p 5202
	forever ip netns exec "$NS_DUT" timeout 40 iperf3 -c "$ADDR_PEER" -p 5201 -t 20 -b 100M --connect-timeout 3000
	forever ip netns exec "$NS_PEER" timeout 40 iperf3 -c "$ADDR_DUT" -p 5202 -t 20 -b 100M --connect-timeout 3000
	forever ip netns exec "$NS_DUT" ping -f -w 20 "$ADDR_PEER"
	forever ip netns exec "$NS_PEER" ping -f -w 20 "$ADDR_DUT"
}

# soak_traffic_stop: ends each loop, then what it was running.
soak_traffic_stop() {
	local loop children
	for loop in "${SOAK_LOOPS[@]}"; do
		children=$(pgrep -P "$loop")
		kill "$loop" 2>/dev/null
		# shellcheck disable=SC2086 # a list of process ids
		[ -z "$children" ] || kill $children 2>/dev/null
	done
	wait "${SOAK_LOOPS[@]}" 2>/dev/null
	SOAK_LOOPS=()
	return 0
}

# counters_sample: appends "GENERATION rx_packets rx_bytes tx_packets
# tx_bytes" of the device under test to COUNTER_LOG. GENERATION counts
# the module reloads: a new device starts from zero.
COUNTER_GENERATION=0
counters_sample() {
	local s=/sys/class/net/$IF_DUT/statistics values
	values=$(ip netns exec "$NS_DUT" cat "$s/rx_packets" "$s/rx_bytes" "$s/tx_packets" "$s/tx_bytes" 2>/dev/null) ||
		return 0
	echo "$COUNTER_GENERATION" $values >>"$COUNTER_LOG"
}

# counters_only_grew: within each generation, no counter ever went down.
counters_only_grew() {
	local bad
	[ "$(wc -l <"$COUNTER_LOG")" -gt 1 ] || fail "fewer than 2 counter samples"
	bad=$(awk 'NF == 5 && $1 == gen {
			for (i = 2; i <= 5; i++) if ($i < prev[i]) { print "sample " NR ": counter " i - 1 " went from " prev[i] " to " $i; exit }
		}
		NF == 5 { gen = $1; for (i = 2; i <= 5; i++) prev[i] = $i }' "$COUNTER_LOG")
	[ -z "$bad" ] || fail "$bad"
}
