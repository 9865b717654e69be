#!/bin/bash
# Captures the module's files on both kernels into the reader's test
# fixtures (tools/memacct/tests/fixtures/<kernel line>/). Run by hand when
# the ABI changes; the captured trees are committed.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
for v in $("$top/scripts/kversions.sh"); do
	line=$(echo "$v" | cut -d. -f1-2)
	out=$top/tools/memacct/tests/fixtures/$line
	rm -rf "$out"
	mkdir -p "$out"
	"$top/scripts/vm.sh" "$v" /selftests/capture.sh | tr -d '\r' | awk -v dir="$out" '
		/^@@@ end/ { exit }
		/^@@@ / { f = dir "/" $2; printf "" > f; next }
		f { print >> f }'
	ls "$out"
done
