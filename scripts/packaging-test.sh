#!/bin/bash
# Packaging checks run by `make check` (no VM):
#  - dkms.conf's version is the module's (module/memacct.h);
#  - Debian's dkms adds the `make dist` tarball to a throwaway DKMS tree
#    and builds it for each kernel; the built module's vermagic is that
#    kernel's;
#  - `make install` into a DESTDIR staging tree puts the module, the reader
#    and the man page where they belong (and depmod indexes the module);
#    `make uninstall` removes them.
# Usage: packaging-test.sh VERSION TARBALL KVER...
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
version=$1 tarball=$2
shift 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/memacct-pkg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pass=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
die() { echo "FAIL: packaging: $*" >&2; exit 1; }

conf_version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
[ "$conf_version" = "$version" ] || die "dkms.conf PACKAGE_VERSION $conf_version != $version"
ok "dkms.conf version $version"

mkdir -p "$tmp/src" "$tmp/tree" "$tmp/install"
tar -xzf "$tarball" -C "$tmp/src"
[ -e "$tmp/src/memacct-$version/dkms.conf" ] || die "tarball has no memacct-$version/dkms.conf"
dkms_() { dkms --dkmstree "$tmp/tree" --sourcetree "$tmp/src" --installtree "$tmp/install" "$@"; }
dkms_ add -m memacct -v "$version" >"$tmp/dkms.log" 2>&1 || { cat "$tmp/dkms.log"; die "dkms add"; }
for kver in "$@"; do
	dkms_ build -m memacct -v "$version" -k "$kver" \
		--kernelsourcedir "/usr/src/linux-headers-$kver" >"$tmp/dkms.log" 2>&1 ||
		{ cat "$tmp/dkms.log"; find "$tmp/tree" -name make.log -exec cat {} +; die "dkms build for $kver"; }
	ko=$(find "$tmp/tree/memacct/$version/$kver" -name "memacct.ko*" | head -n1)
	[ -n "$ko" ] || die "dkms built no memacct.ko for $kver"
	magic=$(modinfo -F vermagic "$ko")
	[ "${magic%% *}" = "$kver" ] || die "vermagic '$magic' is not for $kver"
	ok "dkms build for $kver (vermagic $magic)"
done

# from the unpacked tarball: what a packager installs (and a kbuild build
# in this tree would be cleaned with all of .cache/ by `make clean`)
kver=${*: -1}
stage=$tmp/stage
tree=$tmp/src/memacct-$version
make -s -C "$tree" install DESTDIR="$stage" PREFIX=/usr/local \
	KDIR="/usr/src/linux-headers-$kver" KVER="$kver" >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log"; die "make install"; }
for f in "lib/modules/$kver/updates/memacct.ko" usr/local/bin/memacct \
	usr/local/share/man/man1/memacct.1; do
	[ -s "$stage/$f" ] || die "make install did not install /$f"
done
grep -q "updates/memacct.ko" "$stage/lib/modules/$kver/modules.dep" || die "depmod did not index memacct"
"$stage/usr/local/bin/memacct" --version | grep -q "memacct reader $version" || die "installed reader"
grep -q '^\.SH EXIT STATUS' "$stage/usr/local/share/man/man1/memacct.1" ||
	die "installed man page has no EXIT STATUS section"
ok "make install DESTDIR=... for $kver"
make -s -C "$tree" uninstall DESTDIR="$stage" PREFIX=/usr/local KVER="$kver" >/dev/null 2>&1 ||
	die "make uninstall"
left=$(find "$stage" -name 'memacct*' | head -n3)
[ -z "$left" ] || die "make uninstall left: $left"
ok "make uninstall"
echo "packaging: $pass passed"
