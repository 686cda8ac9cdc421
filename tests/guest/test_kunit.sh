# SPDX-License-Identifier: GPL-2.0
# The netdev layer's KUnit suite (tests/kunit), run by loading its module.

test_netdev_layer_kunit_suite() {
	ko=$RNIC_OUT/tests/kunit/rnic_netdev_kunit.ko
	rmmod rnic_netdev_kunit 2>/dev/null || true
	# Mark the log instead of clearing it: the host scans all of it.
	marker="rnic: KUnit run $$ $RANDOM"
	echo "$marker" >/dev/kmsg
	insmod "$ko"
	log=$(dmesg | sed -n "/$marker/,\$p")
	rmmod rnic_netdev_kunit
	summary=$(grep -o '# rnic_netdev: pass:[0-9]* fail:[0-9]* skip:[0-9]* total:[0-9]*' <<<"$log") ||
		fail "no KUnit summary for rnic_netdev in the kernel log (CONFIG_KUNIT=y?)"
	grep -E '^\s*not ok ' <<<"$log" | sed 's/^/    /' >&2 || true
	expect_match "$summary" 'fail:0 ' "KUnit result ($summary)"
	total=$(sed 's/.*total:\([0-9]*\)/\1/' <<<"$summary")
	[ "$total" -ge 9 ] || fail "only $total KUnit cases ran"
}
