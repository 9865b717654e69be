#!/bin/sh
# `make demo`, inside the VM: load memacct, start a few workloads and
# show what it reports.
echo "== kernel $(uname -r)"
insmod /lib/modules/memacct.ko || exit 1
/selftests/memhelper cow 3 >/dev/null &
/selftests/memhelper shm 2 >/dev/null &
/selftests/memhelper anon >/dev/null &
sleep 2
echo "== ls /sys/kernel/debug/memacct"
ls -l /sys/kernel/debug/memacct
echo "== version"
cat /sys/kernel/debug/memacct/version
echo "== processes"
cat /sys/kernel/debug/memacct/processes
echo "== summary"
cat /sys/kernel/debug/memacct/summary
echo "== buddy"
cat /sys/kernel/debug/memacct/buddy
echo "== zones"
cat /sys/kernel/debug/memacct/zones
echo "== slab (largest 15 caches)"
(head -n1 /sys/kernel/debug/memacct/slab; sed 1d /sys/kernel/debug/memacct/slab | grep -v '^total\|^large_kmalloc' | sort -k9 -n -r | head -n 15; grep '^total\|^large_kmalloc' /sys/kernel/debug/memacct/slab)
pid=$(pidof memhelper | tr ' ' '\n' | sort -n | head -n1)
echo "== vmas of memhelper $pid"
echo "$pid" >/sys/kernel/debug/memacct/pid
cat /sys/kernel/debug/memacct/vmas
echo "== memacct summary"
memacct -H summary
echo "== memacct ps"
memacct -H ps
echo "== memacct slab -n 15"
memacct -H slab -n 15
kill -9 $(pidof memhelper) 2>/dev/null
rmmod memacct
