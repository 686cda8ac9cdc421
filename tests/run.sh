#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host side of `make check`: boots the test guest once, runs the in-guest
# suite (tests/guest/run-all.sh), checks the guest's kernel log for
# splats, prints "N passed, N failed" and exits non-zero on any failure.
#
# Usage: tests/run.sh [FILTER...]   (FILTER: test file or file:function)
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
source "$TOP/scripts/common.sh"
set +e

out=$("$TOP/scripts/build-modules.sh") || die "module build failed"
# The guest loads a snapshot of the modules, so that a rebuild while the
# suite runs does not change them under it.
snap=$(mktemp -d "$(dirname "$out")/.run-XXXXXX")
(cd "$out" && find . -name '*.ko' -exec cp --parents {} "$snap" \;)
rel=${snap#"$TOP"/}
log_file=$(mktemp)
trap 'rm -f "$log_file"; rm -rf "$snap"' EXIT

log "running the suite in the guest"
"$TOP/scripts/qemu-run.sh" --timeout 1800 \
	--cmd "bash /project/tests/guest/run-all.sh /project/$rel $*; dmesg >/host/dmesg" |
	tee "$log_file"
guest_rc=${PIPESTATUS[0]}

passed=$(grep -c '^ok ' "$log_file")
failed=$(grep -c '^not ok ' "$log_file")
planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log_file" | tail -n1)

if [ -z "$planned" ]; then
	echo "not ok - the suite did not finish (guest exit $guest_rc)"
	failed=$((failed + 1))
elif ((passed + failed != planned)); then
	echo "not ok - $((passed + failed)) results for $planned tests"
	failed=$((failed + 1))
fi

# Any kernel splat fails the run, whichever test caused it.
klog=$CACHE/last-dmesg.log
cat "$CACHE/last-console.log" "$CACHE/last-guest-dmesg.log" 2>/dev/null >"$klog"
splats=$(grep -E 'BUG:|WARNING:|Oops|KASAN|refcount_t:|UBSAN|panicked at|Kernel panic|Call Trace:' "$klog" | head -n 20)
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
