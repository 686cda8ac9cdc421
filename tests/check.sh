#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: our test suite (tests/run.sh), then the kernel's network
# driver selftests with our e1000 beside the C driver (tests/kselftest.sh).
# Ends with the combined "N passed, N failed"; exits non-zero on any
# failure.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)

passed=0 failed=0
for part in run.sh kselftest.sh; do
	log=$(mktemp)
	"$TOP/tests/$part" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n1)
	rm -f "$log"
	if [ -z "$line" ]; then
		echo "not ok - tests/$part gave no result (exit $rc)"
		failed=$((failed + 1))
		continue
	fi
	read -r p _ f _ <<<"$line"
	passed=$((passed + p)) failed=$((failed + f))
	if ((rc != 0 && f == 0)); then
		echo "not ok - tests/$part exited with $rc"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
((failed == 0))
