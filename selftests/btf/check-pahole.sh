#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Compares the members btf_parse_test --dump resolves (bit offset, size,
# bitfield width) with pahole's reading of the same BTF file.
# Usage: check-pahole.sh BTF_PARSE_TEST BTF_FILE
set -euo pipefail
test=$1 btf=$2
if ! command -v pahole >/dev/null; then
	echo "# SKIP: no pahole to compare with"
	exit 0
fi

# "bit_offset size bitfield_bits" of member $2 of struct $1 as pahole shows
# it, $3 bits added; looked for inside the anonymous members of a named
# struct type ("struct freelist_counters ;", which pahole does not expand)
# when not shown directly.
find_member() {
	local s=$1 m=$2 base=$3 text line p off bit size bits sub
	text=$(pahole -C "$s" "$btf" 2>/dev/null) || return 0
	# "	unsigned int inuse:16; /*    40: 0  4 */", "	... node[1024]; /* 224 8192 */"
	line=$(grep -m1 -E "[ *]$m(\[[0-9]+\])?(:[0-9]+)?;" <<<"$text" || true)
	if [ -n "$line" ]; then
		p=$(sed -nE 's|.*/\*[ ]*([0-9]+)(:[ ]*([0-9]+))?[ ]+([0-9]+)[ ]*\*/.*|\1 \3 \4|p' <<<"$line")
		read -r off bit size <<<"$p"
		[ -n "${size:-}" ] || { size=$bit; bit=0; }
		bits=$(sed -nE 's|.*:([0-9]+);.*|\1|p' <<<"$line")
		echo "$((base + off * 8 + bit)) $size ${bits:-0}"
		return 0
	fi
	grep -E '^[[:space:]]*struct [a-z_0-9]+ +;' <<<"$text" |
		sed -nE 's|^[[:space:]]*struct ([a-z_0-9]+) +;[ ]*/\*[ ]*([0-9]+) .*|\1 \2|p' |
		while read -r sub off; do
			find_member "$sub" "$m" $((base + off * 8))
		done | head -n1
}

fail=0 n=0
while read -r sm bitoff size bits; do
	s=${sm%%.*} m=${sm#*.}
	got=$(find_member "$s" "$m" 0)
	if [ -z "$got" ]; then
		echo "not ok - pahole shows no $s.$m"
		fail=1
	elif [ "$got" != "$bitoff $size $bits" ]; then
		echo "not ok - $s.$m: parser $bitoff $size $bits, pahole $got (bit offset, size, bits)"
		fail=1
	fi
	n=$((n + 1))
done < <("$test" --dump "$btf")
[ "$n" -gt 0 ] || { echo "not ok - nothing resolved"; exit 1; }
[ $fail = 0 ] && echo "ok - $n members agree with pahole ($btf)"
exit $fail
