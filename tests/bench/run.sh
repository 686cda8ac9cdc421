#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: measures the in-tree C e1000 driver and ours on the same
# emulated NIC in one boot, alternating C, Rust, C, Rust... for several
# rounds, against a virtio-net peer on the in-tree driver; prints a table
# of medians, spreads and Rust/C ratios and writes it as JSON. A second
# boot, with QEMU's trace log, makes the count runs (guest-counts.sh): a
# fixed amount of work per run and what it cost per packet, exactly
# (register accesses, interrupts, kicks, allocations).
#
# Usage: tests/bench/run.sh [ROUNDS [SECONDS]]   (default 3 rounds of 10 s;
# BENCH_ONLY="NAME..." runs only those measurements, see guest-bench.sh;
# BENCH_COUNTS=only makes only the count runs, BENCH_COUNTS=no only the
# timed ones; BENCH_COUNT_ROUNDS=N count rounds, default 2; COUNT_FRAMES,
# COUNT_TRANSACTIONS and COUNT_BYTES the work of a count run)
# A benchmark, not a test: it never fails on speed.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
source "$TOP/scripts/common.sh"
set +e

rounds=${1:-3} secs=${2:-10}
out=$("$TOP/scripts/build-modules.sh") || die "module build failed"
guest_path "$out" >/dev/null || exit 1
kdir=$("$TOP/scripts/build-kernel.sh") || die "kernel build failed"
snap=$(mktemp -d "$(dirname "$out")/.bench-XXXXXX")
(cd "$out" && find . -name '*.ko' -exec cp --parents {} "$snap" \;)
trap 'rm -rf "$snap"' EXIT
clang"$LLVM_SUFFIX" -O2 -static -Wall -o "$snap/tcp_rr" "$TOP/tests/bench/tcp_rr.c" ||
	die "building tcp_rr failed"

results=$TOP/out/bench
mkdir -p "$results"
log_file=$results/guest.log
guest_snap=$(guest_path "$snap")
counts=${BENCH_COUNTS:-yes} count_rounds=${BENCH_COUNT_ROUNDS:-2}
case "$counts" in yes | only | no) ;; *) die "BENCH_COUNTS is yes, only or no, not '$counts'" ;; esac
: >"$log_file"
if [ "$counts" != only ]; then
	log "benchmarking e1000 (C) and rust_e1000: $rounds rounds of ${secs}-second runs"
	"$TOP/scripts/qemu-run.sh" --timeout $((rounds * 10 * (secs + 25) + 300)) \
		--cmd "BENCH_ONLY='${BENCH_ONLY:-}' bash /project/tests/bench/guest-bench.sh $guest_snap $guest_snap/tcp_rr $rounds $secs e1000 rust_e1000" |
		tee "$log_file" | grep --line-buffered '^# round'
	guest_rc=${PIPESTATUS[0]}
	((guest_rc == 0)) || log "the guest exited with $guest_rc; reporting what was measured"
fi
count_log=$results/counts.log
: >"$count_log"
if [ "$counts" != no ]; then
	# Without ioeventfd a virtio kick is an MMIO write that QEMU handles
	# (and traces) at once, which names the device it went to.
	amounts=
	for v in COUNT_FRAMES COUNT_TRANSACTIONS COUNT_BYTES; do
		[ -z "${!v:-}" ] || amounts+="$v=${!v} "
	done
	log "counting e1000 (C) and rust_e1000: $count_rounds rounds of fixed work"
	RNIC_VIRTIO_NET_PROPS=ioeventfd=off "$TOP/scripts/qemu-run.sh" --trace-log \
		--timeout $((count_rounds * 600 + 300)) \
		--cmd "BENCH_ONLY='${BENCH_ONLY:-}' $amounts bash /project/tests/bench/guest-counts.sh $guest_snap $guest_snap/tcp_rr $count_rounds e1000 rust_e1000" |
		tee "$count_log" | grep --line-buffered '^# count'
	guest_rc=${PIPESTATUS[0]}
	((guest_rc == 0)) || log "the count guest exited with $guest_rc; reporting what was counted"
fi

accel=$(cat "$CACHE"/accel-"$(qemu-system-x86_64 --version | head -n1 | tr -cd '0-9.')" 2>/dev/null)
python3 "$TOP/tests/bench/report.py" "$log_file" --counts "$count_log" \
	--json "$results/results.json" \
	--markdown "$results/results.md" \
	--meta accel="${accel:-unknown}" \
	--meta qemu="$(qemu-system-x86_64 --version | head -n1)" \
	--meta kernel="$(make -s -C "$kdir" kernelversion 2>/dev/null)" \
	--meta revision="$(git -C "$TOP" describe --always --dirty 2>/dev/null)" \
	--meta rounds="$rounds" --meta seconds="$secs" \
	--meta vcpus=2 --meta date="$(date -u +%Y-%m-%dT%H:%MZ)"
