# SPDX-License-Identifier: GPL-2.0
# The Rust virtio-net driver on QEMU's virtio-net-pci (behind the hub),
# against an e1000 peer on the in-tree C driver: probe, traffic both ways,
# counters, batches, link flap, MTU, and unload or unbind under a flood.
# Every test also runs on the in-tree C virtio_net for comparison
# (reported as "# reference" lines by run-all.sh).

REFERENCE_DRIVERS="virtio_net"
DRV=${E1000_DRIVER:-rust_virtio_net}
# virtio_dev, virtio_bind, virtio_up, virtio_bed, virtio_feature.
source "$HELPERS/virtio.sh"
# netconsole_bed, netconsole_on, netconsole_lines_under_flood.
source "$HELPERS/netconsole.sh"
# ynl_netdev, busy_poll_napi_id, qstats.
source "$HELPERS/netlink.sh"

# flood_cycles HOW CYCLES: CYCLES times, a flood ping both ways, then the
# driver goes away under it (HOW: rmmod or unbind) and comes back. No
# device reference may leak, and socket buffers must not pile up.
flood_cycles() {
	local how=$1 cycles=$2 module=$DRV i a b start end
	virtio_bed
	start=$(skb_objects)
	for i in $(seq "$cycles"); do
		if [ "$i" -gt 1 ]; then
			IF_B=$(virtio_bind "$DRV")
			virtio_up "$IF_B"
		fi
		ip netns exec nsa ping -f "$ADDR_B" >/dev/null 2>&1 &
		a=$!
		ip netns exec nsb ping -f "$ADDR_A" >/dev/null 2>&1 &
		b=$!
		wait_until 10 "[ \$(link_stat nsb $IF_B rx.packets) -gt 50 ]"
		case "$how" in
		rmmod) timeout 20 rmmod "$module" || fail "cycle $i: rmmod failed or hung" ;;
		unbind)
			echo "$VDEV" >"/sys/bus/virtio/drivers/$DRV/unbind" ||
				fail "cycle $i: unbind failed"
			;;
		esac
		kill "$a" "$b" 2>/dev/null || true
		wait "$a" "$b" 2>/dev/null || true
		[ -e "/sys/bus/virtio/devices/$VDEV/driver" ] && fail "cycle $i: still bound"
		# The device was reset: its status is back to ACKNOWLEDGE.
		expect_eq "$(<"/sys/bus/virtio/devices/$VDEV/status")" 0x00000001 "cycle $i: status"
	done
	end=$(skb_objects)
	[ $((end - start)) -lt 512 ] || fail "socket buffers grew from $start to $end"
	if dmesg | grep -q 'unregister_netdevice: waiting'; then
		fail "a device reference was leaked"
	fi
}

# Active socket buffers, once the slab cache gave back what it holds.
skb_objects() {
	echo 1 >/sys/kernel/slab/skbuff_head_cache/shrink 2>/dev/null || true
	awk '$1 == "skbuff_head_cache" { print $2 }' /proc/slabinfo
}

test_probe_identity() {
	virtio_bed
	expect_eq "$(mac nsb "$IF_B")" "$MAC_VIRTIO" "address read from the configuration space"
	info=$(ip netns exec nsb ethtool -i "$IF_B")
	expect_match "$info" "^driver: $DRV\$" "ethtool -i driver"
	expect_match "$info" "^bus-info: $(pci_by_mac "$MAC_VIRTIO")\$" "ethtool -i bus-info"
	expect_match "$(ip netns exec nsb ethtool "$IF_B")" 'Link detected: yes' "link"
	expect_match "$(ip netns exec nsb ethtool -T "$IF_B")" "software-transmit" "ethtool -T"
	details=$(ip -n nsb -d link show "$IF_B")
	expect_match "$details" 'mtu 1500 ' "MTU"
	expect_match "$details" 'minmtu 68 maxmtu 65535 ' "MTU range"
	# The queues and their interrupts, named as C names them.
	expect_match "$(cat /proc/interrupts)" "$VDEV-input\.0" "receive queue interrupt"
	expect_match "$(cat /proc/interrupts)" "$VDEV-output\.0" "transmit queue interrupt"
	expect_match "$(cat /proc/interrupts)" "$VDEV-config" "configuration interrupt"
	expect_eq "$(cat "/sys/bus/virtio/devices/$VDEV/status")" 0x0000000f "device status"
}

test_ping_both_ways_and_fragmented() {
	virtio_bed
	ip netns exec nsa ping -c 3 -i 0.2 -W 2 "$ADDR_B" >/dev/null || fail "ping e1000 -> virtio"
	ip netns exec nsb ping -c 3 -i 0.2 -W 2 "$ADDR_A" >/dev/null || fail "ping virtio -> e1000"
	ip netns exec nsb ping -c 2 -s 65000 -W 3 "$ADDR_A" >/dev/null || fail "65000-byte ping"
}

test_tcp_both_ways_verified() {
	virtio_bed
	# The e1000 (nsa) sends, the virtio NIC receives.
	tcp_transfer_checked 4000000 5001
	# And the other way: the virtio NIC sends.
	tcp_transfer_checked 4000000 5002 back
}

test_counters_match_traffic() {
	virtio_bed
	ip netns exec nsa sysctl -qw "net.ipv6.conf.$IF_A.disable_ipv6=1"
	ip netns exec nsb sysctl -qw "net.ipv6.conf.$IF_B.disable_ipv6=1"
	N=200
	SIZE=300
	rx0=$(link_stat nsb "$IF_B" rx.packets)
	rxb0=$(link_stat nsb "$IF_B" rx.bytes)
	rx_start nsb "$IF_B" --count $N --timeout 30
	rawframe nsa send "$IF_A" "$MAC_VIRTIO" --count $N --size $SIZE
	rx_wait || fail "the socket got $(wc -l </tmp/recv.out) of $N frames"
	expect_eq "$(($(link_stat nsb "$IF_B" rx.packets) - rx0))" $N "rx packets"
	expect_eq "$(($(link_stat nsb "$IF_B" rx.bytes) - rxb0))" $((N * SIZE)) "rx bytes"
	tx0=$(link_stat nsb "$IF_B" tx.packets)
	txb0=$(link_stat nsb "$IF_B" tx.bytes)
	rx_start nsa "$IF_A" --count $N --timeout 30
	rawframe nsb send "$IF_B" "$MAC_E1000_A" --count $N --size $SIZE
	rx_wait || fail "the peer got $(wc -l </tmp/recv.out) of $N frames"
	wait_until 5 "[ \$((\$(link_stat nsb $IF_B tx.packets) - $tx0)) -ge $N ]"
	expect_eq "$(($(link_stat nsb "$IF_B" tx.packets) - tx0))" $N "tx packets"
	expect_eq "$(($(link_stat nsb "$IF_B" tx.bytes) - txb0))" $((N * SIZE)) "tx bytes"
}

# Batches from the stack (xmit_more): the device is kicked once per
# batch, and the last frame of every batch kicks it, so no frame waits for
# a next one that never comes.
test_tx_batches_all_sent() {
	virtio_bed
	local tx0 rx0 sent
	pktgen_setup nsb "$IF_B" "$ADDR_A" "$(mac nsa "$IF_A")" \
		"count 1000" "burst 8" "delay 1000000" "pkt_size 60"
	tx0=$(link_stat nsb "$IF_B" tx.packets)
	rx0=$(link_stat nsa "$IF_A" rx.packets)
	sent=$(pktgen_run nsb)
	[ -n "$sent" ] && ((sent >= 1000)) || fail "pktgen sent '${sent}' frames"
	wait_until 5 "[ \$((\$(link_stat nsb $IF_B tx.packets) - $tx0)) -ge $sent ]" ||
		fail "the device sent $(($(link_stat nsb "$IF_B" tx.packets) - tx0)) of $sent frames"
	# The peer takes them in at its own pace, slow on a busy host (in a
	# run with two guests on two cores it took more than 5 s); a frame the
	# device was never told of would not arrive at all.
	wait_until 30 "[ \$((\$(link_stat nsa $IF_A rx.packets) - $rx0)) -ge $sent ]" ||
		fail "the peer got $(($(link_stat nsa "$IF_A" rx.packets) - rx0)) of $sent frames"
}

# One buffer sent many times, each copy in the queue while the next goes in
# (pktgen's clone_skb: it takes a reference per send): the copies share
# one control block, where the header goes, and freeing a sent copy must
# not spoil the header of a copy the device has yet to read. (It did:
# when start_xmit freed a sent copy just before it added the next, the
# device got a header entry of length 0, called itself broken and stopped
# sending for good. That needs the device to finish a frame between two
# sends, which a round of 2000 frames saw about one time in three here, so
# the test runs ten rounds, in bursts of 1, 4 and 16.)
test_tx_one_buffer_many_times() {
	virtio_bed
	local tx0 rx0 sent=0 n round burst
	tx0=$(link_stat nsb "$IF_B" tx.packets)
	rx0=$(link_stat nsa "$IF_A" rx.packets)
	for round in $(seq 10); do
		burst=$((4 ** ((round - 1) % 3)))
		pktgen_setup nsb "$IF_B" "$ADDR_A" "$(mac nsa "$IF_A")" \
			"count 2000" "clone_skb 1000000" "burst $burst" "pkt_size 60"
		n=$(pktgen_run nsb 60) || fail "round $round (bursts of $burst) did not finish"
		[ -n "$n" ] && ((n >= 2000)) || fail "round $round: pktgen sent '${n}' frames"
		sent=$((sent + n))
	done
	wait_until 5 "[ \$((\$(link_stat nsb $IF_B tx.packets) - $tx0)) -ge $sent ]" ||
		fail "the device sent $(($(link_stat nsb "$IF_B" tx.packets) - tx0)) of $sent frames"
	# The peer takes what the hub can give it; frames it had no buffer
	# for are lost on the way, not by us, so most (not all) arrive.
	wait_until 30 "[ \$((\$(link_stat nsa $IF_A rx.packets) - $rx0)) -ge $((sent / 2)) ]" ||
		fail "the peer got $(($(link_stat nsa "$IF_A" rx.packets) - rx0)) of $sent frames"
	ip netns exec nsb ping -c 2 -W 2 "$ADDR_A" >/dev/null || fail "no ping after pktgen"
}

# QEMU's set_link changes the status field and raises a configuration
# interrupt: the carrier follows.
test_link_flap_from_qemu_monitor() {
	virtio_bed
	trap 'host_request "set_link p2 on"' EXIT
	host_request "set_link p2 off"
	wait_until 5 "ip netns exec nsb grep -qx 0 /sys/class/net/$IF_B/carrier"
	expect_match "$(ip -n nsb link show "$IF_B")" 'NO-CARRIER' "link after set_link off"
	expect_match "$(ip netns exec nsb ethtool "$IF_B")" 'Link detected: no' "ethtool link"
	host_request "set_link p2 on"
	wait_until 5 "ip netns exec nsb grep -qx 1 /sys/class/net/$IF_B/carrier"
	ip netns exec nsb ping -c 2 -W 2 "$ADDR_A" >/dev/null || fail "ping after the flap"
}

# Down and up again, under traffic: the receive buffers stay in the queue
# while the interface is down, and traffic resumes.
test_down_up_cycles() {
	virtio_bed
	for i in $(seq 5); do
		ip netns exec nsa ping -f -c 200 "$ADDR_B" >/dev/null 2>&1 &
		a=$!
		sleep 0.3
		ip -n nsb link set "$IF_B" down
		ip -n nsb link set "$IF_B" up
		wait "$a" 2>/dev/null || true
		wait_until 10 "ip netns exec nsb grep -qx 1 /sys/class/net/$IF_B/carrier"
		ip netns exec nsb ping -c 2 -W 2 "$ADDR_A" >/dev/null || fail "cycle $i: ping after up"
	done
}

test_mtu_change() {
	virtio_bed
	ip -n nsa link set "$IF_A" mtu 1280
	ip -n nsb link set "$IF_B" mtu 1280
	expect_match "$(ip -n nsb link show "$IF_B")" 'mtu 1280 ' "MTU after the change"
	ip netns exec nsb ping -c 2 -M do -s 1252 -W 2 "$ADDR_A" >/dev/null || fail "1280-byte DF ping out"
	ip netns exec nsa ping -c 2 -M do -s 1252 -W 2 "$ADDR_B" >/dev/null || fail "1280-byte DF ping in"
	expect_error 'too long|mtu' ip netns exec nsb ping -c 1 -M do -s 1253 -W 2 "$ADDR_A"
	tcp_transfer_checked 1000000 5003
	expect_error 'mtu greater than device maximum' ip -n nsb link set "$IF_B" mtu 65536
	expect_error 'mtu less than device minimum' ip -n nsb link set "$IF_B" mtu 67
	ip -n nsa link set "$IF_A" mtu 1500
	ip -n nsb link set "$IF_B" mtu 1500
	ip netns exec nsb ping -c 2 -M do -s 1472 -W 2 "$ADDR_A" >/dev/null || fail "1500-byte DF ping"
}

# Unloads the driver under a flood both ways (ours 25 times, the C driver
# 5: the cycles take most of the file's time). With the 25 unbind cycles
# below, ours goes away and comes back under traffic 50 times.
test_rmmod_under_flood_cycles() {
	if [ "$DRV" = rust_virtio_net ]; then
		flood_cycles rmmod 25
	else
		flood_cycles rmmod 5
	fi
}

# Unbinds and binds the device under a flood both ways through sysfs.
test_unbind_bind_under_flood_cycles() {
	if [ "$DRV" = rust_virtio_net ]; then
		flood_cycles unbind 25
	else
		flood_cycles unbind 5
	fi
}

# netconsole on the virtio NIC while it carries a flood: netpoll calls
# start_xmit and both NAPI polls with a zero budget, interrupts off (the
# receive poll must receive nothing then, the transmit poll only free).
# Every line must reach the peer, and the device carry traffic after.
test_netconsole_under_a_flood() {
	unbind_all
	IF_A=$(bind "$(pci_by_mac "$MAC_E1000_A")" e1000)
	IF_B=$(virtio_bind "$DRV")
	netconsole_bed "$IF_B" "$ADDR_B" nsa "$IF_A" "$ADDR_A"
	netconsole_on 6666
	netconsole_lines_under_flood 200
}

# NAPI over netdev netlink, as C shows it: the receive queue's instance,
# with an ID that a busy-polling socket learns; the transmit instance
# only completes transmissions (C netif_napi_add_tx), so it has no ID and
# netlink lists neither it nor a NAPI for the transmit queue.
test_napi_per_queue_and_busy_polled() {
	virtio_bed
	local ifindex queues rx tx
	ifindex=$(ip netns exec nsb cat "/sys/class/net/$IF_B/ifindex")
	queues=$(ynl_netdev nsb --dump queue-get --json "{\"ifindex\": $ifindex}")
	napi_of() {
		python3 -c 'import json,sys; print(*[q.get("napi-id") for q in json.loads(sys.argv[1]) if q["type"] == sys.argv[2]])' "$queues" "$1"
	}
	rx=$(napi_of rx)
	tx=$(napi_of tx)
	expect_match "$rx" '^[0-9]+$' "NAPI instance of the receive queue"
	expect_eq "$tx" None "NAPI instance of the transmit queue"
	expect_eq "$(ynl_netdev nsb --dump napi-get --json "{\"ifindex\": $ifindex}" |
		python3 -c 'import json,sys; print([n["id"] for n in json.load(sys.stdin)])')" "[$rx]" "NAPI instances listed"
	busy_poll_napi_id nsb nsa "$ADDR_B"
	expect_eq "$BUSY_NAPI_ID" "$rx" "SO_INCOMING_NAPI_ID"
}

# The receive queue's page pool, as netdev netlink shows it: one pool
# owned by the receive queue's NAPI instance (C sets pp_params.napi, and
# so must we: that is what lets a page freed in the instance's softirq go
# straight back to the pool's lockless cache), with the ring's buffers in
# flight. The pool is found by the instance's ID: moving the device to
# another namespace hands its pools to the old namespace's loopback
# device (the core's NETDEV_UNREGISTER handling), for C as for ours. With
# CONFIG_PAGE_POOL_STATS (the debug kernel), after a flood of pings, whose
# requests die in softirq, pages were recycled through that cache.
test_page_pool_owned_by_receive_napi() {
	virtio_bed
	local ifindex queues rx pools stats
	ifindex=$(ip netns exec nsb cat "/sys/class/net/$IF_B/ifindex")
	queues=$(ynl_netdev nsb --dump queue-get --json "{\"ifindex\": $ifindex}")
	rx=$(python3 -c 'import json,sys; print(*[q.get("napi-id") for q in json.loads(sys.argv[1]) if q["type"] == "rx"])' "$queues")
	expect_match "$rx" '^[0-9]+$' "NAPI instance of the receive queue"
	pools=$({ ynl_netdev - --dump page-pool-get; ynl_netdev nsb --dump page-pool-get; } |
		python3 -c 'import json,sys
pools = [p for line in sys.stdin for p in json.loads(line) if p.get("napi-id") == int(sys.argv[1])]
print(*["pool inflight %s" % ("yes" if p.get("inflight", 0) > 0 else "none") for p in pools])' "$rx")
	expect_eq "$pools" "pool inflight yes" "page pools of the receive instance"
	ip netns exec nsa ping -f -c 3000 -s 1000 "$ADDR_B" >/dev/null 2>&1
	if ! stats=$({ ynl_netdev - --dump page-pool-stats-get && ynl_netdev nsb --dump page-pool-stats-get; } 2>/dev/null); then
		echo "# no page pool statistics in this kernel (CONFIG_PAGE_POOL_STATS)"
		return
	fi
	expect_match "$(python3 -c 'import json,sys
ids = {p["id"] for line in sys.argv[2].splitlines() for p in json.loads(line) if p.get("napi-id") == int(sys.argv[1])}
print(*[s.get("recycle-cached", 0) for line in sys.argv[3].splitlines() for s in json.loads(line) if s["info"]["id"] in ids])' \
		"$rx" "$(ynl_netdev - --dump page-pool-get; ynl_netdev nsb --dump page-pool-get)" "$stats")" \
		'^[1-9][0-9]*$' "pages recycled through the lockless cache"
}

# Queue statistics over netdev netlink, as C gives them without the
# device's own counters: packets and bytes each way (within what `ip -s
# link` counts a moment later), the transmit queue's stops and wakes (a
# transmit ring resize stops and wakes it once each).
test_queue_stats() {
	virtio_bed
	local ifindex keys want pair q l stop wake
	ifindex=$(ip netns exec nsb cat "/sys/class/net/$IF_B/ifindex")
	ip netns exec nsb ping -c 5 -i 0.2 -W 2 "$ADDR_A" >/dev/null || fail "ping"
	qstats nsb "$ifindex" >/tmp/qstats
	keys=$(awk '{ print $1 }' /tmp/qstats | sort | tr '\n' ' ')
	# Ours also reports failed receive allocations, which C does not.
	want="ifindex rx-bytes rx-packets tx-bytes tx-packets tx-stop tx-wake "
	[ "$DRV" = virtio_net ] || want="ifindex rx-alloc-fail rx-bytes rx-packets tx-bytes tx-packets tx-stop tx-wake "
	expect_eq "$keys" "$want" "counters reported"
	for pair in rx-packets:rx.packets rx-bytes:rx.bytes tx-packets:tx.packets tx-bytes:tx.bytes; do
		q=$(awk -v k="${pair%%:*}" '$1 == k { print $2 }' /tmp/qstats)
		l=$(link_stat nsb "$IF_B" "${pair#*:}")
		[ "$q" -ge 5 ] && [ "$q" -le "$l" ] || fail "qstats ${pair%%:*} $q against ip -s link $l"
	done
	stop=$(awk '$1 == "tx-stop" { print $2 }' /tmp/qstats)
	wake=$(awk '$1 == "tx-wake" { print $2 }' /tmp/qstats)
	ip netns exec nsb ethtool -G "$IF_B" tx 128
	qstats nsb "$ifindex" >/tmp/qstats
	expect_eq "$(awk '$1 == "tx-stop" { print $2 }' /tmp/qstats)" $((stop + 1)) "tx-stop after a resize"
	expect_eq "$(awk '$1 == "tx-wake" { print $2 }' /tmp/qstats)" $((wake + 1)) "tx-wake after a resize"
	ip netns exec nsb ethtool -G "$IF_B" tx 256
	ip netns exec nsb ping -c 2 -i 0.2 -W 2 "$ADDR_A" >/dev/null || fail "ping after the resizes"
}

# Threaded NAPI (`/sys/class/net/IF/threaded`): each NAPI instance of the
# interface gets a kernel thread (netlink's pid, named napi/IF-ID) that
# does the polling (its context switches grow with traffic), and data
# flows both ways unchanged; switched off, the threads end, softirq polls
# again and data still flows.
test_napi_threaded() {
	virtio_bed
	local ifindex napis id threaded pid switches
	ifindex=$(ip netns exec nsb cat "/sys/class/net/$IF_B/ifindex")
	# One "ID THREADED PID" line per instance (PID 0 without a thread).
	napis() {
		ynl_netdev nsb --dump napi-get --json "{\"ifindex\": $ifindex}" |
			python3 -c 'import json,sys
for n in json.load(sys.stdin): print(n["id"], n.get("threaded", "disabled"), n.get("pid", 0))'
	}
	ctxt_switches() { awk '/^(non)?voluntary_ctxt_switches/ { n += $2 } END { print n + 0 }' "/proc/$1/status"; }
	ip netns exec nsb sh -c "echo 1 >/sys/class/net/$IF_B/threaded" || fail "threaded NAPI refused"
	expect_eq "$(ip netns exec nsb cat "/sys/class/net/$IF_B/threaded")" 1 "threaded after enabling"
	napis >/tmp/napis
	[ -s /tmp/napis ] || fail "no NAPI instance listed"
	declare -A before
	while read -r id threaded pid; do
		expect_eq "$threaded" enabled "NAPI $id threaded"
		[ "$pid" -gt 0 ] || fail "NAPI $id has no thread"
		expect_eq "$(cat "/proc/$pid/comm")" "napi/$IF_B-$id" "NAPI $id thread name"
		before[$pid]=$(ctxt_switches "$pid")
	done </tmp/napis
	tcp_transfer_checked 2000000 5060 forth
	tcp_transfer_checked 2000000 5061 back
	# The receive instance's thread polled: it woke for the traffic.
	switches=0
	for pid in "${!before[@]}"; do
		[ "$(ctxt_switches "$pid")" -gt $((before[$pid] + 10)) ] && switches=$((switches + 1))
	done
	[ "$switches" -gt 0 ] || fail "no NAPI thread ran during the transfers"
	ip netns exec nsb sh -c "echo 0 >/sys/class/net/$IF_B/threaded"
	napis >/tmp/napis
	while read -r id threaded pid; do
		expect_eq "$threaded $pid" "disabled 0" "NAPI $id after disabling"
	done </tmp/napis
	for pid in "${!before[@]}"; do
		wait_until 10 "[ ! -e /proc/$pid ]"
	done
	tcp_transfer_checked 1000000 5062 forth
}
