#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs the in-guest test suite: every test_* function of every
# tests/guest/test_*.sh (or only those given as arguments, "file" or
# "file:function"), each in its own subshell with `set -e`, and prints one
# TAP line per test. tests/run.sh on the host reads these lines.
#
# Usage: run-all.sh RNIC_OUT [FILTER...]

export RNIC_OUT=$1
shift
cd /project/tests/guest || exit 1

n=0
for file in test_*.sh; do
	base=${file%.sh}
	tests=$(bash -c "source ./lib.sh; source ./$file; declare -F" | awk '$3 ~ /^test_/ { print $3 }')
	for t in $tests; do
		if (($#)); then
			match=0
			for f in "$@"; do
				[[ "$f" = "$base" || "$f" = "$base:$t" ]] && match=1
			done
			((match)) || continue
		fi
		n=$((n + 1))
		start=$(date +%s.%N)
		(
			set -e
			source ./lib.sh
			source "./$file"
			"$t"
		)
		rc=$?
		secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
		if ((rc == 0)); then
			echo "ok $n - $base:$t (${secs}s)"
		else
			echo "not ok $n - $base:$t (${secs}s)"
		fi
		# Leave a clean slate for the next test.
		(source ./lib.sh; netpair_unload) >/dev/null 2>&1
	done
done
echo "1..$n"
