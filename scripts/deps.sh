#!/bin/bash
# Install everything memacct needs to build and test, idempotently:
# Debian packages on the host; each supported kernel's headers (on the host,
# or in a chroot of its suite) and image, in the shared cache outside the
# clone (scripts/kenv.sh); and in the git-ignored cache (.cache/):
#   kernels/<ver>    links to the unpacked images (vmlinuz, modules)
#   src/             kselftest harness headers and checkpatch.pl extracted
#                    from Debian's linux-source-6.12 package
#   bin/promtool     from Debian's prometheus package (not installed)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${MEMACCT_CACHE:-$top/.cache}
mkdir -p "$cache"
. "$top/scripts/kenv.sh"

PKGS="build-essential bc kmod cpio gzip xz-utils flex bison libelf-dev libssl-dev
qemu-system-x86 busybox-static sparse libcmocka-dev libjansson-dev
libncurses-dev pkg-config jq tmux valgrind python3-sphinx dkms dwarves zstd procps"

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
if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	apt_update
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $missing >/dev/null
fi

# The supported kernels (scripts/kernels.list, resolved by scripts/kenv.sh
# with the project-private apt configuration).
papt_setup
table=$("$top/scripts/kversions.sh" --table)

# Headers: on this machine for the kernels built here, in the chroot of
# their suite for the others (built with that suite's gcc).
host_missing=
while read -r abi name build tests ver; do
	if [ "$build" = host ]; then
		[ -e "/usr/src/linux-headers-$abi/Module.symvers" ] || host_missing="$host_missing linux-headers-$abi"
		continue
	fi
	ensure_chroot "$build"
	if [ ! -e "$shared/chroots/$build/usr/src/linux-headers-$abi/Module.symvers" ]; then
		echo "deps: installing linux-headers-$abi in the $build chroot"
		in_env "$build" apt-get install -y -qq --no-install-recommends "linux-headers-$abi" >/dev/null ||
			{ in_env "$build" apt-get update -qq && in_env "$build" apt-get install -y -qq \
				--no-install-recommends "linux-headers-$abi" >/dev/null; }
	fi
done <<<"$table"
if [ -n "$host_missing" ]; then
	echo "deps: installing:$host_missing"
	apt_update
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $host_missing >/dev/null
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

# Kernel images, unpacked (never installed) into the shared cache, keyed by
# package version, and linked from .cache/kernels/<abi> for the VM. Up to
# 6.12 one package holds the kernel (linux-image-<abi>-unsigned); since 7.x
# Debian splits it into linux-binary (vmlinuz), linux-base (System.map)
# and linux-modules.
image_packages() { # abi
	local p
	for p in "linux-image-$1-unsigned" "linux-binary-$1"; do
		if papt_cache show "$p" >/dev/null 2>&1; then
			case $p in
			linux-binary-*) echo "linux-base-$1 linux-binary-$1 linux-modules-$1" ;;
			*) echo "$p" ;;
			esac
			return 0
		fi
	done
	echo "linux-image-$1"
}

fetch_deb() { # package -> path of its .deb, of the version the lists name
	local ver f
	ver=$(papt_cache show "$1" 2>/dev/null | sed -n 's/^Version: //p' | head -n1)
	[ -n "$ver" ] || { echo "deps: no package $1" >&2; return 1; }
	f=$papt_dir/archives/${1}_${ver//:/%3a}_amd64.deb
	if [ ! -e "$f" ]; then
		echo "deps: downloading $1 $ver" >&2
		(cd "$papt_dir/archives" && papt download -q "$1=$ver" >/dev/null)
	fi
	echo "$f"
}

unpack_kernel() { # abi dir
	local p r=$2/root f
	for p in $(image_packages "$1"); do
		dpkg-deb -x "$(fetch_deb "$p")" "$r"
	done
	for f in "$r/boot/vmlinuz-$1" "$r/usr/lib/modules/$1/vmlinuz"; do
		[ -e "$f" ] && cp "$f" "$2/vmlinuz"
	done
	for f in "$r/boot/System.map-$1" "$r/usr/lib/modules/$1/System.map"; do
		[ -e "$f" ] && cp "$f" "$2/System.map"
	done
	for f in "$r/lib/modules/$1" "$r/usr/lib/modules/$1"; do
		[ -d "$f" ] && mv "$f" "$2/modules"
	done
	rm -rf "$r"
	[ -e "$2/vmlinuz" ] && [ -d "$2/modules" ] ||
		{ echo "deps: no vmlinuz or modules in the packages of $1" >&2; return 1; }
}

mkdir -p "$cache/kernels" "$shared/kernels"
while read -r abi name build tests ver; do
	kd=$shared/kernels/$abi
	if [ ! -e "$kd/.done" ] || [ "$(cat "$kd/.done")" != "$ver" ]; then
		echo "deps: unpacking kernel image $abi ($ver)"
		rm -rf "$kd.tmp" && mkdir -p "$kd.tmp"
		unpack_kernel "$abi" "$kd.tmp"
		echo "$ver" >"$kd.tmp/.done"
		rm -rf "$kd" && mv "$kd.tmp" "$kd"
	fi
	[ -e "$cache/kernels/$abi/.done" ] || { rm -rf "$cache/kernels/$abi"; ln -s "$kd" "$cache/kernels/$abi"; }
done <<<"$table"

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
