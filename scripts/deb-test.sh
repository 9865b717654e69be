#!/bin/bash
# The Debian packages end to end (make deb-test, run by make check), for
# each suite of scripts/kernels.list, in a throwaway overlay of its chroot
# (scripts/deb-env.sh) with the headers of that suite's kernels installed:
#  - apt install ./memacct-dkms_*.deb ./memacct_*.deb: DKMS must build and
#    install memacct for every kernel whose headers are there, with that
#    kernel's vermagic, signed (modinfo -F signer) if dkms made a MOK key;
#  - one VM boot per suite, of its first kernel, loading the DKMS-built
#    module and running the packaged reader (with the suite's own shared
#    libraries, copied from the chroot): `memacct ps` must print rows;
#  - apt purge of both: no module file, no /var/lib/dkms/memacct, no
#    /usr/src/memacct-*, no reader, unit or man page left.
# Usage: deb-test.sh DEBDIR
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${MEMACCT_CACHE:-$top/.cache}
. "$top/scripts/kenv.sh"
. "$top/scripts/deb-env.sh"
debs=$(cd "${1:-$cache/deb}" && pwd)
work=$cache/deb-test
pass=0
ok() { echo "ok - deb: $*"; pass=$((pass + 1)); }
die() { echo "FAIL: deb: $*" >&2; exit 1; }
ls "$debs"/memacct-dkms_*_all.deb "$debs"/memacct_*_amd64.deb >/dev/null || die "no .debs in $debs (make deb)"

table=$(kernel_table)
mkdir -p "$work" && : >"$work/boots"
# suite of a kernel: the first of its suites column, without -security/-backports
suites=$(grep -v '^#' "$top/scripts/kernels.list" | awk 'NF { split($2, s, ","); sub(/-(security|backports)$/, "", s[1]); print s[1] }' | awk '!seen[$0]++')

for suite in $suites; do
	t0=$(date +%s)
	abis=$(grep -v '^#' "$top/scripts/kernels.list" | awk -v s="$suite" 'NF { split($2, a, ","); sub(/-(security|backports)$/, "", a[1]); if (a[1] == s) print $1 }' |
		while read -r name; do awk -v n="$name" '$2 == n { print $1 }' <<<"$table"; done)
	ensure_chroot "$suite"
	# the suite's kernel headers, kept in its chroot (as deps.sh does for
	# the kernels built there)
	for abi in $abis; do
		[ -e "$shared/chroots/$suite/usr/src/linux-headers-$abi/Module.symvers" ] && continue
		echo "deb-test: installing linux-headers-$abi in the $suite chroot"
		in_env "$suite" apt-get install -y -qq --no-install-recommends "linux-headers-$abi" >/dev/null ||
			{ in_env "$suite" apt-get update -qq && in_env "$suite" apt-get install -y -qq \
				--no-install-recommends "linux-headers-$abi" >/dev/null; }
	done
	boot=$(echo $abis | awk '{ print $1 }')
	out=$work/$suite
	rm -rf "$out" && mkdir -p "$out/vm/lib"
	in_overlay "$suite" bash -ec '
		debs=$1 out=$2 boot=$3; shift 3
		cd "$debs"
		apt-get install -y --no-install-recommends ./memacct-dkms_*_all.deb ./memacct_*_amd64.deb >"$out/install.log" 2>&1 ||
			{ apt-get update -qq && apt-get install -y --no-install-recommends ./memacct-dkms_*_all.deb ./memacct_*_amd64.deb >"$out/install.log" 2>&1; } ||
			{ tail -n 40 "$out/install.log"; find /var/lib/dkms -name make.log -exec tail -n 30 {} +; exit 1; }
		for abi in "$@"; do
			ko=$(find "/lib/modules/$abi/updates" -name "memacct.ko*" 2>/dev/null | head -n1)
			[ -n "$ko" ] || { echo "FAIL: no DKMS-built memacct.ko for $abi"; dkms status; find /var/lib/dkms -name make.log -exec tail -n 20 {} +; exit 1; }
			magic=$(modinfo -F vermagic "$ko")
			[ "${magic%% *}" = "$abi" ] || { echo "FAIL: $ko vermagic $magic"; exit 1; }
			signer=
			if [ -e /var/lib/dkms/mok.pub ]; then
				signer=$(modinfo -F signer "$ko")
				[ -n "$signer" ] || { echo "FAIL: dkms has a MOK key but $ko is unsigned"; exit 1; }
			fi
			echo "built $abi $ko vermagic=\"$magic\" signer=\"${signer:-none (no MOK key)}\""
			if [ "$abi" = "$boot" ]; then
				case $ko in
				*.xz) xz -dc "$ko" >"$out/vm/memacct.ko" ;;
				*.zst) zstd -qdc "$ko" >"$out/vm/memacct.ko" ;;
				*.gz) gzip -dc "$ko" >"$out/vm/memacct.ko" ;;
				*) cp "$ko" "$out/vm/memacct.ko" ;;
				esac
			fi
		done
		# the packaged reader and the shared libraries it uses, for the VM
		cp /usr/bin/memacct "$out/vm/memacct"
		ldd /usr/bin/memacct | grep -o "/[^ ]*" | while read -r l; do cp -L "$l" "$out/vm/lib/"; done
		memacct --version
		dpkg -L memacct memacct-dkms >"$out/files"
		apt-get purge -y memacct-dkms memacct >"$out/purge.log" 2>&1 || { tail -n 20 "$out/purge.log"; exit 1; }
		left=$(find /lib/modules /usr/lib/modules -name "memacct.ko*" 2>/dev/null; ls -d /var/lib/dkms/memacct /usr/src/memacct-* 2>/dev/null;
			while read -r f; do [ -f "$f" ] && echo "$f"; done <"$out/files"; true)
		[ -z "$left" ] || { echo "FAIL: purge left: $left"; exit 1; }
		dpkg -l memacct memacct-dkms 2>/dev/null | grep -q "^[ih]i" && { echo "FAIL: still installed"; exit 1; }
		echo "purged"
	' sh "$debs" "$out" "$boot" $abis 2>&1 | tee "$out/chroot.log" | sed "s/^/deb-test: $suite: /" || true
	grep -q '^purged$' "$out/chroot.log" || die "$suite: install/build/purge failed (logs in $out)"
	ok "$suite: apt install, DKMS build for $(echo $abis | tr ' ' ','), purge clean ($(($(date +%s) - t0)) s)"
	echo "$suite $boot" >>"$work/boots"
done

# The VM boots after every chroot test, as the VM lock may make them wait.
while read -r suite boot; do
	out=$work/$suite
	t1=$(date +%s)
	ld=$(cd "$out/vm/lib" && ls ld-linux-x86-64.so.* | head -n1)
	VM_KO=$out/vm/memacct.ko VM_EXTRA_DIR=$out/vm VM_NUMA=0 VM_MEM=1024 VM_MODULES=" " \
		"$top/scripts/vm.sh" -t 300 -o "$out/vm.out" -l "$out/vm.console" "$boot" \
		"insmod /lib/modules/memacct.ko && /bench/lib/$ld --library-path /bench/lib /bench/memacct ps" ||
		{ cat "$out/vm.out"; die "$suite: the DKMS-built module and the packaged reader in the VM ($boot)"; }
	rows=$(tr -d '\r' <"$out/vm.out" | grep -cE '^ *[0-9]+ ' || true)
	[ "$rows" -gt 0 ] || { cat "$out/vm.out"; die "$suite: memacct ps printed no rows"; }
	ok "$suite: $boot boots, loads the DKMS-built module, memacct ps prints $rows rows ($(($(date +%s) - t1)) s)"
done <"$work/boots"
echo "deb-test: $pass passed"
