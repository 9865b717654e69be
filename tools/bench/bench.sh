#!/bin/sh
# Inside the benchmark VM (Debian minbase with smem, smemstat, procps):
# every contender on every workload, interleaved; CSV framed for the host.
#   scenario,contender,median_ms,min_ms,max_ms,peak_kb
# and "lock,<scenario>,<max mmap lock hold ns>" lines.
# smemstat skips every process whose process group is 0 as a "kernel
# thread"; the VM's init never calls setsid(), so give the run a session.
if [ -z "${BENCH_SESSION:-}" ]; then
	BENCH_SESSION=1 exec setsid "$0" "$@"
fi
B=/bench
D=/sys/kernel/debug/memacct
insmod /lib/modules/memacct.ko || exit 1
echo madvise >/sys/kernel/mm/transparent_hugepage/enabled
echo 0 >/sys/kernel/mm/transparent_hugepage/khugepaged/defrag
vmas_of() { echo "exec 3<>$D/vmas; echo $1 >&3; cat <&3"; }
stat_of() { sed -n "s/^$1 //p" $D/stats; }
# the longest hold of a process's lock: its mmap lock, or a VMA's own
max_hold() {
	m=$(stat_of max_mmap_lock_hold_ns) v=$(stat_of max_vma_lock_hold_ns)
	echo $((m > v ? m : v))
}
lock_hold() { # scenario
	echo 0 >$D/stats
	cat $D/processes >/dev/null
	echo "lock,$1,$(max_hold)"
}
wait_ready() { # fifo
	read -r line <"$1"
	[ "$line" = READY ] || { echo "workload failed" >&2; exit 1; }
}
start_load() { # args...
	rm -f /tmp/ready; mkfifo /tmp/ready
	$B/benchload "$@" >/tmp/ready &
	load=$!
	wait_ready /tmp/ready
}
stop_load() {
	kill -TERM $load	# it kills and reaps its workers
	wait $load 2>/dev/null
	sync
	echo 3 >/proc/sys/vm/drop_caches
}
describe() { # scenario: processes in the system, and the workload's RSS
	echo "nproc,$1,$(ls -d /proc/[0-9]* | wc -l)"
	echo "rss_kb,$1,$(awk '/^VmRSS:/ { print $2 }' /proc/$load/status)"
}

echo "@@@ begin bench.csv"
echo "kernel,$(uname -r)"
echo "cpu,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //;s/,/ /g')"
# BENCH_ONLY=latency: the scrape latency scenario alone; wake: the wake-up
# probe alone
case ${BENCH_ONLY:-} in latency|wake) ;; *)
for n in 10 100 1000 3000; do
	start_load procs $n 512 2048
	reps=5; [ $n -ge 1000 ] && reps=3
	describe procs_$n
	$B/benchrun procs_$n $reps "memacct_processes=busybox cat $D/processes" \
		"memacct_ps=memacct -b ps" "smaps_rollup_reader=$B/rollup_reader" \
		"smemstat=smemstat" "smem=smem -c 'pid pss uss'" 2>&1
	lock_hold procs_$n
	stop_load
done
# the system without a workload: what the big_* runs cost beyond it is the
# cost of the workload's resident pages
$B/benchrun idle 5 "memacct_processes=busybox cat $D/processes" \
	"memacct_ps=memacct -b ps" "smaps_rollup_reader=$B/rollup_reader" 2>&1
for mib in 1024 2048 4096; do
	start_load big $mib
	describe big_$mib
	$B/benchrun big_$mib 3 "memacct_processes=busybox cat $D/processes" \
		"memacct_ps=memacct -b ps" "smaps_rollup_reader=$B/rollup_reader" \
		"memacct_vmas=$(vmas_of $load)" "smaps_rollup_one=busybox cat /proc/$load/smaps_rollup" \
		"pmap_x=pmap -X $load" 2>&1
	lock_hold big_$mib
	stop_load
done
start_load big 4096 thp
describe thp_4096
$B/benchrun thp_4096 3 "memacct_processes=busybox cat $D/processes" \
	"smaps_rollup_reader=$B/rollup_reader" "memacct_vmas=$(vmas_of $load)" \
	"smaps_rollup_one=busybox cat /proc/$load/smaps_rollup" "pmap_x=pmap -X $load" 2>&1
lock_hold thp_4096
grep AnonHugePages /proc/meminfo | sed 's/ \+/ /g; s/^/meminfo,/'
stop_load
$B/benchrun slab 5 "memacct_slab=cat $D/slab" "proc_slabinfo=cat /proc/slabinfo" \
	"slabtop=slabtop -o" 2>&1

	;;
esac

# Scrape latency (issue 17): a process with MIB MiB resident maps and
# unmaps one page in a loop on CPU 1 (latprobe) while a reader loops on
# CPU 0, with CPU 0 otherwise idle or saturated by a busy loop at the
# reader's priority. Lines: lat,MIB,cpus,reader,<latprobe CSV>,
# longest lock hold (mmap or VMA lock, ns),holds_over_budget,
# lock_drops_contended,switched_out_under_lock
reader_loop() { # reader pid -> a loop on CPU 0, in the background
	case $1 in
	none) return 1 ;;
	smaps_rollup) taskset -c 0 sh -c "while :; do cat /proc/$2/smaps_rollup >/dev/null; done" & ;;
	memacct_processes) taskset -c 0 sh -c "while :; do cat $D/processes >/dev/null; done" & ;;
	memacct_vmas) taskset -c 0 sh -c "while :; do (exec 3<>$D/vmas; echo $2 >&3; cat <&3) >/dev/null; done" & ;;
	esac
}
for mib in 2048 4096; do
	[ "${BENCH_ONLY:-}" != wake ] || break
	rm -f /tmp/latin /tmp/latout
	mkfifo /tmp/latin /tmp/latout
	$B/latprobe $mib 1 </tmp/latin >/tmp/latout &
	probe=$!
	exec 5>/tmp/latin 4</tmp/latout
	read -r ready pid <&4
	for cpus in idle saturated; do
		hog=
		if [ $cpus = saturated ]; then taskset -c 0 sh -c 'while :; do :; done' & hog=$!; fi
		for reader in none smaps_rollup memacct_processes memacct_vmas; do
			echo 0 >$D/stats
			rd=
			if reader_loop $reader $pid; then rd=$!; fi
			echo 8 >&5
			read -r line <&4
			[ -z "$rd" ] || { kill $rd; wait $rd 2>/dev/null; }
			echo "lat,$mib,$cpus,$reader,$line,$(max_hold),$(stat_of holds_over_budget),$(stat_of lock_drops_contended),$(stat_of switched_out_under_lock)"
		done
		[ -z "$hog" ] || { kill $hog; wait $hog 2>/dev/null; }
	done
	exec 5>&- 4<&-
	wait $probe
done
# The wake-up of a thread asleep on CPU 1 by one on CPU 0 (wakeprobe):
# what a lock handoff to the sleeping probe costs in this VM, besides the
# wait. Line: wake,wakes,p50_us,p99_us,p999_us,max_us
echo "wake,$($B/wakeprobe 8)"
echo "@@@ end"
