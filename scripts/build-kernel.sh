#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds the test kernel (bzImage, modules and the Rust metadata that
# out-of-tree Rust modules link against) into the cache, once per
# source/config/toolchain combination. Prints the build directory.
#
# Usage: build-kernel.sh [base|debug]
source "$(dirname "$0")/common.sh"

variant=${1:-$KVARIANT}
tarball=$(kernel_src_tarball)
[ -n "$tarball" ] || die "no kernel source in $CACHE/src: run scripts/setup.sh"

out=$(kernel_build_dir "$variant")
# The build directory refers to the unpacked source (its `source` link):
# a finished build is usable only with the source beside it, which is
# unpacked again if the cache lost it.
src=$CACHE/src/linux-$KVER_SERIES
if [ -f "$out/.complete" ] && [ -f "$src/.unpacked" ]; then
	echo "$out"
	exit 0
fi

# One build at a time: a second caller waits, then finds the build done.
mkdir -p "$CACHE/kernel"
exec 9>"$CACHE/kernel/.lock"
flock 9

if [ ! -f "$src/.unpacked" ]; then
	log "unpacking $(basename "$tarball")"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xf "$tarball" -C "$src.tmp" --strip-components=1
	touch "$src.tmp/.unpacked"
	mv "$src.tmp" "$src"
fi

# A build that finished while this one waited for the lock.
if [ -f "$out/.complete" ]; then
	echo "$out"
	exit 0
fi

mkdir -p "$out"
kmake() { make -s -C "$src" O="$out" LLVM="$LLVM_SUFFIX" PAHOLE="$PAHOLE" "$@"; }

log "configuring $variant kernel in $out"
frag=$out/fragment.config
cat $(variant_fragments "$variant") >"$frag"
kmake KCONFIG_ALLCONFIG="$frag" allnoconfig
kmake olddefconfig

# Kconfig silently drops options whose dependencies are unmet; refuse to
# build a kernel that is not the one the fragments describe.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=n) opt=${line%%=*}
		grep -q "^$opt=" "$out/.config" && { log "$opt is set, wanted off"; bad=1; } ;;
	CONFIG_*=*) grep -qxF "$line" "$out/.config" ||
		{ log "$line did not stick (have: $(grep "^${line%%=*}=" "$out/.config" || echo unset))"; bad=1; } ;;
	esac
done <"$frag"
if ((bad)); then
	kmake rustavailable >&2 || true
	log "pahole: $("$PAHOLE" --version 2>&1)"
	die "config fragment not applied"
fi

log "building $variant kernel (a cold build takes 10-20 minutes)"
kmake -j"$(nproc)" bzImage modules
rm -rf "$out/modinst"
# Stripped of DWARF (BTF stays): the guest reads them over 9p.
kmake INSTALL_MOD_PATH="$out/modinst" INSTALL_MOD_STRIP=1 modules_install >/dev/null
touch "$out/.complete"
echo "$out"
