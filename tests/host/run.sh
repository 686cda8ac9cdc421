#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host-side checks of `make check`: every tests/host/test_*.sh, each of
# which prints "ok - ..." or "not ok - ..." lines. Prints the lines and
# "N passed, N failed"; exits non-zero on any failure.
#
# Usage: tests/host/run.sh [TEST...]   (TEST: a file name without .sh)
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)

if (($#)); then
	files=()
	for t in "$@"; do files+=("$HERE/$t.sh"); done
else
	files=("$HERE"/test_*.sh)
fi

passed=0 failed=0
for f in "${files[@]}"; do
	log=$(mktemp)
	bash "$f" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	p=$(grep -c '^ok ' "$log")
	n=$(grep -c '^not ok ' "$log")
	rm -f "$log"
	if ((rc != 0 && n == 0)); then
		echo "not ok - $(basename "$f" .sh) exited with $rc"
		n=1
	elif ((p + n == 0)); then
		echo "not ok - $(basename "$f" .sh) reported nothing"
		n=1
	fi
	passed=$((passed + p)) failed=$((failed + n))
done
echo "$passed passed, $failed failed"
((failed == 0))
