#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# scripts/debian-archive.py finds the host's Debian archive and keyring in
# both apt source formats, skips what is not Debian's main archive, and
# stops with a clear error when there is none.
source "$(dirname "$0")/lib.sh"

find_archive() { python3 "$TOP/scripts/debian-archive.py" --etc "$1" "${@:2}" 2>"$scratch/err"; }

# expect NAME ETC WANTED: the script prints WANTED for configuration ETC.
expect() {
	local got
	got=$(find_archive "$2")
	check "$1" [ "$got" = "$3" ]
	[ "$got" = "$3" ] || echo "    got '$got', wanted '$3'"
}

etc=$scratch/oneline
mkdir -p "$etc/sources.list.d"
cat >"$etc/sources.list" <<'L'
# deb http://ignored.example/debian bookworm main
deb http://mirror.example/debian-security bookworm-security main
deb-src http://src.example/debian bookworm main
deb [arch=amd64 signed-by=/etc/keys/mirror.gpg] http://mirror.example/debian/ bookworm main contrib
L
expect "one-line entry with options, after security and deb-src" "$etc" \
	"$(printf 'http://mirror.example/debian\t/etc/keys/mirror.gpg')"

etc=$scratch/deb822
mkdir -p "$etc/sources.list.d"
cat >"$etc/sources.list.d/debian.sources" <<'L'
Types: deb
URIs: http://disabled.example/debian
Suites: bookworm
Components: main
Enabled: no

Types: deb
# a comment inside the stanza
URIs: http://proxy.example:3142/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://proxy.example:3142/debian-security
Suites: bookworm-security
Components: main
L
cat >"$etc/sources.list.d/other.sources" <<'L'
Types: deb
URIs: https://vendor.example/apt
Suites: nodistro
Components: main
L
expect "deb822 stanza, disabled stanza skipped" "$etc" \
	"$(printf 'http://proxy.example:3142/debian\t/usr/share/keyrings/debian-archive-keyring.gpg')"

etc=$scratch/nokey
mkdir -p "$etc/sources.list.d"
echo "deb http://deb.example/debian trixie-backports main" >"$etc/sources.list.d/bp.list"
expect "entry without a keyring (apt's trusted keys)" "$etc" "$(printf 'http://deb.example/debian\t')"

etc=$scratch/inline
mkdir -p "$etc/sources.list.d"
cat >"$etc/sources.list.d/debian.sources" <<'L'
Types: deb
URIs: http://inline.example/debian
Suites: sid
Components: main
Signed-By:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 mQINBGPL0BUBEADmW5NdOOHwPIJlgPu6JDcKw/NZJPR8lsD3K87ZM18gzyQZJD+w
 -----END PGP PUBLIC KEY BLOCK-----
L
got=$(find_archive "$etc" --inline-key-file "$scratch/key.asc")
check "inline deb822 key written to a file" \
	[ "$got" = "$(printf 'http://inline.example/debian\t%s' "$scratch/key.asc")" ]
check "inline key file holds the key" grep -q 'BEGIN PGP PUBLIC KEY BLOCK' "$scratch/key.asc"

etc=$scratch/none
mkdir -p "$etc/sources.list.d"
echo "deb http://security.example/debian-security bookworm-security main" >"$etc/sources.list"
find_archive "$etc" >/dev/null
rc=$?
check "no Debian archive: exit 1" [ "$rc" = 1 ]
check "no Debian archive: the error says what is missing" grep -q 'no Debian archive' "$scratch/err"

check "this host has a Debian archive" eval "find_archive /etc/apt >/dev/null"
