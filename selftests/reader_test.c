// SPDX-License-Identifier: GPL-2.0
/*
 * memacct selftests: the reader (/bin/memacct) against the live module.
 * Its numbers for stopped processes equal smaps_rollup and the raw files;
 * every command and format works; every failure has its exit code. The
 * JSON and Prometheus outputs are framed ("@@@ begin NAME" ... "@@@ end")
 * for the host to check with jq and promtool.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "lib.h"
#include "kselftest_harness.h"

#define READER "/bin/memacct"
#define HELPER "/selftests/memhelper"

static pid_t pids[MAX_PROCS];

/* Runs the reader with @args; its stdout in *out; returns the exit code. */
static int reader(char **out, const char *fmt, ...)
{
	char args[1024], cmd[1200];
	va_list ap;
	int status;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), READER " %s >/tmp/reader.out 2>/tmp/reader.err", args);
	status = system(cmd);
	if (out)
		*out = read_file("/tmp/reader.out", NULL);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The reader's CSV (first view) parsed; empty (unavailable) fields "-". */
static int reader_csv(struct table *t, const char *args)
{
	char *csv, *text, *p, *o;
	bool start = true;

	if (reader(&csv, "-f csv %s", args) || !csv)
		return -1;
	p = strstr(csv, "\n\n");
	if (p)
		p[1] = '\0';
	text = malloc(2 * strlen(csv) + 2);
	for (p = csv, o = text; *p; p++) {
		if (start && (*p == ',' || *p == '\n'))
			*o++ = '-';
		start = *p == ',' || *p == '\n';
		*o++ = *p == ',' ? ' ' : *p;
	}
	*o = '\0';
	free(csv);
	return table_parse(t, text);
}

FIXTURE(reader) {
	int n;
};

FIXTURE_SETUP(reader)
{
	if (!module_loaded())
		ASSERT_EQ(0, module_load(NULL));
	write_file("/sys/kernel/mm/transparent_hugepage/enabled", "madvise");
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	self->n = helper_start(HELPER " cow 4", pids, MAX_PROCS);
	ASSERT_EQ(4, self->n);
}

FIXTURE_TEARDOWN(reader)
{
	helper_stop_all();
}

/*
 * `memacct ps -p PID` for each stopped helper equals its smaps_rollup. Pss
 * and Pss_File are left out: the vdso page is shared with every process,
 * so its share moves as the reader's own shell comes and goes between the
 * two reads; pss itself is checked against the raw file in procs_test.
 */
TEST_F(reader, ps_row_equals_smaps_rollup)
{
	static const struct { const char *col, *field, *field2; } map[] = {
		{ "rss", "Rss", NULL }, { "pss_anon", "Pss_Anon", NULL },
		{ "pss_shmem", "Pss_Shmem", NULL },
		{ "uss", "Private_Clean", "Private_Dirty" },
		{ "shared", "Shared_Clean", "Shared_Dirty" },
		{ "anon", "Anonymous", NULL }, { "swap", "Swap", NULL },
	};
	char path[64], args[64], *rollup;
	struct table t;
	unsigned int i;
	int p;

	for (p = 0; p < self->n; p++) {
		snprintf(args, sizeof(args), "-b ps -p %d", pids[p]);
		ASSERT_EQ(0, reader_csv(&t, args));
		ASSERT_EQ(1, t.nrows);
		snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pids[p]);
		rollup = read_file(path, NULL);
		ASSERT_NE(NULL, rollup);
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
			long long kb = rollup_kb(rollup, map[i].field);

			if (map[i].field2)
				kb += rollup_kb(rollup, map[i].field2);
			EXPECT_EQ(kb, table_num(&t, 0, map[i].col) / 1024)
				TH_LOG("pid %d %s", pids[p], map[i].col);
		}
		EXPECT_EQ(status_kb(pids[p], "VmSize"), table_num(&t, 0, "vss") / 1024);
		free(rollup);
		table_free(&t);
	}
}

/*
 * TOTAL of the helpers and their vmas TOTAL equal sums of the raw rows
 * (not pss: see above; pss_anon of the COW pages is theirs alone).
 */
TEST_F(reader, totals_equal_raw_sums)
{
	static const char *const cols[] = { "vss", "rss", "pss_anon", "uss", "swap" };
	char list[256] = "", *out, want[64];
	struct table raw;
	unsigned int c;
	int p, r;

	for (p = 0; p < self->n; p++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%d", p ? "," : "",
			 pids[p]);
	ASSERT_EQ(0, reader(&out, "-b -w ps -p %s | tail -n1", list));
	ASSERT_EQ(0, table_load(&raw, MEMACCT_DIR "/processes"));
	for (c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
		long long sum = 0;

		for (p = 0; p < self->n; p++)
			sum += table_num(&raw, table_find(&raw, "pid", pids[p]), cols[c]);
		snprintf(want, sizeof(want), " %lld ", sum);
		EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s: %s not in %s", cols[c], want, out);
	}
	free(out);
	ASSERT_EQ(0, reader(&out, "-b -w vmas %d | tail -n1", pids[0]));
	r = table_find(&raw, "pid", pids[0]);
	snprintf(want, sizeof(want), " %lld ", table_num(&raw, r, "rss"));
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("vmas rss %s not in %s", want, out);
	free(out);
	table_free(&raw);
}

/* Every command in every format runs; machine formats go to the host. */
TEST_F(reader, every_command_and_format)
{
	static const char *const cmds[] = { "ps", "users", "programs", "cgroups", "vmas 1",
					    "buddy", "slab", "summary" };
	static const char *const fmts[] = { "table", "json", "csv", "prometheus" };
	unsigned int c, f;
	char *out;

	for (c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
		for (f = 0; f < 4; f++) {
			EXPECT_EQ(0, reader(&out, "-f %s %s", fmts[f], cmds[c]))
				TH_LOG("memacct -f %s %s", fmts[f], cmds[c]);
			EXPECT_NE(NULL, out);
			if (out && f % 2 == 1) {	/* json, prometheus */
				printf("@@@ begin %s.%s\n%s@@@ end\n", strtok(strdup(cmds[c]), " "),
				       fmts[f], out);
				fflush(stdout);
			}
			EXPECT_LT(10, out ? (long)strlen(out) : 0);
			free(out);
		}
	}
}

TEST_F(reader, exit_codes)
{
	pid_t child;
	int status;

	EXPECT_EQ(5, reader(NULL, "vmas 999999"));
	EXPECT_EQ(5, reader(NULL, "ps -p 999999"));
	EXPECT_EQ(1, reader(NULL, "ps -s nonsense"));
	/* not root: debugfs itself is root-only */
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(100);
		execl(READER, READER, "ps", (char *)NULL);
		_exit(101);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_EQ(4, WEXITSTATUS(status));
	helper_stop_all();
	ASSERT_EQ(0, module_unload());
	EXPECT_EQ(2, reader(NULL, "ps"));
	ASSERT_EQ(0, umount("/sys/kernel/debug"));
	EXPECT_EQ(3, reader(NULL, "ps"));
	ASSERT_EQ(0, mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL));
	ASSERT_EQ(0, module_load(NULL));
	EXPECT_EQ(0, reader(NULL, "ps"));
}

TEST_HARNESS_MAIN
