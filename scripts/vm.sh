#!/bin/bash
# Boot a Debian kernel under QEMU (TCG) with a busybox initramfs holding
# memacct.ko, the selftests and the reader, and run one command inside.
#
#   vm.sh [-i] [-t SECONDS] [-o OUTFILE] [-l CONSOLELOG] KVER [COMMAND...]
#
# Without -i the command's output goes to the second serial port (ttyS1) and
# is written to OUTFILE (default: stdout), the kernel console (ttyS0) to
# CONSOLELOG; the command's exit status is carried out of the VM and becomes
# this script's exit status (124 on timeout, 125 if the VM died without one).
# With -i the VM console is this terminal and COMMAND (default: sh) runs on it.
# VM_BASE_CPIO: an uncompressed cpio archive (e.g. a Debian root file system)
# unpacked first, under everything else. VM_EXTRA_DIR: a directory copied to
# /bench in the VM. VM_KO: the memacct.ko to load (default: make modules-all's).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${MEMACCT_CACHE:-$top/.cache}
interactive= timeout_s=${VM_TIMEOUT:-900} out= console= mem=${VM_MEM:-4096}
while getopts "it:o:l:m:" opt; do
	case $opt in
	i) interactive=1 ;;
	t) timeout_s=$OPTARG ;;
	o) out=$OPTARG ;;
	l) console=$OPTARG ;;
	m) mem=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
kver=${1:?usage: vm.sh [-i] KVER [COMMAND...]}
shift
cmd=${*:-}
kdir=$cache/kernels/$kver
[ -e "$kdir/.done" ] || { echo "vm: kernel $kver not unpacked (run scripts/deps.sh)" >&2; exit 2; }
ko=${VM_KO:-$cache/build/$kver/module/memacct.ko}	# VM_KO: another build (deb-test.sh: DKMS's)
[ -e "$ko" ] || { echo "vm: $ko missing (run make modules-all)" >&2; exit 2; }

# One VM at a time on this machine (2 cores): wait for any other one.
exec 9>"${TMPDIR:-/tmp}/memacct-vm.lock"
flock 9

work=$(mktemp -d "${TMPDIR:-/tmp}/memacct-vm.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
if [ -n "${VM_BASE_CPIO:-}" ]; then
	# a merged-/usr base (Debian): keep its /bin, /sbin, /lib symlinks
	mkdir -p "$root"/usr/{bin,sbin,lib}
	for d in bin sbin lib; do ln -s usr/$d "$root/$d"; done
fi
mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,run,root,lib/modules/extra,selftests,mnt}
cp /bin/busybox "$root/bin/busybox"
cp "$ko" "$root/lib/modules/memacct.ko"
for f in "$cache"/build/$kver/selftests/*.ko; do
	[ -e "$f" ] && cp "$f" "$root/lib/modules/extra/"
done
# The selftests and the reader are static binaries, shared by both kernels.
for f in "$cache"/build/selftests/*; do
	[ -x "$f" ] && cp "$f" "$root/selftests/"
done
[ -x "$cache/build/tools-static/memacct" ] && cp "$cache/build/tools-static/memacct" "$root/bin/"
# procps' pmap (the host's: Debian bookworm's) and the libraries it loads,
# for reader_test's pmap -X comparison: busybox's pmap has no -X. A Debian
# base (VM_BASE_CPIO) brings its own.
if [ -z "${VM_BASE_CPIO:-}" ] && /usr/bin/pmap -V 2>/dev/null | grep -q procps; then
	mkdir -p "$root/usr/lib/procps"
	cp /usr/bin/pmap "$root/usr/lib/procps/pmap"
	for lib in $(ldd /usr/bin/pmap | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
fi
if [ -z "${VM_BASE_CPIO:-}" ]; then
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
fi

# Modules some tests need (zram for swap, loop, crc32c and ext4 for a disk
# filesystem), with their dependencies, taken
# from the unpacked Debian image and decompressed for busybox insmod.
modfile() { find "$kdir/modules/kernel" -name "$1.ko" -o -name "$1.ko.xz" | head -n1; }
declare -A seen=()
order=()
addmod() {
	local name=$1 f dep
	[ -n "${seen[$name]:-}" ] && return 0
	seen[$name]=1
	f=$(modfile "$name")
	[ -n "$f" ] || return 0 # built in
	for dep in $(modinfo -F depends "$f" | tr ',' ' '); do addmod "$dep"; done
	order+=("$name")
	case $f in
	*.xz) xz -dc "$f" >"$root/lib/modules/extra/$name.ko" ;;
	*) cp "$f" "$root/lib/modules/extra/$name.ko" ;;
	esac
}
for m in ${VM_MODULES:-zram loop crc32c_generic ext4}; do addmod "$m"; done
printf '%s\n' "${order[@]}" >"$root/lib/modules/extra/order"

printf '%s\n' "$cmd" >"$root/etc/memacct-cmd"
cat >"$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/hugepages && mount -t hugetlbfs none /dev/hugepages
mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null
hostname memacct-vm
export PATH=/bin:/sbin:/usr/bin:/usr/sbin:/selftests HOME=/root
modprobe_extra() { for m in $(cat /lib/modules/extra/order); do insmod /lib/modules/extra/$m.ko; done; }
modprobe_extra
cmd=$(cat /etc/memacct-cmd)
if grep -q memacct_interactive /proc/cmdline; then
	cd /root
	setsid sh -c "exec ${cmd:-sh} </dev/ttyS0 >/dev/ttyS0 2>&1"
else
	cd /root
	sh -c "$cmd" >/dev/ttyS1 2>&1 </dev/null
	echo "MEMACCT-EXIT: $?" >/dev/ttyS1
fi
sync
poweroff -f
INIT
chmod +x "$root/init"
if [ -n "${VM_EXTRA_DIR:-}" ]; then
	mkdir -p "$root/bench" && cp -a "$VM_EXTRA_DIR"/. "$root/bench/"
fi
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz"
if [ -n "${VM_BASE_CPIO:-}" ]; then
	# concatenated archives: the kernel unpacks the base, then ours over it
	cat "$VM_BASE_CPIO" "$work/initrd.gz" >"$work/initrd.all"
	mv "$work/initrd.all" "$work/initrd.gz"
fi

append="console=ttyS0 panic=-1 loglevel=5 oops=panic"
qemu=(qemu-system-x86_64 -accel tcg -smp 2 -m "$mem" -kernel "$kdir/vmlinuz"
	-initrd "$work/initrd.gz" -no-reboot -nographic -monitor none)
# Two NUMA nodes (one CPU and half the memory each), so page migration
# between nodes can be tested; VM_NUMA=0 for one node.
if [ "${VM_NUMA:-1}" = 1 ]; then
	half=$((mem / 2))
	qemu+=(-object "memory-backend-ram,id=m0,size=${half}M"
		-object "memory-backend-ram,id=m1,size=$((mem - half))M"
		-numa node,nodeid=0,cpus=0,memdev=m0 -numa node,nodeid=1,cpus=1,memdev=m1
		-smp 2,sockets=2,cores=1,threads=1)	# one socket per node
fi
if [ -n "$interactive" ]; then
	# not exec: the EXIT trap must remove the work directory
	"${qemu[@]}" -serial stdio -append "$append memacct_interactive"
	exit
fi
console=${console:-$work/console.log}
# QEMU's own messages (a bad option, a missing kernel), kept next to the
# console log when there is one
qlog=${console%.log}.qemu
[ "$qlog" != "$console" ] || qlog=$console.qemu
rc=0
timeout "$timeout_s" "${qemu[@]}" -serial "file:$console" -serial "file:$work/out" \
	-append "$append" >"$qlog" 2>&1 </dev/null || rc=$?
touch "$work/out"
if [ -n "$out" ]; then cp "$work/out" "$out"; else tr -d '\r' <"$work/out" | grep -v '^MEMACCT-EXIT: ' || true; fi
logs() { # where to look, and QEMU's last words
	echo "vm: logs: kernel console $console, QEMU $qlog" >&2
	[ -s "$qlog" ] && { echo "vm: QEMU said:" >&2; tail -n 20 "$qlog" >&2; }
	[ "$console" = "$work/console.log" ] && { echo "vm: console (last lines):" >&2; tail -n 30 "$console" >&2 2>/dev/null; }
	return 0
}
[ "$rc" = 124 ] && { echo "vm: timeout after ${timeout_s}s" >&2; logs; exit 124; }
status=$(tr -d '\r' <"$work/out" | sed -n 's/^MEMACCT-EXIT: //p' | tail -n1)
[ -n "$status" ] || { echo "vm: no exit status from the VM (QEMU status $rc)" >&2; logs; exit 125; }
exit "$status"
