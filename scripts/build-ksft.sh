#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds and installs the kernel's network driver selftests (drivers/net,
# drivers/net/hw, their libraries, and net/netdevice.sh) for the test
# kernel, once per kernel build. Prints the install directory, which
# scripts/qemu-run.sh --ksft shares with the guest.
source "$(dirname "$0")/common.sh"

kdir=${1:-$("$TOP/scripts/build-kernel.sh")} || die "no kernel build"
src=$CACHE/src/linux-$KVER_SERIES
dest=$CACHE/ksft/$(basename "$kdir")
if [ -f "$dest/install/run_kselftest.sh" ]; then
	echo "$dest/install"
	exit 0
fi

log "building the kernel's network driver selftests into $dest"
rm -rf "$dest"
mkdir -p "$dest"
# The helpers include the kernel's UAPI headers.
[ -d "$kdir/usr/include/linux" ] ||
	make -C "$src" O="$kdir" LLVM="$LLVM_SUFFIX" headers >"$dest/build.log" 2>&1 ||
	die "installing the kernel headers failed, see $dest/build.log"
# Some helpers need libraries the host lacks (liburing...): those tests
# fail for every driver alike, and the install goes on without them.
make -C "$src/tools/testing/selftests" LLVM="$LLVM_SUFFIX" \
	KHDR_INCLUDES="-isystem $kdir/usr/include" \
	TARGETS="drivers/net drivers/net/hw net/lib" \
	O="$dest/build" INSTALL_PATH="$dest/install.tmp" install >>"$dest/build.log" 2>&1
# The install goes on past a target that failed to build: check that the
# ones we run are there.
for t in run_kselftest.sh drivers/net/ping.py drivers/net/hw/csum.py; do
	[ -e "$dest/install.tmp/$t" ] ||
		die "installing the selftests failed (no $t), see $dest/build.log"
done
# net/netdevice.sh stands alone (the rest of net/ is not needed).
mkdir -p "$dest/install.tmp/net"
install -m 0755 "$src/tools/testing/selftests/net/netdevice.sh" "$dest/install.tmp/net/"
echo "net:netdevice.sh" >>"$dest/install.tmp/kselftest-list.txt"
mv "$dest/install.tmp" "$dest/install"
echo "$dest/install"
