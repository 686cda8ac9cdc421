#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The chaos soak (`make stress`, tests/stress.sh), in the guest: for each
# driver, traffic both ways (iperf3 and a flood ping each way) while
# chaos.sh's actions, drawn from a seeded $RANDOM, change and read the
# device for SECONDS seconds. Then: traffic flows again, the counters
# never went down, the module unloads without leaking socket buffers, and
# the kernel log has no report. Drivers named rust_* are ours and print
# TAP lines; the others are the C reference and print "# reference" lines.
#
# Usage: soak.sh RNIC_OUT SECONDS SEED DRIVER...

export RNIC_OUT=$1
SOAK_SECONDS=$2 SEED=$3
shift 3
cd /project/tests/guest || exit 1
source ./lib.sh
source "$HELPERS/virtio.sh"
source "$HELPERS/hotplug.sh"
source ./stress/chaos.sh
source ./stress/traffic.sh

# result DRIVER NAME RC [WHY]: one line of the report.
result() {
	local drv=$1 name=$2 rc=$3 why=${4:-}
	case "$drv" in
	rust_*) if ((rc == 0)); then echo "ok - $drv: $name"; else echo "not ok - $drv: $name${why:+: $why}"; fi ;;
	*) if ((rc == 0)); then echo "# reference $drv: $name passes"; else echo "# reference $drv: $name FAILS${why:+: $why}"; fi ;;
	esac
}

# check DRIVER NAME CMD...: runs a check in a subshell with `set -e`;
# prints its result, with the reason of a failure.
check() {
	local drv=$1 name=$2 rc
	shift 2
	(
		set -e
		"$@"
	) 2>/tmp/stress-check.err
	rc=$?
	result "$drv" "$name" "$rc" "$(grep -m1 'FAIL:' /tmp/stress-check.err | sed 's/^ *FAIL: //')"
}

# dut_bed DRIVER: the NIC of DRIVER's kind on DRIVER, its peer on the
# in-tree driver of the other kind; sets NS_DUT, IF_DUT, ADDR_DUT, NS_PEER,
# IF_PEER, ADDR_PEER, DUT_DRIVER, DUT_MODULE.
dut_bed() {
	DUT_DRIVER=$1 DUT_MODULE=$1
	case "$1" in
	rust_e1000 | e1000)
		e1000_bed "$1"
		NS_DUT=nsa IF_DUT=$IF_A ADDR_DUT=$ADDR_A NS_PEER=nsb IF_PEER=$IF_B ADDR_PEER=$ADDR_B
		;;
	*)
		DRV=$1 virtio_bed
		NS_DUT=nsb IF_DUT=$IF_B ADDR_DUT=$ADDR_B NS_PEER=nsa IF_PEER=$IF_A ADDR_PEER=$ADDR_A
		;;
	esac
}

# dut_rebind: after the module was removed, binds the NIC again and puts
# it back in its namespace with its address, up.
dut_rebind() {
	case "$DUT_DRIVER" in
	rust_e1000 | e1000) IF_DUT=$(bind "$BDF_A" "$DUT_DRIVER") ;;
	*) IF_DUT=$(virtio_bind "$DUT_DRIVER") ;;
	esac
	ip link set "$IF_DUT" netns "$NS_DUT"
	ip -n "$NS_DUT" addr add "$ADDR_DUT/24" dev "$IF_DUT"
	ip -n "$NS_DUT" link set "$IF_DUT" up
	# The soak's loop runs in a subshell: the interface's name for after it.
	echo "$IF_DUT" >/tmp/stress-if
}

# soak DRIVER: the whole soak of one driver, in a subshell.
soak() {
	local drv=$1 skbs mark deadline action n=0 started secs
	case "$drv" in
	rust_*) echo "rnic-suite: ours stress:$drv" >/dev/kmsg ;;
	*) echo "rnic-suite: reference $drv stress:$drv" >/dev/kmsg ;;
	esac
	rm -f "$OPS_LOG" /tmp/stress-*.log /tmp/stress-if /tmp/stress-actions.count
	dut_bed "$drv"
	skbs=$(skb_objects)
	mark=$(kernel_log_mark)
	soak_traffic_start
	check "$drv" "traffic flows before the soak" traffic_resumes
	deadline=$((SECONDS + SOAK_SECONDS))
	# A failed wait or a hang in an action ends the loop with a FAIL line.
	# Seeded in the subshell: bash reseeds $RANDOM in each one.
	(
		RANDOM=$SEED
		while ((SECONDS < deadline)); do
			action=${CHAOS_ACTIONS[RANDOM % ${#CHAOS_ACTIONS[@]}]}
			echo "$SECONDS $action" >>/tmp/stress-actions.log
			"chaos_$action"
			counters_sample
			n=$((n + 1))
		done
		echo "$n" >/tmp/stress-actions.count
	) 2>/tmp/stress-check.err
	result "$drv" "soak of ${SOAK_SECONDS}s (seed $SEED) without a hang" $? \
		"$(grep -m1 'FAIL:' /tmp/stress-check.err | sed 's/^ *FAIL: //')"
	[ -s /tmp/stress-if ] && IF_DUT=$(cat /tmp/stress-if)
	echo "# $drv: $(cat /tmp/stress-actions.count 2>/dev/null) actions, accepted/refused: $(ops_summary)"
	# Traffic must flow again once the soak stops.
	chaos_restore
	started=$SECONDS
	check "$drv" "traffic flows again after the soak" traffic_resumes
	secs=$((SECONDS - started))
	echo "# $drv: traffic flowed again after ${secs}s"
	check "$drv" "TCP both ways, checked, after the soak" transfers_both_ways
	check "$drv" "counters never went down ($(wc -l <"$COUNTER_LOG") samples)" counters_only_grew
	soak_traffic_stop
	check "$drv" "rmmod after the soak, no socket buffer leaked" unload_without_leak "$skbs"
	check "$drv" "kernel log clean during the soak" kernel_log_clean "$mark"
}

traffic_resumes() {
	wait_until 30 "ip netns exec $NS_DUT ping -c 1 -W 1 $ADDR_PEER"
}

transfers_both_ways() {
	NS_PEER=$NS_PEER NS_DUT=$NS_DUT transfer_checked_to_peer 2000000 5301
	# And the other way.
	local ns=$NS_DUT addr=$ADDR_DUT
	NS_DUT=$NS_PEER ADDR_PEER=$addr NS_PEER=$ns transfer_checked_to_peer 2000000 5302
}

unload_without_leak() {
	unbind_all
	if lsmod | grep -q "^$DUT_MODULE "; then
		timeout 20 rmmod "$DUT_MODULE" || fail "rmmod $DUT_MODULE failed or hung"
	fi
	local end
	end=$(skb_objects)
	[ $((end - $1)) -lt 512 ] || fail "socket buffers grew from $1 to $end"
}

kernel_log_clean() {
	local reports
	reports=$(kernel_reports_since "$1")
	[ -z "$reports" ] || fail "$reports"
}

echo "# stress: seed $SEED, ${SOAK_SECONDS}s per driver: $*"
for drv in "$@"; do
	(soak "$drv") || result "$drv" "soak ran to its end" 1 "set-up failed"
	(netpair_unload; unbind_all) >/dev/null 2>&1
done
echo "# stress done"
