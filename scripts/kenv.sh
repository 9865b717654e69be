#!/bin/bash
# Sourced by the scripts that need the supported kernels (kernels.list):
#
#   kernel_table      resolved table: "abi name build tests version" lines
#   papt ARGS         apt-get with the project-private apt configuration
#   papt_cache ARGS   apt-cache with it
#   ensure_chroot S   a debootstrap chroot of suite S, with make, perl and
#                     sparse (kbuild's W=1 and C=2 use them)
#   in_env ENV CMD    CMD on the host (ENV=host) or in the chroot of suite
#                     ENV (unshare + chroot: nothing stays mounted), with
#                     the project tree and its cache at the same paths
#
# Everything downloaded or built here is kept outside the clone, under
# $MEMACCT_SHARED (default /var/cache/memacct), keyed by version, so a
# fresh clone on the same machine reuses it:
#   apt/        private apt configuration, lists and archives: its own
#               sources list naming every suite of kernels.list, verified
#               with the machine's Debian archive keyring; /etc/apt is
#               never touched
#   chroots/S/  minbase chroot of suite S with that suite's gcc and the
#               kernel headers installed in it
#   kernels/A/  vmlinuz, System.map, modules of ABI A, unpacked from
#               linux-image-A(-unsigned), never installed
set -euo pipefail
: "${top:?kenv.sh: set top}"
shared=${MEMACCT_SHARED:-/var/cache/memacct}
papt_dir=$shared/apt
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The Debian mirror this machine uses (and its security mirror).
debian_mirror() {
	local m
	m=$( (cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		grep -oE '^deb [^#]*https?://[^ ]+/debian/?( |$)' |
		grep -oE 'https?://[^ ]+'
		sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
		tr ' ' '\n' | grep -E '/debian/?$') | head -n1 || true)
	echo "${m:-http://deb.debian.org/debian}"
}

security_mirror() {
	echo "$(debian_mirror | sed 's,/debian/*$,,')/debian-security"
}

papt_opts=(-o "Dir::Etc::SourceList=$papt_dir/sources.list"
	-o "Dir::Etc::SourceParts=$papt_dir/sources.list.d"
	-o "Dir::Etc::Preferences=$papt_dir/preferences"
	-o "Dir::Etc::PreferencesParts=$papt_dir/preferences.d"
	-o "Dir::State::Lists=$papt_dir/lists"
	-o "Dir::State::status=$papt_dir/status"
	-o "Dir::Cache=$papt_dir/cache"
	-o "Dir::Cache::Archives=$papt_dir/archives"
	-o "APT::Architecture=amd64" -o "APT::Get::List-Cleanup=0"
	-o "APT::Sandbox::User=root" -o "Acquire::Check-Valid-Until=false")

# The mirror may be a snapshot whose Release files are past their
# Valid-Until (seen with sid): their signatures are still checked.
apt_no_valid_until='Acquire::Check-Valid-Until "false";'

papt() { apt-get "${papt_opts[@]}" "$@"; }
papt_cache() { apt-cache "${papt_opts[@]}" "$@"; }

# Every suite named in kernels.list.
list_suites() {
	grep -v '^#' "$top/scripts/kernels.list" | awk 'NF { print $2 }' | tr ',' '\n' | sort -u
}

# The private sources list (every suite any clone asked for), and fresh
# lists (refreshed after 12 hours); under a lock, as several builds may ask
# at once.
papt_setup() {
	mkdir -p "$papt_dir"
	(
		flock 8
		papt_setup_locked
	) 8>"$papt_dir/lock"
}

papt_setup_locked() {
	local mirror sec s f=$papt_dir/sources.list
	mirror=$(debian_mirror)
	sec=$(security_mirror)
	mkdir -p "$papt_dir"/{lists/partial,archives/partial,cache,sources.list.d,preferences.d}
	touch "$papt_dir/status"
	{
		for s in $(list_suites); do
			case $s in
			*-security) echo "deb [signed-by=$keyring] $sec $s main" ;;
			*) echo "deb [signed-by=$keyring] $mirror $s main" ;;
			esac
		done
	} >"$f.new"
	# The union with the suites already listed: clones of this project
	# with other kernels.list files share this configuration.
	[ -e "$f" ] && sort -u "$f" "$f.new" -o "$f.new"
	if ! cmp -s "$f.new" "$f" || [ -z "$(find "$papt_dir/lists" -name '*Packages*' -mmin -720 | head -n1)" ]; then
		mv "$f.new" "$f"
		echo "kenv: apt-get update (project-private lists in $papt_dir)" >&2
		papt -qq update >&2
		rm -f "$papt_dir"/resolved*
	else
		rm -f "$f.new"
	fi
}

# "abi version" of the newest @meta among the comma-separated @suites.
resolve_kernel() { # suites meta
	local s info ver abi best_ver= best_abi=
	for s in ${1//,/ }; do
		info=$(papt_cache show "$2/$s" 2>/dev/null) || continue
		ver=$(sed -n 's/^Version: //p' <<<"$info" | head -n1)
		abi=$(sed -n 's/^Depends: //p' <<<"$info" | head -n1 | tr ',' '\n' |
			sed -n 's/^ *linux-headers-\([^ ]*\).*/\1/p' | grep -v -- '-common$' | head -n1)
		[ -n "$ver" ] && [ -n "$abi" ] || continue
		if [ -z "$best_ver" ] || dpkg --compare-versions "$ver" gt "$best_ver"; then
			best_ver=$ver best_abi=$abi
		fi
	done
	[ -n "$best_abi" ] || { echo "kenv: cannot resolve $2 in $1" >&2; return 1; }
	echo "$best_abi $best_ver"
}

# The resolved table, cached until the lists change, per content of
# kernels.list (clones with other kernels share the cache).
kernel_table() {
	local r name suites meta build tests abiver
	r=$papt_dir/resolved.$(grep -v '^#' "$top/scripts/kernels.list" | md5sum | cut -c1-12)
	if [ ! -s "$r" ] || [ "$papt_dir/sources.list" -nt "$r" ]; then
		papt_setup
		grep -v '^#' "$top/scripts/kernels.list" | while read -r name suites meta build tests; do
			[ -n "$name" ] || continue
			abiver=$(resolve_kernel "$suites" "$meta") || exit 1
			echo "${abiver% *} $name $build $tests ${abiver#* }"
		done >"$r.$$"
		mv "$r.$$" "$r"
	fi
	cat "$r"
}

# The chroot of @suite (debootstrap minbase), its apt pointed at the same
# mirror with the suite's security and backports archives.
chroot_pkgs="make ca-certificates perl sparse"

# The apt sources of the chroot of @suite: the suite, its security archive,
# and its backports where kernels.list takes a kernel from them.
chroot_sources() { # suite mirror security-mirror
	echo "deb $2 $1 main"
	case $1 in
	sid | unstable) ;;
	*) echo "deb $3 $1-security main" ;;
	esac
	if list_suites | grep -qx "$1-backports"; then
		echo "deb $2 $1-backports main"
	fi
}

ensure_chroot() { # suite
	local suite=$1 dir=$shared/chroots/$1 mirror sec list missing
	mirror=$(debian_mirror)
	sec=$(security_mirror)
	if [ -e "$dir/.done" ]; then
		# a chroot made before kernels.list named its backports, or
		# before chroot_pkgs grew, gets what is new (sources: the union)
		list=$dir/etc/apt/sources.list
		[ -e "$dir/etc/apt/apt.conf.d/99memacct-valid-until" ] ||
			echo "$apt_no_valid_until" | as_root tee "$dir/etc/apt/apt.conf.d/99memacct-valid-until" >/dev/null
		missing=$(chroot_sources "$suite" "$mirror" "$sec" | grep -Fvxf "$list" || true)
		if [ -n "$missing" ]; then
			echo "$missing" | as_root tee -a "$list" >/dev/null
			in_env "$suite" apt-get update -qq >&2
		fi
		[ "$(cat "$dir/.done")" = "$chroot_pkgs" ] && return 0
		in_env "$suite" apt-get install -y -qq --no-install-recommends $chroot_pkgs >/dev/null
		echo "$chroot_pkgs" >"$dir/.done"
		return 0
	fi
	command -v debootstrap >/dev/null ||
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
	echo "kenv: debootstrap $suite into $dir" >&2
	as_root rm -rf "$dir.tmp"
	mkdir -p "$shared/chroots"
	# verified with debootstrap's default keyring, the Debian archive's
	as_root debootstrap --variant=minbase --include="${chroot_pkgs// /,}" \
		"$suite" "$dir.tmp" "$mirror" >"$shared/chroots/$suite.log" 2>&1 ||
		{ tail -n 20 "$shared/chroots/$suite.log" >&2; return 1; }
	chroot_sources "$suite" "$mirror" "$sec" >"$dir.tmp/etc/apt/sources.list"
	echo "$apt_no_valid_until" >"$dir.tmp/etc/apt/apt.conf.d/99memacct-valid-until"
	as_root rm -rf "$dir" && as_root mv "$dir.tmp" "$dir"
	in_env "$suite" apt-get update -qq >&2
	echo "$chroot_pkgs" >"$dir/.done"
}

# Runs a command on the host or in a chroot, in its own mount namespace:
# /proc, /dev and the project tree (with its cache) are bind-mounted at the
# same paths and vanish with the namespace.
in_env() { # env cmd...
	local env=$1 dir
	shift
	if [ "$env" = host ]; then
		"$@"
		return
	fi
	dir=$shared/chroots/$env
	as_root unshare -m --propagation private sh -c '
		root=$1 tree=$2; shift 2
		mount -t proc proc "$root/proc"
		mount --rbind /dev "$root/dev"
		mkdir -p "$root$tree"
		mount --bind "$tree" "$root$tree"
		exec chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
			DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"' sh "$dir" "$top" "$@"
}

# The build environment (host or a suite) of kernel ABI @abi.
kernel_env() { # abi
	kernel_table | awk -v a="$1" '$1 == a { print $3; f = 1 } END { exit !f }'
}
