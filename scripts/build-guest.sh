#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds the guest root filesystem image (Debian, debootstrap) into the
# cache, once per package list and boot stub. Prints the image path.
#
# The image holds only Debian userspace and a boot stub; the test kernel's
# modules, our modules and the tests reach the guest through 9p shares
# (see scripts/qemu-run.sh), so rebuilding them never touches the image.
source "$(dirname "$0")/common.sh"

guest_pkgs=(
	bash coreutils util-linux procps psmisc kmod
	iproute2 iputils-ping ethtool tcpdump iperf3 socat net-tools
	python3 python3-yaml jq
	netsniff-ng bpftool bpftrace
)
# The kernel's selftests want ethtool >= 6.15 (JSON for -l); the newer
# package comes from unstable (scripts/setup.sh downloads it).
ethtool_deb=$(ls -t "$CACHE"/debs/ethtool_*.deb 2>/dev/null | head -n1)
[ -n "$ethtool_deb" ] || die "no ethtool package in $CACHE/debs: run scripts/setup.sh"

stub=$TOP/scripts/guest-stub.sh
key=$( {
	echo "$GUEST_SUITE ${guest_pkgs[*]} $(basename "$ethtool_deb")"
	cat "$stub" "$0"
} | sha256sum | cut -c1-12)
img=$CACHE/guest/rootfs-$GUEST_SUITE-$key.ext4
if [ -f "$img" ]; then
	echo "$img"
	exit 0
fi

mkdir -p "$CACHE/guest"
root=$CACHE/guest/root-$key
rm -rf "$root"
log "debootstrap $GUEST_SUITE into $root (takes a few minutes)"
pkgs=$(IFS=,; echo "${guest_pkgs[*]}")
archive=$(debian_archive) || exit 1
IFS=$'\t' read -r uri keyring <<<"$archive"
# debootstrap reads binary keyrings only; an armoured one is left to its
# default, Debian's archive keyring.
case "$keyring" in *.gpg) keyopt=(--keyring="$keyring") ;; *) keyopt=() ;; esac
debootstrap --variant=minbase "${keyopt[@]}" --include="$pkgs" "$GUEST_SUITE" "$root" \
	"$uri" >"$CACHE/guest/debootstrap.log" 2>&1 ||
	die "debootstrap failed, see $CACHE/guest/debootstrap.log"

cp "$ethtool_deb" "$root/tmp/ethtool.deb"
chroot "$root" dpkg -i /tmp/ethtool.deb >>"$CACHE/guest/debootstrap.log" 2>&1 ||
	die "installing $ethtool_deb failed, see $CACHE/guest/debootstrap.log"
rm -f "$root/tmp/ethtool.deb"

# Trim what a test guest never reads.
rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/locale/* \
	"$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*

install -m 0755 "$stub" "$root/sbin/rnic-init"
echo rnic-guest >"$root/etc/hostname"
mkdir -p "$root/project" "$root/host" "$root/lib/modules"

log "writing $img"
mkfs.ext4 -q -L rnic-root -d "$root" "$img.tmp" 2G
mv "$img.tmp" "$img"
rm -rf "$root"
echo "$img"
