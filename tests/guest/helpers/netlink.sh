# SPDX-License-Identifier: GPL-2.0
# A device as netdev netlink shows it (NAPI instances, queue statistics)
# and the NAPI ID a busy-polling socket learns, shared by the tests of
# each driver. Sourced after lib.sh.

# ynl_netdev NS ARGS...: the kernel's netlink CLI on the netdev family, in NS
# (the initial namespace for "-").
ynl_netdev() {
	local ns=$1 in=(ip netns exec "$1")
	shift
	[ "$ns" = - ] && in=()
	"${in[@]}" python3 /ksrc/tools/net/ynl/pyynl/cli.py --no-schema \
		--spec /ksrc/Documentation/netlink/specs/netdev.yaml --output-json "$@"
}

# busy_poll_napi_id RECV_NS SEND_NS ADDR: sets BUSY_NAPI_ID to the NAPI ID
# that a busy-polling UDP socket in RECV_NS learns (SO_INCOMING_NAPI_ID)
# from the datagrams SEND_NS sends to ADDR.
busy_poll_napi_id() {
	local receiver
	rm -f /tmp/busy.ready /tmp/busy.out
	ip netns exec "$1" python3 -c '
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
	for _ in 1 2 3; do
		echo hello | ip netns exec "$2" socat -u - "UDP:$3:5020"
	done
	wait "$receiver" || fail "no datagram reached the busy-polling socket"
	BUSY_NAPI_ID=$(cat /tmp/busy.out)
}

# qstats NS IFINDEX: the device-level counters of netdev netlink's
# per-queue statistics, as "name value" lines (rx-packets, tx-bytes...).
qstats() {
	ynl_netdev "$1" --dump qstats-get --json "{\"ifindex\": $2}" |
		python3 -c 'import json,sys; [print(k, v) for k, v in json.load(sys.stdin)[0].items()]'
}
