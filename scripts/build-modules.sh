#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds our modules against the test kernel: generates the netdev
# bindings for that kernel when they are missing or stale, then runs
# Kbuild with the module output kept outside the source directories.
# Prints the output directory. Extra arguments go to Kbuild (CLIPPY=1...).
source "$(dirname "$0")/common.sh"

kdir=${KDIR:-$("$TOP/scripts/build-kernel.sh")}
out=$TOP/out/$(basename "$kdir")
gen=$out/generated/netdev_bindings.rs

stale=0
[ -f "$gen" ] || stale=1
for dep in "$TOP"/rust/bindings/* "$TOP"/rust/helpers/*.h "$TOP/scripts/gen-bindings.py" \
	"$kdir/rust/bindings/bindings_generated.rs"; do
	[ "$dep" -nt "$gen" ] && stale=1
done
if ((stale)); then
	log "generating netdev bindings for $(basename "$kdir")"
	python3 "$TOP/scripts/gen-bindings.py" "$kdir" "$gen"
fi

mkdir -p "$out"
RNIC_GENERATED=$out/generated make -s -C "$kdir" M="$TOP" MO="$out" LLVM="$LLVM_SUFFIX" \
	"$@" modules >&2
echo "$out"
