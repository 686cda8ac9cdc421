# SPDX-License-Identifier: GPL-2.0
# Shared settings for the build and test scripts. Source it; do not run it.

set -euo pipefail

# Root of the project checkout.
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# CI may run with a minimal environment.
HOME=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
export HOME

# Everything built or downloaded lives here, outside the checkout, so that
# clean clones reuse it.
CACHE=${RNIC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rust-nic}

# The kernel we build and test against, and the Debian package carrying it.
KVER_SERIES=7.2
KSRC_PKG=linux-source-$KVER_SERIES

# LLVM suffix used for every kernel and module build (LLVM=1 for a kernel
# built with the default clang, from the environment or make's command line).
LLVM_SUFFIX=${LLVM:--19}

# bindgen release pinned for reproducible bindings, built by
# scripts/setup.sh into the cache (bin/ under BINDGEN_ROOT) and found
# there first.
BINDGEN_VERSION=0.72.1
BINDGEN_ROOT=$CACHE/tools/bindgen

# Debian suite of the guest root filesystem.
GUEST_SUITE=trixie

log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# guest_path DIR: prints where the guest sees DIR, which must lie inside
# this tree (the guest mounts only the tree, at /project); dies otherwise,
# rather than let the guest run without what DIR holds.
guest_path() {
	case "$1" in
	"$TOP"/*) echo "/project/${1#"$TOP"/}" ;;
	*) die "$1 is outside $TOP, which is all the guest sees: set RNIC_OUT inside the tree" ;;
	esac
}

# rustup installs cargo and rustc here; make sure they are found even
# from a shell that did not source ~/.cargo/env.
case ":$PATH:" in *":$HOME/.cargo/bin:"*) ;; *) PATH=$HOME/.cargo/bin:$PATH ;; esac
case ":$PATH:" in *":$BINDGEN_ROOT/bin:"*) ;; *) PATH=$BINDGEN_ROOT/bin:$PATH ;; esac
# debootstrap, mkfs.ext4 and depmod live in sbin, which a minimal
# environment (env -i, cron) leaves out of PATH.
case ":$PATH:" in *":/usr/sbin:"*) ;; *) PATH=$PATH:/usr/sbin:/sbin ;; esac
export PATH
export LIBCLANG_PATH=/usr/lib/llvm-19/lib

# Kernel build variant: "base", or "debug" (base plus configs/debug.config).
KVARIANT=${KVARIANT:-base}

# The config fragments a variant is built from, in order.
variant_fragments() {
	echo "$TOP/scripts/configs/base.config"
	[ "$1" = base ] || echo "$TOP/scripts/configs/$1.config"
}

# The unpacked kernel source tree (created by build-kernel.sh).
kernel_src_tarball() { ls "$CACHE"/src/linux-source-"$KVER_SERIES".tar.* 2>/dev/null | head -n1; }

# Build directory of a variant: keyed by the source package, the config
# fragments and the toolchain, so that any change gets a fresh build and
# an unchanged setup reuses the cached one.
kernel_build_dir() {
	local variant=$1 key
	key=$( {
		basename "$(kernel_src_tarball)"
		cat $(variant_fragments "$variant")
		echo "LLVM=$LLVM_SUFFIX"
		rustc --version
		bindgen --version
		"$PAHOLE" --version
	} | sha256sum | cut -c1-12)
	echo "$CACHE/kernel/$variant-$key"
}

# pahole new enough for BTF with Rust (>= 1.26): the one scripts/setup.sh
# unpacks into the cache, or your own as PAHOLE in the environment.
RNIC_PAHOLE=$CACHE/tools/pahole/bin/pahole
PAHOLE=${PAHOLE:-$RNIC_PAHOLE}

# The Debian archive the host's apt uses: "URI<TAB>keyring" (the keyring
# may be empty). Dies, saying what is missing, when there is none.
# Usage: debian_archive [FILE for a key given inline]
debian_archive() {
	python3 "$TOP/scripts/debian-archive.py" ${1:+--inline-key-file "$1"} ||
		die "no Debian archive configured in the host's apt sources (see above)"
}

# Lines of a kernel log that report a bug: warnings, oopses, sanitizer and
# lock-checker reports. Prints at most 20. An allocation that a test made
# fail (between the guest's "rnic-suite: fault injection on" and "off"
# marks, tests/guest/helpers/fault_injection.sh) makes the page allocator
# print "page allocation failure" (or "vmalloc error") and a stack trace: that one trace is the
# kernel reporting what the test asked for, not a bug, and is left out;
# anything else in that window counts.
kernel_splats() {
	awk '/rnic-suite: fault injection on / { on = 1 } /rnic-suite: fault injection off/ { on = 0 }
		on && /page allocation failure:|vmalloc error:/ { failure = 1 }
		on && failure && /Call Trace:/ { failure = 0; next }
		{ print }' "$@" |
		grep -E 'BUG:|WARNING:|Oops|KASAN|refcount_t:|UBSAN|panicked at|Kernel panic|Call Trace:|possible recursive locking|inconsistent lock state|bad unlock balance|RTNL: assertion failed|has [0-9]+/[0-9]+ users at|waiting for .* to become free' |
		head -n 20
}

# The C drivers' results depend on the kernel, the guest image, QEMU and
# the tests, not on our modules: tests/run.sh and tests/kselftest.sh keep
# them under this key and run the C driver again only when it changes
# (or with RNIC_FRESH_REFERENCE=1). Never a comparison less: the cached
# results are the C driver's on exactly this set-up.
# Usage: reference_key KERNEL_BUILD_DIR FILE...
reference_key() {
	local kdir=$1
	shift
	{
		basename "$kdir"
		basename "$("$TOP/scripts/build-guest.sh")"
		qemu-system-x86_64 --version | head -n1
		cat "$@" "$TOP"/scripts/{qemu-run.sh,guest-init.sh,guest-stub.sh,host-agent.py}
	} | sha256sum | cut -c1-16
}
