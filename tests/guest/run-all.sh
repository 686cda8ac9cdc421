#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs the in-guest test suite: every test_* function of every
# tests/guest/test_*.sh (or only those given as arguments, "file" or
# "file:function"), each in its own subshell with `set -e`, and prints one
# TAP line per test. tests/run.sh on the host reads these lines.
#
# A test file may set REFERENCE_DRIVERS: its tests then also run once per
# driver named there with E1000_DRIVER set to it (the in-tree C driver, to
# compare behaviour with). Those runs print "# reference" lines, not TAP
# results: they describe the C driver, they do not test ours.
#
# RNIC_REFERENCES=0 skips the reference runs (tests/run.sh has their
# results cached).
#
# Usage: run-all.sh RNIC_OUT [FILTER...]

export RNIC_OUT=$1
shift
cd /project/tests/guest || exit 1

n=0
refs=()

# modmap_sampler: on a kernel with kmemleak, notes every module it sees
# loaded, "NAME BASE SIZE", in /tmp/modmap, twice a second, without
# starting a process: kmemleak_check needs the address ranges of modules
# unloaded since, whose frames in an allocation trace are bare addresses.
modmap_sampler() {
	local name size _refs _deps _state addr
	local -A seen
	exec {pause}<> <(:)
	while :; do
		while read -r name size _refs _deps _state addr _; do
			[ -n "${seen[$name $addr]:-}" ] && continue
			seen[$name $addr]=1
			echo "$name ${addr#0x} $size" >>/tmp/modmap
		done </proc/modules
		read -rt 0.5 -u "$pause" _ || true
	done
}
if [ -e /sys/kernel/debug/kmemleak ]; then
	sysctl -qw kernel.kptr_restrict=0
	# kmemleak_check scans at the end; the scan every ten minutes would
	# only find earlier what that one finds too (a leaked object stays),
	# and each pass walks all of memory under TCG.
	echo scan=off >/sys/kernel/debug/kmemleak 2>/dev/null
	: >/tmp/modmap
	modmap_sampler &
	sampler=$!
fi

# run_one FILE FUNCTION: runs a test in a subshell, prints its duration.
run_one() {
	local start rc
	# tests/run.sh cuts the kernel log at these marks: a report during a
	# reference run is the C driver's, listed apart from ours.
	if [ -n "${E1000_DRIVER:-}" ]; then
		echo "rnic-suite: reference $E1000_DRIVER $1:$2" >/dev/kmsg
	else
		echo "rnic-suite: ours $1:$2" >/dev/kmsg
	fi
	start=$(date +%s.%N)
	(
		set -e
		source ./lib.sh
		source "./$1"
		"$2"
	)
	rc=$?
	secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	# Leave a clean slate for the next test.
	(source ./lib.sh; netpair_unload; unbind_all) >/dev/null 2>&1
	return $rc
}

for file in test_*.sh; do
	base=${file%.sh}
	tests=$(bash -c "source ./lib.sh; source ./$file; declare -F" | awk '$3 ~ /^test_/ { print $3 }')
	references=$(bash -c "source ./lib.sh; source ./$file; echo \$REFERENCE_DRIVERS")
	[ "${RNIC_REFERENCES:-1}" = 1 ] || references=
	for t in $tests; do
		if (($#)); then
			match=0
			for f in "$@"; do
				[[ "$f" = "$base" || "$f" = "$base:$t" ]] && match=1
			done
			((match)) || continue
		fi
		n=$((n + 1))
		if run_one "$file" "$t"; then
			echo "ok $n - $base:$t (${secs}s)"
		else
			echo "not ok $n - $base:$t (${secs}s)"
		fi
		for drv in $references; do
			if E1000_DRIVER=$drv run_one "$file" "$t" 2>/tmp/reference.err; then
				refs+=("# reference $drv: $base:$t passes (${secs}s)")
			else
				why=$(grep -m1 'FAIL:' /tmp/reference.err | sed 's/^ *FAIL: //')
				refs+=("# reference $drv: $base:$t FAILS (${secs}s): $why")
			fi
		done
	done
done
# kmemleak_check: on a kernel with kmemleak (the debug kernel), after the
# suite: two scans, then every object the kernel still holds that nothing
# points to. One that our code allocated (its trace names a module of ours
# or falls in the address range one of ours had when loaded: see
# helpers/kmemleak_owners.py) fails the run; one that may be ours (a bare
# address that ranges of ours and of other modules both cover) and the
# others (the core's, C's) are listed as "# kmemleak" lines, not hidden.
kmemleak_check() {
	local file=/sys/kernel/debug/kmemleak ours unsure total
	[ -w "$file" ] || return 0
	[ -n "${sampler:-}" ] && kill "$sampler" 2>/dev/null
	echo "rnic-suite: kmemleak scan" >/dev/kmsg
	# Present but off (kmemleak=off, or disabled after an error): no scan.
	local t0=$EPOCHREALTIME
	{ echo scan >"$file" && sleep 6 && echo scan >"$file"; } 2>/dev/null || return 0
	echo "# kmemleak: two scans and a 6 s pause took $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }') s"
	cat "$file" >/tmp/kmemleak.txt
	python3 -S helpers/kmemleak_owners.py /tmp/kmemleak.txt /tmp/modmap \
		'rust_e1000|rust_virtio_net|rust_netpair|rnic_.*' >/tmp/kmemleak.ours
	read -r ours unsure total </tmp/kmemleak.ours
	n=$((n + 1))
	if ((ours == 0)); then
		echo "ok $n - kmemleak: none of ours ($unsure may be, $total unreferenced objects in all)"
	else
		echo "not ok $n - kmemleak: $ours of $total unreferenced objects are ours ($unsure more may be)"
	fi
	tail -n +2 /tmp/kmemleak.ours | head -n 60 | sed 's/^/# kmemleak: /'
	grep -v '^ ' /tmp/kmemleak.txt | head -n 20 | sed 's/^/# kmemleak (all): /'
}
kmemleak_check

echo "1..$n"
for line in "${refs[@]}"; do
	echo "$line"
done
