/* SPDX-License-Identifier: GPL-2.0 */
/* memacct selftests: helpers shared by the test programs. */
#ifndef MEMACCT_SELFTEST_LIB_H
#define MEMACCT_SELFTEST_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define MEMACCT_DIR "/sys/kernel/debug/memacct"
#define MEMACCT_KO "/lib/modules/memacct.ko"
#define MAX_COLS 64
#define MAX_PROCS 1024

/* A parsed table: header names and rows of whitespace-separated fields. */
struct table {
	int ncols;
	char *cols[MAX_COLS];
	int nrows;
	char ***rows;		/* rows[i][j], NULL-terminated not */
	int *row_ncols;
	char *buf;
};

char *read_file(const char *path, size_t *len);	/* NUL-terminated, malloc */
int write_file(const char *path, const char *s);
int zram_swap_on(void);
int table_parse(struct table *t, char *text);	/* takes ownership */
int table_load(struct table *t, const char *path);
void table_free(struct table *t);
int table_col(const struct table *t, const char *name);
/* Row whose column @key equals @val, or -1. */
int table_find(const struct table *t, const char *key, long long val);
long long table_num(const struct table *t, int row, const char *col);

/* /proc/PID/smaps_rollup field in kB (-1 if absent) */
long long rollup_kb(const char *rollup, const char *field);
long long status_kb(pid_t pid, const char *field);
/* Field 23 of /proc/PID/stat: the virtual size in bytes, or -1 */
long long stat_vsize(pid_t pid);
/* Field @n (1-based, as proc(5) numbers them, n >= 3) of /proc/PID/stat, or -1 */
long long stat_field(pid_t pid, int n);
/* A "Field: N kB" line of the file at @path (e.g. /proc/meminfo), or -1 */
long long file_kb(const char *path, const char *field);

/*
 * Start /selftests/memhelper with @args in its own process group; it sets
 * up memory in one or more processes, each of which stops itself. Returns
 * the number of pids stored in @pids (all stopped), or -1.
 */
int helper_start(const char *args, pid_t *pids, int max);
void helper_stop_all(void);

/* Compare the `processes` row of @pid with smaps_rollup; logs mismatches. */
int compare_process(pid_t pid, char *why, size_t whylen);
/* The vmas rows of @pid add up to its processes row. */
int compare_vmas_sum(pid_t pid, char *why, size_t whylen);
/* Its vmas rows' dev and inode are those of /proc/PID/maps. */
int compare_vmas_ids(pid_t pid, char *why, size_t whylen);

/* The value of line @key in the `stats` file, or -1 */
long long stats_value(const char *key);
/* CLOCK_MONOTONIC in milliseconds, for the timing lines tests print */
double now_ms(void);
/* The running kernel's version, from uname(): 6.12 is 6 and 12 */
void kernel_version(int *major, int *minor);

int module_load(const char *params);
int module_unload(void);
bool module_loaded(void);

#endif
