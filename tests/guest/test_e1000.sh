# SPDX-License-Identifier: GPL-2.0
# The Rust e1000 driver on QEMU's 82540EM, against a virtio-net peer on
# the in-tree driver. Every test also runs on the in-tree C e1000 for
# comparison (reported as "# reference" lines by run-all.sh).

REFERENCE_DRIVERS="e1000"
DRV=${E1000_DRIVER:-rust_e1000}

test_probe_identity() {
	e1000_bed
	expect_eq "$(mac nsa "$IF_A")" "$MAC_E1000_A" "address read from the EEPROM"
	info=$(ip netns exec nsa ethtool -i "$IF_A")
	expect_match "$info" "^driver: $DRV\$" "ethtool -i driver"
	expect_match "$info" "^bus-info: $BDF_A\$" "ethtool -i bus-info"
	expect_match "$(dmesg)" "$BDF_A.*Intel\(R\) PRO/1000 Network Connection" "probe message"
	out=$(ip netns exec nsa ethtool "$IF_A")
	expect_match "$out" 'Speed: 1000Mb/s' "speed"
	expect_match "$out" 'Duplex: Full' "duplex"
	expect_match "$out" 'Link detected: yes' "link"
}

test_ping_both_ways_and_fragmented() {
	e1000_bed
	ip netns exec nsa ping -c 3 -i 0.2 -W 2 "$ADDR_B" >/dev/null || fail "ping e1000 -> virtio"
	ip netns exec nsb ping -c 3 -i 0.2 -W 2 "$ADDR_A" >/dev/null || fail "ping virtio -> e1000"
	ip netns exec nsa ping -c 2 -s 65000 -W 3 "$ADDR_B" >/dev/null || fail "65000-byte ping"
}

test_tcp_both_ways_verified() {
	e1000_bed
	tcp_transfer_checked 4000000 5001
	# And the other way: the e1000 receives.
	head -c 4000000 /dev/urandom >/tmp/tx2.bin
	ip netns exec nsa socat -u TCP-LISTEN:5002,reuseaddr OPEN:/tmp/rx2.bin,creat,trunc &
	listener=$!
	wait_until 5 listening nsa 5002
	ip netns exec nsb socat -u OPEN:/tmp/tx2.bin "TCP:$ADDR_A:5002" || fail "socat send"
	wait "$listener" || fail "socat receive"
	expect_eq "$(sha256sum </tmp/rx2.bin)" "$(sha256sum </tmp/tx2.bin)" "data received by the e1000"
}

test_jumbo_mtu_9000() {
	e1000_bed
	ip -n nsa link set "$IF_A" mtu 9000
	ip -n nsb link set "$IF_B" mtu 9000
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
	ip netns exec nsa ping -c 2 -M do -s 8972 -W 3 "$ADDR_B" >/dev/null || fail "9000-byte DF ping"
	tcp_transfer_checked 2000000 5003
	expect_error 'mtu greater than device maximum' ip -n nsa link set "$IF_A" mtu 16111
}

test_promiscuous_foreign_frame() {
	e1000_bed
	foreign=02:00:5e:aa:bb:cc
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" "$foreign")" none "foreign frame"
	ip -n nsa link set "$IF_A" promisc on
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" "$foreign")" otherhost "foreign frame, promiscuous"
	ip -n nsa link set "$IF_A" promisc off
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" "$foreign")" none "foreign frame after promisc off"
}

# Two sniffers: the device leaves promiscuous mode when the second stops.
test_promiscuity_count_two_sniffers() {
	e1000_bed
	foreign=02:00:5e:aa:bb:cd
	ip netns exec nsa tcpdump -i "$IF_A" -w /dev/null 2>/dev/null &
	one=$!
	wait_until 5 "[ \$(promiscuity nsa $IF_A) = 1 ]"
	ip netns exec nsa tcpdump -i "$IF_A" -w /dev/null 2>/dev/null &
	two=$!
	wait_until 5 "[ \$(promiscuity nsa $IF_A) = 2 ]"
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" "$foreign")" otherhost "foreign frame, two sniffers"
	kill "$one"
	wait "$one" || true
	wait_until 5 "[ \$(promiscuity nsa $IF_A) = 1 ]"
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" "$foreign")" otherhost "foreign frame, one sniffer left"
	kill "$two"
	wait "$two" || true
	wait_until 5 "[ \$(promiscuity nsa $IF_A) = 0 ]"
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" "$foreign")" none "foreign frame, no sniffer"
}

# A new station address reaches the receive filter: frames to it are
# delivered, frames to the old one no longer; group addresses are refused.
test_mac_address_change() {
	e1000_bed
	new=02:11:22:33:44:55
	ip -n nsa link set "$IF_A" address "$new"
	expect_eq "$(mac nsa "$IF_A")" "$new" "address after the change"
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" "$new")" host "frame to the new address"
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" "$MAC_E1000_A")" none "frame to the old address"
	expect_error 'cannot assign|invalid|not available' ip -n nsa link set "$IF_A" address 01:00:5e:00:00:01
	ip netns exec nsb ip neigh flush dev "$IF_B"
	ip netns exec nsa ping -c 2 -W 2 "$ADDR_B" >/dev/null || fail "ping with the new address"
}

test_multicast_filters() {
	e1000_bed
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" ff:ff:ff:ff:ff:ff)" broadcast "broadcast"
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" 01:00:5e:01:02:03)" none "unjoined group"
	ip -n nsa maddr add 01:00:5e:01:02:03 dev "$IF_A"
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" 01:00:5e:01:02:03)" multicast "joined group"
	# More groups than receive address registers: the hash table.
	for i in $(seq 10 40); do
		ip -n nsa maddr add "01:00:5e:00:01:$i" dev "$IF_A"
	done
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" 01:00:5e:00:01:33)" multicast "group in the hash table"
	ip -n nsa link set "$IF_A" allmulticast on
	expect_eq "$(delivered_to nsb "$IF_B" nsa "$IF_A" 01:00:5e:7f:7f:7f)" multicast "any group, allmulti"
}

test_short_frame_zero_padded() {
	e1000_bed
	short_frame_padded nsa "$IF_A" nsb "$IF_B"
}

# Batches from the stack (xmit_more): the driver writes the tail register
# once per batch, and the last frame of every batch writes it, so no frame
# waits for a next one that never comes. pktgen hands the driver bursts of
# 8 frames, one burst a millisecond; every frame it counts must leave the
# device and reach the peer within a few seconds.
test_tx_batches_all_sent() {
	e1000_bed
	modprobe pktgen || fail "no pktgen"
	local pg="ip netns exec nsa" dev=/proc/net/pktgen/$IF_A c
	$pg sh -c "echo reset >/proc/net/pktgen/pgctrl"
	$pg sh -c "echo rem_device_all >/proc/net/pktgen/kpktgend_0"
	$pg sh -c "echo add_device $IF_A >/proc/net/pktgen/kpktgend_0"
	for c in "count 1000" "burst 8" "delay 1000000" "pkt_size 60" "dst $ADDR_B" \
		"dst_mac $(mac nsb "$IF_B")" "udp_dst_min 9" "udp_dst_max 9"; do
		$pg sh -c "echo '$c' >$dev" || fail "pktgen: $c"
	done
	local tx0 rx0 sent
	tx0=$(link_stat nsa "$IF_A" tx.packets)
	rx0=$(link_stat nsb "$IF_B" rx.packets)
	# Returns when pktgen has handed over all its frames.
	$pg sh -c "echo start >/proc/net/pktgen/pgctrl"
	sent=$($pg cat "$dev" | sed -n 's/^Result: OK: .* usec, \([0-9]*\) (.*/\1/p')
	[ -n "$sent" ] && ((sent >= 1000)) || fail "pktgen sent '${sent}' frames"
	wait_until 5 "[ \$((\$(link_stat nsa $IF_A tx.packets) - $tx0)) -ge $sent ]" ||
		fail "the device sent $(($(link_stat nsa "$IF_A" tx.packets) - tx0)) of $sent frames"
	wait_until 5 "[ \$((\$(link_stat nsb $IF_B rx.packets) - $rx0)) -ge $sent ]" ||
		fail "the peer got $(($(link_stat nsb "$IF_B" rx.packets) - rx0)) of $sent frames"
}

# Software transmit timestamps (SO_TIMESTAMPING), as the C driver gives
# them: ethtool -T says so, and every datagram sent comes back stamped.
test_software_tx_timestamps() {
	e1000_bed
	expect_match "$(ip netns exec nsa ethtool -T "$IF_A")" "software-transmit" "ethtool -T"
	expect_eq "$(ip netns exec nsa python3 "$HELPERS/txstamp.py" "$ADDR_B" 5)" "stamped 5 of 5" "timestamps"
}

test_counters_match_traffic() {
	e1000_bed
	# Only the test's frames: no IPv6 router solicitations or reports
	# from either end in the middle of a count.
	ip netns exec nsa sysctl -qw "net.ipv6.conf.$IF_A.disable_ipv6=1"
	ip netns exec nsb sysctl -qw "net.ipv6.conf.$IF_B.disable_ipv6=1"
	N=200
	SIZE=300
	rx0=$(stat nsa "$IF_A" rx_packets)
	rxb0=$(stat nsa "$IF_A" rx_bytes)
	lrx0=$(link_stat nsa "$IF_A" rx.packets)
	rx_start nsa "$IF_A" --count $N --timeout 30
	rawframe nsb send "$IF_B" "$MAC_E1000_A" --count $N --size $SIZE
	rx_wait || fail "the socket got $(wc -l </tmp/recv.out) of $N frames"
	expect_eq "$(($(stat nsa "$IF_A" rx_packets) - rx0))" $N "ethtool -S rx_packets"
	expect_eq "$(($(stat nsa "$IF_A" rx_bytes) - rxb0))" $((N * SIZE)) "ethtool -S rx_bytes"
	expect_eq "$(($(link_stat nsa "$IF_A" rx.packets) - lrx0))" $N "ip -s rx packets"
	tx0=$(link_stat nsa "$IF_A" tx.packets)
	rx_start nsb "$IF_B" --count $N --timeout 30
	rawframe nsa send "$IF_A" "$MAC_VIRTIO" --count $N --size $SIZE
	rx_wait || fail "the peer got $(wc -l </tmp/recv.out) of $N frames"
	wait_until 5 "[ \$((\$(link_stat nsa $IF_A tx.packets) - $tx0)) -ge $N ]"
	expect_eq "$(($(link_stat nsa "$IF_A" tx.packets) - tx0))" $N "ip -s tx packets"
}

test_ring_resize_and_mtu_change_under_traffic() {
	e1000_bed
	head -c 6000000 /dev/urandom >/tmp/tx.bin
	ip netns exec nsb socat -u TCP-LISTEN:5004,reuseaddr OPEN:/tmp/rx.bin,creat,trunc &
	listener=$!
	wait_until 5 listening nsb 5004
	ip netns exec nsa socat -u OPEN:/tmp/tx.bin "TCP:$ADDR_B:5004" &
	sender=$!
	sleep 0.5
	ip netns exec nsa ethtool -G "$IF_A" rx 512 tx 512
	sleep 0.3
	ip -n nsa link set "$IF_A" mtu 4000
	sleep 0.3
	ip netns exec nsa ethtool -G "$IF_A" rx 64 tx 64
	wait "$sender" || fail "socat send"
	wait "$listener" || fail "socat receive"
	expect_eq "$(sha256sum </tmp/rx.bin)" "$(sha256sum </tmp/tx.bin)" "data across reconfigurations"
	out=$(ip netns exec nsa ethtool -g "$IF_A" | sed -n '/Current/,$p')
	expect_match "$out" 'RX:[[:space:]]+64' "RX ring after resize"
	expect_match "$out" 'TX:[[:space:]]+64' "TX ring after resize"
}

test_ethtool_ring_limits() {
	e1000_bed
	out=$(ip netns exec nsa ethtool -g "$IF_A")
	expect_match "$(sed -n '/maximums/,/Current/p' <<<"$out")" 'RX:[[:space:]]+4096' "RX maximum"
	expect_match "$(sed -n '/Current/,$p' <<<"$out")" 'RX:[[:space:]]+256' "RX default"
	# Sizes are rounded up to a multiple of 8 as in C; below the minimum
	# (which C silently raises to 48) and above the maximum are refused,
	# and nothing changes.
	ip netns exec nsa ethtool -G "$IF_A" tx 100
	out=$(ip netns exec nsa ethtool -g "$IF_A" | sed -n '/Current/,$p')
	expect_match "$out" 'TX:[[:space:]]+104' "TX rounded up"
	expect_error 'invalid argument' ip netns exec nsa ethtool -G "$IF_A" rx 20
	out=$(ip netns exec nsa ethtool -g "$IF_A" | sed -n '/Current/,$p')
	expect_match "$out" 'RX:[[:space:]]+256' "RX after a refused size"
	expect_error 'invalid argument|exceeds|out of range' ip netns exec nsa ethtool -G "$IF_A" rx 5000
	ip netns exec nsa ping -c 2 -W 2 "$ADDR_B" >/dev/null || fail "ping after ring changes"
}

test_ethtool_coalesce_regs_msglevel() {
	e1000_bed
	expect_match "$(ip netns exec nsa ethtool -c "$IF_A")" 'rx-usecs:[[:space:]]+3' "default rx-usecs"
	ip netns exec nsa ethtool -C "$IF_A" rx-usecs 100
	expect_match "$(ip netns exec nsa ethtool -c "$IF_A")" 'rx-usecs:[[:space:]]+100' "rx-usecs after -C"
	expect_error 'invalid argument' ip netns exec nsa ethtool -C "$IF_A" rx-usecs 5
	ip netns exec nsa ping -c 2 -W 2 "$ADDR_B" >/dev/null || fail "ping after coalesce change"
	dump=$(ip netns exec nsa ethtool -d "$IF_A" raw on | wc -c)
	[ "$dump" -ge 128 ] || fail "register dump of $dump bytes"
	ip netns exec nsa ethtool -s "$IF_A" msglvl 0x1
	expect_match "$(ip netns exec nsa ethtool "$IF_A")" 'Current message level: 0x00000001' "msglevel"
}

# The default rx-usecs 3 adapts the interrupt rate to the traffic, with
# the C driver's classes: bulk TCP moves the ITR register (256 ns units)
# to 4000 interrupts/s, small frames step it back up to 20000/s, and a
# fixed rx-usecs holds it (C refuses to set one on the 82540). Read from
# BAR 0, so it runs on both drivers.
test_adaptive_interrupt_throttling() {
	e1000_bed
	itr() { python3 "$HELPERS/pcireg.py" "$BDF_A" 0xC4; }
	# Until the link is up at 1000 Mbit/s it holds 4000/s; from there
	# small frames raise it a quarter of 20000/s per interrupt.
	ip netns exec nsa ping -c 10 -i 0.1 -W 2 "$ADDR_B" >/dev/null || fail "ping"
	expect_eq "$(itr)" 195 "ITR after small frames (20000/s)"
	ip netns exec nsb iperf3 -s -1 -D -p 5211 >/dev/null
	wait_until 5 listening nsb 5211
	ip netns exec nsa iperf3 -c "$ADDR_B" -p 5211 -t 8 >/dev/null &
	load=$!
	# Under bulk traffic 976 (4000/s).
	wait_until 8 "[ \$(itr) = 976 ]"
	wait "$load" || fail "iperf3"
	ip netns exec nsa ping -c 10 -i 0.1 -W 2 "$ADDR_B" >/dev/null || fail "ping"
	expect_eq "$(itr)" 195 "ITR after small frames"
	if [ "$DRV" = e1000 ]; then
		# C takes no coalescing settings below the 82545.
		expect_error 'not supported' ip netns exec nsa ethtool -C "$IF_A" rx-usecs 100
		return
	fi
	ip netns exec nsa ethtool -C "$IF_A" rx-usecs 100
	expect_eq "$(itr)" 390 "ITR for rx-usecs 100 (10000/s)"
	ip netns exec nsb iperf3 -s -1 -D -p 5212 >/dev/null
	wait_until 5 listening nsb 5212
	ip netns exec nsa iperf3 -c "$ADDR_B" -p 5212 -t 2 >/dev/null || fail "iperf3, fixed rate"
	expect_eq "$(itr)" 390 "ITR for rx-usecs 100 after bulk TCP"
	ip netns exec nsa ethtool -C "$IF_A" rx-usecs 0
	expect_eq "$(itr)" 0 "ITR for rx-usecs 0"
}

test_link_flap_from_qemu_monitor() {
	e1000_bed
	trap 'host_request "set_link p1 on"' EXIT
	host_request "set_link p1 off"
	wait_until 2 "ip netns exec nsa grep -qx 0 /sys/class/net/$IF_A/carrier"
	expect_match "$(ip -n nsa link show "$IF_A")" 'NO-CARRIER' "link after set_link off"
	host_request "set_link p1 on"
	wait_until 2 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
	expect_match "$(dmesg | tail -n 20)" "$IF_A NIC Link is Down" "link down message"
	expect_match "$(dmesg | tail -n 20)" "$IF_A NIC Link is Up 1000 Mbps Full Duplex" "link up message"
	ip netns exec nsa ping -c 2 -W 2 "$ADDR_B" >/dev/null || fail "ping after the flap"
}

# Unloads the driver under a flood both ways, 50 times (the C driver, as
# a reference, 10 times: the cycles take most of the suite's time).
test_rmmod_under_traffic_cycles() {
	e1000_bed
	local cycles=50 module=rust_e1000
	if [ "$DRV" != rust_e1000 ]; then
		cycles=10 module=e1000
	fi
	for i in $(seq "$cycles"); do
		if [ "$i" -gt 1 ]; then
			IF_A=$(bind "$BDF_A" "$DRV")
			ip link set "$IF_A" netns nsa
			ip -n nsa addr add "$ADDR_A/24" dev "$IF_A"
			ip -n nsa link set "$IF_A" up
			wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
		fi
		ip netns exec nsa ping -f "$ADDR_B" >/dev/null 2>&1 &
		a=$!
		ip netns exec nsb ping -f "$ADDR_A" >/dev/null 2>&1 &
		b=$!
		wait_until 10 "[ \$(stat nsa $IF_A rx_packets) -gt 20 ]"
		timeout 20 rmmod "$module" || fail "cycle $i: rmmod failed or hung"
		kill "$a" "$b" 2>/dev/null || true
		wait "$a" "$b" 2>/dev/null || true
	done
	if dmesg | grep -q 'unregister_netdevice: waiting'; then
		fail "a device reference was leaked"
	fi
}

test_ethtool_eeprom_channels_pause() {
	e1000_bed
	ip netns exec nsa ethtool -e "$IF_A" raw on >/tmp/eeprom.bin
	expect_eq "$(wc -c </tmp/eeprom.bin)" 128 "EEPROM size"
	expect_eq "$(head -c 6 /tmp/eeprom.bin | od -An -tx1 | tr -d ' \n')" 525400123401 "address in the EEPROM"
	sum=$(python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); print(hex(sum(int.from_bytes(d[i:i + 2], "little") for i in range(0, len(d), 2)) & 0xffff))' /tmp/eeprom.bin)
	expect_eq "$sum" 0xbaba "EEPROM checksum"
	expect_match "$(ip netns exec nsa ethtool -l "$IF_A")" 'Combined:[[:space:]]+1' "channels"
	ip netns exec nsa ethtool -L "$IF_A" combined 1
	expect_error 'invalid argument|out of range|exceeds' ip netns exec nsa ethtool -L "$IF_A" combined 2
	out=$(ip netns exec nsa ethtool -I -a "$IF_A")
	expect_match "$out" 'Autonegotiate:[[:space:]]+on' "pause autonegotiation"
	expect_match "$out" 'tx_pause_frames: [0-9]+' "pause statistics"
}

# snmp NS PROTO FIELD: a counter of /proc/net/snmp in NS (Tcp InCsumErrors...).
snmp() {
	ip netns exec "$1" awk -v p="$2:" -v f="$3" \
		'$1 == p && !h { for (i = 2; i <= NF; i++) n[$i] = i; h = 1; next }
		 $1 == p && h { print $n[f] }' /proc/net/snmp
}

# udp_burst N PORT: N checksummed 1000-byte datagrams from nsa to nsb;
# prints how many arrived.
udp_burst() {
	ip netns exec nsb socat -u "UDP-RECV:$2" OPEN:/tmp/udp.out,creat,trunc &
	local receiver=$!
	sleep 0.3
	ip netns exec nsa python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[1])):
    s.sendto(bytes([i % 251]) * 1000, (sys.argv[2], int(sys.argv[3])))
' "$1" "$ADDR_B" "$2"
	sleep 1
	kill "$receiver" 2>/dev/null
	wait "$receiver" 2>/dev/null
	echo $(($(wc -c </tmp/udp.out) / 1000))
}

test_tx_offloads_on_and_off_verified() {
	e1000_bed
	features=$(ip netns exec nsa ethtool -k "$IF_A")
	for f in scatter-gather tx-checksumming tcp-segmentation-offload; do
		expect_match "$features" "^$f: on\$" "$f on by default"
	done
	csum0=$(snmp nsb Tcp InCsumErrors)
	seg0=$(stat nsa "$IF_A" tx_tcp_seg_good)
	tcp_transfer_checked 3000000 5010
	seg1=$(stat nsa "$IF_A" tx_tcp_seg_good)
	[ "$seg1" -gt "$seg0" ] || fail "no frame was segmented by the device with TSO on"
	expect_eq "$(udp_burst 50 5011)" 50 "UDP datagrams with the checksum offloaded"

	ip netns exec nsa ethtool -K "$IF_A" tso off >/dev/null
	tcp_transfer_checked 3000000 5012
	expect_eq "$(stat nsa "$IF_A" tx_tcp_seg_good)" "$seg1" "segmentation contexts with TSO off"

	ip netns exec nsa ethtool -K "$IF_A" tx off sg off >/dev/null
	features=$(ip netns exec nsa ethtool -k "$IF_A")
	expect_match "$features" '^tx-checksumming: off$' "tx-checksumming off"
	tcp_transfer_checked 3000000 5013
	expect_eq "$(udp_burst 50 5014)" 50 "UDP datagrams checksummed in software"

	ip netns exec nsa ethtool -K "$IF_A" tx on sg on tso on >/dev/null
	tcp_transfer_checked 3000000 5015
	expect_eq "$(snmp nsb Tcp InCsumErrors)" "$csum0" "TCP checksum errors at the peer"
	expect_eq "$(snmp nsb Udp InCsumErrors)" 0 "UDP checksum errors at the peer"
}

# The C driver resets the device when rx checksumming changes, which
# drops the link and loses the first pings (the kernel's ping.py trips on
# it); its rx-checksumming also reads off by default while it checks.
test_rx_checksum_toggle_keeps_link() {
	e1000_bed
	expect_match "$(ip netns exec nsa ethtool -k "$IF_A")" '^rx-checksumming: on$' "rx-checksumming on by default"
	changes=$(ip netns exec nsa cat "/sys/class/net/$IF_A/carrier_changes")
	ip netns exec nsb ping -c 30 -i 0.05 -W 1 "$ADDR_A" >/tmp/ping.out &
	pinger=$!
	sleep 0.3
	ip netns exec nsa ethtool -K "$IF_A" rx off >/dev/null
	expect_match "$(ip netns exec nsa ethtool -k "$IF_A")" '^rx-checksumming: off$' "rx-checksumming off"
	sleep 0.3
	ip netns exec nsa ethtool -K "$IF_A" rx on >/dev/null
	wait "$pinger"
	expect_match "$(cat /tmp/ping.out)" ' 0% packet loss' "no ping lost while toggling"
	expect_eq "$(ip netns exec nsa cat "/sys/class/net/$IF_A/carrier_changes")" "$changes" \
		"carrier changes while toggling rx checksumming"
	tcp_transfer_checked 1000000 5016
}

# ynl NS ARGS...: the kernel's netlink CLI on the netdev family, in NS.
ynl_netdev() {
	local ns=$1
	shift
	ip netns exec "$ns" python3 /ksrc/tools/net/ynl/pyynl/cli.py --no-schema \
		--spec /ksrc/Documentation/netlink/specs/netdev.yaml --output-json "$@"
}

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
	ip netns exec nsa python3 -c '
import socket, struct
SO_BUSY_POLL, SO_INCOMING_NAPI_ID = 46, 56
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, SO_BUSY_POLL, 100)
s.bind(("0.0.0.0", 5020))
s.settimeout(10)
open("/tmp/busy.ready", "w").close()
s.recv(100)
print(struct.unpack("I", s.getsockopt(socket.SOL_SOCKET, SO_INCOMING_NAPI_ID, 4))[0])
' >/tmp/busy.out &
	receiver=$!
	wait_until 5 "[ -e /tmp/busy.ready ]"
	rm -f /tmp/busy.ready
	for _ in 1 2 3; do
		echo hello | ip netns exec nsb socat -u - "UDP:$ADDR_A:5020"
	done
	wait "$receiver" || fail "no datagram reached the busy-polling socket"
	expect_eq "$(cat /tmp/busy.out)" "$napi_id" "SO_INCOMING_NAPI_ID"
}

# qstats NS IFINDEX: the device-level counters of netdev netlink's
# per-queue statistics, as "name value" lines (rx-packets, tx-bytes...).
qstats() {
	ynl_netdev "$1" --dump qstats-get --json "{\"ifindex\": $2}" |
		python3 -c 'import json,sys; [print(k, v) for k, v in json.load(sys.stdin)[0].items()]'
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

# A transmit unit that stops (injected through debugfs: frames are queued
# but the device is not told) stops the queue; the core's watchdog calls
# tx_timeout, the driver resets the device from process context, and
# traffic resumes. The C driver has no such injection point.
test_tx_timeout_resets_and_traffic_resumes() {
	e1000_bed
	knob=/sys/kernel/debug/rust_e1000-$BDF_A/inject_tx_hang
	[ -e "$knob" ] || fail "no fault injection point $knob"
	timeouts=$(stat nsa "$IF_A" tx_timeout_count)
	echo 1 >"$knob"
	rawframe nsa send "$IF_A" "$MAC_VIRTIO" --count 400
	wait_until 20 "dmesg | grep -q '$IF_A: Reset adapter'"
	expect_match "$(dmesg)" "$IF_A: NETDEV WATCHDOG: .*transmit queue 0 timed out" "timeout reported by the core"
	expect_eq "$(cat "$knob")" 0 "injected hang cleared by the reset"
	[ "$(stat nsa "$IF_A" tx_timeout_count)" -gt "$timeouts" ] || fail "tx_timeout_count did not grow"
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
	ip netns exec nsa ping -c 3 -i 0.2 -W 2 "$ADDR_B" >/dev/null || fail "ping after the reset"
	tcp_transfer_checked 1000000 5030
}

test_ethtool_self_test() {
	e1000_bed
	out=$(ip netns exec nsa ethtool -t "$IF_A" offline) || fail "offline self-test: $out"
	expect_match "$out" 'The test result is PASS' "offline self-test result"
	for t in 'Register test  \(offline\)' 'Eeprom test    \(offline\)' 'Interrupt test \(offline\)' \
		'Link test   \(on/offline\)'; do
		expect_match "$out" "$t[[:space:]]+0\$" "$t"
	done
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
	ip netns exec nsa ping -c 2 -W 2 "$ADDR_B" >/dev/null || fail "ping after the offline self-test"
	out=$(ip netns exec nsa ethtool -t "$IF_A" online) || fail "online self-test: $out"
	# Without a link the link test fails, and says so.
	trap 'host_request "set_link p1 on"' EXIT
	host_request "set_link p1 off"
	if out=$(ip netns exec nsa ethtool -t "$IF_A" online); then
		fail "online self-test passed without a link"
	fi
	expect_match "$out" 'Link test   \(on/offline\)[[:space:]]+1$' "link test without a link"
}
