#!/bin/bash
# Captures the module's files on both kernels into the reader's test
# fixtures (tools/memacct/tests/fixtures/<kernel line>/). Run by hand when
# the ABI changes; the captured trees are committed. A capture replaces a
# kernel's fixtures only when it ran to its end; the VM's output is kept in
# .cache/capture/<kernel>.out either way.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
logs=${MEMACCT_CACHE:-$top/.cache}/capture
mkdir -p "$logs"
for v in ${*:-$("$top/scripts/kversions.sh")}; do
	line=$(echo "$v" | cut -d. -f1-2)
	out=$top/tools/memacct/tests/fixtures/$line
	raw=$logs/$v.out
	"$top/scripts/vm.sh" -t 600 -o "$raw" -l "$logs/$v.console" "$v" /selftests/capture.sh ||
		{ echo "capture: $v failed: see $raw and $logs/$v.console" >&2; exit 1; }
	grep -q '^@@@ end' "$raw" ||
		{ echo "capture: $v: no '@@@ end' in $raw" >&2; exit 1; }
	rm -rf "$out.new"
	mkdir -p "$out.new"
	tr -d '\r' <"$raw" | awk -v dir="$out.new" '
		/^@@@ end/ { exit }
		/^@@@ / { f = dir "/" $2; printf "" > f; next }
		f { print >> f }'
	rm -rf "$out"
	mv "$out.new" "$out"
	ls "$out"
done
