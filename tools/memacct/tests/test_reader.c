// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the memacct reader (cmocka): the table parser directly,
 * and every view and format through the binary ($MEMACCT_BIN) against
 * trees captured from the module on both kernels (fixtures/6.1, 6.12),
 * against expected outputs (expected/), and against hostile trees made
 * here. Run from this directory.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include "table.h"

static const char *const kernels[] = { "6.1", "6.12" };
#define NKERNELS 2

/* ---- helpers ---- */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

static void spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/*
 * Runs the reader with @args (a shell word list) and returns its exit
 * status; stdout and stderr in *out and *err (malloc'd) when asked for.
 */
static int run(char **out, char **err, const char *fmt, ...)
{
	char args[4096], cmd[8192], o[] = "/tmp/memacct-test-out.XXXXXX",
	     e[] = "/tmp/memacct-test-err.XXXXXX";
	int fo = mkstemp(o), fe = mkstemp(e), status;
	va_list ap;

	assert_true(fo >= 0 && fe >= 0);
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "env -u MEMACCT_ROOT -u MEMACCT_PROC %s %s >%s 2>%s",
		 getenv("MEMACCT_BIN"), args, o, e);
	status = system(cmd);
	if (out)
		*out = slurp(o);
	if (err)
		*err = slurp(e);
	close(fo);
	close(fe);
	unlink(o);
	unlink(e);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void load_fixture(struct table *t, const char *kernel, const char *file)
{
	char path[256], err[256];

	snprintf(path, sizeof(path), "fixtures/%s/%s", kernel, file);
	assert_int_equal(0, table_parse(t, slurp(path), err, sizeof(err)));
}

static unsigned long long cell(const struct table *t, int row, const char *col)
{
	unsigned long long v = 0;

	assert_int_equal(0, table_u64(t, row, table_col(t, col), &v));
	return v;
}

/*
 * CSV output (its first view) parsed as a table: no field of the fixtures
 * needs quoting; an empty field (unavailable) becomes "-".
 */
static void parse_csv(struct table *t, char *csv)
{
	char err[256], *p = strstr(csv, "\n\n"), *text, *o;
	bool at_start = true;

	if (p)
		p[1] = '\0';
	text = malloc(2 * strlen(csv) + 2);
	assert_non_null(text);
	for (p = csv, o = text; *p; p++) {
		if (at_start && (*p == ',' || *p == '\n'))
			*o++ = '-';
		at_start = *p == ',' || *p == '\n';
		*o++ = *p == ',' ? ' ' : *p;
	}
	*o = '\0';
	free(csv);
	assert_int_equal(0, table_parse(t, text, err, sizeof(err)));
}

/* ---- the parser ---- */

static void parse_good(void **state)
{
	struct table t;
	char err[128];
	unsigned long long v;

	(void)state;
	assert_int_equal(0, table_parse(&t, strdup("a b c\n1 - x\\040y\n"), err, sizeof(err)));
	assert_int_equal(3, t.ncols);
	assert_int_equal(1, t.nrows);
	assert_int_equal(0, table_u64(&t, 0, 0, &v));
	assert_int_equal(1, v);
	assert_int_equal(1, table_u64(&t, 0, 1, &v));	/* "-": unavailable */
	assert_string_equal("x y", t.rows[0][2]);	/* \040 unescaped */
	assert_int_equal(-1, table_u64(&t, 0, 2, &v));	/* not a number */
	assert_int_equal(2, table_col(&t, "c"));
	assert_int_equal(-1, table_col(&t, "d"));
	table_free(&t);
}

static void parse_bad(void **state)
{
	static const char *const bad[] = {
		"",			/* empty */
		"a b c",		/* header without newline */
		"a b c\n1 2\n",		/* missing column */
		"a b c\n1 2 3 4\n",	/* extra column */
		"a b c\n1 2 3",		/* truncated row */
		"\n",			/* empty header */
	};
	struct table t;
	char err[128];
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(-1, table_parse(&t, strdup(bad[i]), err, sizeof(err)));
		assert_true(strlen(err) > 0);
		table_free(&t);
	}
}

static void parse_hostile(void **state)
{
	struct table t;
	char err[128], *text;
	unsigned long long v;
	size_t n = 200000, i;

	(void)state;
	/* a line longer than any the module prints */
	text = malloc(n + 16);
	assert_non_null(text);
	strcpy(text, "a\n");
	for (i = 2; i < n; i++)
		text[i] = 'x';
	strcpy(text + n, "\n");
	assert_int_equal(-1, table_parse(&t, text, err, sizeof(err)));
	assert_non_null(strstr(err, "too long"));
	table_free(&t);
	/* more columns than a table can have */
	text = malloc(1000);
	assert_non_null(text);
	for (i = 0; i < 300; i++)
		memcpy(text + 2 * i, "c ", 2);
	strcpy(text + 600, "\n");
	assert_int_equal(-1, table_parse(&t, text, err, sizeof(err)));
	table_free(&t);
	/* numbers: the largest u64, one past it, negative */
	assert_int_equal(0, table_parse(&t, strdup("a b c\n18446744073709551615 18446744073709551616 -1\n"),
					err, sizeof(err)));
	assert_int_equal(0, table_u64(&t, 0, 0, &v));
	assert_true(v == UINT64_MAX);
	assert_int_equal(-1, table_u64(&t, 0, 1, &v));
	assert_int_equal(-1, table_u64(&t, 0, 2, &v));
	table_free(&t);
	/* escapes: only \ooo is decoded, a lone backslash stays */
	assert_int_equal(0, table_parse(&t, strdup("a\n\\134\\x\\0\n"), err, sizeof(err)));
	assert_string_equal("\\\\x\\0", t.rows[0][0]);
	table_free(&t);
}

/* ---- views against the captured trees ---- */

/* ps TOTAL is the sum over processes that own their mm, column by column. */
static void ps_totals_are_sums(void **state)
{
	static const char *const cols[] = { "vss", "rss", "pss", "uss", "swap", "anon" };
	struct table fx, out;
	char *csv;
	int k, r, c;

	(void)state;
	for (k = 0; k < NKERNELS; k++) {
		load_fixture(&fx, kernels[k], "processes");
		assert_int_equal(0, run(&csv, NULL, "--root fixtures/%s -f table -b -w ps | tail -n1",
					kernels[k]));
		assert_non_null(strstr(csv, "TOTAL"));
		for (c = 0; c < 6; c++) {
			unsigned long long sum = 0;
			char want[64];

			for (r = 0; r < fx.nrows; r++)
				if (cell(&fx, r, "mm_owner") == cell(&fx, r, "pid"))
					sum += cell(&fx, r, cols[c]);
			snprintf(want, sizeof(want), " %llu ", sum);
			assert_non_null(strstr(csv, want));
		}
		free(csv);
		/* every row is there, sorted by pss, largest first */
		assert_int_equal(0, run(&csv, NULL, "--root fixtures/%s -f csv ps", kernels[k]));
		parse_csv(&out, csv);
		assert_int_equal(fx.nrows, out.nrows);
		for (r = 1; r < out.nrows; r++)
			assert_true(cell(&out, r - 1, "pss") >= cell(&out, r, "pss"));
		table_free(&out);
		table_free(&fx);
	}
}

static void ps_filters(void **state)
{
	struct table out;
	char *csv, *err;

	(void)state;
	assert_int_equal(0, run(&csv, NULL, "--root fixtures/6.12 -f csv ps -p 157,1"));
	parse_csv(&out, csv);
	assert_int_equal(2, out.nrows);
	assert_int_equal(157, cell(&out, 0, "pid"));	/* larger pss first */
	assert_int_equal(1, cell(&out, 1, "pid"));
	table_free(&out);
	assert_int_equal(0, run(&csv, NULL, "--root fixtures/6.12 -f csv ps -c memh -s pid -n 2"));
	parse_csv(&out, csv);
	assert_int_equal(2, out.nrows);
	assert_int_equal(157, cell(&out, 0, "pid"));
	assert_int_equal(158, cell(&out, 1, "pid"));
	table_free(&out);
	assert_int_equal(0, run(&csv, NULL, "--root fixtures/6.12 -f csv ps -u 4242"));
	parse_csv(&out, csv);
	assert_int_equal(0, out.nrows);
	table_free(&out);
	assert_int_equal(0, run(&csv, NULL, "--root fixtures/6.12 -f csv ps -u 0 --cgroup /"));
	parse_csv(&out, csv);
	assert_int_equal(10, out.nrows);
	table_free(&out);
	assert_int_equal(5, run(NULL, &err, "--root fixtures/6.12 ps -p 4242"));
	assert_non_null(strstr(err, "no process with pid 4242"));
	free(err);
	assert_int_equal(1, run(NULL, &err, "--root fixtures/6.12 ps -s bogus"));
	assert_non_null(strstr(err, "bogus"));
	free(err);
	assert_int_equal(1, run(NULL, NULL, "--root fixtures/6.12 ps -u no-such-user-here"));
	assert_int_equal(1, run(NULL, NULL, "--root fixtures/6.12 ps -p 12x"));
	assert_int_equal(1, run(NULL, NULL, "--root fixtures/6.12 ps -n 0"));
	assert_int_equal(1, run(NULL, NULL, "--root fixtures/6.12 buddy -p 1"));
	assert_int_equal(1, run(NULL, NULL, "--root fixtures/6.12 -f xml ps"));
	assert_int_equal(1, run(NULL, NULL, "--root fixtures/6.12 frobnicate"));
}

/* users/programs/cgroups add up to the ps totals and count every process. */
static void groups_add_up(void **state)
{
	static const char *const groups[] = { "users", "programs", "cgroups" };
	struct table ps, g;
	char *csv;
	int k, i, r;

	(void)state;
	for (k = 0; k < NKERNELS; k++) {
		for (i = 0; i < 3; i++) {
			unsigned long long pss = 0, procs = 0, want = 0;

			assert_int_equal(0, run(&csv, NULL, "--root fixtures/%s -f csv %s",
						kernels[k], groups[i]));
			parse_csv(&g, csv);
			load_fixture(&ps, kernels[k], "processes");
			for (r = 0; r < g.nrows; r++) {
				pss += cell(&g, r, "pss");
				procs += cell(&g, r, "processes");
			}
			for (r = 0; r < ps.nrows; r++)
				if (cell(&ps, r, "mm_owner") == cell(&ps, r, "pid"))
					want += cell(&ps, r, "pss");
			assert_true(pss == want);
			assert_int_equal(ps.nrows, procs);
			table_free(&g);
			table_free(&ps);
		}
	}
}

/* vmas TOTAL equals the process's row of `processes`. */
static void vmas_total_equals_process(void **state)
{
	static const char *const cols[] = { "rss", "pss", "uss", "vss" };
	struct table ps;
	char *out, want[64];
	int r, c;

	(void)state;
	load_fixture(&ps, "6.12", "processes");
	assert_int_equal(0, run(&out, NULL, "--root fixtures/6.12 -b vmas 157 | tail -n1"));
	for (r = 0; cell(&ps, r, "pid") != 157; r++)
		;
	for (c = 0; c < 4; c++) {
		snprintf(want, sizeof(want), " %llu ", cell(&ps, r, cols[c]));
		assert_non_null(strstr(out, want));
	}
	free(out);
	table_free(&ps);
	assert_int_equal(5, run(NULL, NULL, "--root fixtures/6.12 vmas 4242"));
	assert_int_equal(1, run(NULL, NULL, "--root fixtures/6.12 vmas"));
	assert_int_equal(1, run(NULL, NULL, "--root fixtures/6.12 vmas -3"));
}

/* The bytes of row @item of the summary of @kernel's tree (via JSON). */
static unsigned long long summary_bytes(const char *kernel, const char *item)
{
	json_t *root, *rows, *row;
	json_error_t jerr;
	long long bytes = -1;
	char *out;
	size_t i;

	assert_int_equal(0, run(&out, NULL, "--root fixtures/%s --proc fixtures/%s -f json summary",
				kernel, kernel));
	root = json_loads(out, 0, &jerr);
	assert_non_null(root);
	rows = json_object_get(json_array_get(json_object_get(root, "views"), 0), "rows");
	json_array_foreach(rows, i, row)
		if (!strcmp(json_string_value(json_object_get(row, "item")), item))
			bytes = json_integer_value(json_object_get(row, "bytes"));
	json_decref(root);
	free(out);
	assert_true(bytes >= 0);
	return bytes;
}

/* buddy per-order bytes are blocks << order; summary's free is buddy's. */
static void buddy_and_summary(void **state)
{
	struct table fx, out;
	char *csv;
	unsigned long long free_sum = 0;
	int r, k;

	(void)state;
	for (k = 0; k < NKERNELS; k++) {
		load_fixture(&fx, kernels[k], "buddy");
		assert_int_equal(0, run(&csv, NULL, "--root fixtures/%s -f csv buddy | sed '/^$/q'",
					kernels[k]));
		parse_csv(&out, csv);
		assert_int_equal(fx.nrows, out.nrows);
		for (r = 0; r < fx.nrows; r++) {
			assert_true(cell(&out, r, "o10") == cell(&fx, r, "o10") * 4096 << 10);
			assert_true(cell(&out, r, "free") == cell(&fx, r, "free_bytes"));
			if (!strcmp(fx.rows[r][2], "total"))
				free_sum += cell(&fx, r, "free_bytes");
		}
		table_free(&out);
		table_free(&fx);
		assert_true(summary_bytes(kernels[k], "free") == free_sum);
		free_sum = 0;
	}
}

/* summary: MemTotal from meminfo; something is left unexplained. */
static void summary_mem_total(void **state)
{
	char path[64], *mi;
	unsigned long long kb = 0;
	int k;

	(void)state;
	for (k = 0; k < NKERNELS; k++) {
		snprintf(path, sizeof(path), "fixtures/%s/meminfo", kernels[k]);
		mi = slurp(path);
		assert_non_null(mi);
		assert_int_equal(1, sscanf(strstr(mi, "MemTotal:"), "MemTotal: %llu", &kb));
		free(mi);
		assert_true(summary_bytes(kernels[k], "mem_total") == kb * 1024);
		assert_true(summary_bytes(kernels[k], "unexplained") > 0);
		assert_true(summary_bytes(kernels[k], "unexplained") < kb * 1024 / 10);
	}
}

/* slab: caches by total_bytes, then the kernel's three total rows. */
static void slab_sorted_with_totals(void **state)
{
	struct table out, fx;
	char *csv, *tot;
	int r, k;

	(void)state;
	for (k = 0; k < NKERNELS; k++) {
		load_fixture(&fx, kernels[k], "slab");
		assert_int_equal(0, run(&csv, NULL, "--root fixtures/%s -f csv slab", kernels[k]));
		tot = strstr(csv, "\n\n");
		assert_non_null(tot);
		tot = strdup(tot + 2);	/* the totals view */
		parse_csv(&out, csv);
		assert_int_equal(fx.nrows - 3, out.nrows);
		for (r = 1; r < out.nrows; r++)
			assert_true(cell(&out, r - 1, "total_bytes") >= cell(&out, r, "total_bytes"));
		assert_non_null(strstr(tot, ",total_unreclaimable\n"));
		assert_non_null(strstr(tot, ",total_reclaimable\n"));
		free(tot);
		table_free(&out);
		table_free(&fx);
	}
}

/* JSON: parses, one object per row with typed values, totals as numbers. */
static void json_format(void **state)
{
	json_t *root, *view, *rows;
	json_error_t jerr;
	struct table fx;
	char *out;

	(void)state;
	load_fixture(&fx, "6.1", "processes");
	assert_int_equal(0, run(&out, NULL, "--root fixtures/6.1 -f json ps"));
	root = json_loads(out, 0, &jerr);
	assert_non_null(root);
	assert_int_equal(1, json_integer_value(json_object_get(json_object_get(root, "memacct"), "abi")));
	view = json_array_get(json_object_get(root, "views"), 0);
	assert_string_equal("process", json_string_value(json_object_get(view, "name")));
	rows = json_object_get(view, "rows");
	assert_int_equal(fx.nrows, json_array_size(rows));
	assert_true(json_is_integer(json_object_get(json_array_get(rows, 0), "pss")));
	assert_true(json_is_string(json_object_get(json_array_get(rows, 0), "comm")));
	assert_true(json_is_integer(json_object_get(json_object_get(view, "total"), "rss")));
	json_decref(root);
	free(out);
	table_free(&fx);
}

/* Prometheus: promtool accepts every view's exposition. */
static void prometheus_format(void **state)
{
	static const char *const cmds[] = { "ps", "users", "programs", "cgroups", "vmas 1",
					    "buddy", "slab", "summary" };
	char *out;
	unsigned int i;
	int k;

	(void)state;
	for (k = 0; k < NKERNELS; k++) {
		for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
			assert_int_equal(0, run(&out, NULL,
						"--root fixtures/%s --proc fixtures/%s -f prometheus %s | promtool check metrics",
						kernels[k], kernels[k], cmds[i]));
			free(out);
		}
	}
	assert_int_equal(0, run(&out, NULL, "--root fixtures/6.12 -f prometheus ps"));
	assert_non_null(strstr(out, "# TYPE memacct_process_pss_bytes gauge\n"));
	assert_non_null(strstr(out, "memacct_process_pss_bytes{pid=\"157\",user=\"root\",cgroup=\"/\",comm=\"memhelper\"} 1560673\n"));
	free(out);
}

/* Every view, in the table format with exact bytes, as captured in expected/. */
static void exact_outputs(void **state)
{
	static const char *const cmds[][2] = {
		{ "ps", "-w ps" }, { "users", "users" }, { "programs", "programs" },
		{ "cgroups", "cgroups" }, { "vmas", "-w vmas 1" }, { "buddy", "-w buddy" },
		{ "slab", "-w slab" }, { "summary", "summary" }, { "ps.json", "-f json ps -n 3" },
		{ "ps.csv", "-f csv ps" }, { "buddy.prom", "-f prometheus buddy" },
	};
	char *out, *want, path[128];
	unsigned int i;
	int k;

	(void)state;
	for (k = 0; k < NKERNELS; k++) {
		for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
			assert_int_equal(0, run(&out, NULL, "--root fixtures/%s --proc fixtures/%s -b %s",
						kernels[k], kernels[k], cmds[i][1]));
			snprintf(path, sizeof(path), "expected/%s/%s", kernels[k], cmds[i][0]);
			if (getenv("UPDATE_EXPECTED"))
				spit(path, out);
			want = slurp(path);
			assert_non_null(want);
			if (strcmp(want, out))
				fail_msg("%s differs from memacct %s:\n%s", path, cmds[i][1], out);
			free(want);
			free(out);
		}
	}
}

/* ---- hostile and broken trees ---- */

static char tree[64];

static void make_tree(const char *version, const char *processes)
{
	char path[128];

	strcpy(tree, "/tmp/memacct-tree.XXXXXX");
	assert_non_null(mkdtemp(tree));
	snprintf(path, sizeof(path), "%s/version", tree);
	spit(path, version);
	snprintf(path, sizeof(path), "%s/processes", tree);
	spit(path, processes);
}

static void drop_tree(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tree);
	assert_int_equal(0, system(cmd));
}

#define V1 "memacct 0.1.0\nabi 1\nkernel test\n"
#define HDR "pid ppid uid vss rss pss pss_anon pss_file pss_shmem uss shared anon anon_huge swap swap_pss locked hugetlb_shared hugetlb_private mm_owner cgroup comm\n"
#define ROW(pid, comm) #pid " 1 0 10 8 6 2 2 2 4 4 2 0 0 - 0 0 0 " #pid " /a\\040b " comm "\n"

static void broken_trees(void **state)
{
	static const struct { const char *version, *processes; int code; const char *msg; } cases[] = {
		{ "memacct 0.2.0\nabi 2\nkernel x\n", HDR, 6, "ABI 2" },
		{ "hello\n", HDR, 7, "version: malformed" },
		{ V1, "", 7, "empty" },
		{ V1, HDR "1 2 3\n", 7, "fields" },
		{ V1, HDR ROW(1, "a") "2 1 0 10", 7, "truncated" },
		{ V1, "pid comm\n1 x\n", 7, "no column" },
		{ V1, HDR "1 1 0 ten 8 6 2 2 2 4 4 2 0 0 - 0 0 0 1 / x\n", 7, "not a number" },
		{ V1, HDR "1 1 0 99999999999999999999 8 6 2 2 2 4 4 2 0 0 - 0 0 0 1 / x\n", 7,
		  "not a number" },
	};
	char *err;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		make_tree(cases[i].version, cases[i].processes);
		assert_int_equal(cases[i].code, run(NULL, &err, "--root %s ps", tree));
		if (!strstr(err, cases[i].msg))
			fail_msg("case %u: '%s' not in: %s", i, cases[i].msg, err);
		free(err);
		drop_tree();
	}
	assert_int_equal(2, run(NULL, &err, "--root /nonexistent/memacct ps"));
	free(err);
}

static void escaped_names_and_unavailable(void **state)
{
	char *out, path[128];

	(void)state;
	make_tree(V1, HDR ROW(7, "we\\134ird\\011name") ROW(8, "ok"));
	assert_int_equal(0, run(&out, NULL, "--root %s -b -w ps -s pid", tree));
	/* the tab is shown as '?', the cgroup unescaped, swap_pss unavailable */
	assert_non_null(strstr(out, " /a b "));
	assert_non_null(strstr(out, " we\\ird?name\n"));
	assert_non_null(strstr(out, " - "));
	free(out);
	assert_int_equal(0, run(&out, NULL, "--root %s -f json ps -s pid", tree));
	assert_non_null(strstr(out, "\"comm\": \"we\\\\ird\\tname\""));
	assert_non_null(strstr(out, "\"swap_pss\": null"));
	free(out);
	assert_int_equal(0, run(&out, NULL, "--root %s -f prometheus ps", tree));
	assert_null(strstr(out, "swap_pss_bytes{"));	/* no sample for "-" */
	free(out);
	snprintf(path, sizeof(path), "%s/slab", tree);
	spit(path, "unavailable: built without the kernel's mm/slab.h\n");
	assert_int_equal(8, run(NULL, &out, "--root %s slab", tree));
	assert_non_null(strstr(out, "unavailable"));
	free(out);
	drop_tree();
}

static void help_for_every_command(void **state)
{
	static const char *const cmds[] = { "ps", "users", "programs", "cgroups", "vmas",
					    "buddy", "slab", "summary", "top" };
	char *out, want[64];
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		assert_int_equal(0, run(&out, NULL, "%s --help", cmds[i]));
		snprintf(want, sizeof(want), "Usage: memacct %s", cmds[i]);
		assert_non_null(strstr(out, want));
		assert_non_null(strstr(out, "Exit status"));
		free(out);
	}
	assert_int_equal(0, run(&out, NULL, "--help"));
	assert_non_null(strstr(out, "Commands"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_good),
		cmocka_unit_test(parse_bad),
		cmocka_unit_test(parse_hostile),
		cmocka_unit_test(ps_totals_are_sums),
		cmocka_unit_test(ps_filters),
		cmocka_unit_test(groups_add_up),
		cmocka_unit_test(vmas_total_equals_process),
		cmocka_unit_test(buddy_and_summary),
		cmocka_unit_test(summary_mem_total),
		cmocka_unit_test(slab_sorted_with_totals),
		cmocka_unit_test(json_format),
		cmocka_unit_test(prometheus_format),
		cmocka_unit_test(exact_outputs),
		cmocka_unit_test(broken_trees),
		cmocka_unit_test(escaped_names_and_unavailable),
		cmocka_unit_test(help_for_every_command),
	};

	if (!getenv("MEMACCT_BIN")) {
		fprintf(stderr, "MEMACCT_BIN must name the reader binary\n");
		return 2;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
