#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: measures the in-tree C driver and ours on the same
# emulated NIC in one boot, alternating C, Rust, C, Rust... for several
# rounds: e1000 against rust_e1000 on the first e1000 NIC (the peer the
# virtio-net NIC on the in-tree virtio_net), then virtio_net against
# rust_virtio_net on the virtio-net NIC (the peer the first e1000 on the
# in-tree e1000); prints a table per NIC of medians, spreads and Rust/C
# ratios and writes them as JSON. A second boot, with QEMU's trace log,
# makes the count runs (guest-counts.sh): a fixed amount of work per run
# and what it cost per packet, exactly (register accesses, interrupts,
# virtio kicks and notifications, allocations).
#
# Usage: tests/bench/run.sh [ROUNDS [SECONDS]]   (default 3 rounds of 10 s;
# BENCH_ONLY="NAME..." runs only those measurements, see guest-bench.sh;
# BENCH_COUNTS=only makes only the count runs, BENCH_COUNTS=no only the
# timed ones; BENCH_COUNT_ROUNDS=N count rounds, default 2; COUNT_FRAMES,
# COUNT_TRANSACTIONS and COUNT_BYTES the work of a count run)
# BENCH_NIC="e1000 virtio" (the default) chooses the NICs under test.
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
(cd "$out" && find . \( -name '*.ko' -o -name '*.bpf.o' \) -exec cp --parents {} "$snap" \;)
trap 'rm -rf "$snap"' EXIT
clang"$LLVM_SUFFIX" -O2 -static -Wall -o "$snap/tcp_rr" "$TOP/tests/bench/tcp_rr.c" ||
	die "building tcp_rr failed"

results=$TOP/out/bench
mkdir -p "$results"
log_file=$results/guest.log
guest_snap=$(guest_path "$snap")
counts=${BENCH_COUNTS:-yes} count_rounds=${BENCH_COUNT_ROUNDS:-2}
case "$counts" in yes | only | no) ;; *) die "BENCH_COUNTS is yes, only or no, not '$counts'" ;; esac
# The C and Rust drivers of each NIC under test.
pairs=()
for nic in ${BENCH_NIC:-e1000 virtio}; do
	case "$nic" in
	e1000) pairs+=("e1000 rust_e1000") ;;
	virtio) pairs+=("virtio_net rust_virtio_net") ;;
	*) die "BENCH_NIC names e1000 or virtio, not '$nic'" ;;
	esac
done
((${#pairs[@]})) || die "BENCH_NIC names no NIC"
# guest_cmd SCRIPT ARGS: the guest's command: SCRIPT ARGS DRIVERS for each
# pair of drivers in turn, in one boot; fails if one of them failed.
guest_cmd() {
	local cmd="rc=0;" p
	for p in "${pairs[@]}"; do
		cmd+=" BENCH_ONLY='${BENCH_ONLY:-}' $amounts bash /project/tests/bench/$1 $2 $p || rc=1;"
	done
	echo "$cmd exit \$rc"
}
amounts=
for v in COUNT_FRAMES COUNT_TRANSACTIONS COUNT_BYTES; do
	[ -z "${!v:-}" ] || amounts+="$v=${!v} "
done
: >"$log_file"
if [ "$counts" != only ]; then
	log "benchmarking ${pairs[*]/ / against }: $rounds rounds of ${secs}-second runs"
	# 55 s per run of 10 s: on a loaded 2-core host the virtio-net runs
	# (a rebind and a ping each) took 45 s, and 35 s cut the last off.
	"$TOP/scripts/qemu-run.sh" --timeout $((${#pairs[@]} * rounds * 10 * (secs + 45) + 300)) \
		--cmd "$(guest_cmd guest-bench.sh "$guest_snap $guest_snap/tcp_rr $rounds $secs")" |
		tee "$log_file" | grep --line-buffered '^# round'
	guest_rc=${PIPESTATUS[0]}
	((guest_rc == 0)) || log "the guest exited with $guest_rc; reporting what was measured"
fi
count_log=$results/counts.log
: >"$count_log"
if [ "$counts" != no ]; then
	# Without ioeventfd a virtio kick is an MMIO write that QEMU handles
	# (and traces) at once, which names the device it went to.
	log "counting ${pairs[*]/ / against }: $count_rounds rounds of fixed work"
	RNIC_VIRTIO_NET_PROPS=ioeventfd=off "$TOP/scripts/qemu-run.sh" --trace-log \
		--timeout $((${#pairs[@]} * count_rounds * 600 + 300)) \
		--cmd "$(guest_cmd guest-counts.sh "$guest_snap $guest_snap/tcp_rr $count_rounds")" |
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
