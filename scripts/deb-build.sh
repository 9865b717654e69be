#!/bin/bash
# `make deb`: memacct-dkms and memacct .debs from the `make dist` tarball,
# with debhelper (dh_dkms from dh-dkms, or from dkms itself on bullseye),
# into .cache/deb/; then lintian on both.
# Built in a throwaway copy of the bullseye chroot (scripts/kenv.sh): the
# reader links against the oldest supported suite's libraries (glibc 2.31,
# libjansson4, libncursesw6), so the one memacct .deb installs on every
# suite of scripts/kernels.list; memacct-dkms is Architecture: all.
# Usage: deb-build.sh VERSION TARBALL
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${MEMACCT_CACHE:-$top/.cache}
. "$top/scripts/kenv.sh"
. "$top/scripts/deb-env.sh"
version=${1:?usage: deb-build.sh VERSION TARBALL} tarball=${2:?}
suite=${DEB_BUILD_SUITE:-bullseye}
out=$cache/deb
ensure_chroot "$suite"

rm -rf "$out" && mkdir -p "$out/build"
tar -xzf "$tarball" -C "$out/build"
src=$out/build/memacct-$version
cp -a "$top/scripts/deb" "$src/debian"
date=$(git -C "$top" log -1 --format=%aD 2>/dev/null || date -R)
cat >"$src/debian/changelog" <<CL
memacct ($version-1) unstable; urgency=medium

  * memacct $version, packaged by make deb (scripts/deb-build.sh).

 -- memacct developers <memacct@example.org>  $date
CL

bdeps="build-essential debhelper dh-dkms dkms libjansson-dev libncurses-dev pkg-config python3-sphinx lintian"
# dh-dkms exists from bookworm on; before, dkms ships dh_dkms itself
[ "$suite" = bullseye ] && bdeps=${bdeps/ dh-dkms/}
in_overlay "$suite" sh -ec '
	src=$1 out=$2 bdeps=$3
	apt-get install -y -qq --no-install-recommends $bdeps >/dev/null ||
		{ apt-get update -qq && apt-get install -y -qq --no-install-recommends $bdeps >/dev/null; }
	cd "$src"
	dpkg-buildpackage -b -us -uc >"$out/build.log" 2>&1 || { tail -n 40 "$out/build.log"; exit 1; }
	cd "$out/build"
	: >"$out/lintian.txt"
	rc=0
	for d in memacct-dkms_*.deb memacct_*.deb; do
		# exit status 1: an error-level tag (lintian $(lintian --version))
		lintian "$d" >"$out/lintian.$d.txt" 2>&1 || rc=1
		{ echo "lintian $d:"; cat "$out/lintian.$d.txt"; } | tee -a "$out/lintian.txt"
	done
	exit $rc
	' sh "$src" "$out" "$bdeps"
mv "$out"/build/*.deb "$out/"
ls "$out"/*.deb
