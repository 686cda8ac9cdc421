#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The misuses of the netdev and virtio layers that their types refuse: each case in
# tests/compile-fail/ is a small module that misuses the API, and must
# fail to build with the error its "expect:" line names, reported in the
# case's own file (so that a broken layer or fixture cannot pass for a
# refused misuse). The case whose "expect:" is "success" uses the same
# parts correctly and must build.
source "$(dirname "$0")/lib.sh"

kdir=$("$TOP/scripts/build-kernel.sh" 2>/dev/null) || { echo "not ok - no test kernel"; exit 1; }
cases=$TOP/tests/compile-fail
out=$scratch/out

for src in "$cases"/*.rs; do
	case=$(basename "$src" .rs)
	case $case in fixture | *_fixture) continue ;; esac
	expect=$(sed -n 's|^//! expect: ||p' "$src")
	if [ -z "$expect" ]; then
		echo "not ok - compile-fail/$case has no \"expect:\" line"
		continue
	fi
	log=$scratch/$case.log
	KDIR=$kdir RNIC_OUT=$out RNIC_MODULE_DIR=$cases \
		"$TOP/scripts/build-modules.sh" RNIC_CASE="$case" >"$log" 2>&1
	rc=$?
	if [ "$expect" = success ]; then
		check "compile-fail/$case (the correct use) builds" [ "$rc" = 0 ]
		((rc == 0)) || grep -A6 '^error' "$log" | head -n 20 | sed 's/^/    /'
		continue
	fi
	# The first error and where rustc places it.
	first=$(awk '/^error/ { on = 1 } on && /^$/ { exit } on' "$log")
	refused() {
		((rc != 0)) && grep -qF -- "$expect" <<<"${first%%$'\n'*}" &&
			grep -qE -- "--> .*tests/compile-fail/$case\.rs:" <<<"$first"
	}
	check "compile-fail/$case is refused: $expect" refused
	refused || sed 's/^/    /' <<<"${first:-$(tail -n 10 "$log")}"
done
