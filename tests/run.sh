#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host side of `make check`: runs the in-guest suite (tests/guest/run-all.sh)
# spread over several guests at once, checks each guest's kernel log for
# splats, prints "N passed, N failed" and exits non-zero on any failure.
#
# Usage: tests/run.sh [FILTER...]   (FILTER: test file or file:function)
#
# RNIC_GUESTS=N (default 2) guests share the whole suite, whole test files
# each, balanced by how long each file took last time. RNIC_REFERENCES=0
# leaves the C reference runs out of a filtered run. HOTPLUG_CYCLES=N
# sets the unplug cycles of the hotplug files (default 5 on ours, 3 on
# C). The tests of one
# file never run concurrently with each other, and each guest is a QEMU of
# its own with its own hub: guests share nothing but the host's CPUs.
# A filtered run uses one guest.
#
# Each guest has one virtual CPU. Two guests of two vCPUs each put four
# TCG threads on the two host CPUs, and a guest CPU then waits for the
# other one (an IPI, a lock its holder was preempted with) while the host
# runs the other guest: measured on test_e1000_ethtool, two guests at
# once, the tests took 196 s in all with two vCPUs and 160 s with one.
# The selftests (three vCPUs), `make stress` and `make bench` (two) are
# where our drivers run on several CPUs at once.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
source "$TOP/scripts/common.sh"
source "$TOP/tests/suite-shards.sh"
set +e

out=$("$TOP/scripts/build-modules.sh") || die "module build failed"
guest_path "$out" >/dev/null || exit 1
kdir=$("$TOP/scripts/build-kernel.sh") || die "kernel build failed"
"$TOP/scripts/build-guest.sh" >/dev/null || die "guest image build failed"

# The C driver's reference runs of the whole suite, from the cache when
# nothing they depend on changed (see reference_key; this file is among
# them, since it chooses the guests' CPUs).
references=1 ref_file=
if (($#)); then
	# A filtered run may leave C out (RNIC_REFERENCES=0): on the debug
	# kernel, which runs the suite about ten times slower, to test ours in
	# the time there is. Never for the whole suite.
	references=${RNIC_REFERENCES:-1}
else
	ref_file=$CACHE/reference/suite-$(reference_key "$kdir" "$TOP"/tests/guest/*.sh \
		"$TOP"/tests/guest/helpers/* "$TOP/tests/run.sh").txt
	[ -f "$ref_file" ] && [ -z "${RNIC_FRESH_REFERENCE:-}" ] && references=0
fi
# The guests load a snapshot of the modules (and the suite's BPF
# programs), so that a rebuild while the suite runs does not change them
# under it.
snap=$(mktemp -d "$(dirname "$out")/.run-XXXXXX")
(cd "$out" && find . \( -name '*.ko' -o -name '*.bpf.o' \) -exec cp --parents {} "$snap" \;)
guest_snap=$(guest_path "$snap")
work=$(mktemp -d)
trap 'rm -rf "$work" "$snap"' EXIT

# One line of filters per guest.
if (($#)); then
	echo "$*" >"$work/shards"
else
	suite_shards "${RNIC_GUESTS:-2}" "$references" >"$work/shards"
fi
guests=$(wc -l <"$work/shards")

if ((references)); then
	log "running the suite in $guests guest(s)"
elif [ -n "$ref_file" ]; then
	log "running the suite in $guests guest(s), the C reference from $ref_file"
else
	log "running the suite in $guests guest(s), without the C reference runs"
fi
# A guard against a hung guest, not a budget: the suite with fresh C
# reference runs takes about 25 minutes in one guest on an idle 2-core
# host, and more when the host is busy; the debug kernel (KASAN, lockdep)
# runs it about ten times slower.
guest_timeout=3600
[ "$KVARIANT" = debug ] && guest_timeout=$((4 * 3600))
k=0
while read -r filters; do
	k=$((k + 1))
	mkdir -p "$work/$k"
	(
		"$TOP/scripts/qemu-run.sh" --timeout "$guest_timeout" --smp 1 --logs "$work/$k" \
			--cmd "RNIC_REFERENCES=$references HOTPLUG_CYCLES=${HOTPLUG_CYCLES:-} bash /project/tests/guest/run-all.sh $guest_snap $filters; dmesg >/host/dmesg" |
			tee "$work/$k/output" | sed -u "s/^/[guest $k] /"
		echo "${PIPESTATUS[0]}" >"$work/$k/rc"
	) &
done <"$work/shards"
wait

passed=0 failed=0
for k in $(seq "$guests"); do
	log_file=$work/$k/output
	passed=$((passed + $(grep -c '^ok ' "$log_file")))
	failed=$((failed + $(grep -c '^not ok ' "$log_file")))
	planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log_file" | tail -n1)
	done_here=$(grep -c -E '^(not )?ok ' "$log_file")
	if [ -z "$planned" ]; then
		echo "not ok - guest $k did not finish the suite (exit $(cat "$work/$k/rc"))"
		failed=$((failed + 1))
	elif ((done_here != planned)); then
		echo "not ok - guest $k: $done_here results for $planned tests"
		failed=$((failed + 1))
	fi
done

if ((!references)) && [ -n "$ref_file" ]; then
	echo "# C reference results of $(date -r "$ref_file" -u +%FT%RZ), cached: $ref_file"
	cat "$ref_file"
elif [ -n "$ref_file" ] && all_finished "$work" "$guests"; then
	mkdir -p "$(dirname "$ref_file")"
	cat "$work"/*/output | grep '^# reference ' >"$ref_file"
fi
(($#)) || record_suite_times "$work"/*/output

# A kernel report during our tests fails the run; one during a C reference
# run (after its "rnic-suite: reference" mark) is the C driver's, and is
# listed. Each guest's log is whole (qemu-run.sh gives it 4 MiB); without
# it (the guest died), the console's counts as ours.
part() { awk -v want="$1" '/rnic-suite: reference / { ref = 1 } /rnic-suite: ours / { ref = 0 } (ref == want)' "$2"; }
for k in $(seq "$guests"); do
	klog=$work/$k/dmesg
	[ -s "$klog" ] || klog=$work/$k/console.log
	[ -f "$klog" ] || continue
	part 1 "$klog" | kernel_splats >>"$work/c-splats"
	part 0 "$klog" | kernel_splats >>"$work/splats"
	cp "$klog" "$CACHE/last-dmesg-guest$k.log"
done
c_splats=$(cat "$work/c-splats" 2>/dev/null)
splats=$(cat "$work/splats" 2>/dev/null)
if [ -n "$c_splats" ]; then
	echo "# kernel log during the C reference runs (not ours):"
	printf '#    %s\n' "$c_splats"
fi
if [ -n "$splats" ]; then
	echo "not ok - kernel log is clean"
	printf '    %s\n' "$splats"
	failed=$((failed + 1))
else
	echo "ok - kernel log is clean"
	passed=$((passed + 1))
fi

echo "$passed passed, $failed failed"
((failed == 0))
