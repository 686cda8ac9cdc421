#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Outside our test bed: `make modules KDIR=...` builds against a kernel
# build tree alone (here the test kernel's, from a copy of this tree with
# no out/ and an empty cache, so nothing of ours is reused or built), and
# `make modules_install` installs modules that depmod indexes for udev.
source "$(dirname "$0")/lib.sh"

kdir=$("$TOP/scripts/build-kernel.sh" 2>/dev/null) || { echo "not ok - no test kernel"; exit 1; }
krel=$(cat "$kdir/include/config/kernel.release")
tree=$scratch/tree
mkdir -p "$tree"
git -C "$TOP" ls-files -z | (cd "$TOP" && xargs -0 cp --parents -t "$tree")

# The empty cache proves that nothing but KDIR is used: the test kernel's
# own build would need the kernel source the cache does not have.
run_make() {
	env RNIC_CACHE="$scratch/empty-cache" PAHOLE="$PAHOLE" \
		make -C "$tree" KDIR="$kdir" "$@" >>"$scratch/make.log" 2>&1
}
run_make modules
rc=$?
check "make modules KDIR=<test kernel> with an empty out/ and cache" [ "$rc" = 0 ]
((rc == 0)) || sed 's/^/    /' "$scratch/make.log" | tail -n 20
check "the test kernel's cache was not used" [ ! -e "$scratch/empty-cache/kernel" ]

out=$tree/out/$(basename "$kdir")
e1000=$out/drivers/net/e1000/rust_e1000.ko
check "rust_e1000.ko built" [ -f "$e1000" ]
check "rust_netpair.ko built" [ -f "$out/samples/net/rust_netpair.ko" ]
check "rust_e1000 has the 82540EM's PCI alias" \
	eval 'grep -q "^pci:v00008086d0000100Esv" <<<"$(modinfo -F alias "$e1000")"'
virtio=$out/drivers/net/virtio/rust_virtio_net.ko
check "rust_virtio_net.ko built" [ -f "$virtio" ]
check "rust_virtio_net has C virtio_net's alias (virtio:d00000001v*)" \
	eval 'grep -qx "virtio:d00000001v\*" <<<"$(modinfo -F alias "$virtio")"'
if grep -q '^CONFIG_DEBUG_INFO_BTF_MODULES=y' "$kdir/.config"; then
	# Not `readelf | grep -q`: with pipefail (common.sh), grep leaving at the
	# first match can kill readelf with SIGPIPE and fail the pipeline.
	check "rust_e1000 carries BTF" eval 'grep -q "\.BTF " <<<"$(readelf -S "$e1000")"'
fi

root=$scratch/root
run_make modules_install INSTALL_MOD_PATH="$root"
check "make modules_install INSTALL_MOD_PATH=..." [ -f "$root/lib/modules/$krel/updates/drivers/net/e1000/rust_e1000.ko" ]
depmod -b "$root" "$krel" 2>>"$scratch/make.log"
check "depmod maps the 82540EM's alias to rust_e1000 (udev autoloading)" \
	grep -q '^alias pci:v00008086d0000100Esv.* rust_e1000$' "$root/lib/modules/$krel/modules.alias"
check "depmod maps virtio-net's alias to rust_virtio_net (udev autoloading)" \
	grep -q '^alias virtio:d00000001v\* rust_virtio_net$' "$root/lib/modules/$krel/modules.alias"
