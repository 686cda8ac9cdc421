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
# `$(...)` in it runs on every try) until it succeeds, at most SECONDS * 10
# times with a pause of 0.1 s after each try (so never less than SECONDS).
wait_until() {
	local limit=$1 i
	shift
	for ((i = 0; i < limit * 10; i++)); do
		eval "$*" >/dev/null 2>&1 && return 0
		nap 0.1
	done
	fail "timed out after ${limit}s waiting for: $*"
}

# nap SECONDS: sleeps without starting a process (starting one costs about
# 0.1 s under TCG, as much as the pause): a read that times out on a pipe
# that nobody writes to.
nap() {
	[ -n "${NAP_FD:-}" ] || exec {NAP_FD}<> <(:)
	read -rt "$1" -u "$NAP_FD" _ || true
}

# loaded MODULE: whether MODULE is loaded (lsmod | grep, without starting
# either).
loaded() {
	[[ $'\n'$(</proc/modules) == *$'\n'"$1 "* ]]
}

# Interfaces driven by the sample, by name (the glob sorts them), in
# creation order. Its ends have no parent device: interfaces of PCI
# devices, and lo, are not asked.
netpair_ifaces() {
	local d
	for d in /sys/class/net/*; do
		[ "${d##*/}" != lo ] && [ ! -e "$d/device" ] || continue
		if [[ $'\n'$(ethtool -i "${d##*/}" 2>/dev/null)$'\n' == *$'\n'"driver: rust_netpair"$'\n'* ]]; then
			echo "${d##*/}"
		fi
	done
}

netpair_load() {
	loaded rust_netpair || insmod "$NETPAIR_KO"
	local ends
	# Each try lists them once (into ends, netpair_load's own).
	wait_until 5 'ends=($(netpair_ifaces)) && [ ${#ends[@]} = 2 ]'
	IF_A=${ends[0]} IF_B=${ends[1]}
}

netpair_unload() {
	ip netns del nsa 2>/dev/null || true
	ip netns del nsb 2>/dev/null || true
	if loaded rust_netpair; then
		rmmod rust_netpair
	fi
}

# netpair_split: reloads the sample and moves one end into netns nsa, the
# other into nsb. Sets IF_A and IF_B.
netpair_split() {
	netpair_unload
	netpair_load
	into_netns
}

# into_netns: moves $IF_A into a new netns nsa and $IF_B into nsb.
into_netns() {
	ip netns add nsa
	ip netns add nsb
	ip link set "$IF_A" netns nsa
	ip link set "$IF_B" netns nsb
	ip -n nsa link set lo up
	ip -n nsb link set lo up
}

# end_in_netns NS IF ADDR: new namespaces nsa and nsb with loopback up,
# and IF in NS (one of the two) with ADDR/24, up.
end_in_netns() {
	ip netns add nsa
	ip netns add nsb
	ip -n nsa link set lo up
	ip -n nsb link set lo up
	ip link set "$2" netns "$1"
	ip -n "$1" addr add "$3/24" dev "$2"
	ip -n "$1" link set "$2" up
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

# tcp_transfer_checked BYTES PORT [forth|back [DURING]]: sends BYTES
# random bytes over TCP from nsa to $ADDR_B in nsb ("forth", the default),
# or from nsb to $ADDR_A in nsa ("back"), and checks that the receiver got
# them unchanged (sha256). With DURING, the function of that name runs
# while the data flows (a reconfiguration under traffic).
tcp_transfer_checked() {
	local from=nsa to=nsb addr=$ADDR_B listener sender
	[ "${3:-forth}" = forth ] || { from=nsb to=nsa addr=$ADDR_A; }
	head -c "$1" /dev/urandom >/tmp/tx.bin
	ip netns exec "$to" socat -u "TCP-LISTEN:$2,reuseaddr" OPEN:/tmp/rx.bin,creat,trunc &
	listener=$!
	wait_until 5 listening "$to" "$2"
	ip netns exec "$from" socat -u OPEN:/tmp/tx.bin "TCP:$addr:$2" &
	sender=$!
	if [ -n "${4:-}" ]; then
		nap 0.5
		"$4"
	fi
	wait "$sender" || fail "socat send from $from"
	wait "$listener" || fail "socat receive in $to"
	expect_eq "$(sha256sum </tmp/rx.bin)" "$(sha256sum </tmp/tx.bin)" "data received in $to"
}

# listening NS PORT: whether a TCP socket listens on PORT in NS.
listening() {
	ip netns exec "$1" ss -Hltn "sport = :$2" | grep -q .
}

# Active socket buffers, from the slab allocator, once the cache gave back
# what it holds: on a KASAN kernel, freed buffers count as active until
# they leave its quarantine, which shrinking the cache empties.
skb_objects() {
	echo 1 >/sys/kernel/slab/skbuff_head_cache/shrink 2>/dev/null || true
	awk '$1 == "skbuff_head_cache" { print $2 }' /proc/slabinfo
}

# stat NS IFACE NAME: one `ethtool -S` counter.
stat() {
	local name value
	ip netns exec "$1" ethtool -S "$2" | while read -r name value _; do
		[ "$name" != "$3:" ] || echo "$value"
	done
}

# link_stat NS IFACE PATH: one counter of `ip -s -j link`: rx.packets,
# tx.bytes, rx.multicast...
link_stat() {
	ip -n "$1" -s -j link show dev "$2" | jq -e ".[0].stats64.$3"
}

# promiscuity NS IFACE: the device's promiscuity count.
promiscuity() {
	ip -n "$1" -d -j link show dev "$2" | jq -e '.[0].promiscuity'
}

# mac NS IFACE
mac() {
	ip netns exec "$1" cat "/sys/class/net/$2/address"
}

# rawframe NS ARGS...: tests/guest/helpers/rawframe.py in namespace NS.
rawframe() {
	local ns=$1
	shift
	ip netns exec "$ns" python3 -S "$HELPERS/rawframe.py" "$@"
}

# rawframe_probe RXNS RXIF TXNS TXIF DST [OPTIONS...]: rawframe.py probe, a
# receiver on RXIF in RXNS that listens before the frames leave TXIF in
# TXNS, in one process; what it receives goes to /tmp/recv.out, and it
# fails (returns 1) as rx_wait does. (python3 -S: the helpers need nothing
# from site-packages, and site costs a tenth of a second.)
rawframe_probe() {
	python3 -S "$HELPERS/rawframe.py" probe "$@" >/tmp/recv.out
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

# vlan20_reaching: frames of VLAN 20 that reach the driver of $IF_A (MAC
# $MAC_A) in nsa: 5 from the peer's VLAN 20 device vB20 in nsb, then an
# untagged sentinel from $IF_B; prints how many came before the sentinel
# and how the stack classified them (the e1000 VLAN tests, where VLAN 20
# is registered nowhere on our side).
vlan20_reaching() {
	rx_start nsa "$IF_A" --timeout 20 --until-sentinel
	rawframe nsb send vB20 "$MAC_A" --count 5
	rawframe nsb send "$IF_B" "$MAC_A" --count 0 --sentinel "$MAC_A"
	rx_wait || true
	echo "$(grep -c . /tmp/recv.out) $(awk '{ print $1 }' /tmp/recv.out | sort -u | tr '\n' ' ')"
}

# host_request 'MONITOR COMMAND': has the host run a QEMU monitor command
# (see scripts/host-agent.py for the allowed ones) and waits for it to be
# done.
host_request() {
	host_query "$1" >/dev/null
}

# host_query 'COMMAND': as host_request, and prints the reply: the HMP
# monitor's output, or for "qmp QUERY" (a read-only QMP query such as
# query-rx-filter) the JSON of its return value.
host_query() {
	local id="$$.$RANDOM"
	echo "$1" >"/host/request.$id.tmp"
	mv "/host/request.$id.tmp" "/host/request.$id"
	wait_until 10 "[ -e /host/reply.$id ]"
	cat "/host/reply.$id"
	rm -f "/host/reply.$id"
}

# pktgen_setup NS IFACE DST_IP DST_MAC SETTING...: readies pktgen's first
# thread to send UDP frames to port 9 (discard) from IFACE in NS, with the
# SETTINGs ("count N", "burst N", "delay NS", "pkt_size N"); then
# pktgen_run NS sends them.
pktgen_setup() {
	local ns=$1 iface=$2 ip=$3 mac=$4 c
	shift 4
	modprobe pktgen || fail "no pktgen"
	ip netns exec "$ns" sh -c "echo reset >/proc/net/pktgen/pgctrl"
	ip netns exec "$ns" sh -c "echo rem_device_all >/proc/net/pktgen/kpktgend_0"
	ip netns exec "$ns" sh -c "echo add_device $iface >/proc/net/pktgen/kpktgend_0"
	for c in "$@" "dst $ip" "dst_mac $mac" "udp_dst_min 9" "udp_dst_max 9"; do
		ip netns exec "$ns" sh -c "echo '$c' >/proc/net/pktgen/$iface" || fail "pktgen: $c"
	done
}

# pktgen_run NS [SECONDS]: sends what pktgen_setup readied in NS, and
# prints how many frames pktgen sent. pktgen returns only once the driver
# has freed every frame it sent (it waits for its buffer's last
# reference): a driver that stops freeing, or a device that stops
# sending, fails the test after SECONDS (default 120) instead of hanging
# the suite.
pktgen_run() {
	local ns=$1 limit=${2:-120} dev
	dev=$(ip netns exec "$ns" sh -c 'ls /proc/net/pktgen' | grep -v -e pgctrl -e kpktgend | head -n 1)
	if ! ip netns exec "$ns" timeout "$limit" sh -c "echo start >/proc/net/pktgen/pgctrl"; then
		ip netns exec "$ns" sh -c "echo stop >/proc/net/pktgen/pgctrl" 2>/dev/null
		fail "pktgen on $dev did not finish in ${limit}s (tx queue: $(ip netns exec "$ns" \
			cat "/sys/class/net/$dev/queues/tx-0/byte_queue_limits/inflight" 2>/dev/null) bytes in flight)"
	fi
	ip netns exec "$ns" cat "/proc/net/pktgen/$dev" |
		sed -n 's/^Result: OK: .* usec, \([0-9]*\) (.*/\1/p'
}

# --- the e1000 test bed ------------------------------------------------

E1000_KO=$RNIC_OUT/drivers/net/e1000/rust_e1000.ko
# The NICs on QEMU's hub, by address (see scripts/qemu-run.sh).
MAC_E1000_A=52:54:00:12:34:01
MAC_VIRTIO=52:54:00:12:34:02
MAC_E1000_B=52:54:00:12:34:03

# pci_by_mac MAC: the PCI address of the NIC with that address; works
# whether a driver is bound or not, from QEMU's fixed slot order.
pci_by_mac() {
	case "$1" in
	"$MAC_E1000_A") pci_nth 8086 100e 1 ;;
	"$MAC_E1000_B") pci_nth 8086 100e 2 ;;
	"$MAC_VIRTIO") pci_nth 1af4 1000 1 ;;
	esac
}

# pci_nth VENDOR DEVICE N: the Nth PCI device with these IDs.
pci_nth() {
	local d n=0
	for d in /sys/bus/pci/devices/*; do
		[ "$(<"$d/vendor")" = "0x$1" ] && [ "$(<"$d/device")" = "0x$2" ] || continue
		n=$((n + 1))
		[ "$n" = "$3" ] && echo "${d##*/}" && return 0
	done
	return 1
}

# iface_of DEVICE: the interface of a device (its sysfs directory, on any
# bus), as `ls DEVICE/net` without starting ls; fails while there is none.
iface_of() {
	local n
	for n in "$1"/net/*; do
		[ -e "$n" ] && echo "${n##*/}" && return 0
	done
	return 1
}

# bound_to DEVICE DRIVER: whether the device (its sysfs directory, on any
# bus) is bound to DRIVER: its driver link and DRIVER's directory beside
# the one it points to are the same directory.
bound_to() {
	[ "$1/driver" -ef "$1/driver/../$2" ]
}

# bind BDF DRIVER: binds the PCI device to DRIVER (loading it first) and
# prints the interface name once it appears. For virtio_net the PCI
# function stays with virtio-pci and the interface hangs off its virtio
# device.
bind() {
	local bdf=$1 drv=$2 dev=/sys/bus/pci/devices/$1
	case "$drv" in
	rust_e1000) loaded rust_e1000 || insmod "$E1000_KO" ;;
	virtio_net)
		modprobe virtio_net
		wait_until 5 "iface_of $dev/virtio*"
		iface_of "$dev"/virtio*
		return
		;;
	*) modprobe "$drv" ;;
	esac
	echo "$drv" >"$dev/driver_override"
	if [ -e "$dev/driver" ]; then
		bound_to "$dev" "$drv" || echo "$bdf" >"$dev/driver/unbind"
	fi
	[ -e "$dev/driver" ] || echo "$bdf" >/sys/bus/pci/drivers_probe
	wait_until 5 "iface_of $dev"
	iface_of "$dev"
}

# unbind_all: frees every e1000 and virtio NIC and unloads our driver.
unbind_all() {
	local d
	ip netns del nsa 2>/dev/null || true
	ip netns del nsb 2>/dev/null || true
	for d in /sys/bus/pci/devices/*; do
		if bound_to "$d" e1000 || bound_to "$d" rust_e1000; then
			echo "${d##*/}" >"$d/driver/unbind"
		fi
	done
	loaded rust_e1000 && rmmod rust_e1000
	loaded virtio_net && rmmod virtio_net
	loaded rust_virtio_net && rmmod rust_virtio_net
	return 0
}

# e1000_bed [DRIVER]: the first e1000 on DRIVER (default rust_e1000) in
# nsa with $ADDR_A, the virtio-net NIC on the in-tree driver in nsb with
# $ADDR_B, both up with carrier. Sets IF_A, IF_B, BDF_A.
e1000_bed() {
	local drv=${1:-${E1000_DRIVER:-rust_e1000}}
	unbind_all
	BDF_A=$(pci_by_mac "$MAC_E1000_A")
	IF_A=$(bind "$BDF_A" "$drv")
	IF_B=$(bind "$(pci_by_mac "$MAC_VIRTIO")" virtio_net)
	into_netns
	ip -n nsa addr add "$ADDR_A/24" dev "$IF_A"
	ip -n nsb addr add "$ADDR_B/24" dev "$IF_B"
	ip -n nsa link set "$IF_A" up
	ip -n nsb link set "$IF_B" up
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier"
	wait_until 10 "ip netns exec nsb grep -qx 1 /sys/class/net/$IF_B/carrier"
}

# delivered_to TXNS TXIF RXNS RXIF DST: sends one frame TXIF -> DST and
# prints how RXIF's stack classified it, or "none"; a sentinel frame to
# RXIF's own address follows, so no timing is involved.
delivered_to() {
	local rxmac
	rxmac=$(mac "$3" "$4")
	rawframe_probe "$3" "$4" "$1" "$2" "$5" --sentinel "$rxmac" --until-sentinel --timeout 30 ||
		fail "the sentinel frame to $rxmac never arrived"
	if [ -s /tmp/recv.out ]; then
		awk 'NR == 1 { print $1 }' /tmp/recv.out
	else
		echo none
	fi
}

# short_frame_padded TXNS TXIF RXNS RXIF: a 20-byte frame sent on TXIF
# must arrive at RXIF as 60 bytes padded with zeroes.
short_frame_padded() {
	local _type len _dst zero
	rawframe_probe "$3" "$4" "$1" "$2" "$(mac "$3" "$4")" --size 20 --timeout 20 ||
		fail "short frame not received"
	read -r _type len _dst zero </tmp/recv.out
	expect_eq "$len" 60 "length of a 20-byte frame on the wire"
	expect_eq "$zero" yes "padding is zeroes"
}
