#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The guest's init, started by the image's boot stub (scripts/guest-stub.sh)
# with /proc, /sys, /project (this tree, read-only) and /host (the run
# directory shared with scripts/qemu-run.sh) mounted.
#
# /host/mode says what to do: "probe" (prove the boot works and stop),
# "cmd" (run /host/cmd, output to /host/output, exit code to /host/status)
# or "shell" (interactive shell on the console).

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=${TERM:-linux} LANG=C.UTF-8

mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t configfs configfs /sys/kernel/config 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t 9p -o trans=virtio,version=9p2000.L,ro kmods /lib/modules
# The kernel source: netlink specs and tools (ynl), selftests.
mkdir -p /ksrc
mount -t 9p -o trans=virtio,version=9p2000.L,ro ksrc /ksrc
# Installed kernel selftests, when the host shares them (qemu-run.sh --ksft).
mkdir -p /ksft
mount -t 9p -o trans=virtio,version=9p2000.L,ro ksft /ksft 2>/dev/null || rmdir /ksft
hostname rnic-guest
ip link set lo up
mkdir -p /var/run/netns

power_off() {
	sync
	echo o >/proc/sysrq-trigger
	sleep 5
	echo b >/proc/sysrq-trigger
}

mode=$(cat /host/mode)
if [ "$mode" = probe ]; then
	echo 0 >/host/status
	power_off
fi

# Modules requested by the host, as paths under the project tree.
while read -r ko; do
	[ -n "$ko" ] || continue
	if ! insmod "/project/$ko"; then
		echo "rnic-init: insmod $ko failed" >&2
	fi
done </host/insmod

cd /project || exit 1
if [ "$mode" = shell ]; then
	echo "rnic-guest: project at /project; 'poweroff' or Ctrl-D leaves QEMU"
	printf '#!/bin/sh\nsync; echo o >/proc/sysrq-trigger\n' >/usr/local/sbin/poweroff
	chmod +x /usr/local/sbin/poweroff
	setsid -c bash --login </dev/ttyS0 >/dev/ttyS0 2>&1
	power_off
fi

bash -c "$(cat /host/cmd)" >>/host/output 2>&1 </dev/null
echo $? >/host/status
power_off
