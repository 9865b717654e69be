#!/bin/bash
# `make bench`: memacct against the tools people use today, in one VM boot
# per kernel, on a Debian minbase image (debootstrap) that has smem,
# smemstat and procps (BENCH_ONLY=latency: the scrape latency scenario
# and the wake-up probe alone, BENCH_ONLY=wake: the probe alone;
# KERNELS=name,... some kernels). Results (CSV, Markdown, plots) go to
# .cache/bench/results/; Documentation/benchmarks.rst holds a copy of a run.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${MEMACCT_CACHE:-$top/.cache}
bench=$cache/bench
results=$bench/results
mkdir -p "$bench" "$results"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need=
for p in debootstrap gnuplot-nox; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need="$need $p"
done
if [ -n "$need" ]; then
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need
fi

# The image: Debian minbase from this machine's configured Debian source.
base=$bench/base.cpio
if [ ! -e "$bench/.image-done" ]; then
	mirror=$( (grep -rhoE '^[^#]*https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list \
		/etc/apt/sources.list.d/ 2>/dev/null || true) | grep -oE 'https?://[^ ]+' | head -n1)
	mirror=${mirror:-http://deb.debian.org/debian}
	suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
	echo "bench: debootstrap $suite from $mirror"
	rm -rf "$bench/rootfs"
	as_root debootstrap --variant=minbase --include=python3,smem,smemstat,procps \
		"$suite" "$bench/rootfs" "$mirror" >"$bench/debootstrap.log" 2>&1 ||
		{ tail -n 30 "$bench/debootstrap.log"; exit 1; }
	as_root rm -rf "$bench/rootfs"/usr/share/{doc,man,locale,info} "$bench/rootfs"/var/cache/apt/* \
		"$bench/rootfs"/var/lib/apt/lists/*
	(cd "$bench/rootfs" && as_root find . | as_root cpio -o -H newc --quiet) >"$base"
	touch "$bench/.image-done"
fi

make -s -C "$top" modules-all tools >/dev/null
out=$cache/build/bench
mkdir -p "$out"
for p in benchload rollup_reader benchrun latprobe wakeprobe; do
	cc -O2 -Wall -Wextra -static -pthread -o "$out/$p" "$top/tools/bench/$p.c"
done
install -m 0755 "$top/tools/bench/bench.sh" "$out/bench.sh"

csv=$results/bench.csv
echo "kernel,scenario,contender,median_ms,min_ms,max_ms,peak_kb" >"$csv"
locks=$results/lock.csv
: >"$results/facts.csv"
echo "kernel,scenario,max_lock_hold_ns" >"$locks"
lat=$results/latency.csv
echo "kernel,mib,cpus,reader,ops,p50_us,p99_us,p999_us,max_us,offcpu_p999_us,offcpu_max_us,max_hold_ns,holds_over_budget,drops_contended,switched_out_under_lock" >"$lat"
wake=$results/wake.csv
echo "kernel,wakes,p50_us,p99_us,p999_us,max_us" >"$wake"
for kver in $("$top/scripts/kversions.sh"); do
	echo "bench: $kver"
	VM_NUMA=0 VM_BASE_CPIO=$base VM_EXTRA_DIR=$out "$top/scripts/vm.sh" -m 8192 -t 5400 \
		-o "$results/$kver.out" -l "$results/$kver.console" "$kver" "BENCH_ONLY=${BENCH_ONLY:-} /bench/bench.sh" || true
	tr -d '\r' <"$results/$kver.out" | awk '/^@@@ end/ { p = 0 } p { print } /^@@@ begin bench.csv/ { p = 1 }' \
		>"$results/$kver.raw"
	grep -E '^(procs|big|thp|slab|idle)_?[0-9]*,' "$results/$kver.raw" | sed "s/^/$kver,/" >>"$csv" || true
	grep '^lock,' "$results/$kver.raw" | sed "s/^lock,/$kver,/" >>"$locks" || true
	grep '^lat,' "$results/$kver.raw" | sed "s/^lat,/$kver,/" >>"$lat" || true
	grep '^wake,' "$results/$kver.raw" | sed "s/^wake,/$kver,/" >>"$wake" || true
	grep -E '^(nproc|rss_kb|cpu|meminfo),' "$results/$kver.raw" | sed "s/^/$kver,/" >>"$results/facts.csv" || true
done
"$top/scripts/bench-report.sh" "$results"
