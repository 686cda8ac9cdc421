#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The set-up a new user's first command runs, into an empty cache: every
# download and the bindgen build happen again (only the host's Debian
# packages and rust-src are already installed), every directory is created by the script that writes to it,
# and everything the builds need is there afterwards.
source "$(dirname "$0")/lib.sh"

cold=$scratch/cache
start=$SECONDS
# As a new user's first command would: a minimal environment, so that a
# tool found only through this shell's PATH shows up here.
cold_setup() { env -i PATH=/usr/bin:/bin HOME="$HOME" RNIC_CACHE="$cold" "$TOP/scripts/setup.sh"; }
cold_setup >"$scratch/setup.log" 2>&1
rc=$?
check "set-up into an empty cache succeeds ($((SECONDS - start)) s)" [ "$rc" = 0 ]
((rc == 0)) || sed 's/^/    /' "$scratch/setup.log" | tail -n 20

check "kernel source downloaded" eval 'ls "$cold"/src/linux-source-"$KVER_SERIES".tar.* >/dev/null'
# The first entry is enough (tar stops on the closed pipe).
first=$(tar -tf "$(ls "$cold"/src/linux-source-*.tar.* | head -n1)" 2>/dev/null | head -n1)
check "kernel source is a tarball of linux-source-$KVER_SERIES ($first)" \
	eval '[[ "$first" == linux-source-$KVER_SERIES/* ]]'
check "ethtool for the guest downloaded" eval 'dpkg-deb -f "$cold"/debs/ethtool_*.deb Version >/dev/null'

bindgen=$("$cold"/tools/bindgen/bin/bindgen --version 2>/dev/null | awk '{print $2}')
check "bindgen built into the cache, the pinned $BINDGEN_VERSION (has ${bindgen:-none})" \
	[ "$bindgen" = "$BINDGEN_VERSION" ]

pahole=$cold/tools/pahole/bin/pahole
version=$("$pahole" --version 2>/dev/null | tr -dc '0-9.')
check "pahole runs and is >= 1.26 (has $version)" \
	eval '[ -n "$version" ] && [ "$(printf "%s\n" 1.26 "$version" | sort -V | head -n1)" = 1.26 ]'

archive=$(python3 "$TOP/scripts/debian-archive.py" | cut -f1)
check "the private apt list uses the host's archive ($archive)" \
	grep -q " $archive unstable main" "$cold/apt/sources.list"

cold_setup >"$scratch/again.log" 2>&1
check "a second set-up downloads nothing" eval '! grep -q fetching "$scratch/again.log"'
