#!/bin/bash
# Checks that every debugfs file and every column or key the module has
# (as listed by the VM test, one line each: "file name name ...") is
# described in Documentation/abi.rst as ``file`` / ``name``. Per-order
# columns (o3, unusable_o7, ...) must appear as their order-0 column.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
doc=$top/Documentation/abi.rst
missing=0
while read -r file names; do
	[ -n "$file" ] || continue
	grep -q "^\`\`$file\`\`" "$doc" || { echo "abi.rst: file '$file' not documented"; missing=1; }
	for n in $names; do
		n=$(echo "$n" | sed -E 's/^((.*_)?o)[0-9]+$/\10/')
		grep -q "\`\`$n\`\`" "$doc" || { echo "abi.rst: '$file' column '$n' not documented"; missing=1; }
	done
done <"${1:?usage: check-abi-doc.sh LIST}"
exit $missing
