#!/bin/sh
# Inside the VM: print every memacct file of a running system, each after
# an "@@@ name" line, for scripts/capture-fixtures.sh to split into the
# reader's test fixtures.
insmod /lib/modules/memacct.ko || exit 1
/selftests/memhelper cow 3 >/dev/null &
/selftests/memhelper shm 2 >/dev/null &
/selftests/memhelper swap >/dev/null &
/selftests/memhelper threads 3 >/dev/null &
sleep 2
d=/sys/kernel/debug/memacct
for f in version processes summary buddy zones slab; do
	echo "@@@ $f"
	cat $d/$f
done
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
