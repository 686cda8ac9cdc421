# SPDX-License-Identifier: GPL-2.0
# The KUnit suites of tests/kunit (the netdev layer, the e1000's adaptive
# interrupt rate), run by loading their module.

test_netdev_layer_kunit_suite() {
	ko=$RNIC_OUT/tests/kunit/rnic_netdev_kunit.ko
	rmmod rnic_netdev_kunit 2>/dev/null || true
	# Mark the log instead of clearing it: the host scans all of it.
	marker="rnic: KUnit run $$ $RANDOM"
	echo "$marker" >/dev/kmsg
	insmod "$ko"
	log=$(dmesg | sed -n "/$marker/,\$p")
	rmmod rnic_netdev_kunit
	grep -E '^\s*not ok ' <<<"$log" | sed 's/^/    /' >&2 || true
	# Each suite with the fewest cases it has.
	for suite in rnic_netdev:11 rnic_napi_guards:2 rnic_page_pool:3 rnic_e1000_itr:5; do
		name=${suite%:*}
		summary=$(grep -o "# $name: pass:[0-9]* fail:[0-9]* skip:[0-9]* total:[0-9]*" <<<"$log") ||
			fail "no KUnit summary for $name in the kernel log (CONFIG_KUNIT=y?)"
		expect_match "$summary" 'fail:0 ' "KUnit result ($summary)"
		total=$(sed 's/.*total:\([0-9]*\)/\1/' <<<"$summary")
		[ "$total" -ge "${suite#*:}" ] || fail "only $total KUnit cases ran in $name"
	done
}
