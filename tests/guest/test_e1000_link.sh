# SPDX-License-Identifier: GPL-2.0
# The e1000's link settings, flow control and PHY registers, set the ways a
# user sets them (ethtool -s / -A / -r, mii-tool and the MII ioctls), on
# QEMU's 82540EM against a virtio-net peer on the in-tree driver. Each test
# runs the same steps on the in-tree C e1000 and on ours and compares every
# row (versus_c): what ethtool reports, the errors it gets, and what each
# driver wrote into the device (the PHY's registers through SIOCGMIIREG,
# the MAC's CTRL through BAR 0).

# Each test runs C itself (versus_c): no reference run.
REFERENCE_DRIVERS=""
DRV=${E1000_DRIVER:-rust_e1000}
# versus_c.
source "$HELPERS/bad_input.sh"

# CTRL bits that carry link and flow-control settings: ASDE, SLU, FRCSPD,
# FRCDPX, RFCE, TFCE; SPEED and FD count only while forced (FRCSPD, FRCDPX).
# QEMU keeps the MAC's and the PHY's registers across resets and drivers,
# so bits nobody uses stay as the last writer left them.
CTRL_LINK_BITS=0x18001860
CTRL_FRCSPD=0x800 CTRL_SPEED=0x300 CTRL_FRCDPX=0x1000 CTRL_FD=0x1

# link_state: the settings a user and the device see, on one line: `ethtool`
# (the interface's name taken out, and the crossover found while it is
# automatic: C reports a reading its watchdog takes 2 s after the link
# comes up, "on" if that reading found no link, ours reads the PHY), `ethtool -a`, PHY registers 0 (BMCR), 4
# (advertisement), 9 (1000BASE-T control) and 0x10 (M88 specific control),
# and CTRL's link bits. On an interface that is up, waits for the link first
# (up to 10 s; C reports the carrier once its watchdog has resolved flow
# control, ours resolves it right after), then 1 s more.
link_state() {
	local ctrl
	if ip -n nsa -o link show "$IF_A" | grep -q '[<,]UP[,>]'; then
		wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier" ||
			fail "no link after the step ($DRV)"
	fi
	sleep 1
	ctrl=$(python3 -S "$HELPERS/pcireg.py" "$BDF_A" 0)
	local bits=$CTRL_LINK_BITS
	((ctrl & CTRL_FRCSPD)) && bits=$((bits | CTRL_SPEED))
	((ctrl & CTRL_FRCDPX)) && bits=$((bits | CTRL_FD))
	printf '%s | pause %s | %s | CTRL %#010x' \
		"$(ip netns exec nsa ethtool "$IF_A" | sed 1d | sed -E 's/MDI-X: (on|off) \(auto\)/MDI-X: (auto)/' |
			tr -s ' \t\n' ' ')" \
		"$(ip netns exec nsa ethtool -a "$IF_A" | sed 1d | tr -s ' \t\n' ' ')" \
		"$(ip netns exec nsa python3 -S "$HELPERS/ifioctl.py" "$IF_A" miireg=0 miireg=4 miireg=9 miireg=0x10 | tr '\n' ' ')" \
		$((ctrl & bits))
}

# restore_phy: what the rows functions begin and end with, so that each
# driver starts from the PHY as QEMU starts it, whatever earlier tests (a
# self-test's loopback) left: the M88 specific control register's reset
# value, and auto-negotiation on (the driver then sets the link up again).
restore_phy() {
	ip netns exec nsa python3 -S "$HELPERS/ifioctl.py" "$IF_A" miiset=0x10:0x0360 miiset=0:0x1140 >/dev/null
	wait_until 10 "ip netns exec nsa grep -qx 1 /sys/class/net/$IF_A/carrier" ||
		fail "no link after restoring the PHY ($DRV)"
}

# link_row STEP CMD...: runs CMD in nsa and prints "# link DRV | STEP |
# output | exit N | state after", the interface's name taken out.
link_row() {
	local step=$1 out rc=0 state
	shift
	out=$(ip netns exec nsa "$@" 2>&1) || rc=$?
	state=$(link_state)
	echo "# link $DRV | $step | $(tr '\n' ' ' <<<"${out:-(no message)}")| exit $rc | $state" |
		sed "s/$IF_A/IFACE/g"
}

# link_settings_rows DRIVER: `ethtool -s` and `-r` on the first e1000 under
# DRIVER, one row per step (the sequence a user might type, each step from
# where the one before left the device), and traffic at the end.
link_settings_rows() {
	local DRV=$1
	e1000_bed "$1"
	restore_phy
	link_row "bound, the PHY at QEMU's values" true
	link_row "speed 100 full, autoneg off" ethtool -s "$IF_A" speed 100 duplex full autoneg off
	link_row "restart autoneg while forced" ethtool -r "$IF_A"
	link_row "speed 10 half, autoneg off" ethtool -s "$IF_A" speed 10 duplex half autoneg off
	link_row "speed 1000 half: refused" ethtool -s "$IF_A" speed 1000 duplex half autoneg off
	link_row "speed 12345: refused" ethtool -s "$IF_A" speed 12345 duplex full autoneg off
	link_row "speed 1000 full, autoneg off" ethtool -s "$IF_A" speed 1000 duplex full autoneg off
	link_row "mdix on with autoneg off: refused" ethtool -s "$IF_A" mdix on autoneg off
	link_row "autoneg on, advertise 100 full" ethtool -s "$IF_A" autoneg on advertise 0x008
	link_row "mdix on" ethtool -s "$IF_A" mdix on
	link_row "mdix off" ethtool -s "$IF_A" mdix off
	link_row "mdix auto" ethtool -s "$IF_A" mdix auto
	link_row "advertise 1000 half only" ethtool -s "$IF_A" autoneg on advertise 0x010
	ip -n nsa link set "$IF_A" down
	link_row "speed 100 half while down" ethtool -s "$IF_A" speed 100 duplex half autoneg off
	link_row "restart autoneg while down" ethtool -r "$IF_A"
	ip -n nsa link set "$IF_A" up
	link_row "up again" true
	link_row "autoneg on, all modes" ethtool -s "$IF_A" autoneg on advertise 0x02f
	ping_peer "after the link settings"
	link_row "speed 1000 half from autoneg: refused" ethtool -s "$IF_A" speed 1000 duplex half autoneg off
	restore_phy
}

# Link settings (ethtool -s, -r) as C accepts, refuses and applies them. A
# refused forced speed leaves C's auto-negotiation reported off (its
# e1000_set_spd_dplx clears the flag before it checks): ours changes
# nothing (Documentation/e1000.rst), so that row is left out.
test_link_settings_as_c() {
	versus_c link_settings_rows e1000 "$DRV" "speed 1000 half from autoneg: refused"
}

# pause_rows DRIVER: `ethtool -A` on the first e1000 under DRIVER, with and
# without auto-negotiation of the link and of flow control.
pause_rows() {
	local DRV=$1
	e1000_bed "$1"
	restore_phy
	link_row "bound, the PHY at QEMU's values" true
	link_row "autoneg off, rx off tx off" ethtool -A "$IF_A" autoneg off rx off tx off
	link_row "rx on tx on" ethtool -A "$IF_A" rx on tx on
	link_row "rx on tx off" ethtool -A "$IF_A" rx on tx off
	link_row "autoneg on, rx off tx on" ethtool -A "$IF_A" autoneg on rx off tx on
	link_row "autoneg on, rx on tx on" ethtool -A "$IF_A" autoneg on rx on tx on
	link_row "autoneg on, rx off tx off" ethtool -A "$IF_A" autoneg on rx off tx off
	link_row "link forced, rx on tx on" sh -c "ethtool -s $IF_A speed 100 duplex full autoneg off && ethtool -A $IF_A autoneg off rx on tx on"
	link_row "link negotiated again" ethtool -s "$IF_A" autoneg on advertise 0x02f
	ip -n nsa link set "$IF_A" down
	link_row "rx on tx on while down" ethtool -A "$IF_A" autoneg on rx on tx on
	ip -n nsa link set "$IF_A" up
	link_row "up again" true
	ping_peer "after the pause settings"
	restore_phy
}

# Flow control (ethtool -A) as C sets and reports it.
test_pause_settings_as_c() {
	versus_c pause_rows e1000 "$DRV"
}

# mii_rows DRIVER: the MII ioctls on the first e1000 under DRIVER, through
# mii-tool and raw SIOCSMIIREG: the PHY's address and registers, forcing a
# speed, restarting and re-enabling auto-negotiation, writing the PHY's
# specific control register, and a register number out of range.
mii_rows() {
	local DRV=$1
	e1000_bed "$1"
	restore_phy
	link_row "mii-tool -v" mii-tool -v "$IF_A"
	link_row "mii-tool -F 100baseTx-FD" mii-tool -F 100baseTx-FD "$IF_A"
	link_row "mii-tool -F 10baseT-HD" mii-tool -F 10baseT-HD "$IF_A"
	link_row "mii-tool -r" mii-tool -r "$IF_A"
	link_row "mii-tool -A 100baseTx-FD" mii-tool -A 100baseTx-FD "$IF_A"
	link_row "SIOCSMIIREG 0x10" python3 -S "$HELPERS/ifioctl.py" "$IF_A" miiset=0x10:0x0068
	link_row "SIOCSMIIREG 32: refused" python3 -S "$HELPERS/ifioctl.py" "$IF_A" miiset=32:0 miireg=32
	link_row "SIOCSMIIREG 0 (autoneg on, restart)" python3 -S "$HELPERS/ifioctl.py" "$IF_A" miiset=0:0x1340
	link_row "mii-tool -v again" mii-tool -v "$IF_A"
	ping_peer "after the MII writes"
	restore_phy
}

# The MII ioctls (mii-tool) as C answers and applies them.
test_mii_ioctls_as_c() {
	versus_c mii_rows e1000 "$DRV"
}

# ping_peer WHAT: the link carries traffic again.
ping_peer() {
	wait_until 10 "ip netns exec nsa ping -c 1 -W 1 $ADDR_B >/dev/null" ||
		fail "no ping $1 ($DRV)"
}
