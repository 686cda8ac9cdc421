# SPDX-License-Identifier: GPL-2.0
# Bad input, one table: knobs a user can turn, given values out of range
# or malformed. Each must be refused with an error message (ethtool's or
# ip's wording of the errno) and leave the device as it was: settings,
# address, carrier and traffic. Every case prints a row,
# "# bad-input DRIVER | CASE | MESSAGE | exit N", for ours and, in the
# reference run, for C: Documentation/reliability.rst collects them.

REFERENCE_DRIVERS="e1000"
DRV=${E1000_DRIVER:-rust_e1000}
# kept_as_it_was, many_groups.
source "$HELPERS/bad_input.sh"

# refused CASE ERROR COMMAND...: COMMAND, run in nsa, must fail with a
# message matching ERROR (an extended regular expression, any case).
refused() {
	local what=$1 want=$2 out rc
	shift 2
	out=$(ip netns exec nsa "$@" 2>&1) && rc=0 || rc=$?
	echo "# bad-input $DRV | $what | $(tr '\n' ' ' <<<"${out:-(no message)}")| exit $rc"
	((rc != 0)) || fail "$what: accepted"
	grep -qiE "$want" <<<"$out" || fail "$what: '$out', wanted /$want/"
}

# intact: the device kept its MTU, address, ring sizes, carrier and
# traffic.
intact() {
	kept_as_it_was nsa "$IF_A" "$MAC_E1000_A" "$ADDR_B"
}

test_bad_link_settings() {
	e1000_bed
	refused "mtu 45 (minimum 46, as C)" 'less than|invalid' ip link set "$IF_A" mtu 45
	refused "mtu 65536" 'greater than|invalid|out of range' ip link set "$IF_A" mtu 65536
	refused "mtu 16111 (maximum 16110)" 'greater than|invalid' ip link set "$IF_A" mtu 16111
	refused "address zero" 'cannot assign|not available' \
		ip link set "$IF_A" address 00:00:00:00:00:00
	refused "address multicast" 'cannot assign|not available' \
		ip link set "$IF_A" address 01:00:5e:00:00:01
	intact
}

# C raises a ring size below 48 to 48 without a word, where ours refuses
# it (Documentation/e1000.rst): C's run fails the "-G rx 0" row, the last.
test_bad_ring_and_coalescing() {
	e1000_bed
	refused "-G rx 4097 (maximum 4096)" 'invalid|exceeds|out of range' ethtool -G "$IF_A" rx 4097
	refused "-G tx 5000" 'invalid|exceeds|out of range' ethtool -G "$IF_A" tx 5000
	refused "-C rx-usecs 10001" 'invalid|not supported' ethtool -C "$IF_A" rx-usecs 10001
	refused "-C rx-usecs 5" 'invalid|not supported' ethtool -C "$IF_A" rx-usecs 5
	refused "-G rx 0" 'invalid' ethtool -G "$IF_A" rx 0
	intact
}

test_bad_channels_eeprom_link() {
	e1000_bed
	refused "-L combined 0" 'invalid|zero|too low|not supported' ethtool -L "$IF_A" combined 0
	refused "-L combined 2 (maximum 1)" 'invalid|exceeds|out of range|not supported' \
		ethtool -L "$IF_A" combined 2
	# ethtool itself answers this one, for both drivers, with ENOMEM.
	refused "-e offset 200 (128-byte EEPROM)" 'invalid|out of bounds|range|cannot allocate' \
		ethtool -e "$IF_A" offset 200 length 4
	refused "-E with a wrong magic" 'bad address|not supported|invalid' \
		ethtool -E "$IF_A" magic 0x12345678 offset 0 value 0
	refused "-s speed 12345" 'invalid|not supported' \
		ethtool -s "$IF_A" speed 12345 duplex full autoneg off
	intact
}

# features_and_netlink DRIVER: the -K and malformed netlink rows on a bed
# with DRIVER; then the device must be as it was.
features_and_netlink() {
	e1000_bed "$1"
	DRV=$1 features_and_netlink_rows nsa "$IF_A" "$MAC_E1000_A"
	intact
}

# Contradicting or fixed features (-K) and malformed netlink requests:
# every row as C answers it, but the channel count: C has no channel
# operations (EOPNOTSUPP), ours reports its one queue pair, so the core
# refuses more (as for "-L combined 2" above).
test_features_and_netlink_as_c() {
	versus_c features_and_netlink e1000 "$DRV" "ethtool: channels, .*"
}

# rx-mode with 4,096 multicast groups, joined and left at once: far more
# than the 82540EM's 16 exact-address entries, so nearly all go to its
# 4,096-bit hash table (Documentation/e1000.rst).
test_4096_multicast_groups() {
	e1000_bed
	ip netns exec nsa sysctl -qw "net.ipv6.conf.$IF_A.disable_ipv6=1"
	many_groups nsa "$IF_A" nsb "$IF_B" 4096
	intact
}
