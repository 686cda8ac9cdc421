# SPDX-License-Identifier: GPL-2.0
# The Rust e1000 as netdev netlink shows it, on QEMU's 82540EM against a
# virtio-net peer on the in-tree driver: its NAPI instance, busy polling
# and per-queue statistics. Every test also runs on the in-tree C e1000
# for comparison (reported as "# reference" lines by run-all.sh).

REFERENCE_DRIVERS="e1000"
DRV=${E1000_DRIVER:-rust_e1000}
# ynl_netdev, busy_poll_napi_id, qstats.
source "$HELPERS/netlink.sh"

test_napi_visible_and_busy_polled() {
	e1000_bed
	ifindex=$(ip netns exec nsa cat "/sys/class/net/$IF_A/ifindex")
	irq=$(cat "/sys/bus/pci/devices/$BDF_A/irq")
	napi=$(ynl_netdev nsa --dump napi-get --json "{\"ifindex\": $ifindex}")
	expect_match "$napi" "\"irq\": $irq\\b" "NAPI instance with the device's interrupt"
	napi_id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])[0]["id"])' "$napi")
	queues=$(ynl_netdev nsa --dump queue-get --json "{\"ifindex\": $ifindex}")
	for type in rx tx; do
		got=$(python3 -c 'import json,sys; print([q.get("napi-id") for q in json.loads(sys.argv[1]) if q["type"] == sys.argv[2]])' "$queues" $type)
		expect_eq "$got" "[$napi_id]" "NAPI instance of the $type queue"
	done
	# A busy-polling socket learns which instance delivered to it.
	busy_poll_napi_id nsa nsb "$ADDR_A"
	expect_eq "$BUSY_NAPI_ID" "$napi_id" "SO_INCOMING_NAPI_ID"
}

test_queue_stats_match_device_counters() {
	e1000_bed
	ifindex=$(ip netns exec nsa cat "/sys/class/net/$IF_A/ifindex")
	ip netns exec nsa ping -c 5 -i 0.2 -W 2 "$ADDR_B" >/dev/null || fail "ping"
	qstats nsa "$ifindex" >/tmp/qstats.before
	ip netns exec nsa ethtool -S "$IF_A" >/tmp/ethtool.S
	qstats nsa "$ifindex" >/tmp/qstats.after
	for pair in rx-packets:rx_packets rx-bytes:rx_bytes tx-packets:tx_packets tx-bytes:tx_bytes; do
		q=${pair%%:*} e=${pair#*:}
		before=$(awk -v k="$q" '$1 == k { print $2 }' /tmp/qstats.before)
		after=$(awk -v k="$q" '$1 == k { print $2 }' /tmp/qstats.after)
		value=$(awk -v k="$e:" '$1 == k { print $2 }' /tmp/ethtool.S)
		[ -n "$before" ] && [ "$before" -le "$value" ] && [ "$value" -le "$after" ] ||
			fail "qstats $q $before..$after against ethtool -S $e $value"
	done
	[ "$(awk '$1 == "rx-packets" { print $2 }' /tmp/qstats.after)" -ge 5 ] ||
		fail "qstats rx-packets after 5 pings"
}

# irq_lines IFNAME: how many lines of /proc/interrupts name the interface
# among the handlers of a (possibly shared) interrupt line.
irq_lines() {
	grep -cE "[ ,]$1(,|\$)" /proc/interrupts
}

# The interrupt is requested on open and freed on close, as C does, named
# after the interface; open and close cycles do not pile anything up.
test_interrupt_requested_while_up() {
	e1000_bed
	irq=$(cat "/sys/bus/pci/devices/$BDF_A/irq")
	expect_eq "$(irq_lines "$IF_A")" 1 "one handler named $IF_A while up"
	expect_match "$(grep -E "[ ,]$IF_A(,|\$)" /proc/interrupts)" "^ *$irq:" "on the device's line $irq"
	for _ in 1 2 3 4 5; do
		ip -n nsa link set "$IF_A" down
		expect_eq "$(irq_lines "$IF_A")" 0 "no handler while down"
		ip -n nsa link set "$IF_A" up
	done
	expect_eq "$(irq_lines "$IF_A")" 1 "one handler after five down/up cycles"
	wait_until 10 "ip -n nsa link show $IF_A | grep -q LOWER_UP"
	ip netns exec nsa ping -c 3 -i 0.2 -W 2 "$ADDR_B" >/dev/null || fail "ping after the cycles"
}
