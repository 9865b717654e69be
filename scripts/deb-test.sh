#!/bin/bash
# The Debian packages end to end (make deb-test, run by make check), for
# each suite of scripts/kernels.list, in a throwaway overlay of its chroot
# (scripts/deb-env.sh) with the headers of that suite's kernels installed:
#  - apt install ./memacct-dkms_*.deb ./memacct_*.deb: DKMS must build and
#    install memacct for every kernel whose headers are there, with that
#    kernel's vermagic, signed (modinfo -F signer) if dkms made a MOK key;
#  - one VM boot per kernel, loading its DKMS-built module (headers only,
#    no kernel source) and running the packaged reader (with the suite's
#    own shared libraries, copied from the chroot): `memacct ps` must print
#    rows, and the allocator tests (slab and buddy against /proc) pass;
#  - apt purge of both: no module file, no /var/lib/dkms/memacct, no
#    /usr/src/memacct-*, no reader, unit or man page left.
# Usage: deb-test.sh DEBDIR
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${MEMACCT_CACHE:-$top/.cache}
. "$top/scripts/kenv.sh"
. "$top/scripts/deb-env.sh"
. "$top/scripts/run-selftests.sh"	# check_ktap, filter_console, bad_console
set -e
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
	out=$work/$suite
	rm -rf "$out" && mkdir -p "$out/vm/lib" "$out/ko"
	in_overlay "$suite" bash -ec '
		debs=$1 out=$2; shift 2
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
			case $ko in
			*.xz) xz -dc "$ko" >"$out/ko/$abi.ko" ;;
			*.zst) zstd -qdc "$ko" >"$out/ko/$abi.ko" ;;
			*.gz) gzip -dc "$ko" >"$out/ko/$abi.ko" ;;
			*) cp "$ko" "$out/ko/$abi.ko" ;;
			esac
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
	' sh "$debs" "$out" $abis 2>&1 | tee "$out/chroot.log" | sed "s/^/deb-test: $suite: /" || true
	grep -q '^purged$' "$out/chroot.log" || die "$suite: install/build/purge failed (logs in $out)"
	ok "$suite: apt install, DKMS build for $(echo $abis | tr ' ' ','), purge clean ($(($(date +%s) - t0)) s)"
	echo "$suite" $abis >>"$work/boots"
done

# The VM boots after every chroot test, as the VM lock may make them wait:
# one per kernel, with its DKMS-built module (built from headers alone: its
# slab layouts come from BTF), the packaged reader and the allocator tests.
while read -r suite abis; do
	out=$work/$suite
	ld=$(cd "$out/vm/lib" && ls ld-linux-x86-64.so.* | head -n1)
	for abi in $abis; do
		t1=$(date +%s)
		for boot in 1 2 3; do
			rc=0
			VM_KO=$out/ko/$abi.ko VM_EXTRA_DIR=$out/vm VM_NUMA=0 VM_MEM=1024 VM_MODULES=" " \
				"$top/scripts/vm.sh" -t 600 -o "$out/$abi.out" </dev/null -l "$out/$abi.console" "$abi" \
				"insmod /lib/modules/memacct.ko && /bench/lib/$ld --library-path /bench/lib /bench/memacct ps &&
				 MEMACCT_TESTS=allocator_test /selftests/run_all.sh" || rc=$?
			# as run-selftests.sh: a kernel that died before memacct was
			# loaded (TCG's boot-time text patching) boots again, up to
			# three boots
			if [ "$rc" != 0 ] && [ "$boot" != 3 ] && ! grep -aq memacct "$out/$abi.console"; then
				echo "deb-test: $abi died before memacct was loaded; booting it once more (console: $out/$abi.console.boot$boot)"
				cp "$out/$abi.console" "$out/$abi.console.boot$boot"
				continue
			fi
			break
		done
		[ "$rc" = 0 ] ||
			{ cat "$out/$abi.out"; die "$suite: the DKMS-built module, the packaged reader and the allocator tests in the VM ($abi)"; }
		tr -d '\r' <"$out/$abi.out" >"$out/$abi.txt"
		rows=$(grep -cE '^ *[0-9]+ ' "$out/$abi.txt" || true)
		[ "$rows" -gt 0 ] || { cat "$out/$abi.txt"; die "$suite: memacct ps printed no rows ($abi)"; }
		read -r apass afail askip < <(check_ktap "$out/$abi.txt")
		[ "$apass" -gt 0 ] && [ "$afail" = 0 ] ||
			{ grep -E '^(not ok|#.*(Expected|==|!=|\.c:))' "$out/$abi.txt"; die "$suite: allocator tests on the DKMS-built module ($abi): $apass passed, $afail failed"; }
		! filter_console "$out/$abi.console" | grep -aE "$bad_console" ||
			die "$suite: kernel console of $abi (above)"
		ok "$suite: $abi boots the DKMS-built module: memacct ps prints $rows rows, allocator tests $apass passed, $askip skipped ($(($(date +%s) - t1)) s)"
	done
done <"$work/boots"
echo "deb-test: $pass passed"
