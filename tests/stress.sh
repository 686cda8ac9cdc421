#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make stress`: the chaos soak (tests/guest/stress/soak.sh) in one guest,
# on our drivers and on the in-tree C drivers as reference, one after the
# other: traffic both ways while seeded random actions change and read the
# device (link, MTU, rings, coalescing, channels, features, promiscuity,
# multicast, ethtool reads and self-tests, module reloads, and a move to
# the initial namespace with netconsole logging through the device). Prints the seed, one line
# per check, the C driver's results as "# reference" lines, and
# "N passed, N failed" over our checks and our part of the kernel log;
# exits non-zero on any failure.
#
# Environment: STRESS_SECONDS (soak per driver, default 90), STRESS_SEED
# (default: random, printed; the same seed replays the same actions),
# STRESS_DRIVERS (default "rust_e1000 e1000 rust_virtio_net virtio_net"),
# STRESS_ACTIONS (default: all of tests/guest/stress/chaos.sh's; names
# from its CHAOS_ACTIONS, to draw from those alone).
# The whole run is bounded at 20 minutes: a STRESS_SECONDS that does not
# fit (with about 150 s of set-up and checks per driver under TCG on a
# busy 2-core host) is refused.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
source "$TOP/scripts/common.sh"
set +e

secs=${STRESS_SECONDS:-90}
seed=${STRESS_SEED:-$((RANDOM * 32768 + RANDOM))}
read -r -a drivers <<<"${STRESS_DRIVERS:-rust_e1000 e1000 rust_virtio_net virtio_net}"
limit=1200
per_driver=150
[[ "$secs" =~ ^[0-9]+$ ]] && ((secs > 0)) || die "STRESS_SECONDS must be a number of seconds"
((${#drivers[@]} * (secs + per_driver) <= limit - 60)) ||
	die "STRESS_SECONDS=$secs for ${#drivers[@]} drivers does not fit in ${limit}s; at most $(((limit - 60) / ${#drivers[@]} - per_driver))"

out=$("$TOP/scripts/build-modules.sh") || die "module build failed"
guest_path "$out" >/dev/null || exit 1
"$TOP/scripts/build-kernel.sh" >/dev/null || die "kernel build failed"
"$TOP/scripts/build-guest.sh" >/dev/null || die "guest image build failed"
snap=$(mktemp -d "$(dirname "$out")/.stress-XXXXXX")
(cd "$out" && find . -name '*.ko' -exec cp --parents {} "$snap" \;)
work=$TOP/out/stress
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$snap"' EXIT

log "chaos soak: seed $seed, ${secs}s per driver: ${drivers[*]} (replay: STRESS_SEED=$seed)"
"$TOP/scripts/qemu-run.sh" --timeout "$limit" --logs "$work" \
	--cmd "STRESS_ACTIONS='${STRESS_ACTIONS:-}' bash /project/tests/guest/stress/soak.sh $(guest_path "$snap") $secs $seed ${drivers[*]}; dmesg >/host/dmesg" |
	tee "$work/output"

passed=$(grep -c '^ok ' "$work/output")
failed=$(grep -c '^not ok ' "$work/output")
if ! grep -q '^# stress done' "$work/output"; then
	echo "not ok - the guest did not finish the soak"
	failed=$((failed + 1))
fi

# Our part of the kernel log (before a "rnic-suite: reference" mark, or
# after an "ours" one) must be clean; the C drivers' reports are listed.
klog=$work/dmesg
[ -s "$klog" ] || klog=$work/console.log
part() { awk -v want="$1" '/rnic-suite: reference / { ref = 1 } /rnic-suite: ours / { ref = 0 } (ref == want)' "$klog"; }
c_splats=$(part 1 | kernel_splats)
splats=$(part 0 | kernel_splats)
if [ -n "$c_splats" ]; then
	echo "# kernel log during the C drivers' soak (not ours):"
	printf '#    %s\n' "$c_splats"
fi
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
