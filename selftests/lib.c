// SPDX-License-Identifier: GPL-2.0
/* memacct selftests: helpers shared by the test programs. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "lib.h"

char *read_file(const char *path, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	ssize_t r;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((r = read(fd, buf + n, cap - n - 1)) > 0) {
		n += r;
		if (cap - n < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
	}
	close(fd);
	if (r < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t r;

	if (fd < 0)
		return -errno;
	r = write(fd, s, strlen(s));
	close(fd);
	return r < 0 ? -errno : 0;
}

static int split(char *line, char **out, int max)
{
	int n = 0;
	char *save, *tok;

	for (tok = strtok_r(line, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (n == max)
			return -1;
		out[n++] = tok;
	}
	return n;
}

int table_parse(struct table *t, char *text)
{
	char *line, *save;
	int cap = 0;

	memset(t, 0, sizeof(*t));
	t->buf = text;
	line = strtok_r(text, "\n", &save);
	if (!line)
		return -1;
	t->ncols = split(line, t->cols, MAX_COLS);
	if (t->ncols <= 0)
		return -1;
	while ((line = strtok_r(NULL, "\n", &save))) {
		if (t->nrows == cap) {
			cap = cap ? cap * 2 : 256;
			t->rows = realloc(t->rows, cap * sizeof(*t->rows));
			t->row_ncols = realloc(t->row_ncols, cap * sizeof(int));
		}
		t->rows[t->nrows] = calloc(MAX_COLS, sizeof(char *));
		t->row_ncols[t->nrows] = split(line, t->rows[t->nrows], MAX_COLS);
		t->nrows++;
	}
	return 0;
}

int table_load(struct table *t, const char *path)
{
	char *text = read_file(path, NULL);

	if (!text)
		return -1;
	return table_parse(t, text);
}

void table_free(struct table *t)
{
	int i;

	for (i = 0; i < t->nrows; i++)
		free(t->rows[i]);
	free(t->rows);
	free(t->row_ncols);
	free(t->buf);
	memset(t, 0, sizeof(*t));
}

int table_col(const struct table *t, const char *name)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i], name))
			return i;
	return -1;
}

int table_find(const struct table *t, const char *key, long long val)
{
	int c = table_col(t, key), i;

	if (c < 0)
		return -1;
	for (i = 0; i < t->nrows; i++)
		if (t->row_ncols[i] > c && atoll(t->rows[i][c]) == val)
			return i;
	return -1;
}

long long table_num(const struct table *t, int row, const char *col)
{
	int c = table_col(t, col);
	char *end;
	long long v;

	if (c < 0 || row < 0 || t->row_ncols[row] <= c)
		return -1;
	errno = 0;
	v = strtoll(t->rows[row][c], &end, 10);
	if (errno || *end)
		return -1;
	return v;
}

/* The number after "@field@sep" at the start of a line of @text, or -1. */
static long long line_value(const char *text, const char *field, char sep)
{
	size_t fl = strlen(field);
	const char *p = text;

	while ((p = strstr(p, field))) {
		if ((p == text || p[-1] == '\n') && p[fl] == sep)
			return atoll(p + fl + 1);
		p += fl;
	}
	return -1;
}

long long rollup_kb(const char *rollup, const char *field)
{
	return line_value(rollup, field, ':');
}

long long file_kb(const char *path, const char *field)
{
	char *s = read_file(path, NULL);
	long long v;

	if (!s)
		return -1;
	v = rollup_kb(s, field);
	free(s);
	return v;
}

long long status_kb(pid_t pid, const char *field)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	return file_kb(path, field);
}

static pid_t helper_pgid;

static bool is_stopped(pid_t pid)
{
	char path[64], *s, *p;
	bool stopped;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	s = read_file(path, NULL);
	if (!s)
		return false;
	p = strrchr(s, ')');
	stopped = p && p[1] == ' ' && p[2] == 'T';
	free(s);
	return stopped;
}

int helper_start(const char *args, pid_t *pids, int max)
{
	int fds[2], n = 0, i, tries;
	char line[64];
	FILE *f;
	pid_t child;

	if (pipe(fds))
		return -1;
	child = fork();
	if (child < 0)
		return -1;
	if (child == 0) {
		setpgid(0, 0);
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execl("/bin/sh", "sh", "-c", args, (char *)NULL);
		_exit(127);
	}
	setpgid(child, child);
	helper_pgid = child;
	close(fds[1]);
	f = fdopen(fds[0], "r");
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "END", 3))
			break;
		if (n < max && line[0] == 'P')
			pids[n++] = atoi(line + 2);
	}
	fclose(f);
	for (i = 0; i < n; i++) {
		for (tries = 0; tries < 2000 && !is_stopped(pids[i]); tries++)
			usleep(5000);
		if (!is_stopped(pids[i]))
			return -1;
	}
	return n;
}

void helper_stop_all(void)
{
	int status;

	if (helper_pgid > 0) {
		kill(-helper_pgid, SIGKILL);
		kill(-helper_pgid, SIGCONT);
	}
	helper_pgid = 0;
	/* the tests are child subreapers: collect helpers and orphans */
	while (waitpid(-1, &status, __WALL) > 0)
		;
}

/* Field 23 of /proc/PID/stat: the virtual size in bytes, or -1. */
/* The raw text of column @col of @row, or "" */
static const char *table_str(const struct table *t, int row, const char *col)
{
	int c = table_col(t, col);

	if (c < 0 || row < 0 || t->row_ncols[row] <= c)
		return "";
	return t->rows[row][c];
}

long long stat_field(pid_t pid, int n)
{
	char path[64], *s, *p;
	long long v = -1;
	int field;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	s = read_file(path, NULL);
	p = s ? strrchr(s, ')') : NULL;	/* comm may hold spaces */
	for (field = 2; p && field < n; field++)
		p = strchr(p + 1, ' ');
	if (p)
		v = atoll(p + 1);
	free(s);
	return v;
}

long long stat_vsize(pid_t pid)
{
	return stat_field(pid, 23);
}

/* The number in /proc/PID/@name (oom_score, oom_score_adj), or LLONG_MIN */
static long long proc_number(pid_t pid, const char *name)
{
	char path[64], *s;
	long long v = LLONG_MIN;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	s = read_file(path, NULL);
	if (s)
		v = atoll(s);
	free(s);
	return v;
}

/*
 * The status, stat and oom columns of `processes` and the kernel's own
 * figure of each: status "kB" fields times 1024 (to the byte: status
 * prints whole pages or memacct truncates as status does), Threads, stat
 * fields 10 and 12, oom_score and oom_score_adj.
 */
static const struct {
	const char *ours, *status;	/* status: a /proc/PID/status field */
	bool kb;
} status_columns[] = {
	{ "rss_anon", "RssAnon", true }, { "rss_file", "RssFile", true },
	{ "rss_shmem", "RssShmem", true }, { "vm_peak", "VmPeak", true },
	{ "vm_hwm", "VmHWM", true }, { "vm_data", "VmData", true },
	{ "vm_stk", "VmStk", true }, { "vm_exe", "VmExe", true },
	{ "vm_lib", "VmLib", true }, { "vm_pte", "VmPTE", true },
	{ "vm_swap", "VmSwap", true }, { "vm_pin", "VmPin", true },
	{ "threads", "Threads", false },
};

static int compare_task_figures(const struct table *t, int row, pid_t pid,
				char *why, size_t whylen, size_t off)
{
	long long ours, theirs;
	int i, bad = 0;

	for (i = 0; i < (int)(sizeof(status_columns) / sizeof(status_columns[0])); i++) {
		theirs = status_kb(pid, status_columns[i].status);
		if (status_columns[i].kb && theirs >= 0)
			theirs *= 1024;
		ours = table_num(t, row, status_columns[i].ours);
		if (ours < 0 || ours != theirs) {
			if (off < whylen)
				off += snprintf(why + off, whylen - off, "pid %d %s %lld != status %s %lld; ",
						pid, status_columns[i].ours, ours,
						status_columns[i].status, theirs);
			bad++;
		}
	}
	for (i = 0; i < 4; i++) {
		static const char *const col[] = { "minflt", "majflt", "oom_score", "oom_score_adj" };

		ours = table_num(t, row, col[i]);
		if (i < 2) {
			theirs = stat_field(pid, i ? 12 : 10);
		} else {
			theirs = proc_number(pid, col[i]);
			if (i == 3)	/* may be negative: table_num() says -1 for "-" too */
				ours = strcmp(table_str(t, row, col[i]), "-") ?
				       atoll(table_str(t, row, col[i])) : LLONG_MIN + 1;
		}
		if (ours != theirs || (i < 3 && ours < 0)) {
			if (off < whylen)
				off += snprintf(why + off, whylen - off, "pid %d %s %lld != %lld; ",
						pid, col[i], ours, theirs);
			bad++;
		}
	}
	return bad;
}

/*
 * smaps_rollup prints kB: the columns below are compared to the kB (their
 * byte values truncated), vss to the byte.
 */
struct column_map {
	const char *ours;
	const char *rollup[2];	/* summed */
};

static const struct column_map rollup_columns[] = {
	{ "rss", { "Rss" } },
	{ "pss", { "Pss" } },
	{ "pss_anon", { "Pss_Anon" } },
	{ "pss_file", { "Pss_File" } },
	{ "pss_shmem", { "Pss_Shmem" } },
	{ "uss", { "Private_Clean", "Private_Dirty" } },
	{ "shared", { "Shared_Clean", "Shared_Dirty" } },
	{ "anon", { "Anonymous" } },
	{ "anon_huge", { "AnonHugePages" } },
	{ "swap", { "Swap" } },
	{ "swap_pss", { "SwapPss" } },
	{ "locked", { "Locked" } },
	{ "hugetlb_shared", { "Shared_Hugetlb" } },
	{ "hugetlb_private", { "Private_Hugetlb" } },
	{ "private_clean", { "Private_Clean" } },
	{ "private_dirty", { "Private_Dirty" } },
	{ "shared_clean", { "Shared_Clean" } },
	{ "shared_dirty", { "Shared_Dirty" } },
	{ "pss_dirty", { "Pss_Dirty" } },
	{ "referenced", { "Referenced" } },
	{ "lazyfree", { "LazyFree" } },
	{ "ksm", { "KSM" } },
	{ "shmem_pmd_mapped", { "ShmemPmdMapped" } },
	{ "file_pmd_mapped", { "FilePmdMapped" } },
};

int compare_process(pid_t pid, char *why, size_t whylen)
{
	char path[64], *rollup;
	struct table t;
	long long ours, kb, theirs;
	int row, i, j, bad = 0;
	size_t off = 0;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
	rollup = read_file(path, NULL);
	if (!rollup || table_load(&t, MEMACCT_DIR "/processes")) {
		snprintf(why, whylen, "cannot read rollup or processes for %d", pid);
		free(rollup);
		return -1;
	}
	row = table_find(&t, "pid", pid);
	if (row < 0) {
		snprintf(why, whylen, "pid %d has no row", pid);
		bad = 1;
		goto out;
	}
	if (t.row_ncols[row] != t.ncols) {
		snprintf(why, whylen, "pid %d: %d fields, header has %d", pid,
			 t.row_ncols[row], t.ncols);
		bad = 1;
		goto out;
	}
	ours = table_num(&t, row, "vss");
	kb = stat_vsize(pid);	/* in bytes: the one byte-exact oracle */
	if (ours != kb) {
		off += snprintf(why + off, whylen - off, "pid %d vss %lld != stat vsize %lld; ",
				pid, ours, kb);
		bad++;
	}
	for (i = 0; i < (int)(sizeof(rollup_columns) / sizeof(rollup_columns[0])); i++) {
		const struct column_map *c = &rollup_columns[i];

		theirs = 0;
		for (j = 0; j < 2 && c->rollup[j]; j++)
			theirs += rollup_kb(rollup, c->rollup[j]);
		if (!c->rollup[1] && theirs < 0) {
			/* a field this kernel's smaps lacks: "-" here */
			if (strcmp(table_str(&t, row, c->ours), "-")) {
				if (off < whylen)
					off += snprintf(why + off, whylen - off,
							"pid %d %s is %s, smaps has no %s; ",
							pid, c->ours, table_str(&t, row, c->ours),
							c->rollup[0]);
				bad++;
			}
			continue;
		}
		ours = table_num(&t, row, c->ours);
		if (ours < 0 || ours / 1024 != theirs) {
			if (off < whylen)
				off += snprintf(why + off, whylen - off,
						"pid %d %s %lld B != %lld kB; ",
						pid, c->ours, ours, theirs);
			bad++;
		}
	}
	bad += compare_task_figures(&t, row, pid, why, whylen, off < whylen ? off : whylen);
out:
	table_free(&t);
	free(rollup);
	return bad ? -1 : 0;
}

static const char *const summed_columns[] = {
	"vss", "rss", "pss", "pss_anon", "pss_file", "pss_shmem", "uss",
	"shared", "anon", "anon_huge", "swap", "swap_pss", "locked",
	"hugetlb_shared", "hugetlb_private", "private_clean", "private_dirty",
	"shared_clean", "shared_dirty", "pss_dirty", "referenced", "lazyfree",
	"ksm", "shmem_pmd_mapped", "file_pmd_mapped",
};

int compare_vmas_sum(pid_t pid, char *why, size_t whylen)
{
	struct table p, v;
	char buf[32];
	int row, i, r, bad = 0;
	long long sum;

	snprintf(buf, sizeof(buf), "%d", pid);
	if (write_file(MEMACCT_DIR "/pid", buf) || table_load(&v, MEMACCT_DIR "/vmas")) {
		snprintf(why, whylen, "cannot select/read vmas of %d", pid);
		return -1;
	}
	if (table_load(&p, MEMACCT_DIR "/processes")) {
		table_free(&v);
		snprintf(why, whylen, "cannot read processes");
		return -1;
	}
	row = table_find(&p, "pid", pid);
	for (i = 0; row >= 0 && i < (int)(sizeof(summed_columns) / sizeof(summed_columns[0])); i++) {
		sum = 0;
		for (r = 0; r < v.nrows; r++) {
			/* unavailable ("-") in a row: in every row and the total */
			if (!strcmp(table_str(&v, r, summed_columns[i]), "-") !=
			    !strcmp(table_str(&p, row, summed_columns[i]), "-"))
				sum = LLONG_MIN;
			else if (sum != LLONG_MIN)
				sum += table_num(&v, r, summed_columns[i]);
		}
		if (!strcmp(table_str(&p, row, summed_columns[i]), "-") && sum != LLONG_MIN)
			continue;
		if (sum != table_num(&p, row, summed_columns[i])) {
			snprintf(why, whylen, "pid %d: vmas %s sum %lld != processes %lld",
				 pid, summed_columns[i], sum,
				 table_num(&p, row, summed_columns[i]));
			bad = 1;
			break;
		}
	}
	if (row < 0) {
		snprintf(why, whylen, "pid %d has no processes row", pid);
		bad = 1;
	}
	if (v.nrows == 0) {
		snprintf(why, whylen, "pid %d has no vmas rows", pid);
		bad = 1;
	}
	table_free(&p);
	table_free(&v);
	return bad ? -1 : 0;
}

/*
 * The dev and inode of every vmas row of @pid equal those of the
 * /proc/PID/maps line of the mapping that starts there; thp_eligible is
 * "-" (not computed, Documentation/abi.rst).
 */
int compare_vmas_ids(pid_t pid, char *why, size_t whylen)
{
	char path[64], buf[32], *maps, *line, *save = NULL;
	unsigned long long start, ino;
	char dev[16];
	struct table v;
	int r, bad = 0, matched = 0;

	snprintf(buf, sizeof(buf), "%d", pid);
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	if (write_file(MEMACCT_DIR "/pid", buf) || table_load(&v, MEMACCT_DIR "/vmas")) {
		snprintf(why, whylen, "cannot select/read vmas of %d", pid);
		return -1;
	}
	maps = read_file(path, NULL);
	for (line = maps ? strtok_r(maps, "\n", &save) : NULL; line && !bad;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%llx-%*x %*s %*x %15s %llu", &start, dev, &ino) != 3)
			continue;
		for (r = 0; r < v.nrows; r++) {
			if (strtoull(table_str(&v, r, "start"), NULL, 16) != start)
				continue;
			matched++;
			if (strcmp(table_str(&v, r, "dev"), dev) ||
			    strtoull(table_str(&v, r, "inode"), NULL, 10) != ino ||
			    strcmp(table_str(&v, r, "thp_eligible"), "-")) {
				snprintf(why, whylen, "pid %d %llx: vmas dev %s inode %s thp %s, maps %s %llu",
					 pid, start, table_str(&v, r, "dev"),
					 table_str(&v, r, "inode"),
					 table_str(&v, r, "thp_eligible"), dev, ino);
				bad = 1;
			}
		}
	}
	if (!bad && matched < v.nrows) {
		snprintf(why, whylen, "pid %d: %d of %d vmas rows start where a mapping does",
			 pid, matched, v.nrows);
		bad = 1;
	}
	free(maps);
	table_free(&v);
	return bad ? -1 : 0;
}

int module_load(const char *params)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "insmod %s %s", MEMACCT_KO, params ? params : "");
	return system(cmd) == 0 ? 0 : -1;
}

int module_unload(void)
{
	return syscall(SYS_delete_module, "memacct", O_NONBLOCK) ? -errno : 0;
}

bool module_loaded(void)
{
	return access("/sys/module/memacct", F_OK) == 0;
}

double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void kernel_version(int *major, int *minor)
{
	struct utsname u;

	*major = *minor = 0;
	if (!uname(&u))
		sscanf(u.release, "%d.%d", major, minor);
}

long long stats_value(const char *key)
{
	char *text = read_file(MEMACCT_DIR "/stats", NULL);
	long long v = text ? line_value(text, key, ' ') : -1;

	free(text);
	return v;
}

/*
 * A 64 MiB zram swap device on (a test before may have done it already):
 * 0 if it is on, -1 if this kernel or VM has no zram.
 */
int zram_swap_on(void)
{
	if (access("/sys/block/zram0", F_OK))
		return -1;
	if (!system("grep -q zram0 /proc/swaps"))
		return 0;
	write_file("/sys/block/zram0/comp_algorithm", "lzo");
	if (write_file("/sys/block/zram0/disksize", "64M"))
		return -1;
	return system("mkswap /dev/zram0 >/dev/null && swapon /dev/zram0") ? -1 : 0;
}
