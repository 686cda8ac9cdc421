#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boots the test guest in QEMU.
#
# Usage: qemu-run.sh [options]
#   --cmd CMD        run CMD in the guest (bash -c), print its output, exit
#                    with its status; without --cmd, an interactive shell
#   --insmod KO      load this module (a path under the project) before
#                    the command runs; may be repeated
#   --timeout SECS   hard limit on the whole QEMU run (default 600)
#   --kernel DIR     kernel build directory (default: build-kernel.sh's)
#   --smp N          virtual CPUs (default 2)
#   --ksft DIR       installed kernel selftests, mounted read-only at /ksft
#   --trace-log      QEMU's trace log goes to the run directory
#                    (qemu-trace.log), with every event off: the guest
#                    switches the counted ones on and off around a run
#                    ("trace on"/"trace off", scripts/host-agent.py)
#   --logs DIR       keep the console log (DIR/console.log) and the kernel
#                    log the command saved to /host/dmesg (DIR/dmesg) in
#                    DIR; default: $CACHE/last-console.log and
#                    $CACHE/last-guest-dmesg.log
#
# Several guests may run at once: each has a run directory, monitor and
# host agent of its own; give each its own --logs.
# Environment: RNIC_ACCEL=kvm|tcg forces the accelerator (default: KVM if a
# probe boot proves it works on this host, TCG otherwise).
# RNIC_KERNEL_ARGS adds to the guest kernel's command line (such as
# "kmemleak=off", to measure what one debug option costs).
# RNIC_VIRTIO_NET_PROPS adds properties to the virtio-net NIC (such as
# "ctrl_vq=off,ctrl_rx=off", to test a device without a control queue).
#
# Guest topology (documented in README.md): one QEMU hub joins two e1000
# NICs (52:54:00:12:34:01, netdev p1; 52:54:00:12:34:03, netdev p3) and a
# virtio-net NIC (52:54:00:12:34:02, netdev p2); nothing leaves QEMU. Two
# empty pcie-root-ports (hp1, hp2), after every other device so that no
# address moves, and two hub ports without a NIC (hpnet1, hpnet2) leave
# room for a NIC the guest plugs in and out (tests/guest/test_hotplug.sh):
# hpnicN on hpN with netdev hpnetN and address 52:54:00:12:34:1N. The
# project tree is mounted read-only at /project. The guest may ask for
# `set_link`, `announce_self`, `device_add`/`device_del` of those NICs,
# the read-only QMP queries `query-rx-filter` and `query-pci` and, with
# --trace-log, counted trace runs through /host (scripts/host-agent.py).
source "$(dirname "$0")/common.sh"

cmd=
insmods=()
timeout=600
kdir=
smp=2
ksft=
logs=
trace_log=0
while (($#)); do
	case "$1" in
	--cmd) cmd=$2; shift 2 ;;
	--insmod) insmods+=("$2"); shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--kernel) kdir=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--ksft) ksft=$2; shift 2 ;;
	--logs) logs=$2; shift 2 ;;
	--trace-log) trace_log=1; shift ;;
	*) die "unknown option $1" ;;
	esac
done
interactive=0
[ -n "$cmd" ] || interactive=1

[ -n "$kdir" ] || kdir=$("$TOP/scripts/build-kernel.sh")
image=$("$TOP/scripts/build-guest.sh")
kimage=$kdir/arch/x86/boot/bzImage
kmods=$kdir/modinst/lib/modules
ksrc=$CACHE/src/linux-$KVER_SERIES
[ -f "$kimage" ] || die "no kernel image at $kimage"

mkdir -p "$CACHE/run"
run=$(mktemp -d "$CACHE/run/XXXXXX")
trap 'rm -rf "$run"' EXIT

# Runs QEMU. $1: accelerator, $2: what the guest should do (probe, cmd,
# shell), $3: seconds before the run is killed.
boot() {
	local accel=$1 mode=$2 limit=$3 cpu=max
	[ "$accel" = kvm ] && cpu=host
	printf '%s\n' "$mode" >"$run/mode"
	local serial=(-serial "file:$run/console.log") err=$run/qemu.err extra=()
	((!trace_log)) || extra+=(-D "$run/qemu-trace.log")
	[ -z "$ksft" ] || extra+=(-virtfs "local,path=$ksft,mount_tag=ksft,security_model=none,readonly=on")
	if ((interactive)) && [ "$mode" = shell ]; then
		serial=(-serial mon:stdio)
		err=/dev/stderr
	fi
	timeout --foreground -k 5 "$limit" qemu-system-x86_64 \
		-machine q35,accel="$accel" -cpu "$cpu" -smp "$smp" -m 2G \
		-display none -no-reboot -nodefaults -vga none \
		"${serial[@]}" \
		-kernel "$kimage" \
		-append "console=ttyS0 root=/dev/vda rw init=/sbin/rnic-init panic=-1 oops=panic quiet loglevel=4 log_buf_len=4M kunit.enable=1 kunit.autorun=1${RNIC_KERNEL_ARGS:+ $RNIC_KERNEL_ARGS}" \
		-drive "file=$image,if=virtio,format=raw,snapshot=on" \
		-virtfs "local,path=$TOP,mount_tag=project,security_model=none,readonly=on" \
		-virtfs "local,path=$run,mount_tag=host,security_model=none" \
		-virtfs "local,path=$kmods,mount_tag=kmods,security_model=none,readonly=on" \
		-virtfs "local,path=$ksrc,mount_tag=ksrc,security_model=none,readonly=on" \
		"${extra[@]}" \
		-netdev hubport,id=p1,hubid=0 -device e1000,netdev=p1,mac=52:54:00:12:34:01,romfile= \
		-netdev hubport,id=p2,hubid=0 -device "virtio-net-pci,netdev=p2,mac=52:54:00:12:34:02,speed=10000,duplex=full,romfile=${RNIC_VIRTIO_NET_PROPS:+,$RNIC_VIRTIO_NET_PROPS}" \
		-netdev hubport,id=p3,hubid=0 -device e1000,netdev=p3,mac=52:54:00:12:34:03,romfile= \
		-monitor "unix:$run/monitor.sock,server=on,wait=off" \
		-qmp "unix:$run/qmp.sock,server=on,wait=off" \
		-device virtio-rng-pci \
		-device pcie-root-port,id=hp1,chassis=1 -netdev hubport,id=hpnet1,hubid=0 \
		-device pcie-root-port,id=hp2,chassis=2 -netdev hubport,id=hpnet2,hubid=0 \
		2>"$err"
}

# KVM is used only where a probe boot proves it works: on some hosts
# /dev/kvm exists but guests stall while the kernel decompresses.
accel=${RNIC_ACCEL:-}
if [ -z "$accel" ]; then
	probe=$CACHE/accel-$(qemu-system-x86_64 --version | head -n1 | tr -cd '0-9.')
	if [ -f "$probe" ]; then
		accel=$(cat "$probe")
	else
		accel=tcg
		if [ -w /dev/kvm ]; then
			if boot kvm probe 40 >/dev/null 2>&1 && [ -f "$run/status" ]; then
				accel=kvm
			fi
			rm -f "$run/status" "$run/console.log"
		fi
		echo "$accel" >"$probe"
	fi
fi
log "QEMU accelerator: $accel"

printf '%s\n' "${insmods[@]}" >"$run/insmod"
if ((interactive)); then
	boot "$accel" shell "$timeout"
	exit 0
fi

printf '%s\n' "$cmd" >"$run/cmd"
: >"$run/output"
python3 "$TOP/scripts/host-agent.py" "$run" "$run/monitor.sock" "$run/qmp.sock" &
agent=$!
tail -n +1 -f "$run/output" &
tailer=$!
set +e
boot "$accel" cmd "$timeout"
qemu_rc=$?
set -e
sleep 0.3
kill "$tailer" "$agent" 2>/dev/null
wait "$tailer" "$agent" 2>/dev/null || true

# Keep the last console log (and the kernel log, if the command saved it
# to /host/dmesg) for post-mortems, and let callers scan them.
console_log=$CACHE/last-console.log dmesg_log=$CACHE/last-guest-dmesg.log
if [ -n "$logs" ]; then
	mkdir -p "$logs"
	console_log=$logs/console.log dmesg_log=$logs/dmesg
fi
cp "$run/console.log" "$console_log" 2>/dev/null || true
rm -f "$dmesg_log"
cp "$run/dmesg" "$dmesg_log" 2>/dev/null || true
if [ ! -f "$run/status" ]; then
	if ((qemu_rc == 124)); then
		log "guest timed out after ${timeout}s"
	else
		log "guest did not finish (QEMU exit $qemu_rc)"
	fi
	cat "$run/qemu.err" >&2 2>/dev/null || true
	log "last console lines ($console_log):"
	tail -n 40 "$run/console.log" >&2 || true
	exit 125
fi
exit "$(cat "$run/status")"
