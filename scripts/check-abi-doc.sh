#!/bin/bash
# Checks that every debugfs file and every column or key the module has
# (as listed by the VM test, one line each: "file name name ...") is
# described in Documentation/abi.rst: the file as a ``file`` entry, each
# column as ``name`` inside that file's own entry (up to the next line that
# is not indented), so a column documented only under another file does
# not count; an entry may take a range of another file's columns by
# saying so ("the 15 size columns of ``processes`` (``vss`` to
# ``hugetlb_private``)"), which then must be documented there. Per-order
# columns (o3, unusable_o7, ...) must appear as their order-0 column.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
doc=${ABI_DOC:-$top/Documentation/abi.rst}
missing=0

section() { # file -> its entry of abi.rst
	awk -v head="\`\`$1\`\`" '
		$0 == head { on = 1; next }
		on && /^[^ \t]/ { exit }
		on { print }' "$doc"
}

declare -A listed=()
while read -r file names; do
	[ -n "$file" ] && listed[$file]=" $names "
done <"${1:?usage: check-abi-doc.sh LIST}"

# The columns an entry takes from another file: "of ``other`` (``a`` to ``b``)".
borrowed() { # entry text
	local ref other from to
	ref=$(tr '\n' ' ' <<<"$1" | grep -oE "of \`\`[a-z_]+\`\` +\(\`\`[a-z_0-9]+\`\` +to +\`\`[a-z_0-9]+\`\`\)" | head -n1)
	[ -n "$ref" ] || return 0
	read -r other from to < <(sed -E 's/[^a-z_0-9 ]//g; s/^of +//; s/ +to +/ /' <<<"$ref")
	# only if documented where they come from
	section "$other" | grep -qF "\`\`$from\`\`" || return 0
	awk -v from="$from" -v to="$to" '{ for (i = 1; i <= NF; i++) {
		if ($i == from) on = 1; if (on) print $i; if ($i == to) on = 0 } }' <<<"${listed[$other]:-}"
}

for file in "${!listed[@]}"; do
	text=$(section "$file")
	[ -n "$text" ] || { echo "abi.rst: file '$file' not documented"; missing=1; continue; }
	extra=" $(borrowed "$text" | tr '\n' ' ') "
	for n in ${listed[$file]}; do
		n=$(echo "$n" | sed -E 's/^((.*_)?o)[0-9]+$/\10/')
		grep -qF "\`\`$n\`\`" <<<"$text" && continue
		[[ $extra == *" $n "* ]] && continue
		echo "abi.rst: '$file' column '$n' not documented under \`\`$file\`\`"
		missing=1
	done
done
exit $missing
