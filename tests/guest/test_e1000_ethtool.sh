# SPDX-License-Identifier: GPL-2.0
# The Rust e1000's ethtool operations, on QEMU's 82540EM against a
# virtio-net peer on the in-tree driver: rings, coalescing and adaptive
# interrupt throttling, register dump and message level, EEPROM, channels
# and pause, transmit offloads and rx checksumming, the self-test, and
# EEPROM writes.
# Every test also runs on the in-tree C e1000 for comparison (reported as
# "# reference" lines by run-all.sh).

REFERENCE_DRIVERS="e1000"
DRV=${E1000_DRIVER:-rust_e1000}
# versus_c.
source "$HELPERS/bad_input.sh"

test_ring_resize_and_mtu_change_under_traffic() {
	e1000_bed
	tcp_transfer_checked 6000000 5004 forth reconfigure_e1000
	out=$(ip netns exec nsa ethtool -g "$IF_A" | sed -n '/Current/,$p')
	expect_match "$out" 'RX:[[:space:]]+64' "RX ring after resize"
	expect_match "$out" 'TX:[[:space:]]+64' "TX ring after resize"
}

# reconfigure_e1000: ring sizes and the MTU changed while data flows.
reconfigure_e1000() {
	ip netns exec nsa ethtool -G "$IF_A" rx 512 tx 512
	sleep 0.3
	ip -n nsa link set "$IF_A" mtu 4000
	sleep 0.3
	ip netns exec nsa ethtool -G "$IF_A" rx 64 tx 64
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
	itr() { python3 -S "$HELPERS/pcireg.py" "$BDF_A" 0xC4; }
	# Jumbo frames make every interrupt's work bulk at any machine speed:
	# one 9000-byte frame is bulk, and 36 of them (which would turn it back
	# to low latency, as C's thresholds do for many mid-size frames) do not
	# fit between two interrupts. A TCP stream's bytes per interrupt depend
	# on its throughput, which a debug kernel cuts below the bulk class.
	ip -n nsa link set "$IF_A" mtu 9000
	ip -n nsb link set "$IF_B" mtu 9000
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
	# Until the link is up at 1000 Mbit/s it holds 4000/s; from there
	# small frames raise it a quarter of 20000/s per interrupt.
	ip netns exec nsa ping -c 10 -i 0.1 -W 2 "$ADDR_B" >/dev/null || fail "ping"
	expect_eq "$(itr)" 195 "ITR after small frames (20000/s)"
	# Under bulk traffic 976 (4000/s). pktgen sends until stopped.
	pktgen_setup nsa "$IF_A" "$ADDR_B" "$(mac nsb "$IF_B")" \
		"count 0" "burst 8" "delay 0" "pkt_size 9000"
	ip netns exec nsa sh -c "echo start >/proc/net/pktgen/pgctrl" &
	load=$!
	bulk=0
	for _ in $(seq 80); do
		[ "$(itr)" = 976 ] && bulk=1 && break
		nap 0.1
	done
	ip netns exec nsa sh -c "echo stop >/proc/net/pktgen/pgctrl"
	wait "$load" || true
	((bulk)) || fail "ITR $(itr) under jumbo frames, wanted 976 (4000/s)"
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

# wol_rows DRIVER: Wake-on-LAN on the first e1000 under DRIVER, one row
# per step, "# wol DRIVER | STEP | OUTPUT | exit N": what `ethtool`
# reports, each mode and combination set (QEMU's e1000 has no PCI power
# management, so the device cannot wake the system: C reports the modes
# it supports, none enabled, and refuses to enable any), then `wol d`,
# and the report after each.
wol_rows() {
	local DRV=$1 step
	e1000_bed "$1"
	wol_row() {
		local out rc=0
		out=$(ip netns exec nsa "$@" 2>&1) || rc=$?
		echo "# wol $DRV | $step | $(tr '\n' ' ' <<<"${out:-(no message)}" | sed "s/$IF_A/IFACE/g")| exit $rc"
	}
	step="report" wol_row sh -c "ethtool $IF_A | grep -i wake-on"
	for step in g u m b umbg p a s f d; do
		wol_row ethtool -s "$IF_A" wol "$step"
		step="report after $step" wol_row sh -c "ethtool $IF_A | grep -i wake-on"
	done
	ip netns exec nsa ping -c 2 -W 2 "$ADDR_B" >/dev/null || fail "ping after the Wake-on-LAN settings"
}

# Wake-on-LAN as C reports and refuses it (C e1000_get_wol/set_wol).
test_wake_on_lan_as_c() {
	versus_c wol_rows e1000 "$DRV"
}


# phys_id_rows DRIVER: `ethtool -p` on the first e1000 under DRIVER, as
# rows: LEDCTL before, the other values it takes while the core blinks
# the LEDs for 2 s (read every 10 ms), and after; then an interrupted
# identification (the LEDs as before again). QEMU keeps LEDCTL as a plain
# register, so what each driver writes there is what a user would see.
phys_id_rows() {
	local DRV=$1 before during pid
	e1000_bed "$1"
	ledctl() { printf '%#010x ' $(python3 -S "$HELPERS/pcireg.py" "$BDF_A" 0xE00 "$@"); }
	before=$(ledctl)
	ip netns exec nsa ethtool -p "$IF_A" 2 &
	pid=$!
	during=$(ledctl 2.5)
	wait "$pid" || fail "ethtool -p failed"
	echo "# phys-id $DRV | LEDCTL before | $before|"
	echo "# phys-id $DRV | LEDCTL while blinking, sorted | $(tr ' ' '\n' <<<"${during//$before/}" | sort -u | tr '\n' ' ')|"
	echo "# phys-id $DRV | LEDCTL after | $(ledctl)|"
	ip netns exec nsa ethtool -p "$IF_A" 5 &
	pid=$!
	sleep 1
	kill -INT "$pid"
	wait "$pid" || true
	echo "# phys-id $DRV | LEDCTL after an interrupted -p | $(ledctl)|"
	ip netns exec nsa ping -c 2 -W 2 "$ADDR_B" >/dev/null || fail "ping after ethtool -p"
}

# Identification by the LEDs (ethtool -p) writes what C writes.
test_phys_id_as_c() {
	versus_c phys_id_rows e1000 "$DRV"
}

# eeprom_rows DRIVER: `ethtool -E` on the first e1000 under DRIVER: a wrong
# magic, writes of an even and an odd byte, a byte past the end; after each,
# whether the EEPROM changed and whether its checksum still holds; then the
# driver bound again (its probe checks the checksum). QEMU's model ignores
# EEPROM writes: the point is that both drivers answer alike and leave a
# valid EEPROM.
eeprom_rows() {
	local DRV=$1 before step
	e1000_bed "$1"
	eeprom() { ip netns exec nsa ethtool -e "$IF_A" raw on | od -An -v -tx1 | tr -d ' \n'; }
	checksum() {
		eeprom | python3 -c 'import sys; d = bytes.fromhex(sys.stdin.read()); print("valid" if sum(int.from_bytes(d[i:i + 2], "little") for i in range(0, 128, 2)) & 0xFFFF == 0xBABA else "broken")'
	}
	before=$(eeprom)
	for step in "magic 0x12345678 offset 0x20 value 0x5a" "magic 0x100e8086 offset 0x20 value 0x5a" \
		"magic 0x100e8086 offset 0x7f value 0x01" "magic 0x100e8086 offset 0x80 value 0x01"; do
		local out rc=0
		# shellcheck disable=SC2086
		out=$(ip netns exec nsa ethtool -E "$IF_A" $step 2>&1) || rc=$?
		echo "# eeprom $DRV | -E $step | ${out//$'\n'/ } | exit $rc | $([ "$(eeprom)" = "$before" ] && echo unchanged || echo changed), checksum $(checksum)"
	done
	e1000_bed "$1"
	ip netns exec nsa ping -c 2 -W 2 "$ADDR_B" >/dev/null || fail "no ping after the EEPROM writes ($DRV)"
	echo "# eeprom $DRV | bound again | checksum $(checksum)"
}

# EEPROM writes (ethtool -E) answered as C answers them, the checksum kept
# valid.
test_eeprom_write_as_c() {
	versus_c eeprom_rows e1000 "$DRV"
}

# regs_rows DRIVER: the `ethtool -d` dump of the first e1000 under DRIVER
# (raw: the words alone): how many words, then each word that does not
# move with traffic or with what earlier tests left in QEMU's registers
# (CTRL, STATUS and the ring heads and tails are left out), by C's index.
regs_rows() {
	local DRV=$1 words i
	e1000_bed "$1"
	read -ra words <<<"$(ip netns exec nsa ethtool -d "$IF_A" raw on | od -An -v -tx4 | tr -s ' \n' ' ')"
	echo "# regs $DRV | words | ${#words[@]}"
	for i in 2 3 6 7 8 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31; do
		echo "# regs $DRV | word $i | ${words[i]:-missing}"
	done
}

# The register dump has C's layout and version (ethtool decodes C's by its
# driver name, ours in hex: Documentation/e1000.rst).
test_register_dump_as_c() {
	versus_c regs_rows e1000 "$DRV"
}
