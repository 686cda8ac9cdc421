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
	dkms
	# The selftests' netlink code generator (ynl-gen) reads the specs.
	python3-yaml python3-jsonschema
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
if [ "$("$BINDGEN_ROOT/bin/bindgen" --version 2>/dev/null | awk '{print $2}')" != "$BINDGEN_VERSION" ]; then
	# A few minutes of compiling: it runs while the downloads below do.
	# Into the cache, so that a cold cache builds it again (and the
	# host-side test of the cold set-up covers this step too).
	log "building bindgen-cli $BINDGEN_VERSION into $BINDGEN_ROOT"
	mkdir -p "$BINDGEN_ROOT"
	cargo install --quiet --locked --root "$BINDGEN_ROOT" --version "$BINDGEN_VERSION" \
		bindgen-cli &
	bindgen_pid=$!
	# Stops the build if set-up dies before waiting for it.
	trap 'kill "$bindgen_pid" 2>/dev/null || true' EXIT
fi

# Packages from Debian unstable, downloaded (never installed on the host)
# through an apt configuration of our own so that the host's sources stay
# untouched: the kernel source, pahole for the kernel's BTF, and for the
# guest an ethtool new enough for the kernel's selftests (>= 6.15, trixie
# has 6.14). The archive and its keyring are the host's own (a mirror or a
# proxy configured there works here too).
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

# Writes the private apt list and reads the package lists, once a run.
apt_update() {
	((apt_updated)) && return
	mkdir -p "$apt_root"/lists/partial "$apt_root"/archives/partial
	local archive uri key
	archive=$(debian_archive "$apt_root/archive-key.asc") || exit 1
	IFS=$'\t' read -r uri key <<<"$archive"
	log "Debian archive: $uri${key:+ (keyring $key)}"
	local opt=${key:+ [signed-by=$key]}
	cat >"$apt_root"/sources.list <<LIST
deb$opt $uri unstable main
deb$opt $uri trixie-backports main
LIST
	apt-get "${apt_opts[@]}" update -qq
	apt_updated=1
}

# fetch_deb DIR PACKAGE...: downloads the newest .deb of each PACKAGE
# into DIR.
fetch_deb() {
	local dir=$1
	shift
	apt_update
	mkdir -p "$dir"
	(cd "$dir" && apt-get "${apt_opts[@]}" download "$@" >/dev/null)
}

srcdir=$CACHE/src
if ! ls "$srcdir"/linux-source-"$KVER_SERIES".tar.* >/dev/null 2>&1; then
	log "fetching $KSRC_PKG through a private apt list"
	tmp=$(mktemp -d)
	fetch_deb "$tmp" "$KSRC_PKG"
	dpkg-deb -x "$tmp"/"$KSRC_PKG"_*.deb "$tmp/x"
	mkdir -p "$srcdir"
	mv "$tmp"/x/usr/src/linux-source-"$KVER_SERIES".tar.* "$srcdir"/
	rm -rf "$tmp"
fi

if ! ls "$CACHE"/debs/ethtool_*.deb >/dev/null 2>&1; then
	log "fetching ethtool for the guest through a private apt list"
	fetch_deb "$CACHE/debs" ethtool
fi

# pahole >= 1.26 (Rust with BTF needs its --lang_exclude); Debian 12 has
# 1.24. Unstable's dwarves and the libraries it loads are unpacked into a
# directory of their own and run with their own C library's loader, so
# nothing on the host changes.
if [ "$PAHOLE" = "$RNIC_PAHOLE" ] && ! "$PAHOLE" --version >/dev/null 2>&1; then
	log "fetching pahole (dwarves) through a private apt list"
	apt_update
	tooldir=$(dirname "$(dirname "$RNIC_PAHOLE")")
	rm -rf "$tooldir"
	tmp=$(mktemp -d)
	# The package and everything it depends on, real packages only.
	mapfile -t pkgs < <(apt-cache "${apt_opts[@]}" depends --recurse --no-recommends \
		--no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances dwarves |
		grep -E '^[a-z0-9][a-z0-9.+-]*$' | sort -u)
	fetch_deb "$tmp" "${pkgs[@]}"
	mkdir -p "$tooldir/root"
	for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$tooldir/root"; done
	rm -rf "$tmp"
	mkdir -p "$(dirname "$RNIC_PAHOLE")"
	cat >"$RNIC_PAHOLE" <<'WRAP'
#!/bin/sh
# pahole from Debian unstable, run with the C library it was built for.
root=$(dirname "$(dirname "$(readlink -f "$0")")")/root
exec "$root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" \
	--library-path "$root/usr/lib/x86_64-linux-gnu" "$root/usr/bin/pahole" "$@"
WRAP
	chmod +x "$RNIC_PAHOLE"
	"$RNIC_PAHOLE" --version >/dev/null || die "the unpacked pahole does not run"
fi
log "pahole $("$PAHOLE" --version)"
if [ -n "${bindgen_pid:-}" ]; then
	wait "$bindgen_pid" || die "cargo install bindgen-cli failed"
	trap - EXIT
fi
log "$(bindgen --version) ($(command -v bindgen))"
log "host set-up complete"
