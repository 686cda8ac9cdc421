#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs the kernel's network driver selftests in the guest, once per driver
# named, on one NIC of QEMU's hub: the device under test (NETIF) in the
# initial namespace, the other kind of NIC on its in-tree C driver as the
# peer in namespace ns-remote (REMOTE_TYPE=netns, as the netdev CI runs
# them). NIC "e1000": the first e1000 under test, the virtio-net NIC the
# peer; NIC "virtio": the virtio-net NIC under test, the first e1000 the
# peer. Each line of a driver's KTAP output is printed prefixed with
# "[DRIVER] ".
#
# Usage: kselftest.sh RNIC_OUT NIC DRIVER...

export RNIC_OUT=$1 nic=$2
shift 2
cd /project/tests/guest || exit 1
source ./lib.sh
# virtio_bind.
source "$HELPERS/virtio.sh"

# drivers/net and drivers/net/hw, but gro.py (hundreds of cases, most of
# an hour under TCG) and the forwarding-style scripts that want two local
# ports; plus net/netdevice.sh.
programs=(
	drivers/net:{ping,stats,queues,napi_id,napi_threaded,ring_reconfig,netpoll_basic}.py
	drivers/net:{hds,shaper,macsec,psp,so_txtime,xdp}.py
	drivers/net/hw:{csum,irq,tso,uso,rss_api,rss_ctx,rss_drv,rss_flow_label,rss_input_xfrm}.py
	drivers/net/hw:{toeplitz,nic_timestamp,pp_alloc_fail,ntuple,gro_hw,xdp_metadata}.py
	drivers/net/hw:{xsk_reconfig,devmem,iou-zcrx,ipsec_vxlan,nk_netns,nk_devmem,nk_qlease}.py
	drivers/net/hw:{userns_devmem,devlink_port_split,devlink_rate_tc_bw}.py
	drivers/net/hw:{ethtool_rmon,ethtool_std_stats}.sh
	net:netdevice.sh
)
# A filtered run (tests/kselftest.sh, RNIC_KSFT_TESTS): those programs only.
[ -z "${RNIC_KSFT_TESTS:-}" ] || read -ra programs <<<"$RNIC_KSFT_TESTS"
args=()
for p in "${programs[@]}"; do
	args+=(-t "$p")
done

rm -rf /tmp/ksft
cp -a /ksft /tmp/ksft
for drv in "$@"; do
	unbind_all
	ip netns del ns-remote 2>/dev/null
	if [ "$nic" = virtio ]; then
		local_if=$(virtio_bind "$drv")
		remote_if=$(bind "$(pci_by_mac "$MAC_E1000_A")" e1000)
	else
		local_if=$(bind "$(pci_by_mac "$MAC_E1000_A")" "$drv")
		remote_if=$(bind "$(pci_by_mac "$MAC_VIRTIO")" virtio_net)
	fi
	ip netns add ns-remote
	ip link set "$remote_if" netns ns-remote
	ip -n ns-remote link set lo up
	sysctl -qw "net.ipv6.conf.$local_if.keep_addr_on_down=1"
	ip addr add 192.0.2.1/24 dev "$local_if"
	ip addr add 2001:db8:1::1/64 dev "$local_if" nodad
	ip -n ns-remote addr add 192.0.2.2/24 dev "$remote_if"
	ip -n ns-remote addr add 2001:db8:1::2/64 dev "$remote_if" nodad
	ip link set "$local_if" up
	ip -n ns-remote link set "$remote_if" up
	wait_until 10 "grep -qx 1 /sys/class/net/$local_if/carrier" ||
		echo "# $drv: no carrier on $local_if"
	# ping.py's first ping waits 0.5 s for its answer, which on a busy
	# host is too short to resolve the neighbour as well: resolve it first.
	for peer in 192.0.2.2 2001:db8:1::2; do
		for _ in 1 2 3 4 5; do
			ping -c 1 -W 2 "$peer" >/dev/null 2>&1 && break
		done
	done
	echo "[$drv] # NETIF=$local_if, peer $remote_if in ns-remote"
	# tests/kselftest.sh cuts the kernel log at these marks, per driver.
	echo "rnic-kselftest: start $drv" >/dev/kmsg
	(
		cd /tmp/ksft || exit 1
		export NETIF=$local_if LOCAL_V4=192.0.2.1 REMOTE_V4=192.0.2.2 \
			LOCAL_V6=2001:db8:1::1 REMOTE_V6=2001:db8:1::2 \
			REMOTE_TYPE=netns REMOTE_ARGS=ns-remote KSFT_MACHINE_SLOW=yes
		./run_kselftest.sh -o 300 "${args[@]}"
	) 2>&1 | sed -u "s/^/[$drv] /"
done
unbind_all
ip netns del ns-remote 2>/dev/null
exit 0
