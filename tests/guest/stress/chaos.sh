# SPDX-License-Identifier: GPL-2.0
# The chaos soak's actions (sourced by soak.sh after lib.sh). Each one
# changes or reads the device under test, choosing its values with bash's
# $RANDOM, which soak.sh seeds: the same seed gives the same sequence of
# actions and values. Each command runs through `op`, which counts what
# the driver accepted and refused and fails the soak on a hang.
#
# The device under test: IF_DUT in namespace NS_DUT with ADDR_DUT, driven
# by DUT_DRIVER; dut_rebind (soak.sh) binds it again after a reload.

# Weighted: a module reload takes seconds, the others a fraction of one.
CHAOS_ACTIONS=(link_flap link_flap mtu mtu rings rings coalesce promisc promisc
	multicast multicast features features reads reads selftest reload
	netns_netconsole channels)
# STRESS_ACTIONS="NAME..." (tests/stress.sh) draws from those alone.
[ -z "${STRESS_ACTIONS:-}" ] || read -r -a CHAOS_ACTIONS <<<"$STRESS_ACTIONS"

OPS_LOG=/tmp/stress-ops.log

# op NAME CMD...: runs CMD (at most 60 s) and logs "NAME rc". A command
# still running after 60 s is a hang: the soak fails.
op() {
	local name=$1 rc
	shift
	timeout 60 "$@" >/dev/null 2>>/tmp/stress-errors.log
	rc=$?
	echo "$name $rc" >>"$OPS_LOG"
	if ((rc == 124)); then
		fail "hung for 60 s: $*"
	fi
	return $rc
}

# pick VAR CHOICE...: sets VAR to one of the choices. Not through `$(...)`:
# a subshell reseeds $RANDOM, and the sequence would not replay.
pick() {
	local -n picked=$1
	shift
	local choices=("$@")
	picked=${choices[RANDOM % ${#choices[@]}]}
}

chaos_link_flap() {
	op link_down ip -n "$NS_DUT" link set "$IF_DUT" down
	sleep "0.$((RANDOM % 5))"
	op link_up ip -n "$NS_DUT" link set "$IF_DUT" up
}

chaos_mtu() {
	local mtu
	pick mtu 576 1280 1500 1500 4000 9000
	op mtu ip -n "$NS_DUT" link set "$IF_DUT" mtu "$mtu"
}

chaos_rings() {
	local rx tx
	pick rx 64 128 256 512 1024
	pick tx 64 128 256 512 1024
	op rings ip netns exec "$NS_DUT" ethtool -G "$IF_DUT" rx "$rx" tx "$tx"
}

chaos_coalesce() {
	local usecs
	pick usecs 0 3 10 100 1000
	op coalesce ip netns exec "$NS_DUT" ethtool -C "$IF_DUT" rx-usecs "$usecs"
}

chaos_promisc() {
	local on
	pick on on off
	op promisc ip -n "$NS_DUT" link set "$IF_DUT" promisc "$on"
}

# Joins 1 to 100 random groups in one batch, or leaves every group it
# joined.
CHAOS_GROUPS=()
chaos_multicast() {
	local n i g
	if ((${#CHAOS_GROUPS[@]} && RANDOM % 2)); then
		printf 'maddr del %s dev '"$IF_DUT"'\n' "${CHAOS_GROUPS[@]}" >/tmp/stress-maddr.batch
		CHAOS_GROUPS=()
		op maddr_del ip -n "$NS_DUT" -force -batch /tmp/stress-maddr.batch
		return
	fi
	n=$((1 + RANDOM % 100))
	for ((i = 0; i < n; i++)); do
		printf -v g '01:00:5e:%02x:%02x:%02x' $((RANDOM % 128)) $((RANDOM % 256)) $((RANDOM % 256))
		CHAOS_GROUPS+=("$g")
	done
	printf 'maddr add %s dev '"$IF_DUT"'\n' "${CHAOS_GROUPS[@]: -n}" >/tmp/stress-maddr.batch
	op maddr_add ip -n "$NS_DUT" -force -batch /tmp/stress-maddr.batch
}

chaos_features() {
	local feature on
	pick feature tso sg tx rx gso gro
	pick on on off
	op features ip netns exec "$NS_DUT" ethtool -K "$IF_DUT" "$feature" "$on"
}

chaos_reads() {
	op stats ip netns exec "$NS_DUT" ethtool -S "$IF_DUT"
	op regs ip netns exec "$NS_DUT" ethtool -d "$IF_DUT"
	op eeprom ip netns exec "$NS_DUT" ethtool -e "$IF_DUT"
	op settings ip netns exec "$NS_DUT" ethtool "$IF_DUT"
	op ring_read ip netns exec "$NS_DUT" ethtool -g "$IF_DUT"
	op coalesce_read ip netns exec "$NS_DUT" ethtool -c "$IF_DUT"
	op features_read ip netns exec "$NS_DUT" ethtool -k "$IF_DUT"
	op link_stats ip -n "$NS_DUT" -s -s link show dev "$IF_DUT"
}

chaos_selftest() {
	local mode
	pick mode online offline
	op selftest ip netns exec "$NS_DUT" ethtool -t "$IF_DUT" "$mode"
}

# The device leaves its namespace for the initial one (netconsole works
# only there), sends kernel log lines to the peer through netconsole
# (netpoll: start_xmit and zero-budget polls with interrupts off) while
# the peer's flood ping goes on, then goes back. A move closes the device:
# it comes up again in each namespace. A failed step ends the action, the
# device back where it was if it can be.
NETCON_TARGET=/sys/kernel/config/netconsole/rnic-stress
chaos_netns_netconsole() {
	local i
	modprobe netconsole 2>/dev/null
	if [ -d "$NETCON_TARGET" ]; then
		echo 0 >"$NETCON_TARGET/enabled"
		rmdir "$NETCON_TARGET"
	fi
	op netns_out ip -n "$NS_DUT" link set "$IF_DUT" netns 1 || return 0
	ip addr add "$ADDR_DUT/24" dev "$IF_DUT" 2>/dev/null
	op netns_up ip link set "$IF_DUT" up
	if wait_carrier_here 5 && mkdir "$NETCON_TARGET" 2>/dev/null; then
		echo "$IF_DUT" >"$NETCON_TARGET/dev_name"
		echo "$ADDR_DUT" >"$NETCON_TARGET/local_ip"
		echo "$ADDR_PEER" >"$NETCON_TARGET/remote_ip"
		mac "$NS_PEER" "$IF_PEER" >"$NETCON_TARGET/remote_mac"
		echo 6666 >"$NETCON_TARGET/remote_port"
		if op netconsole sh -c "echo 1 >$NETCON_TARGET/enabled"; then
			for ((i = 0; i < 20; i++)); do
				echo "<3>rnic-stress netconsole line $i" >/dev/kmsg
			done
			echo 0 >"$NETCON_TARGET/enabled"
		fi
		rmdir "$NETCON_TARGET"
	fi
	op netns_back ip link set "$IF_DUT" netns "$NS_DUT" || fail "$IF_DUT would not go back to $NS_DUT"
	ip -n "$NS_DUT" addr add "$ADDR_DUT/24" dev "$IF_DUT" 2>/dev/null
	op netns_up ip -n "$NS_DUT" link set "$IF_DUT" up
}

# wait_carrier_here SECONDS: whether the device, in the initial
# namespace, has carrier within SECONDS.
wait_carrier_here() {
	local i
	for ((i = 0; i < $1 * 10; i++)); do
		[ "$(cat "/sys/class/net/$IF_DUT/carrier" 2>/dev/null)" = 1 ] && return 0
		sleep 0.1
	done
	return 1
}

chaos_channels() {
	local n
	pick n 0 1 1 2
	op channels ip netns exec "$NS_DUT" ethtool -L "$IF_DUT" combined "$n"
}

# The module goes and comes back: the interface is a new one, with the
# driver's defaults.
chaos_reload() {
	op rmmod rmmod "$DUT_MODULE" || fail "rmmod $DUT_MODULE refused"
	CHAOS_GROUPS=()
	COUNTER_GENERATION=$((COUNTER_GENERATION + 1))
	dut_rebind
}

# chaos_restore: undoes what the soak may have left changed, so that
# traffic can flow: link up, MTU 1500, not promiscuous, receiving.
chaos_restore() {
	op restore ip -n "$NS_DUT" link set "$IF_DUT" up mtu 1500 promisc off
	op restore ip netns exec "$NS_DUT" ethtool -K "$IF_DUT" rx on
}

# ops_summary: per operation, how often the driver accepted and refused
# it: "mtu 12/1 rings 10/0 ..." (accepted/refused).
ops_summary() {
	awk '{ n[$1]++; if ($2 != 0) bad[$1]++ } END { for (k in n) printf "%s %d/%d\n", k, n[k] - bad[k], bad[k] + 0 }' "$OPS_LOG" |
		sort | tr '\n' ' '
}
