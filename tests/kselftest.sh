#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make kselftest`: the kernel's network driver selftests with our e1000
# driver as the device under test and, in the same boot, the in-tree C
# driver on the same device. Prints one line per case with both results,
# then "N passed, N failed": a case fails when C passes it and we do not.
#
# Usage: tests/kselftest.sh
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
source "$TOP/scripts/common.sh"
set +e

out=$("$TOP/scripts/build-modules.sh") || die "module build failed"
kdir=$("$TOP/scripts/build-kernel.sh") || die "kernel build failed"
ksft=$("$TOP/scripts/build-ksft.sh" "$kdir") || die "selftest build failed"
snap=$(mktemp -d "$(dirname "$out")/.run-XXXXXX")
(cd "$out" && find . -name '*.ko' -exec cp --parents {} "$snap" \;)
results=$CACHE/kselftest
rm -rf "$results"
mkdir -p "$results"
trap 'rm -rf "$snap"' EXIT

# hw/irq.py sets affinity masks that need three CPUs.
log "running the selftests in the guest, C e1000 then rust_e1000"
"$TOP/scripts/qemu-run.sh" --timeout 5400 --smp 3 --ksft "$ksft" \
	--cmd "bash /project/tests/guest/kselftest.sh /project/${snap#"$TOP"/} e1000 rust_e1000; dmesg >/host/dmesg" |
	tee "$results/guest.log" | grep --line-buffered -E '^\[[a-z_0-9]+\] (not )?ok '
guest_rc=${PIPESTATUS[0]}
cp "$CACHE"/last-console.log "$results/console.log" 2>/dev/null

python3 "$TOP/tests/ksft_compare.py" "$results/guest.log" e1000 rust_e1000 |
	tee "$results/table.txt"
rc=${PIPESTATUS[0]}
((guest_rc == 0)) || { echo "guest exited with $guest_rc"; rc=1; }
exit $rc
