// SPDX-License-Identifier: GPL-2.0
/*
 * memacct selftests: the reader (/bin/memacct) against the live module.
 * Its numbers for stopped processes equal smaps_rollup and the raw files;
 * every command and format shows what the raw files hold; -u and --cgroup
 * select exactly the processes of that user and cgroup subtree; every
 * failure has its exit code. No reader output passes through a pipe, so
 * each exit status is the reader's own. The JSON and Prometheus outputs
 * are also framed ("@@@ begin NAME" ... "@@@ end") for the host to check
 * with jq and promtool.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "lib.h"
#include "../tools/memacct/tests/pmap_x_columns.h"
#include "kselftest_harness.h"

#define READER "/bin/memacct"
/* the helpers run as nobody, so that -u has something to tell apart */
#define HELPER "su -s /bin/sh nobody -c 'exec /selftests/memhelper cow 4'"
#define NOBODY 65534
#define CG "/sys/fs/cgroup"

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
	self->n = helper_start(HELPER, pids, MAX_PROCS);
	ASSERT_EQ(4, self->n);
}

FIXTURE_TEARDOWN(reader)
{
	helper_stop_all();
	usleep(100000);
	rmdir(CG "/rt/sub");
	rmdir(CG "/rt");
	rmdir(CG "/rtx");
}

/* The line of @text starting with @prefix (after blanks), malloc'd, or NULL. */
static char *line_with(const char *text, const char *prefix)
{
	const char *p = text;
	size_t n;

	while (p && *p) {
		n = strcspn(p, "\n");
		if (!strncmp(p + strspn(p, " "), prefix, strlen(prefix)))
			return strndup(p, n);
		p += n + (p[n] == '\n');
	}
	return NULL;
}

/*
 * The number under column @name of a table-format @line: numbers are
 * right-aligned under their column name. -1 for an empty cell, -2 if the
 * column is missing.
 */
static long long cell_under(const char *header, const char *line, const char *name)
{
	size_t len = strlen(name), end, start;
	const char *h = header;

	for (;;) {
		h = strstr(h, name);
		if (!h)
			return -2;
		if ((h == header || h[-1] == ' ') && (h[len] == ' ' || !h[len]))
			break;
		h += len;
	}
	end = h - header + len;
	if (end > strlen(line) || line[end - 1] == ' ')
		return -1;
	for (start = end; start > 0 && line[start - 1] != ' '; start--)
		;
	return strtoll(line + start, NULL, 10);
}

static void upper(char *dst, const char *src, size_t len)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < len; i++)
		dst[i] = src[i] >= 'a' && src[i] <= 'z' ? src[i] - 32 : src[i];
	dst[i] = '\0';
}

/* @pid is one of the first @n of @list. */
static bool listed(const pid_t *list, int n, long long pid)
{
	int i;

	for (i = 0; i < n; i++)
		if (list[i] == pid)
			return true;
	return false;
}

/*
 * `memacct ps -p PID` for each stopped helper equals its smaps_rollup (in
 * kB, as smaps_rollup has it) and its /proc/PID/stat vsize (in bytes). Pss
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
		/* to the byte: vsize of /proc/PID/stat is in bytes */
		EXPECT_EQ(stat_vsize(pids[p]), table_num(&t, 0, "vss"));
		free(rollup);
		table_free(&t);
	}
}

/*
 * TOTAL of the helpers, column by column, equals the sums of their raw
 * rows for the columns a total adds (not pss: see above), and is empty
 * for those it cannot add; their vmas TOTAL equals the raw row.
 */
TEST_F(reader, totals_equal_raw_sums)
{
	static const char *const sums[] = { "pss_anon", "uss", "swap", "swap_pss" };
	static const char *const none[] = { "vss", "rss", "shared" };
	char list[256] = "", *out, *hdr, *tot, name[32];
	struct table raw;
	unsigned int c;
	int p, r;

	for (p = 0; p < self->n; p++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%d", p ? "," : "",
			 pids[p]);
	ASSERT_EQ(0, reader(&out, "-b -w ps -p %s", list));
	ASSERT_EQ(0, table_load(&raw, MEMACCT_DIR "/processes"));
	hdr = line_with(out, "PID ");
	tot = line_with(out, "TOTAL");
	if (!tot) {	/* the label is in the last column: find its line */
		char *t = strstr(out, "TOTAL");

		ASSERT_NE(NULL, t);
		while (t > out && t[-1] != '\n')
			t--;
		tot = strndup(t, strcspn(t, "\n"));
	}
	ASSERT_NE(NULL, hdr);
	for (c = 0; c < sizeof(sums) / sizeof(sums[0]); c++) {
		long long sum = 0;

		for (p = 0; p < self->n; p++)
			sum += table_num(&raw, table_find(&raw, "pid", pids[p]), sums[c]);
		upper(name, sums[c], sizeof(name));
		EXPECT_EQ(sum, cell_under(hdr, tot, name)) TH_LOG("%s in %s", name, out);
	}
	for (c = 0; c < sizeof(none) / sizeof(none[0]); c++) {
		upper(name, none[c], sizeof(name));
		EXPECT_EQ(-1, cell_under(hdr, tot, name)) TH_LOG("%s has a total: %s", name, tot);
	}
	free(hdr);
	free(tot);
	free(out);
	ASSERT_EQ(0, reader(&out, "-b -w vmas %d", pids[0]));
	r = table_find(&raw, "pid", pids[0]);
	hdr = line_with(out, "PID ");
	ASSERT_NE(NULL, hdr);
	tot = strstr(out, "TOTAL");
	ASSERT_NE(NULL, tot);
	while (tot > out && tot[-1] != '\n')
		tot--;
	tot = strndup(tot, strcspn(tot, "\n"));
	EXPECT_EQ(table_num(&raw, r, "rss"), cell_under(hdr, tot, "RSS"));
	EXPECT_EQ(table_num(&raw, r, "vss"), cell_under(hdr, tot, "VSS"));
	EXPECT_EQ(table_num(&raw, r, "uss"), cell_under(hdr, tot, "USS"));
	free(hdr);
	free(tot);
	free(out);
	table_free(&raw);
}

/* -u and --cgroup (a subtree, not a prefix) select exactly those processes. */
TEST_F(reader, user_and_cgroup_filters)
{
	char path[128], pid[16], *out;
	struct table t, raw;
	int r, nobody = 0, p;

	ASSERT_EQ(0, access(CG "/cgroup.procs", F_OK)) TH_LOG("no cgroup2 at " CG);
	ASSERT_EQ(0, mkdir(CG "/rt", 0755));
	ASSERT_EQ(0, mkdir(CG "/rt/sub", 0755));
	ASSERT_EQ(0, mkdir(CG "/rtx", 0755));
	for (p = 0; p < 3; p++) {
		snprintf(path, sizeof(path), CG "/%s/cgroup.procs", p < 2 ? "rt/sub" : "rtx");
		snprintf(pid, sizeof(pid), "%d", pids[p]);
		ASSERT_EQ(0, write_file(path, pid));
	}
	ASSERT_EQ(0, reader_csv(&t, "ps --cgroup /rt"));
	EXPECT_EQ(2, t.nrows);
	for (r = 0; r < t.nrows; r++)
		EXPECT_TRUE(listed(pids, 2, table_num(&t, r, "pid")));
	table_free(&t);
	ASSERT_EQ(0, reader_csv(&t, "cgroups --cgroup /rt"));
	ASSERT_EQ(1, t.nrows);
	EXPECT_EQ(2, table_num(&t, 0, "processes"));
	table_free(&t);
	/* -u: the helpers are nobody's, and nobody else's process is */
	ASSERT_EQ(0, table_load(&raw, MEMACCT_DIR "/processes"));
	for (r = 0; r < raw.nrows; r++)
		nobody += table_num(&raw, r, "uid") == NOBODY;
	table_free(&raw);
	EXPECT_EQ(self->n, nobody);
	ASSERT_EQ(0, reader_csv(&t, "ps -u nobody"));
	EXPECT_EQ(self->n, t.nrows);
	for (r = 0; r < t.nrows; r++)
		EXPECT_TRUE(listed(pids, self->n, table_num(&t, r, "pid")));
	table_free(&t);
	ASSERT_EQ(0, reader_csv(&t, "ps -u 0"));
	for (r = 0; r < t.nrows; r++)
		EXPECT_FALSE(listed(pids, self->n, table_num(&t, r, "pid")));
	table_free(&t);
	ASSERT_EQ(0, reader(&out, "-f csv users -u %d", NOBODY));
	EXPECT_NE(NULL, strstr(out, "\nnobody,4,")) TH_LOG("%s", out);
	free(out);
}

/* Rows of the raw file @name (all of them, or those of @key == @val). */
static int raw_rows(const char *name)
{
	char path[128];
	struct table t;
	int n;

	snprintf(path, sizeof(path), MEMACCT_DIR "/%s", name);
	if (table_load(&t, path))
		return -1;
	n = t.nrows;
	table_free(&t);
	return n;
}

/* The raw vmas table of @pid, selected through a write to the open file. */
static int vmas_table(pid_t pid, struct table *t)
{
	char buf[32], *text;
	int fd, n;

	fd = open(MEMACCT_DIR "/vmas", O_RDWR);
	if (fd < 0)
		return -1;
	snprintf(buf, sizeof(buf), "%d\n", pid);
	if (write(fd, buf, strlen(buf)) < 0) {
		close(fd);
		return -1;
	}
	text = calloc(1, 1 << 20);
	n = read(fd, text, (1 << 20) - 1);
	close(fd);
	if (n <= 0) {
		free(text);
		return -1;
	}
	return table_parse(t, text);
}

static int vmas_rows(pid_t pid)
{
	struct table t;
	int n;

	if (vmas_table(pid, &t))
		return -1;
	n = t.nrows;
	table_free(&t);
	return n;
}

/* procps' pmap (vm.sh copies the host's; busybox's has no -X), or NULL. */
static const char *procps_pmap(void)
{
	static const char *const paths[] = { "/usr/lib/procps/pmap", "/usr/bin/pmap" };
	char cmd[128];
	unsigned int i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		snprintf(cmd, sizeof(cmd), "%s -V 2>/dev/null | grep -q procps", paths[i]);
		if (!access(paths[i], X_OK) && !system(cmd))
			return paths[i];
	}
	return NULL;
}

/* The whitespace-separated words of @line (modified), at most @max. */
static int words(char *line, char **w, int max)
{
	char *save, *p;
	int n = 0;

	for (p = strtok_r(line, " ", &save); p && n < max; p = strtok_r(NULL, " ", &save))
		w[n++] = p;
	return n;
}

/*
 * `memacct vmas PID` of a stopped helper has pmap -X's columns in pmap
 * -X's order (less ProtectionKey, which pmap shows only with memory
 * protection keys), and each row the numbers pmap -X shows for that
 * mapping: sizes in kB there, in bytes here; the PSS columns (Pss,
 * Pss_Dirty, SwapPss, Locked) within 1 kB, as memacct truncates PSS once
 * per process and smaps once per mapping. THPeligible is left out where
 * the module shows `-` for it (it cannot compute it: Documentation/abi.rst).
 * Needs the module's issue 16 columns: skipped when its vmas header lacks
 * them.
 */
TEST_F(reader, vmas_columns_equal_pmap_x)
{
	static const char *const pss_like[] = { "pss", "pss_dirty", "swap_pss", "locked" };
	char *pm, *out, *line, *save, *hw[64], *rw[64], want[1024] = "", got[1024] = "", *w[64];
	char *hdr, *body, cmd[128];
	const char *pmap = procps_pmap();
	bool thp_unavailable;
	int col[64], nh, nr, i, r, rows = 0, c;
	struct table raw, csv;
	unsigned int k;
	pid_t pid = pids[0];

	ASSERT_EQ(0, vmas_table(pid, &raw));
	if (table_col(&raw, "pss_dirty") < 0 || table_col(&raw, "dev") < 0 ||
	    table_col(&raw, "thp_eligible") < 0) {
		table_free(&raw);
		SKIP(return, "the module's vmas file has no pss_dirty, dev, thp_eligible columns (issue 16's module side not in this build)");
	}
	/* THPeligible: `-` in every row where the module cannot compute it */
	for (r = 0, thp_unavailable = true; r < raw.nrows; r++)
		thp_unavailable &= !strcmp(raw.rows[r][table_col(&raw, "thp_eligible")], "-");
	table_free(&raw);
	ASSERT_NE(NULL, pmap) TH_LOG("no procps pmap in the VM (vm.sh copies the host's to /usr/lib/procps)");
	snprintf(cmd, sizeof(cmd), "%s -X %d >/tmp/pmap.out 2>&1", pmap, pid);
	ASSERT_EQ(0, system(cmd));
	pm = read_file("/tmp/pmap.out", NULL);
	ASSERT_NE(NULL, pm);
	/* the header: pmap's names, each the reader's, in the same order */
	line = strchr(pm, '\n');
	ASSERT_NE(NULL, line);
	hdr = strndup(line + 1, strcspn(line + 1, "\n"));
	body = line + 1 + strlen(hdr);
	nh = words(hdr, hw, 64);
	for (i = 0; i < nh; i++) {
		col[i] = -1;
		if (!strcmp(hw[i], "ProtectionKey") ||
		    (thp_unavailable && !strcmp(hw[i], "THPeligible")))
			continue;
		for (k = 0; k < PMAP_X_NCOLUMNS && strcmp(pmap_x_columns[k][0], hw[i]); k++)
			;
		ASSERT_LT(k, PMAP_X_NCOLUMNS) TH_LOG("pmap -X shows %s, which memacct vmas does not", hw[i]);
		col[i] = k;
		upper(want + strlen(want), pmap_x_columns[k][1], sizeof(want) - strlen(want));
		strcat(want, " ");
	}
	ASSERT_EQ(0, reader(&out, "-b vmas %d", pid));
	line = line_with(out, "START ");
	ASSERT_NE(NULL, line);
	nr = words(line, w, 64);
	for (i = 0; i < nr; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s ", w[i]);
	EXPECT_STREQ(want, got) TH_LOG("pmap -X: %s", pm);
	free(line);
	free(out);
	/* the rows, by address: every column but the mapping's name */
	snprintf(got, sizeof(got), "-b vmas %d", pid);
	ASSERT_EQ(0, reader_csv(&csv, got));
	for (line = strtok_r(body, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strstr(line, "===="))
			break;
		nr = words(line, rw, 64);
		ASSERT_GE(nr, nh - 1) TH_LOG("pmap row: %s", line);
		for (r = 0; r < csv.nrows &&
		     strtoull(csv.rows[r][table_col(&csv, "start")], NULL, 16) != strtoull(rw[0], NULL, 16); r++)
			;
		ASSERT_LT(r, csv.nrows) TH_LOG("pmap's mapping at %s is not in memacct vmas", rw[0]);
		rows++;
		for (i = 1; i < nh; i++) {
			const char *name, *ours;
			long long theirs, mine;

			if (col[i] < 0 || !strcmp(hw[i], "Mapping"))
				continue;
			name = pmap_x_columns[col[i]][1];
			c = table_col(&csv, name);
			ASSERT_LE(0, c) TH_LOG("memacct -f csv vmas has no %s", name);
			ours = csv.rows[r][c];
			if (!strcmp(name, "perms") || !strcmp(name, "dev")) {
				EXPECT_STREQ(rw[i], ours) TH_LOG("%s at %s", name, rw[0]);
				continue;
			}
			if (!strcmp(name, "offset")) {
				EXPECT_EQ(strtoull(rw[i], NULL, 16), strtoull(ours, NULL, 16))
					TH_LOG("offset at %s", rw[0]);
				continue;
			}
			theirs = strtoll(rw[i], NULL, 10);
			mine = strtoll(ours, NULL, 10);
			if (strcmp(name, "inode") && strcmp(name, "thp_eligible"))
				mine /= 1024;	/* bytes, pmap's kB */
			for (k = 0; k < sizeof(pss_like) / sizeof(pss_like[0]) && strcmp(pss_like[k], name); k++)
				;
			if (k < sizeof(pss_like) / sizeof(pss_like[0])) {
				EXPECT_GE(1, llabs(mine - theirs))
					TH_LOG("%s at %s: pmap %lld kB, memacct %s bytes", name, rw[0],
					       theirs, ours);
			} else {
				EXPECT_EQ(theirs, mine)
					TH_LOG("%s at %s: pmap %lld, memacct %s", name, rw[0], theirs, ours);
			}
		}
	}
	EXPECT_EQ(csv.nrows, rows);
	table_free(&csv);
	free(hdr);
	free(pm);
}

/*
 * The CSV of each command shows what the raw files hold (rows and key
 * values); its table has the same rows under a header; JSON and
 * Prometheus outputs are well-formed at the start and go to the host.
 */
TEST_F(reader, every_command_and_format)
{
	static const struct { const char *cmd, *header; } cmds[] = {
		{ "ps", "PID " }, { "users", "USER " }, { "programs", "PROGRAM " },
		{ "cgroups", "CGROUP " }, { "vmas 1", "START " }, { "buddy", "NODE " },
		{ "slab", "ACTIVE_OBJS " }, { "summary", "ITEM " },
	};
	unsigned int c;
	struct table t;
	char *out, *hdr, name[32];
	int p, rows;

	for (c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
		ASSERT_EQ(0, reader_csv(&t, cmds[c].cmd)) TH_LOG("memacct -f csv %s", cmds[c].cmd);
		EXPECT_LT(0, t.nrows) TH_LOG("%s: no rows", cmds[c].cmd);
		rows = t.nrows;
		if (!strcmp(cmds[c].cmd, "ps"))
			for (p = 0; p < self->n; p++)
				EXPECT_LE(0, table_find(&t, "pid", pids[p])) TH_LOG("pid %d", pids[p]);
		if (!strcmp(cmds[c].cmd, "vmas 1"))
			EXPECT_EQ(vmas_rows(1), t.nrows);
		if (!strcmp(cmds[c].cmd, "buddy"))
			EXPECT_EQ(raw_rows("buddy"), t.nrows);
		if (!strcmp(cmds[c].cmd, "slab"))	/* less the three total rows */
			EXPECT_EQ(raw_rows("slab") - 3, t.nrows);
		if (!strcmp(cmds[c].cmd, "summary")) {
			for (p = 0; p < t.nrows && strcmp(t.rows[p][0], "mem_total"); p++)
				;
			ASSERT_LT(p, t.nrows);
			EXPECT_EQ(file_kb("/proc/meminfo", "MemTotal") * 1024, table_num(&t, p, "bytes"));
		}
		table_free(&t);
		/* the table: a header, then the same number of rows (and a TOTAL) */
		ASSERT_EQ(0, reader(&out, "-b %s", cmds[c].cmd));
		hdr = line_with(out, cmds[c].header);
		EXPECT_NE(NULL, hdr) TH_LOG("%s: no header '%s' in %s", cmds[c].cmd, cmds[c].header, out);
		free(hdr);
		for (p = 0, hdr = out; (hdr = strchr(hdr, '\n')); hdr++)
			p++;
		EXPECT_LE(rows + 1, p) TH_LOG("%s: %d lines for %d rows", cmds[c].cmd, p, rows);
		free(out);
		/* machine formats, for jq and promtool on the host */
		ASSERT_EQ(0, reader(&out, "-f json %s", cmds[c].cmd));
		EXPECT_EQ(0, strncmp(out, "{", 1));
		snprintf(name, sizeof(name), "%s", cmds[c].cmd);
		name[strcspn(name, " ")] = '\0';
		printf("@@@ begin %s.json\n%s@@@ end\n", name, out);
		free(out);
		ASSERT_EQ(0, reader(&out, "-f prometheus %s", cmds[c].cmd));
		EXPECT_EQ(0, strncmp(out, "# HELP memacct_", 15));
		printf("@@@ begin %s.prometheus\n%s@@@ end\n", name, out);
		fflush(stdout);
		free(out);
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
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(4, WEXITSTATUS(status));
	/* 9: the output cannot be written */
	status = system(READER " ps >/dev/full 2>/dev/null");
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(9, WEXITSTATUS(status));
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
