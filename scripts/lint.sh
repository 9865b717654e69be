#!/bin/bash
# `make lint`: checkpatch --strict on the module, then sparse (C=2) on a
# build of it for every kernel of kernels.list, each in its own
# environment; any warning or error fails. Kernels since 6.15 validate
# sparse with scripts/checker-valid.sh, which Debian's headers packages
# do not ship, and would silently turn sparse off: there the same check
# (sparse must parse __typeof_unqual__) is run here, and sparse is forced
# on if it passes, or the kernel is named as not checked if it does not.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/kenv.sh"
cache=${MEMACCT_CACHE:-$top/.cache}

perl "$cache/src/scripts/checkpatch.pl" --no-tree --strict --terse \
	--ignore FILE_PATH_CHANGES,LINUX_VERSION_CODE,CONSTANT_COMPARISON,MACRO_ARG_REUSE,MACRO_ARG_UNUSED,DEPRECATED_API \
	-f "$top"/module/*.c "$top"/module/*.h "$top"/module/wrapper/*.h

sparse_parses_typeof_unqual() { # env
	in_env "$1" sh -c 'f=$(mktemp --suffix=.c) &&
		printf "static inline int u(const int *q)\n{\n\t__typeof_unqual__(*q) v = *q;\n\treturn v;\n}\n" >"$f" &&
		out=$(sparse "$f" 2>&1); rm -f "$f"; ! printf "%s" "$out" | grep -q error'
}

unchecked=
for v in $("$top/scripts/kversions.sh"); do
	b=$cache/build/lint-$v
	rm -rf "$b"
	mkdir -p "$b"
	cp -a "$top/Kbuild" "$top/module" "$b/"
	"$top/scripts/kbuild.sh" "$v" "$b" -s C=2 modules >"$b/sparse.log" 2>&1
	if grep -q 'not available or not up to date' "$b/sparse.log"; then
		env=$(kernel_env "$v")
		if ! sparse_parses_typeof_unqual "$env"; then
			echo "lint: $v: not checked by sparse: the sparse of its build environment ($env) cannot parse its headers (__typeof_unqual__)"
			unchecked="$unchecked $v"
			continue
		fi
		echo "lint: $v: sparse forced on (its headers lack scripts/checker-valid.sh; the same check passed)"
		rm -rf "$b/module"
		cp -a "$top/module" "$b/"
		"$top/scripts/kbuild.sh" "$v" "$b" -s C=2 KBUILD_CHECKSRC=2 modules >"$b/sparse.log" 2>&1
	fi
	grep -v 'not available or not up to date\|checker-valid.sh: No such file' "$b/sparse.log" |
		grep -E 'warning|error' && { echo "lint: $v: sparse or the build warned"; exit 1; }
	echo "lint: $v: sparse clean"
done
echo "lint: clean${unchecked:+ (sparse could not check:$unchecked)}"
