// SPDX-License-Identifier: GPL-2.0
/*
 * wakeprobe SECONDS: how long a thread asleep on CPU 1 takes to run after
 * a thread on CPU 0 wakes it, which is what a writer that slept for the
 * mmap lock pays, besides the wait itself, when a reader on CPU 0 lets go
 * of the lock (scrape latency scenario). A sleeper on CPU 1 blocks in
 * read() on a pipe; the waker, on CPU 0, writes the time into it, then
 * waits for the sleeper's answer and 200 us more (so that CPU 1 is idle
 * again), for SECONDS. One CSV line: wakes,p50_us,p99_us,p999_us,max_us.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define MAX_WAKES (1024 * 1024)

static int to_sleeper[2], to_waker[2];
static long long lat[MAX_WAKES];

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *sleeper(void *arg)
{
	long long sent, *n = arg;

	if (pin(1))
		return NULL;
	while (read(to_sleeper[0], &sent, sizeof(sent)) == sizeof(sent) && sent) {
		if (*n < MAX_WAKES)
			lat[(*n)++] = now_ns() - sent;
		if (write(to_waker[1], "", 1) != 1)
			break;
	}
	return NULL;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static double pct_us(long n, double p)
{
	return lat[(long)(p * (n - 1))] / 1e3;
}

int main(int argc, char **argv)
{
	long long end, t, zero = 0;
	pthread_t thread;
	long n = 0;
	char c;

	if (argc != 2 || pipe(to_sleeper) || pipe(to_waker) || pin(0))
		return 2;
	if (pthread_create(&thread, NULL, sleeper, &n))
		return 3;
	end = now_ns() + atoll(argv[1]) * 1000000000LL;
	while ((t = now_ns()) < end) {
		if (write(to_sleeper[1], &t, sizeof(t)) != sizeof(t) ||
		    read(to_waker[0], &c, 1) != 1)
			return 4;
		for (t = now_ns(); now_ns() - t < 200000;)
			;
	}
	if (write(to_sleeper[1], &zero, sizeof(zero)) != sizeof(zero))
		return 4;
	pthread_join(thread, NULL);
	if (!n)
		return 5;
	qsort(lat, n, sizeof(*lat), cmp_ll);
	printf("%ld,%.1f,%.1f,%.1f,%.1f\n", n, pct_us(n, 0.5), pct_us(n, 0.99),
	       pct_us(n, 0.999), lat[n - 1] / 1e3);
	return 0;
}
