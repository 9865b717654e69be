#!/bin/bash
# Sourced by deb-build.sh and deb-test.sh (after kenv.sh):
#   in_overlay SUITE CMD...  CMD in a throwaway copy of the chroot of
#       SUITE: an overlayfs over it, in its own mount namespace, whose
#       upper layer is deleted afterwards (nothing persists but the apt
#       archive cache, $shared/deb/archives/SUITE, bind-mounted over
#       /var/cache/apt/archives so a second run downloads nothing). The
#       project tree is at the same path, as with in_env.
debshared=$shared/deb
in_overlay() { # suite cmd...
	local suite=$1 dir=$shared/chroots/$1 ov rc=0
	shift
	[ -e "$dir/.done" ] || { echo "deb: no chroot for $suite" >&2; return 1; }
	mkdir -p "$debshared/archives/$suite/partial" "$debshared/tmp"
	ov=$(mktemp -d "$debshared/tmp/$suite.XXXXXX")
	mkdir -p "$ov/upper" "$ov/work" "$ov/root"
	unshare -m --propagation private sh -c '
		lower=$1 ov=$2 tree=$3 arch=$4; shift 4
		root=$ov/root
		mount -t overlay overlay -o "lowerdir=$lower,upperdir=$ov/upper,workdir=$ov/work" "$root" || exit 1
		mount -t proc proc "$root/proc"
		mount --rbind /dev "$root/dev"
		mount -t tmpfs tmpfs "$root/tmp"
		mkdir -p "$root$tree"
		mount --bind "$tree" "$root$tree"
		mount --bind "$arch" "$root/var/cache/apt/archives"
		exec chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
			DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"' sh \
		"$dir" "$ov" "$top" "$debshared/archives/$suite" "$@" || rc=$?
	rm -rf "$ov"
	return "$rc"
}
