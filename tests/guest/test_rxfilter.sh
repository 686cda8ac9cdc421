# SPDX-License-Identifier: GPL-2.0
# Receive filtering: the promiscuity counter, broadcast, multicast.

FOREIGN=02:00:5e:aa:bb:cc
GROUP=01:00:5e:01:02:03
OTHER_GROUP=01:00:5e:01:02:04

# delivered DST: sends one frame from A to DST and prints the packet type
# B's stack classified it as, or "none" if B's filter dropped it. A
# sentinel frame to B's own address follows it on the wire, so the answer
# does not depend on timing.
delivered() {
	rawframe_probe nsb "$IF_B" nsa "$IF_A" "$1" --sentinel "$(mac nsb "$IF_B")" --until-sentinel --timeout 30 ||
		fail "the sentinel frame to $(mac nsb "$IF_B") never arrived"
	if [ -s /tmp/recv.out ]; then
		awk 'NR == 1 { print $1 }' /tmp/recv.out
	else
		echo none
	fi
}

# promiscuity_is N: whether B's promiscuity count is N.
promiscuity_is() {
	[ "$(promiscuity nsb "$IF_B")" = "$1" ]
}

test_promiscuity_counter_two_sniffers() {
	netpair_quiet
	expect_eq "$(promiscuity nsb "$IF_B")" 0 "promiscuity at start"
	ip netns exec nsb tcpdump -i "$IF_B" -w /dev/null 2>/dev/null &
	one=$!
	wait_until 5 promiscuity_is 1
	ip netns exec nsb tcpdump -i "$IF_B" -w /dev/null 2>/dev/null &
	two=$!
	wait_until 5 promiscuity_is 2
	expect_eq "$(delivered "$FOREIGN")" otherhost "foreign frame with two sniffers"

	kill "$one"
	wait "$one" || true
	wait_until 5 promiscuity_is 1
	expect_eq "$(delivered "$FOREIGN")" otherhost "foreign frame with one sniffer left"

	kill "$two"
	wait "$two" || true
	wait_until 5 promiscuity_is 0
	expect_eq "$(delivered "$FOREIGN")" none "foreign frame with no sniffer"
}

test_foreign_frame_only_when_promiscuous() {
	netpair_quiet
	before=$(stat nsb "$IF_B" rx_filtered)
	expect_eq "$(delivered "$FOREIGN")" none "foreign frame, not promiscuous"
	after=$(stat nsb "$IF_B" rx_filtered)
	expect_eq "$((after - before))" 1 "frames the filter dropped"
	ip -n nsb link set "$IF_B" promisc on
	expect_eq "$(promiscuity nsb "$IF_B")" 1 "promiscuity after 'promisc on'"
	expect_match "$(ip -n nsb link show "$IF_B")" 'PROMISC' "flags after 'promisc on'"
	expect_eq "$(delivered "$FOREIGN")" otherhost "foreign frame, promiscuous"
	ip -n nsb link set "$IF_B" promisc off
	expect_eq "$(delivered "$FOREIGN")" none "foreign frame after 'promisc off'"
}

test_own_and_broadcast_frames() {
	netpair_quiet
	expect_eq "$(delivered "$(mac nsb "$IF_B")")" host "frame to B's address"
	expect_eq "$(delivered ff:ff:ff:ff:ff:ff)" broadcast "broadcast frame"
}

test_multicast_join_and_allmulti() {
	netpair_quiet
	expect_eq "$(delivered "$GROUP")" none "multicast frame before joining"
	ip -n nsb maddr add "$GROUP" dev "$IF_B"
	expect_eq "$(delivered "$GROUP")" multicast "joined multicast frame"
	expect_eq "$(delivered "$OTHER_GROUP")" none "unjoined multicast frame"
	before=$(stat nsb "$IF_B" rx_multicast)
	ip -n nsb link set "$IF_B" allmulticast on
	expect_eq "$(delivered "$OTHER_GROUP")" multicast "unjoined multicast frame, allmulti"
	expect_eq "$(delivered "$FOREIGN")" none "foreign unicast frame, allmulti"
	after=$(stat nsb "$IF_B" rx_multicast)
	expect_eq "$((after - before))" 1 "rx_multicast"
	ip -n nsb link set "$IF_B" allmulticast off
	ip -n nsb maddr del "$GROUP" dev "$IF_B"
	expect_eq "$(delivered "$GROUP")" none "multicast frame after leaving"
}

test_multicast_filter_overflow() {
	netpair_quiet
	# More groups than the 16 filter slots: the end takes all multicast.
	for i in $(seq 10 30); do
		ip -n nsb maddr add "01:00:5e:00:00:$i" dev "$IF_B"
	done
	expect_eq "$(delivered 01:00:5e:00:00:99)" multicast "unjoined group with a full filter"
}

test_short_frame_padded_with_zeroes() {
	netpair_quiet
	short_frame_padded nsa "$IF_A" nsb "$IF_B"
}
