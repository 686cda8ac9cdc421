#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds our modules against a kernel build tree: the test kernel, or the
# one named by KDIR (then nothing of the test kernel is built). Generates
# the netdev bindings for that kernel when they are missing or stale, then
# runs Kbuild with the module output kept outside the source directories
# (in out/<kernel build>/, or RNIC_OUT). Prints the output directory.
#
# Usage: build-modules.sh [modules_install] [Kbuild arguments (CLIPPY=1...)]
source "$(dirname "$0")/common.sh"

target=modules
if [ "${1:-}" = modules_install ]; then
	target=modules_install
	shift
fi

kdir=${KDIR:-$("$TOP/scripts/build-kernel.sh")}
kdir=$(cd "$kdir" && pwd) || die "no kernel build tree at $KDIR"
[ -f "$kdir/rust/bindings/.bindings_generated.rs.cmd" ] ||
	die "$kdir is not a built kernel tree with CONFIG_RUST=y (no rust/bindings there)"
out=${RNIC_OUT:-$TOP/out/$(basename "$kdir")}
mkdir -p "$out"
out=$(cd "$out" && pwd)
gen=$out/generated/netdev_bindings.rs

# One build per output directory at a time: two test runs started
# together would otherwise both write the same objects (a second caller
# waits, then finds little or nothing left to do).
exec 9>"$out/.build.lock"
flock 9

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

# Module BTF (when the kernel has it) is made by pahole: ours when the set-up
# unpacked it, else PAHOLE from the environment or the one on PATH.
# RNIC_MODULE_DIR builds another directory of this tree (a compile-fail case).
kbuild=(-C "$kdir" M="${RNIC_MODULE_DIR:-$TOP}" MO="$out" LLVM="$LLVM_SUFFIX")
# LLVM= picks the compiler and linker. dkms adds CC=clang LD=ld.lld to
# our make for a clang-built kernel, which would reach Kbuild through
# MAKEFLAGS (Debian has clang-19, no plain clang): name them as LLVM= does.
case "$LLVM_SUFFIX" in
-*) cc=clang$LLVM_SUFFIX kbuild+=(LD="ld.lld$LLVM_SUFFIX") ;;
*/) cc=${LLVM_SUFFIX}clang kbuild+=(LD="${LLVM_SUFFIX}ld.lld") ;;
*) cc=clang kbuild+=(LD=ld.lld) ;;
esac
kbuild+=(CC="$cc")
[ -x "$PAHOLE" ] && kbuild+=(PAHOLE="$PAHOLE")
RNIC_GENERATED=$out/generated make -s "${kbuild[@]}" "$@" "$target" >&2

# The suite's BPF programs (tests/bpf/*.bpf.c, loaded in the guest with
# bpftool), built for this kernel's UAPI headers, from its source tree.
if [ "$target" = modules ] && [ -z "${RNIC_MODULE_DIR:-}" ]; then
	srctree=$(sed -n 's|^include \(.*\)/Makefile$|\1|p' "$kdir/Makefile")
	mkdir -p "$out/tests/bpf"
	for src in "$TOP"/tests/bpf/*.bpf.c; do
		[ -f "$src" ] || continue # a tree without the tests (dkms)
		obj=$out/tests/bpf/$(basename "${src%.c}").o
		# (One source may include another: any newer one rebuilds.)
		[ -f "$obj" ] && [ -z "$(find "$TOP/tests/bpf" -newer "$obj")" ] && continue
		"$cc" -O2 -g -target bpf -nostdinc -D__EXPORTED_HEADERS__ \
			-I"${srctree:-$kdir}/include/uapi" -I"${srctree:-$kdir}/arch/x86/include/uapi" \
			-I"$kdir/arch/x86/include/generated/uapi" -I"$kdir/include/generated/uapi" \
			-c "$src" -o "$obj" || log "warning: could not build $src (the XDP tests need it)"
	done
fi
echo "$out"
