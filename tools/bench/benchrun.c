// SPDX-License-Identifier: GPL-2.0
/*
 * benchrun SCENARIO REPS name=command ...: runs every command once to warm
 * up, then REPS rounds of all commands interleaved (so drift of the machine
 * hits all alike), each with stdout to /dev/null, and prints CSV lines
 *   scenario,name,median_ms,min_ms,max_ms,peak_kb
 * peak_kb: the largest drop of MemFree seen (polled every 0.2 ms) during one
 * more, untimed run of the command: kernel plus reader memory it took.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 16
#define MAX_REPS 64

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long mem_free_kb(void)
{
	static char buf[4096];
	int fd = open("/proc/meminfo", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	char *p;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strstr(buf, "MemFree:");
	return p ? atol(p + 8) : 0;
}

/* Runs @cmd; returns wall ms; *peak_kb if asked (polling). */
static double run(const char *cmd, long *peak_kb)
{
	long before = peak_kb ? mem_free_kb() : 0, low = before, f;
	double t = now_ms();
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, 1);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (peak_kb) {
		while (waitpid(pid, &status, WNOHANG) == 0) {
			f = mem_free_kb();
			if (f < low)
				low = f;
			usleep(200);
		}
		*peak_kb = before - low;
	} else {
		waitpid(pid, &status, 0);
	}
	t = now_ms() - t;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fprintf(stderr, "benchrun: '%s' failed\n", cmd);
	return t;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	double t[MAX_CMDS][MAX_REPS];
	long peak[MAX_CMDS];
	char *name[MAX_CMDS], *cmd[MAX_CMDS];
	int reps, n = 0, i, r;

	if (argc < 4)
		return fprintf(stderr, "usage: benchrun SCENARIO REPS name=cmd...\n"), 1;
	reps = atoi(argv[2]);
	if (reps < 1 || reps > MAX_REPS)
		return 1;
	for (i = 3; i < argc && n < MAX_CMDS; i++, n++) {
		name[n] = strdup(argv[i]);
		cmd[n] = strchr(name[n], '=');
		if (!cmd[n])
			return 1;
		*cmd[n]++ = '\0';
	}
	for (i = 0; i < n; i++)
		run(cmd[i], NULL);
	for (r = 0; r < reps; r++)
		for (i = 0; i < n; i++)
			t[i][r] = run(cmd[i], NULL);
	for (i = 0; i < n; i++)
		run(cmd[i], &peak[i]);
	for (i = 0; i < n; i++) {
		qsort(t[i], reps, sizeof(double), cmp);
		printf("%s,%s,%.2f,%.2f,%.2f,%ld\n", argv[1], name[i], t[i][reps / 2], t[i][0],
		       t[i][reps - 1], peak[i]);
	}
	return 0;
}
