// SPDX-License-Identifier: GPL-2.0
/*
 * latprobe MIB CPU: the process a scrape must not stall. Pinned to CPU, it
 * faults in MIB MiB of anonymous memory (4 KiB pages) and says
 * "READY <pid>" on stdout; then for each number SECONDS read from stdin,
 * it maps and unmaps one page in a loop for that long (each needs its mmap
 * lock for writing) and prints one CSV line:
 *   ops,p50_us,p99_us,p999_us,max_us,offcpu_p999_us,offcpu_max_us
 * offcpu: the part of an operation's wall time not spent on its CPU
 * (wall - CLOCK_THREAD_CPUTIME_ID): with the probe alone on its CPU, that
 * is waiting for the lock, not for the CPU.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MAX_OPS (8 * 1024 * 1024)

static long long ns_of(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static double pct_us(long long *v, long n, double p)
{
	long i = (long)(p * (n - 1));

	return v[i] / 1e3;
}

/* One measurement of @seconds; the CSV line of its percentiles. */
static void measure(long long seconds, long long *wall, long long *off)
{
	long long end = ns_of(CLOCK_MONOTONIC) + seconds * 1000000000LL, t0, c0, t1;
	long n = 0;

	while (n < MAX_OPS) {
		t0 = ns_of(CLOCK_MONOTONIC);
		if (t0 >= end)
			break;
		c0 = ns_of(CLOCK_THREAD_CPUTIME_ID);
		munmap(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), 4096);
		t1 = ns_of(CLOCK_MONOTONIC);
		wall[n] = t1 - t0;
		off[n] = wall[n] - (ns_of(CLOCK_THREAD_CPUTIME_ID) - c0);
		n++;
	}
	qsort(wall, n, sizeof(*wall), cmp_ll);
	qsort(off, n, sizeof(*off), cmp_ll);
	printf("%ld,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f\n", n, pct_us(wall, n, 0.5),
	       pct_us(wall, n, 0.99), pct_us(wall, n, 0.999), wall[n - 1] / 1e3,
	       pct_us(off, n, 0.999), off[n - 1] / 1e3);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	long long *wall, *off, seconds;
	size_t len, i;
	cpu_set_t set;
	char *p;

	if (argc != 3)
		return 2;
	len = strtoul(argv[1], NULL, 10) << 20;
	CPU_ZERO(&set);
	CPU_SET(atoi(argv[2]), &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return 3;
	wall = malloc(MAX_OPS * sizeof(*wall));
	off = malloc(MAX_OPS * sizeof(*off));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!wall || !off || p == MAP_FAILED)
		return 4;
	madvise(p, len, MADV_NOHUGEPAGE);
	for (i = 0; i < len; i += 4096)
		p[i] = 1;
	memset(wall, 0, MAX_OPS * sizeof(*wall));
	memset(off, 0, MAX_OPS * sizeof(*off));
	printf("READY %d\n", getpid());
	fflush(stdout);
	while (scanf("%lld", &seconds) == 1 && seconds > 0)
		measure(seconds, wall, off);
	return 0;
}
