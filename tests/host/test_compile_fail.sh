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

# build CASE: builds one case into a directory of its own, its output in
# $scratch/CASE.log and its exit status in $scratch/CASE.rc. The cases are
# independent crates, each compiled by one rustc, so they build side by
# side, one per CPU, sharing the bindings generated once.
python3 "$TOP/scripts/gen-bindings.py" "$kdir" "$scratch/shared/generated/netdev_bindings.rs" ||
	{ echo "not ok - bindings for the compile-fail cases"; exit 1; }
build() {
	mkdir -p "$scratch/out-$1"
	cp -a "$scratch/shared/generated" "$scratch/out-$1/"
	KDIR=$kdir RNIC_OUT=$scratch/out-$1 RNIC_MODULE_DIR=$cases \
		"$TOP/scripts/build-modules.sh" RNIC_CASE="$1" >"$scratch/$1.log" 2>&1
	echo $? >"$scratch/$1.rc"
}

all=()
for src in "$cases"/*.rs; do
	case=$(basename "$src" .rs)
	case $case in fixture | *_fixture) continue ;; esac
	all+=("$case")
done
jobs_max=$(nproc)
for case in "${all[@]}"; do
	while (($(jobs -rp | wc -l) >= jobs_max)); do wait -n; done
	build "$case" &
done
wait

for case in "${all[@]}"; do
	src=$cases/$case.rs
	expect=$(sed -n 's|^//! expect: ||p' "$src")
	if [ -z "$expect" ]; then
		echo "not ok - compile-fail/$case has no \"expect:\" line"
		continue
	fi
	log=$scratch/$case.log
	rc=$(cat "$scratch/$case.rc")
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
