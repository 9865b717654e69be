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
fail=0 n=0
while read -r sm bitoff size bits; do
	s=${sm%%.*} m=${sm#*.}
	# "	unsigned int inuse:16; /*    40: 0  4 */", "	... node[1024]; /* 224 8192 */"
	line=$(pahole -C "$s" "$btf" 2>/dev/null |
		grep -m1 -E "[ *]$m(\[[0-9]+\])?(:[0-9]+)?;" || true)
	p=$(echo "$line" | sed -nE 's|.*/\*[ ]*([0-9]+)(:[ ]*([0-9]+))?[ ]+([0-9]+)[ ]*\*/.*|\1 \3 \4|p')
	read -r poff pbit psize <<<"$p $(echo)"
	if [ -z "$p" ]; then
		echo "not ok - pahole shows no $s.$m"
		fail=1
		continue
	fi
	[ -n "$psize" ] || { psize=$pbit; pbit=0; }
	pbits=$(echo "$line" | sed -nE 's|.*:([0-9]+);.*|\1|p')
	pbits=${pbits:-0}
	if [ $((poff * 8 + pbit)) != "$bitoff" ] || [ "$psize" != "$size" ] || [ "$pbits" != "$bits" ]; then
		echo "not ok - $s.$m: parser $bitoff/$size/$bits, pahole $((poff * 8 + pbit))/$psize/$pbits"
		fail=1
	fi
	n=$((n + 1))
done < <("$test" --dump "$btf")
[ "$n" -gt 0 ] || { echo "not ok - nothing resolved"; exit 1; }
[ $fail = 0 ] && echo "ok - $n members agree with pahole ($btf)"
exit $fail
