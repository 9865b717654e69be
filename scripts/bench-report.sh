#!/bin/bash
# Turns .cache/bench/results/{bench,lock}.csv into results.md (tables with
# medians, min-max, ratio to the smaps_rollup reader, ns per resident page)
# and two plots (time vs processes, time vs RSS) with gnuplot.
set -euo pipefail
r=${1:?usage: bench-report.sh RESULTS_DIR}
csv=$r/bench.csv md=$r/results.md
{
	echo "ns/page: (median - the same contender's median on the idle system) / resident 4 KiB pages of the workload."
	echo
	echo "| kernel | scenario | contender | median ms | min-max ms | vs smaps_rollup reader | ns/page | peak kB |"
	echo "|---|---|---|---:|---:|---:|---:|---:|"
	awk -F, 'NR > 1 { k = $1 FS $2; if ($3 == "smaps_rollup_reader") base[k] = $4; row[NR] = $0
		if ($2 == "idle") idle[$1 FS $3] = $4 }
	END {
		for (i = 2; i <= NR; i++) {
			split(row[i], f, FS); k = f[1] FS f[2]
			ratio = (k in base && f[4] > 0) ? sprintf("%.2fx faster", base[k] / f[4]) : "-"
			if (f[3] == "smaps_rollup_reader") ratio = "1 (baseline)"
			nspp = "-"
			# beyond the idle system (whole-table readers) or alone (one process)
			if (f[2] ~ /^(big|thp)_/) { mib = f[2]; sub(/^[a-z]+_/, "", mib)
				t = f[4] - ((f[1] FS f[3]) in idle ? idle[f[1] FS f[3]] : 0)
				nspp = sprintf("%.1f", t * 1e6 / (mib * 256)) }
			printf "| %s | %s | %s | %.1f | %.1f-%.1f | %s | %s | %s |\n", f[1], f[2], f[3], f[4], f[5], f[6], ratio, nspp, f[7]
		}
	}' "$csv"
	echo
	echo "| kernel | scenario | longest lock hold (ms) |"
	echo "|---|---|---:|"
	awk -F, 'NR > 1 { printf "| %s | %s | %.3f |\n", $1, $2, $3 / 1e6 }' "$r/lock.csv"
} >"$md"
cat "$md"

# the same as rST list tables, for Documentation/benchmarks.rst
{
	echo ".. list-table:: Full table of all processes, and one process's mappings"
	echo "   :header-rows: 1"
	echo
	echo "   * - kernel"; echo "     - scenario"; echo "     - contender"; echo "     - median ms"
	echo "     - min-max ms"; echo "     - vs smaps_rollup reader"; echo "     - ns/page"
	tail -n +5 "$md" | sed '/^$/,$d' | awk -F'|' '{
		printf "   * - %s\n", $2; for (i = 3; i <= 8; i++) { gsub(/^ +| +$/, "", $i); printf "     - %s\n", $i } }' |
		sed 's/- \(6\.[0-9.]*\)[^ ]*$/- \1/'
	echo
	echo ".. list-table:: Longest mmap lock hold while reading processes"
	echo "   :header-rows: 1"
	echo
	echo "   * - kernel"; echo "     - scenario"; echo "     - ms"
	awk -F, 'NR > 1 { printf "   * - %s\n     - %s\n     - %.3f\n", $1, $2, $3 / 1e6 }' "$r/lock.csv"
} >"$r/results.rst"

# scrape latency (issue 17): the measured process's mmap+munmap latency
if [ -s "$r/latency.csv" ]; then
	{
		echo
		echo ".. list-table:: mmap+munmap latency of a process while it is read (us; hold in ms)"
		echo "   :header-rows: 1"
		echo
		for h in kernel MiB "CPU 0" reader p50 p99 p99.9 max "off-CPU p99.9" \
			"longest hold" "holds > 2 ms"; do
			echo "   $([ "$h" = kernel ] && echo '*' || echo ' ') - $h"
		done
		awk -F, 'NR > 1 { k = $1; sub(/\+deb[0-9]+/, "", k); sub(/-amd64$/, "", k)
			printf "   * - %s\n     - %s\n     - %s\n     - %s\n", k, $2, $3, $4
			printf "     - %s\n     - %s\n     - %s\n     - %s\n     - %s\n", $6, $7, $8, $9, $10
			printf "     - %.2f\n     - %s\n", $12 / 1e6, $13 }' "$r/latency.csv"
	} >>"$r/results.rst"
	# the same, one table per size as Documentation/benchmarks.rst has it
	awk -F, 'NR > 1 { k = $1 FS $2 FS $3; if (!(k in seen)) { seen[k] = 1; order[++n] = k }
			p[k FS $4] = $8 / 1e3; m[k FS $4] = $9 / 1e3; off[k FS $4] = $10 / 1e3
			hold[k FS $4] = $12 / 1e6; over[k FS $4] = $13 }
		function four(a, k) { return sprintf("%.2f / %.2f / %.2f / %.2f", a[k FS "none"],
			a[k FS "smaps_rollup"], a[k FS "memacct_processes"], a[k FS "memacct_vmas"]) }
		END {
			for (size = 4096; size >= 2048; size -= 2048) {
				printf ".. list-table:: mmap+munmap latency while the process is read (%d GiB), ms\n", size / 1024
				print "   :header-rows: 1\n"
				print "   * - kernel\n     - CPU 0\n     - p99.9: none / smaps_rollup / processes / vmas"
				print "     - max: none / smaps_rollup / processes / vmas\n     - off-CPU p99.9: processes / vmas"
				print "     - longest hold (ms) / holds over 2 ms"
				for (i = 1; i <= n; i++) { split(order[i], f, FS); if (f[2] != size) continue; k = order[i]
					printf "   * - %s\n     - %s\n     - %s\n     - %s\n", f[1], f[3], four(p, k), four(m, k)
					printf "     - %.2f / %.2f\n", off[k FS "memacct_processes"], off[k FS "memacct_vmas"]
					printf "     - %.1f / %.1f (%d / %d)\n", hold[k FS "memacct_processes"], hold[k FS "memacct_vmas"],
						over[k FS "memacct_processes"], over[k FS "memacct_vmas"] }
				print ""
			}
		}' "$r/latency.csv" >"$r/latency-tables.rst"
fi
# the wake-up probe: a thread asleep on CPU 1 woken from CPU 0
if [ -s "$r/wake.csv" ]; then
	{
		echo ".. list-table:: Wake-up of a thread asleep on CPU 1 by one on CPU 0, ms"
		echo "   :header-rows: 1"
		echo
		echo "   * - kernel"
		echo "     - wakes"
		echo "     - p50 / p99 / p99.9 / max"
		awk -F, 'NR > 1 { printf "   * - %s\n     - %s\n     - %.2f / %.2f / %.2f / %.2f\n",
			$1, $2, $3 / 1e3, $4 / 1e3, $5 / 1e3, $6 / 1e3 }' "$r/wake.csv"
	} >"$r/wake-table.rst"
fi

# one data file per kernel and contender: x, median, min, max
rm -f "$r"/plot-*.dat
awk -F, -v dir="$r" 'NR > 1 {
	x = $3; if ($2 ~ /^procs_/) { t = "procs"; x = substr($2, 7) } else if ($2 ~ /^big_/) { t = "big"; x = substr($2, 5) } else next
	line = sprintf("%s %s %s %s", x, $4, $5, $6)
	f = dir "/plot-" t "-" $1 "-" $3 ".dat"; print line >> f }' "$csv"
plot() { # kind, xlabel, output, logx
	local cmds="" f title
	for f in "$r"/plot-"$1"-*.dat; do
		[ -e "$f" ] || return 0
		title=$(basename "$f" .dat | sed "s/^plot-$1-//; s/+deb12-amd64//; s/-amd64//")
		cmds="$cmds${cmds:+, }'$f' using 1:2:3:4 with yerrorlines title '$title'"
	done
	gnuplot <<GP
set terminal pngcairo size 1100,700 noenhanced
set output '$3'
set xlabel '$2'
set ylabel 'wall time of one full read (ms)'
set logscale y
$4
set key outside right
set grid
plot $cmds
GP
}
plot procs "processes (each 512 KiB private, 2 MiB shared)" "$r/time-vs-processes.png" "set logscale x"
plot big "RSS of one process (MiB)" "$r/time-vs-rss.png" ""
ls "$r"/*.png 2>/dev/null || echo "bench: no plots (no time scenario in this run)"
