#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make kselftest`: the kernel's network driver selftests with our e1000
# driver as the device under test and, in the same boot, the in-tree C
# driver on the same device (or the C driver's results from the cache,
# when the kernel, guest image, QEMU and tests are those it ran on; see
# reference_key in scripts/common.sh). Prints one line per case with both
# results: a case fails when C passes it and we do not. The kernel log of
# our driver's run must hold no report; the C driver's reports are shown.
# Ends with "N passed, N failed".
#
# Usage: tests/kselftest.sh
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
source "$TOP/scripts/common.sh"
set +e

out=$("$TOP/scripts/build-modules.sh") || die "module build failed"
guest_path "$out" >/dev/null || exit 1
kdir=$("$TOP/scripts/build-kernel.sh") || die "kernel build failed"
ksft=$("$TOP/scripts/build-ksft.sh" "$kdir") || die "selftest build failed"
snap=$(mktemp -d "$(dirname "$out")/.run-XXXXXX")
(cd "$out" && find . -name '*.ko' -exec cp --parents {} "$snap" \;)
results=$CACHE/kselftest
rm -rf "$results"
mkdir -p "$results"
trap 'rm -rf "$snap"' EXIT
guest_snap=$(guest_path "$snap")

# The C driver's run, from the cache when nothing it depends on changed
# (see reference_key): its KTAP lines and its slice of the kernel log.
ref=$CACHE/reference/ksft-$(reference_key "$kdir" "$TOP/tests/guest/kselftest.sh" \
	"$TOP/tests/guest/lib.sh" "$ksft/kselftest-list.txt")
drivers="e1000 rust_e1000"
if [ -f "$ref.log" ] && [ -f "$ref.dmesg" ] && [ -z "${RNIC_FRESH_REFERENCE:-}" ]; then
	drivers=rust_e1000
	log "the C e1000's results of $(date -r "$ref.log" -u +%FT%RZ), cached: $ref.log"
fi

# hw/irq.py sets affinity masks that need three CPUs.
log "running the selftests in the guest: $drivers"
"$TOP/scripts/qemu-run.sh" --timeout 5400 --smp 3 --ksft "$ksft" \
	--cmd "bash /project/tests/guest/kselftest.sh $guest_snap $drivers; dmesg >/host/dmesg" |
	tee "$results/guest.log" | grep --line-buffered -E '^\[[a-z_0-9]+\] (not )?ok '
guest_rc=${PIPESTATUS[0]}
cp "$CACHE"/last-console.log "$results/console.log" 2>/dev/null
klog=$CACHE/last-guest-dmesg.log
[ -f "$klog" ] || klog=$results/console.log

# The kernel log of each driver's run: the guest marks where each begins.
slice() { awk -v m="rnic-kselftest: start $1" 'index($0, "rnic-kselftest: start ") { on = index($0, m) > 0 } on' "$klog"; }
if [ "$drivers" = rust_e1000 ]; then
	cp "$ref.dmesg" "$results/dmesg.e1000"
else
	slice e1000 >"$results/dmesg.e1000"
fi
slice rust_e1000 >"$results/dmesg.rust_e1000"
if ((guest_rc == 0)) && [ "$drivers" != rust_e1000 ]; then
	mkdir -p "$(dirname "$ref")"
	grep '^\[e1000\] ' "$results/guest.log" >"$ref.log"
	cp "$results/dmesg.e1000" "$ref.dmesg"
fi
[ "$drivers" != rust_e1000 ] || cat "$ref.log" >>"$results/guest.log"

python3 "$TOP/tests/ksft_compare.py" "$results/guest.log" e1000 rust_e1000 >"$results/table.txt"
rc=$?
total=$(tail -n1 "$results/table.txt")
head -n -1 "$results/table.txt"
read -r passed _ failed _ <<<"$total"
((guest_rc == 0)) || { echo "not ok - guest exited with $guest_rc"; failed=$((failed + 1)); }

# A report in the kernel log during our driver's run fails it; the C
# driver's are shown for comparison.
c_splats=$(kernel_splats "$results/dmesg.e1000")
[ -z "$c_splats" ] || printf '# kernel log during the C e1000 run (not ours):\n%s\n' "$(sed 's/^/#    /' <<<"$c_splats")"
splats=$(kernel_splats "$results/dmesg.rust_e1000")
if [ -n "$splats" ]; then
	printf 'not ok - kernel log of the rust_e1000 run is clean\n%s\n' "$(sed 's/^/    /' <<<"$splats")"
	failed=$((failed + 1))
elif [ ! -s "$results/dmesg.rust_e1000" ]; then
	echo "not ok - kernel log of the rust_e1000 run is clean: no log of that run"
	failed=$((failed + 1))
else
	echo "ok - kernel log of the rust_e1000 run is clean"
	passed=$((passed + 1))
fi
echo "$passed passed, $failed failed"
((rc == 0 && failed == 0))
