#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make kselftest`: the kernel's network driver selftests with each of our
# drivers as the device under test and, in the same boot, the in-tree C
# driver on the same device (or the C driver's results from the cache,
# when the kernel, guest image, QEMU and tests are those it ran on; see
# reference_key in scripts/common.sh). One guest per NIC (e1000, then
# virtio-net), side by side. Prints one line per case with both results: a
# case fails when C passes it and we do not. The kernel log of our
# driver's run must hold no report; the C driver's reports are shown.
# Ends with "N passed, N failed".
#
# Usage: tests/kselftest.sh   (RNIC_KSFT_NICS="e1000 virtio" by default)
# RNIC_KSFT_TESTS="DIR:PROGRAM ..." runs only those programs (such as
# "drivers/net/hw:pp_alloc_fail.py"), on C too: a filtered run neither
# uses nor stores the cached C results.
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

# The C driver and ours for each NIC.
declare -A c_driver=([e1000]=e1000 [virtio]=virtio_net)
declare -A our_driver=([e1000]=rust_e1000 [virtio]=rust_virtio_net)
read -ra nics <<<"${RNIC_KSFT_NICS:-e1000 virtio}"

# reference NIC: where the C driver's run on NIC is cached (see
# reference_key): its KTAP lines (.log) and its slice of the kernel log.
# Computed once, before the guests start: an edit to one of those files
# while they run must not make the verdict look for another key.
declare -A reference_of
for nic in "${nics[@]}"; do
	reference_of[$nic]=$CACHE/reference/ksft-$nic-$(reference_key "$kdir" "$TOP/tests/guest/kselftest.sh" \
		"$TOP/tests/guest/lib.sh" "$TOP/tests/guest/helpers/virtio.sh" "$ksft/kselftest-list.txt")
done
reference() {
	echo "${reference_of[$1]}"
}

# run_guest NIC: one guest runs the selftests on NIC, on the C driver
# (unless cached) and on ours; its logs go to $results/NIC, its exit
# status to $results/NIC/rc. Prints the KTAP result lines as they come.
run_guest() {
	local nic=$1 c=${c_driver[$1]} ours=${our_driver[$1]} ref drivers dir=$results/$1
	ref=$(reference "$nic")
	drivers="$c $ours"
	if [ -f "$ref.log" ] && [ -f "$ref.dmesg" ] && [ -z "${RNIC_FRESH_REFERENCE:-}${RNIC_KSFT_TESTS:-}" ]; then
		drivers=$ours
		log "$nic: the C $c's results of $(date -r "$ref.log" -u +%FT%RZ), cached: $ref.log"
	fi
	mkdir -p "$dir"
	log "$nic: running the selftests in a guest: $drivers"
	# hw/irq.py sets affinity masks that need three CPUs.
	"$TOP/scripts/qemu-run.sh" --timeout 5400 --smp 3 --ksft "$ksft" --logs "$dir" \
		--cmd "RNIC_KSFT_TESTS='${RNIC_KSFT_TESTS:-}' bash /project/tests/guest/kselftest.sh $guest_snap $nic $drivers; dmesg >/host/dmesg" |
		tee "$dir/guest.log" | grep --line-buffered -E '^\[[a-z_0-9]+\] (not )?ok '
	echo "${PIPESTATUS[0]}" >"$dir/rc"
}

# verdict NIC: compares ours with C on NIC (the cached C run filled in, or
# this run's cached for the next), checks the kernel log of our run, and
# prints the table and "N passed, N failed".
verdict() {
	local nic=$1 c=${c_driver[$1]} ours=${our_driver[$1]} ref dir=$results/$1 klog
	local guest_rc passed failed rc c_splats splats
	ref=$(reference "$nic")
	guest_rc=$(cat "$dir/rc")
	klog=$dir/dmesg
	[ -f "$klog" ] || klog=$dir/console.log
	# The kernel log of each driver's run: the guest marks where each begins.
	slice() { awk -v m="rnic-kselftest: start $1" 'index($0, "rnic-kselftest: start ") { on = index($0, m) > 0 } on' "$klog"; }
	if grep -q "^\[$c\] " "$dir/guest.log"; then
		slice "$c" >"$dir/dmesg.$c"
		if ((guest_rc == 0)) && [ -z "${RNIC_KSFT_TESTS:-}" ]; then
			mkdir -p "$(dirname "$ref")"
			grep "^\[$c\] " "$dir/guest.log" >"$ref.log"
			cp "$dir/dmesg.$c" "$ref.dmesg"
		fi
	else
		cp "$ref.dmesg" "$dir/dmesg.$c"
		cat "$ref.log" >>"$dir/guest.log"
	fi
	slice "$ours" >"$dir/dmesg.$ours"

	echo "# $nic: C $c against $ours"
	python3 "$TOP/tests/ksft_compare.py" "$dir/guest.log" "$c" "$ours" >"$dir/table.txt"
	rc=$?
	head -n -1 "$dir/table.txt"
	read -r passed _ failed _ <<<"$(tail -n1 "$dir/table.txt")"
	((rc == 0 || failed > 0)) || failed=$((failed + 1))
	((guest_rc == 0)) || { echo "not ok - $nic: guest exited with $guest_rc"; failed=$((failed + 1)); }

	# A report in the kernel log during our driver's run fails it; the C
	# driver's are shown for comparison.
	c_splats=$(kernel_splats "$dir/dmesg.$c")
	[ -z "$c_splats" ] || printf '# kernel log during the C %s run (not ours):\n%s\n' "$c" "$(sed 's/^/#    /' <<<"$c_splats")"
	splats=$(kernel_splats "$dir/dmesg.$ours")
	if [ -n "$splats" ]; then
		printf 'not ok - kernel log of the %s run is clean\n%s\n' "$ours" "$(sed 's/^/    /' <<<"$splats")"
		failed=$((failed + 1))
	elif [ ! -s "$dir/dmesg.$ours" ]; then
		echo "not ok - kernel log of the $ours run is clean: no log of that run"
		failed=$((failed + 1))
	else
		echo "ok - kernel log of the $ours run is clean"
		passed=$((passed + 1))
	fi
	echo "$passed passed, $failed failed"
}

for nic in "${nics[@]}"; do
	run_guest "$nic" &
done
wait
passed=0 failed=0
for nic in "${nics[@]}"; do
	verdict "$nic" | tee "$results/$nic/verdict"
	read -r p _ f _ <<<"$(tail -n1 "$results/$nic/verdict")"
	passed=$((passed + p)) failed=$((failed + f))
done
echo "$passed passed, $failed failed"
((failed == 0))
