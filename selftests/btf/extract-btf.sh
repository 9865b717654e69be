#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Extracts the BTF of a kernel image (x86 bzImage: an xz, zstd or gzip
# compressed vmlinux whose .BTF section is the same blob the running
# kernel shows as /sys/kernel/btf/vmlinux), for btf_parse_test to check
# the parser on the supported kernels' own BTF from the host.
# Usage: extract-btf.sh VMLINUZ OUT (kept while newer than VMLINUZ)
set -euo pipefail
img=$1 out=$2
[ "$out" -nt "$img" ] && exit 0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/memacct-btf.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
try() { # grep pattern of the magic, decompressor
	local off
	off=$(LC_ALL=C grep -obUaP -m1 "$1" "$img" | head -n1 | cut -d: -f1)
	[ -n "$off" ] || return 1
	# the decompressor complains about what follows the stream: judge by the result
	tail -c +$((off + 1)) "$img" | $2 >"$tmp/vmlinux" 2>/dev/null || true
	[ "$(head -c 4 "$tmp/vmlinux" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]
}
try '\xfd7zXZ\x00' 'xz -dc' || try '\x28\xb5\x2f\xfd' 'zstd -dcq' ||
	try '\x1f\x8b\x08' 'gzip -dc' ||
	{ echo "extract-btf: no vmlinux found in $img" >&2; exit 1; }
objcopy -O binary --only-section=.BTF "$tmp/vmlinux" "$tmp/btf"
[ -s "$tmp/btf" ] || { echo "extract-btf: $img has no .BTF section" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
mv "$tmp/btf" "$out"
