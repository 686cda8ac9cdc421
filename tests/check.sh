#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: set-up and every build, our test suite in the guest
# (tests/run.sh), then the kernel's network driver selftests with our
# drivers beside the C drivers (tests/kselftest.sh), and beside those the
# host-side checks (tests/host: the cold set-up path, building against a
# kernel tree of your own, dkms).
# Times each phase, prints them on one line, and ends with the combined
# "N passed, N failed"; exits non-zero on any failure.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)

passed=0 failed=0
times=()
# Every "not ok" line of every part, printed again at the end: a run's
# output is long, and what CI keeps of it is the tail.
not_ok=()

# took NAME START: records that phase NAME ran from START until now.
took() { times+=("$1 $(fmt_time $((SECONDS - $2)))"); }

fmt_time() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

# build NAME SCRIPT: a build phase; its output goes to a log that is shown
# only when it fails. A failed build fails the run: nothing after it can.
build() {
	local log start=$SECONDS rc
	log=$(mktemp)
	"$TOP/scripts/$2" >"$log" 2>&1
	rc=$?
	built "$1" "$start" "$rc" "$log"
}

# built NAME START RC LOG: reports a build phase that ran from START and
# ended with RC, its output in LOG.
built() {
	local name=$1 start=$2 rc=$3 log=$4
	took "$name" "$start"
	if ((rc == 0)); then
		echo "ok - $name"
		passed=$((passed + 1))
		rm -f "$log"
		return 0
	fi
	echo "not ok - $name"
	not_ok+=("not ok - $name")
	sed 's/^/    /' "$log" | tail -n 40
	rm -f "$log"
	failed=$((failed + 1))
	finish
}

# tests NAME SCRIPT: a part that prints "N passed, N failed" itself.
tests() {
	local log rc start=$SECONDS
	log=$(mktemp)
	"$TOP/tests/$2" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	took "$1" "$start"
	tally "$2" "$rc" "$log"
}

# tally SCRIPT RC LOG: adds the "N passed, N failed" that SCRIPT printed in
# LOG, and a failure if it printed none or exited with RC != 0 regardless.
tally() {
	local part=$1 rc=$2 log=$3 line p f
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n1)
	mapfile -t -O "${#not_ok[@]}" not_ok < <(grep -E '^(\[guest [0-9]+\] )?not ok' "$log" | head -n 20 | sed "s|^|$part: |")
	rm -f "$log"
	if [ -z "$line" ]; then
		echo "not ok - tests/$part gave no result (exit $rc)"
		not_ok+=("not ok - tests/$part gave no result (exit $rc)")
		failed=$((failed + 1))
		return
	fi
	read -r p _ f _ <<<"$line"
	passed=$((passed + p)) failed=$((failed + f))
	if ((rc != 0 && f == 0)); then
		echo "not ok - tests/$part exited with $rc"
		not_ok+=("not ok - tests/$part exited with $rc")
		failed=$((failed + 1))
	fi
}

finish() {
	local IFS=,
	if ((${#not_ok[@]})); then
		echo "# what failed (from above):"
		printf '#   %s\n' "${not_ok[@]}"
	fi
	echo "phases: ${times[*]}; total $(fmt_time "$SECONDS")" | sed 's/,/, /g'
	echo "$passed passed, $failed failed"
	((failed == 0))
	exit
}

build set-up setup.sh
# The guest image needs no kernel, and its build waits mostly on the
# network and the disk: it runs beside the kernel build.
# Its own time is printed, not the wait for the kernel.
guest_log=$(mktemp) guest_times=$(mktemp)
(
	start=$SECONDS
	"$TOP/scripts/build-guest.sh" >"$guest_log" 2>&1
	echo "$? $((SECONDS - start))" >"$guest_times"
) &
guest_pid=$!
trap 'kill $guest_pid 2>/dev/null' EXIT
build kernel build-kernel.sh
wait $guest_pid
trap - EXIT
read -r guest_rc guest_secs <"$guest_times" || guest_rc=1 guest_secs=0
rm -f "$guest_times"
built "guest (beside the kernel)" $((SECONDS - guest_secs)) "$guest_rc" "$guest_log"
build modules build-modules.sh
tests suite run.sh
# The host-side checks run beside the selftests, whose guests wait on
# timers for minutes at a time (the two CPUs were a quarter idle over that
# phase, and the checks mostly keep one CPU busy); their output follows the
# selftests'.
host_log=$(mktemp) host_times=$(mktemp)
(
	start=$(date +%s)
	"$TOP/tests/host/run.sh" >"$host_log" 2>&1
	echo "$? $(($(date +%s) - start))" >"$host_times"
) &
host_pid=$!
trap 'kill $host_pid 2>/dev/null' EXIT
tests selftests kselftest.sh
wait $host_pid
trap - EXIT
read -r host_rc host_secs <"$host_times" || host_rc=1 host_secs=0
rm -f "$host_times"
cat "$host_log"
times+=("host (beside the selftests) $(fmt_time "$host_secs")")
tally host/run.sh "$host_rc" "$host_log"
finish
