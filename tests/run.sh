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
guest_path "$out" >/dev/null || exit 1
kdir=$("$TOP/scripts/build-kernel.sh") || die "kernel build failed"

# The C driver's reference runs of the whole suite, from the cache when
# nothing they depend on changed (see reference_key).
references=1 ref_file=
if (($# == 0)); then
	ref_file=$CACHE/reference/suite-$(reference_key "$kdir" "$TOP"/tests/guest/*.sh \
		"$TOP"/tests/guest/helpers/*).txt
	[ -f "$ref_file" ] && [ -z "${RNIC_FRESH_REFERENCE:-}" ] && references=0
fi
# The guest loads a snapshot of the modules, so that a rebuild while the
# suite runs does not change them under it.
snap=$(mktemp -d "$(dirname "$out")/.run-XXXXXX")
(cd "$out" && find . -name '*.ko' -exec cp --parents {} "$snap" \;)
guest_snap=$(guest_path "$snap")
log_file=$(mktemp)
trap 'rm -f "$log_file"; rm -rf "$snap"' EXIT

log "running the suite in the guest$( ((references)) || echo ", the C reference from $ref_file")"
# A guard against a hung guest, not a budget: the suite with fresh C
# reference runs takes about 25 minutes on an idle 2-core host, and more
# when the host is busy.
"$TOP/scripts/qemu-run.sh" --timeout 3600 \
	--cmd "RNIC_REFERENCES=$references bash /project/tests/guest/run-all.sh $guest_snap $*; dmesg >/host/dmesg" |
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

if ((!references)); then
	echo "# C reference results of $(date -r "$ref_file" -u +%FT%RZ), cached: $ref_file"
	cat "$ref_file"
elif [ -n "$ref_file" ] && [ -n "$planned" ] && ((guest_rc == 0)); then
	mkdir -p "$(dirname "$ref_file")"
	grep '^# reference ' "$log_file" >"$ref_file"
fi

# A kernel report during our tests fails the run; one during a C reference
# run (after its "rnic-suite: reference" mark) is the C driver's, and is
# listed. The guest's log is whole (qemu-run.sh gives it 4 MiB); without
# it (the guest died), the console's counts as ours.
klog=$CACHE/last-dmesg.log
if [ -s "$CACHE/last-guest-dmesg.log" ]; then
	cp "$CACHE/last-guest-dmesg.log" "$klog"
else
	cp "$CACHE/last-console.log" "$klog" 2>/dev/null || : >"$klog"
fi
part() { awk -v want="$1" '/rnic-suite: reference / { ref = 1 } /rnic-suite: ours / { ref = 0 } (ref == want)' "$klog"; }
c_splats=$(part 1 | kernel_splats)
if [ -n "$c_splats" ]; then
	echo "# kernel log during the C reference runs (not ours):"
	printf '#    %s\n' "$c_splats"
fi
splats=$(part 0 | kernel_splats)
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
