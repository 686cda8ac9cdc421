#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# scripts/host-agent.py lets the guest run only the monitor commands it
# lists: hotplug of the prepared NICs, and for a virtio-net-pci only the
# device variants' properties, each once, with values it checks.
source "$(dirname "$0")/lib.sh"

# allowed COMMAND: whether the agent would run COMMAND on the monitor.
allowed() {
	python3 -c '
import importlib.util, sys
sys.path.insert(0, sys.argv[1])
spec = importlib.util.spec_from_file_location("agent", sys.argv[1] + "/host-agent.py")
agent = importlib.util.module_from_spec(spec)
spec.loader.exec_module(agent)
sys.exit(0 if agent.allowed(sys.argv[2]) else 1)' "$TOP/scripts" "$1"
}

refused() { ! allowed "$1"; }

add="device_add virtio-net-pci,id=hpnic2,bus=hp2,netdev=hpnet2,mac=52:54:00:12:34:12,romfile="
for props in "" ,packed=on ,mrg_rxbuf=off ,host_mtu=9000 ,host_mtu=68 ,host_mtu=65535 \
	,speed=10000,duplex=full ,status=off ,rx_queue_size=1024 ,ctrl_vq=off \
	,ctrl_vq=off,ctrl_rx=off,ctrl_vlan=off,guest_announce=off,ctrl_mac_addr=off; do
	check "virtio-net-pci variant '$props' allowed" allowed "$add$props"
done
for props in ,host_mtu=67 ,host_mtu=65536 ,host_mtu=09000 ,rx_queue_size=2048 ,packed=off \
	,packed=on,packed=on ,netdev=p1 ,addr=0x3 ,x-txburst=1 ,speed=-1 ",packed=on quit" \
	",packed=on;quit" ",mrg_rxbuf=off,"; do
	check "virtio-net-pci variant '$props' refused" refused "$add$props"
done
check "e1000 plug allowed" allowed \
	"device_add e1000,id=hpnic1,bus=hp1,netdev=hpnet1,mac=52:54:00:12:34:11,romfile="
check "e1000 with a virtio property refused" refused \
	"device_add e1000,id=hpnic1,bus=hp1,netdev=hpnet1,mac=52:54:00:12:34:11,romfile=,packed=on"
check "a NIC on another port's netdev refused" refused \
	"device_add virtio-net-pci,id=hpnic1,bus=hp1,netdev=hpnet2,mac=52:54:00:12:34:11,romfile="
check "device_del of a hotplugged NIC allowed" allowed "device_del hpnic2"
check "device_del of another device refused" refused "device_del hp2"
check "quit refused" refused "quit"
