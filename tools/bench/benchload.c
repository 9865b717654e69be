// SPDX-License-Identifier: GPL-2.0
/*
 * memacct benchmark workloads (static, runs in the benchmark VM):
 *   benchload procs N PRIV_KB SHARED_KB  N processes, each with PRIV_KB of
 *       private anonymous memory and the same SHARED_KB tmpfs file mapped
 *       shared (so PSS differs from RSS)
 *   benchload big MIB [thp]  one process with MIB of anonymous memory,
 *       with MADV_HUGEPAGE when "thp" is given
 * Prints "READY" once all memory is touched; on SIGTERM kills and reaps
 * its worker processes and exits.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static pid_t *workers;
static int nworkers;

static void on_term(int sig)
{
	stop = sig;
}

static void touch(char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i += 4096)
		p[i] = 1;
}

static char *map_anon(size_t len, int thp)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	if (thp)
		madvise(p, len, MADV_HUGEPAGE);
	touch(p, len);
	return p;
}

static void procs(int n, size_t priv, size_t shared)
{
	int fd = open("/tmp/benchload.shared", O_RDWR | O_CREAT | O_TRUNC, 0600);
	int ready[2], i;
	char c;

	if (fd < 0 || ftruncate(fd, shared) || pipe(ready)) {
		perror("setup");
		exit(1);
	}
	workers = calloc(n, sizeof(pid_t));
	if (!workers)
		exit(1);
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid > 0)
			workers[nworkers++] = pid;
		if (pid == 0) {
			char *s = mmap(NULL, shared, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

			if (s == MAP_FAILED)
				_exit(1);
			touch(s, shared);
			map_anon(priv, 0);
			if (write(ready[1], "r", 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
	}
	for (i = 0; i < n; i++)
		if (read(ready[0], &c, 1) != 1)
			exit(1);
}

/* On SIGTERM: kill the workers and reap them, so none is left behind. */
static void wait_for_term(void)
{
	int i;

	signal(SIGTERM, on_term);
	while (!stop)
		pause();
	for (i = 0; i < nworkers; i++)
		kill(workers[i], SIGKILL);
	for (i = 0; i < nworkers; i++)
		waitpid(workers[i], NULL, 0);
	exit(0);
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "procs")) {
		procs(atoi(argv[2]), (size_t)atol(argv[3]) << 10, (size_t)atol(argv[4]) << 10);
	} else if (argc >= 3 && !strcmp(argv[1], "big")) {
		map_anon((size_t)atol(argv[2]) << 20, argc > 3 && !strcmp(argv[3], "thp"));
	} else {
		fprintf(stderr, "usage: benchload procs N PRIV_KB SHARED_KB | big MIB [thp]\n");
		return 1;
	}
	printf("READY\n");
	fflush(stdout);
	wait_for_term();
	return 0;
}
