#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Installs what the build needs on a Debian 12 host, skipping what is
# already there: Debian packages, rust-src, a pinned bindgen-cli, and the
# linux-source package (fetched through a private apt list, never
# installed into the host's sources).
source "$(dirname "$0")/common.sh"

host_pkgs=(
	clang-19 lld-19 llvm-19 libclang-19-dev
	bc flex bison libelf-dev libssl-dev cpio kmod rsync xz-utils zstd
	qemu-system-x86 debootstrap e2fsprogs ca-certificates python3 libc6-dev
)

missing=()
for p in "${host_pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if ((${#missing[@]})); then
	log "installing Debian packages: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
	log "adding rust-src"
	rustup component add rust-src
fi

export LIBCLANG_PATH=/usr/lib/llvm-19/lib
if ! command -v bindgen >/dev/null ||
	[ "$(bindgen --version 2>/dev/null | awk '{print $2}')" != "$BINDGEN_VERSION" ]; then
	log "installing bindgen-cli $BINDGEN_VERSION"
	cargo install --quiet --locked --version "$BINDGEN_VERSION" bindgen-cli
fi

# Packages from Debian unstable, downloaded (never installed on the host)
# through an apt configuration of our own so that the host's sources stay
# untouched: the kernel source, and for the guest an ethtool new enough for
# the kernel's selftests (>= 6.15, trixie has 6.14).
apt_root=$CACHE/apt
apt_opts=(
	-o Dir::Etc::SourceList="$apt_root"/sources.list
	-o Dir::Etc::SourceParts=/dev/null
	-o Dir::State::Lists="$apt_root"/lists
	-o Dir::Cache::Archives="$apt_root"/archives
	-o Dir::Cache::pkgcache="$apt_root"/pkgcache.bin
	-o Dir::Cache::srcpkgcache="$apt_root"/srcpkgcache.bin
	-o APT::Get::List-Cleanup=0
	-o APT::Sandbox::User=root
)
apt_updated=0

# fetch_deb PACKAGE DIR: downloads the newest PACKAGE .deb into DIR and
# prints its path.
fetch_deb() {
	mkdir -p "$apt_root"/lists/partial "$apt_root"/archives/partial "$2"
	if ((!apt_updated)); then
		cat >"$apt_root"/sources.list <<LIST
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian unstable main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie-backports main
LIST
		apt-get "${apt_opts[@]}" update -qq
		apt_updated=1
	fi
	(cd "$2" && apt-get "${apt_opts[@]}" download "$1" >/dev/null)
	ls -t "$2"/"$1"_*.deb | head -n1
}

srcdir=$CACHE/src
if ! ls "$srcdir"/linux-source-"$KVER_SERIES".tar.* >/dev/null 2>&1; then
	log "fetching $KSRC_PKG through a private apt list"
	deb=$(fetch_deb "$KSRC_PKG" "$apt_root")
	tmp=$(mktemp -d)
	dpkg-deb -x "$deb" "$tmp"
	mv "$tmp"/usr/src/linux-source-"$KVER_SERIES".tar.* "$srcdir"/
	rm -rf "$tmp"
fi
if ! ls "$CACHE"/debs/ethtool_*.deb >/dev/null 2>&1; then
	log "fetching ethtool for the guest through a private apt list"
	fetch_deb ethtool "$CACHE/debs" >/dev/null
fi
log "host set-up complete"
