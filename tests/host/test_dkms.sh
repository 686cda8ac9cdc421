#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The tree is a DKMS package: `dkms add` and `dkms build` against the test
# kernel's build tree, in DKMS trees of our own (the host's /usr/src and
# /var/lib/dkms stay untouched).
source "$(dirname "$0")/lib.sh"

kdir=$("$TOP/scripts/build-kernel.sh" 2>/dev/null) || { echo "not ok - no test kernel"; exit 1; }
krel=$(cat "$kdir/include/config/kernel.release")
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"/\1/p' "$TOP/dkms.conf")
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")

src=$scratch/src/$name-$version
mkdir -p "$src" "$scratch/dkms"
git -C "$TOP" ls-files -z | (cd "$TOP" && xargs -0 cp --parents -t "$src")

dkms_() { dkms --sourcetree "$scratch/src" --dkmstree "$scratch/dkms" "$@" >>"$scratch/dkms.log" 2>&1; }
dkms_ add -m "$name" -v "$version"
check "dkms add $name/$version" [ -d "$scratch/dkms/$name/$version" ]
env PAHOLE="$PAHOLE" dkms --sourcetree "$scratch/src" --dkmstree "$scratch/dkms" \
	build -m "$name" -v "$version" -k "$krel" --kernelsourcedir "$kdir" >>"$scratch/dkms.log" 2>&1
rc=$?
check "dkms build against the test kernel ($krel)" [ "$rc" = 0 ]
((rc == 0)) || { sed 's/^/    /' "$scratch/dkms.log" | tail -n 20;
	cat "$scratch/dkms/$name/$version/build/make.log" 2>/dev/null | tail -n 20 | sed 's/^/    /'; }
built=$scratch/dkms/$name/$version/$krel/$(uname -m)/module
for module in rust_e1000 rust_virtio_net rust_netpair; do
	check "dkms collected $module" eval '[ -n "$(ls "$built"/'"$module"'.ko* 2>/dev/null)" ]'
done
