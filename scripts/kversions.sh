#!/bin/bash
# Print the Debian kernel ABI names of the supported kernels, one per line
# in scripts/kernels.list order, each resolved through its suite's
# metapackage (scripts/kenv.sh; never hard-coded). With --table, the whole
# resolved line: "abi name build tests version"; with --build host, the
# kernels built on this machine. KERNELS=name,name limits
# the list (e.g. KERNELS=bookworm,trixie make check).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/kenv.sh"
table=$(kernel_table)
if [ -n "${KERNELS:-}" ]; then
	table=$(awk -v want=",$KERNELS," 'index(want, "," $2 ",")' <<<"$table")
	[ -n "$table" ] || { echo "kversions: no kernel named in KERNELS=$KERNELS" >&2; exit 1; }
fi
if [ "${1:-}" = --build ]; then	# only the kernels built in environment $2
	awk -v env="${2:?--build ENV}" '$3 == env { print $1 }' <<<"$table"
elif [ "${1:-}" = --table ]; then
	echo "$table"
else
	awk '{ print $1 }' <<<"$table"
fi
