#!/bin/sh
# Inside the VM: print every memacct file of a running system, each after
# an "@@@ name" line, for scripts/capture-fixtures.sh to split into the
# reader's test fixtures. The system is made uneven on purpose, so that the
# reader's filters and group sums have something to tell apart: processes
# of three users, in nested cgroups (and one whose name only starts like
# another's), with pages in zram swap, a hugetlb pool, an mm shared with
# CLONE_VM, on a VM with two NUMA nodes (vm.sh), and one program whose name
# and cgroup hold bytes a Prometheus or JSON writer must escape.
insmod /lib/modules/memacct.ko || exit 1
cg=/sys/fs/cgroup
h=/selftests/memhelper

# zram swap, so that swap and swap_pss are not 0
if [ -e /sys/block/zram0 ]; then
	echo lzo >/sys/block/zram0/comp_algorithm 2>/dev/null
	echo 64M >/sys/block/zram0/disksize && mkswap /dev/zram0 >/dev/null &&
		swapon /dev/zram0 || echo "capture: no zram swap" >&2
fi
echo 8 >/proc/sys/vm/nr_hugepages
printf 'u4001:x:4001:4001::/tmp:/bin/sh\nu4002:x:4002:4002::/tmp:/bin/sh\n' >>/etc/passwd

# run_in CGROUP USER COMMAND: COMMAND as USER in CGROUP, in the background
run_in() {
	mkdir -p "$cg$1"
	sh -c 'echo $$ >"$0/cgroup.procs" && exec su -s /bin/sh "$1" -c "exec $2"' \
		"$cg$1" "$2" "$3" >/dev/null 2>&1 &
}

run_in /svc/a root "$h cow 3"
run_in /svc/a/deep u4002 "$h swapfork"
run_in /svc/b u4001 "$h shm 2"
run_in /svcx u4001 "$h threads 3"
run_in / root "$h hugetlb"
run_in /svc root "$h clonevm"
# a program name with a quote, a backslash, a space and a byte that is not
# UTF-8, in a cgroup with a space and a quote in its name
odd=$(printf '/tmp/odd"\\ \377x')
cp $h "$odd"
run_in '/we "ird' u4002 "'$odd' anon"
sleep 3
d=/sys/kernel/debug/memacct
for f in version processes summary buddy zones slab; do
	echo "@@@ $f"
	cat $d/$f
done
# vmas of init and of the first two helpers
for pid in 1 $(pidof memhelper | tr ' ' '\n' | sort -n | head -n2); do
	echo "@@@ vmas.$pid"
	exec 3<>$d/vmas
	echo $pid >&3
	cat <&3
	exec 3<&-
done
echo "@@@ meminfo"
cat /proc/meminfo
echo "@@@ end"
