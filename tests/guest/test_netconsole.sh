# SPDX-License-Identifier: GPL-2.0
# netconsole on the e1000 while it carries a flood: netpoll calls the
# driver's start_xmit and a budget-0 NAPI poll with interrupts off, beside
# the ordinary paths. Every line must reach the peer and the device must
# carry traffic afterwards; the host fails the run on any kernel report
# (on the debug kernel, lockdep sees bottom-half locks taken with
# interrupts off). Also runs on the in-tree C e1000 for comparison.

REFERENCE_DRIVERS="e1000"
DRV=${E1000_DRIVER:-rust_e1000}
# netconsole_bed, netconsole_on, netconsole_lines_under_flood.
source "$HELPERS/netconsole.sh"

test_netconsole_under_a_flood() {
	unbind_all
	IF_A=$(bind "$(pci_by_mac "$MAC_E1000_A")" "$DRV")
	IF_B=$(bind "$(pci_by_mac "$MAC_VIRTIO")" virtio_net)
	netconsole_bed "$IF_A" "$ADDR_A" nsb "$IF_B" "$ADDR_B"
	netconsole_on 6666
	netconsole_lines_under_flood 200
}
