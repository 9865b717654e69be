#!/bin/bash
# `make check-debug`: the whole selftest suite on a debug build of Debian's
# 6.12 kernel (from linux-source-6.12: x86_64_defconfig + kvm_guest.config
# + PROVE_LOCKING, DEBUG_ATOMIC_SLEEP, KASAN, DEBUG_VM, DEBUG_PAGEALLOC and
# what the tests need, BTF included: the module takes the slab layouts from
# it), built once into the git-ignored cache. A lockdep splat or KASAN
# report fails the run like any WARNING in the console.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${MEMACCT_CACHE:-$top/.cache}
"$top/scripts/deps.sh"
deb=$(ls "$cache"/dl/linux-source-6.12_*.deb | head -n1)
src=$cache/debug-kernel/linux-source-6.12
if [ ! -e "$cache/debug-kernel/.built-hwpoison" ]; then
	rm -rf "$cache/debug-kernel" && mkdir -p "$cache/debug-kernel"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards '*/linux-source-6.12.tar.xz' |
		tar -xJ -C "$cache/debug-kernel"
	cd "$src"
	make -s x86_64_defconfig kvm_guest.config >/dev/null
	./scripts/config -e MODULES -e MODULE_UNLOAD -e DEBUG_FS -e KALLSYMS_ALL \
		-e KASAN -e KASAN_GENERIC -e KASAN_INLINE -e PROVE_LOCKING -e DEBUG_ATOMIC_SLEEP \
		-e DEBUG_VM -e DEBUG_PAGEALLOC -e DEBUG_PAGEALLOC_ENABLE_DEFAULT \
		-e TRANSPARENT_HUGEPAGE -e TRANSPARENT_HUGEPAGE_MADVISE -e HUGETLBFS -e KSM \
		-e NUMA -e SWAP -e ZSMALLOC -e ZRAM -e CRYPTO_LZO -e MEMCG -e USER_NS -e PID_NS \
		-e CGROUPS -e DEVTMPFS -e TMPFS -e BLK_DEV_INITRD -e RD_GZIP -e MIGRATION -e MEMORY_FAILURE \
		-e BPF_SYSCALL -d DEBUG_INFO_NONE -e DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT \
		-d DEBUG_INFO_REDUCED -d DEBUG_INFO_SPLIT -e DEBUG_INFO_BTF -d DEBUG_INFO_BTF_MODULES \
		-d MODULE_SIG --set-str LOCALVERSION -memacct-debug
	make -s olddefconfig
	echo "check-debug: building the debug kernel (about 30 min on 2 cores)"
	make -s -j"$(nproc)" bzImage modules
	rm -rf "$cache/kernels/$(make -s kernelrelease)"	# an older build's image
	touch "$cache/debug-kernel/.built-hwpoison"
fi
cd "$src"
kver=$(make -s kernelrelease)
kd=$cache/kernels/$kver
if [ ! -e "$kd/.done" ]; then
	rm -rf "$kd" && mkdir -p "$kd"
	cp arch/x86/boot/bzImage "$kd/vmlinuz"
	make -s modules_install INSTALL_MOD_PATH="$kd/root" >/dev/null
	mv "$kd/root/lib/modules/$kver" "$kd/modules" && rm -rf "$kd/root"
	touch "$kd/.done"
fi
# the module and the selftests' module against this tree
b=$cache/build/$kver
rm -rf "$b" && mkdir -p "$b/selftests"
cp -a "$top/Kbuild" "$top/module" "$b/"
make -s -C "$src" M="$b" modules
cp -a "$top/selftests/kmod" "$b/kmod"
make -s -C "$src" M="$b/kmod" modules
cp "$b"/kmod/*.ko "$b/selftests/"
make -s -C "$top" selftests tools >/dev/null
start=$(date +%s)
VM_MEM=${VM_MEM:-5120} VM_TIMEOUT=${VM_TIMEOUT:-7200} "$top/scripts/run-selftests.sh" "$kver"
echo "check-debug: $(($(date +%s) - start)) s in the VM"
