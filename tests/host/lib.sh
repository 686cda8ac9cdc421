# SPDX-License-Identifier: GPL-2.0
# Shared by the host-side checks. Source it.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/common.sh"
set +e

# check NAME COMMAND...: "ok - NAME" when COMMAND succeeds, else "not ok".
check() {
	local name=$1
	shift
	if "$@"; then
		echo "ok - $name"
	else
		echo "not ok - $name"
	fi
}

# A scratch directory removed when the check ends.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
