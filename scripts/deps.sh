#!/bin/bash
# Install everything memacct needs to build and test, idempotently:
# Debian packages on the host, and, in the git-ignored cache (.cache/):
#   kernels/<ver>/   vmlinuz + modules unpacked from linux-image-<ver>-unsigned
#                    (apt-get download + dpkg-deb -x: never installed on the host)
#   src/             kselftest harness headers and checkpatch.pl extracted
#                    from Debian's linux-source-6.12 package
#   bin/promtool     from Debian's prometheus package (not installed)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${MEMACCT_CACHE:-$top/.cache}
mkdir -p "$cache"

PKGS="build-essential bc kmod cpio gzip xz-utils flex bison libelf-dev libssl-dev
qemu-system-x86 busybox-static sparse libcmocka-dev libjansson-dev
libncurses-dev pkg-config jq tmux valgrind python3-sphinx dkms dwarves zstd"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=
apt_update() {
	[ -n "$apt_updated" ] && return 0
	as_root apt-get update -qq
	apt_updated=1
}

missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if ! apt-cache depends linux-headers-amd64 >/dev/null 2>&1; then apt_update; fi
vers=$("$top/scripts/kversions.sh" 2>/dev/null) || { apt_update; vers=$("$top/scripts/kversions.sh"); }
for v in $vers; do
	[ -e "/usr/src/linux-headers-$v/Module.symvers" ] || missing="$missing linux-headers-$v"
done
if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	apt_update
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $missing >/dev/null
fi

dl=$cache/dl
mkdir -p "$dl"
# A package's .deb in the cache, for the exact version apt would install
# now (an older cached one, e.g. from before an ABI bump, is not used).
fetch() { # package name -> path of its .deb
	local ver f
	ver=$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p')
	if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
		apt_update
		ver=$(apt-cache policy "$1" | sed -n 's/^ *Candidate: //p')
	fi
	[ -n "$ver" ] && [ "$ver" != "(none)" ] || { echo "deps: no package $1" >&2; return 1; }
	f=$(ls "$dl/${1}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n1 || true)
	if [ -z "$f" ]; then
		(cd "$dl" && apt-get download -q "$1=$ver" >/dev/null 2>&1) ||
			{ apt_update; (cd "$dl" && apt-get download -q "$1=$ver" >/dev/null); }
		f=$(ls "$dl/${1}_${ver//:/%3a}_"*.deb | head -n1)
	fi
	echo "$f"
}

for v in $vers; do
	kd=$cache/kernels/$v
	[ -e "$kd/.done" ] && continue
	echo "deps: unpacking kernel image $v"
	deb=$(fetch "linux-image-$v-unsigned")
	rm -rf "$kd.tmp" && mkdir -p "$kd.tmp"
	dpkg-deb -x "$deb" "$kd.tmp/root"
	cp "$kd.tmp/root/boot/vmlinuz-$v" "$kd.tmp/vmlinuz"
	cp "$kd.tmp/root/boot/System.map-$v" "$kd.tmp/System.map"
	mv "$kd.tmp/root/lib/modules/$v" "$kd.tmp/modules"
	rm -rf "$kd.tmp/root"
	touch "$kd.tmp/.done"
	rm -rf "$kd" && mv "$kd.tmp" "$kd"
done

# promtool checks the reader's Prometheus output: taken out of the
# prometheus package into the cache, never installed (the package would
# enable and start a Prometheus server on this host).
if [ ! -x "$cache/bin/promtool" ]; then
	echo "deps: unpacking promtool from the prometheus package"
	deb=$(fetch prometheus)
	rm -rf "$cache/promtool.tmp" && mkdir -p "$cache/promtool.tmp" "$cache/bin"
	dpkg-deb -x "$deb" "$cache/promtool.tmp"
	cp "$cache/promtool.tmp/usr/bin/promtool" "$cache/bin/promtool.tmp"
	mv "$cache/bin/promtool.tmp" "$cache/bin/promtool"
	rm -rf "$cache/promtool.tmp"
fi

src=$cache/src
if [ ! -e "$src/.done" ]; then
	echo "deps: extracting kselftest harness and checkpatch from linux-source-6.12"
	deb=$(fetch linux-source-6.12)
	rm -rf "$src" "$cache/srcpkg" && mkdir -p "$src" "$cache/srcpkg"
	dpkg-deb -x "$deb" "$cache/srcpkg"
	tarball=$(ls "$cache"/srcpkg/usr/src/linux-source-6.12.tar.xz)
	tar -xJf "$tarball" -C "$src" --strip-components=1 \
		linux-source-6.12/tools/testing/selftests/kselftest.h \
		linux-source-6.12/tools/testing/selftests/kselftest_harness.h \
		linux-source-6.12/scripts/checkpatch.pl \
		linux-source-6.12/scripts/spelling.txt \
		linux-source-6.12/scripts/const_structs.checkpatch
	rm -rf "$cache/srcpkg"
	touch "$src/.done"
fi
