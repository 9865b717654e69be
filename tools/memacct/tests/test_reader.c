// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the memacct reader (cmocka): the table parser directly,
 * and every view and format through the binary ($MEMACCT_BIN) against
 * trees captured from the module on both kernels (fixtures/6.1, 6.12),
 * against expected outputs (expected/), and against hostile trees made
 * here. Expected numbers are computed here from the fixture files, never
 * taken from the reader's own output. Every command's exit status is
 * checked on its own (no pipelines). $PROMTOOL names promtool (default:
 * promtool on PATH). Run from this directory.
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
#include <locale.h>
#include <math.h>
#include <pwd.h>
#include <unistd.h>
#include <wchar.h>
#include <cmocka.h>
#include <jansson.h>
#include "table.h"
#include "pmap_x_columns.h"

/*
 * The trees: both kernels with the module's current columns, and 6.12 as
 * an older module (ABI 1 before issue 16's columns) showed it, which a
 * newer reader must still read.
 */
static const char *const kernels[] = { "6.1", "6.12", "6.12-old" };
#define NKERNELS 3
#define NNEW 2	/* the first NNEW trees have the new columns */

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
	/* a pipeline's status would be its last command's, not the reader's */
	if (strchr(args, '|'))
		fail_msg("run(): no pipelines: %s", args);
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

/* The exit status of a shell command (not the reader's: see run()). */
static int sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int status;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	status = system(cmd);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* promtool check metrics (with its lint) on @text: its exit status. */
static int promtool(const char *text, char **report)
{
	char in[] = "/tmp/memacct-prom.XXXXXX", out[] = "/tmp/memacct-promout.XXXXXX";
	const char *bin = getenv("PROMTOOL") ? getenv("PROMTOOL") : "promtool";
	int fi = mkstemp(in), fo = mkstemp(out), rc;

	assert_true(fi >= 0 && fo >= 0);
	spit(in, text);
	rc = sh("%s check metrics <%s >%s 2>&1", bin, in, out);
	if (report)
		*report = slurp(out);
	close(fi);
	close(fo);
	unlink(in);
	unlink(out);
	return rc;
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

/* One CSV field at *@p (quoted or not) into @o, escaped as the module does. */
static char *csv_field_to(char *o, const char **p)
{
	const char *s = *p;
	bool quoted = *s == '"';
	char *start = o;

	if (quoted)
		s++;
	for (; *s; s++) {
		if (quoted && *s == '"' && s[1] == '"') {
			s++;
		} else if (quoted && *s == '"') {
			s++;
			break;
		} else if (!quoted && (*s == ',' || *s == '\n')) {
			break;
		}
		if ((unsigned char)*s <= ' ' || *s == '\\')
			o += sprintf(o, "\\%03o", (unsigned char)*s);
		else
			*o++ = *s;
	}
	if (o == start)
		*o++ = '-';	/* empty: unavailable */
	*p = s;
	return o;
}

/*
 * CSV output (its first view) parsed as a table: quoted fields decoded,
 * an empty field (unavailable) becomes "-".
 */
static void parse_csv(struct table *t, char *csv)
{
	char err[256], *end = strstr(csv, "\n\n"), *text, *o;
	const char *p = csv;

	if (end)
		end[1] = '\0';
	text = malloc(4 * strlen(csv) + 2);
	assert_non_null(text);
	o = text;
	while (*p) {
		o = csv_field_to(o, &p);
		if (*p == ',')
			*o++ = ' ';
		else if (*p == '\n')
			*o++ = '\n';
		if (*p)
			p++;
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

/* The line of @text that starts with @prefix (after blanks), malloc'd. */
static char *line_with(const char *text, const char *prefix)
{
	const char *p = text;
	size_t n;

	while (*p) {
		n = strcspn(p, "\n");
		if (!strncmp(p + strspn(p, " "), prefix, strlen(prefix)))
			return strndup(p, n);
		p += n + (p[n] == '\n');
	}
	fail_msg("no line starting '%s' in:\n%s", prefix, text);
	return NULL;
}

/* The last line of @text that contains @word, malloc'd. */
static char *last_line_with(const char *text, const char *word)
{
	const char *p = text, *found = NULL;
	size_t n;

	for (; *p; p += n + (p[n] == '\n')) {
		n = strcspn(p, "\n");
		if (memmem(p, n, word, strlen(word)))
			found = p;
	}
	if (!found)
		fail_msg("no line with '%s' in:\n%s", word, text);
	return strndup(found, strcspn(found, "\n"));
}

/*
 * The cell of table-format @line under column @name of @header. A number
 * is right-aligned under its column name, so it ends where the name ends:
 * a cell is found by its column, never by its value. "" if empty.
 */
static char *cell_under(const char *header, const char *line, const char *name)
{
	size_t len = strlen(name), end, start;
	const char *h = header;

	for (;;) {
		h = strstr(h, name);
		if (!h)
			fail_msg("no column %s in: %s", name, header);
		if ((h == header || h[-1] == ' ') && (h[len] == ' ' || !h[len]))
			break;
		h += len;
	}
	end = h - header + len;
	if (end > strlen(line))
		return strdup("");
	start = end;
	while (start > 0 && line[start - 1] != ' ')
		start--;
	return strndup(line + start, end - start);
}

/* The number in a table cell; -1 for an empty cell. */
static long long cell_num(const char *header, const char *line, const char *name)
{
	char *c = cell_under(header, line, name), *end;
	long long v = -1;

	if (*c) {
		v = strtoll(c, &end, 10);
		if (*end)
			fail_msg("column %s: '%s' is not a number", name, c);
	}
	free(c);
	return v;
}

static bool owns_mm(const struct table *t, int r)
{
	return cell(t, r, "mm_owner") == cell(t, r, "pid");
}

/* Fixture rows a filter selects. */
struct sel {
	long long uid;		/* -1: any */
	const char *cgroup;	/* NULL: any; else this path or below */
	const char *key_col;	/* with key: rows whose column is key */
	const char *key;
};

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (!strcmp(dir, "/"))
		return true;
	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

static bool selected(const struct table *t, int r, const struct sel *s)
{
	if (s->uid >= 0 && (long long)cell(t, r, "uid") != s->uid)
		return false;
	if (s->cgroup && !under(t->rows[r][table_col(t, "cgroup")], s->cgroup))
		return false;
	if (s->key && strcmp(t->rows[r][table_col(t, s->key_col)], s->key))
		return false;
	return true;
}

/* Sum of @col over selected rows (of mm owners only if @owners). */
static unsigned long long fx_sum(const struct table *t, const char *col, const struct sel *s,
				 bool owners)
{
	unsigned long long sum = 0;
	int r;

	for (r = 0; r < t->nrows; r++)
		if (selected(t, r, s) && (!owners || owns_mm(t, r)))
			sum += cell(t, r, col);
	return sum;
}

static int fx_count(const struct table *t, const struct sel *s)
{
	int r, n = 0;

	for (r = 0; r < t->nrows; r++)
		n += selected(t, r, s);
	return n;
}

/* The columns procrank-style totals add (each mm once) and those it cannot. */
static const char *const additive[] = { "pss", "pss_anon", "pss_file", "pss_shmem", "uss",
					"swap", "swap_pss", "locked", "hugetlb_private" };
static const char *const not_additive[] = { "vss", "rss", "shared", "anon", "anon_huge",
					    "hugetlb_shared" };
/* issue 16's: private pages, PSS and page tables add up; the rest cannot */
static const char *const additive_new[] = { "private_clean", "private_dirty", "pss_dirty",
					    "vm_pte" };
static const char *const not_additive_new[] = {
	"shared_clean", "shared_dirty", "referenced", "lazyfree", "ksm", "shmem_pmd_mapped",
	"file_pmd_mapped", "rss_anon", "rss_file", "rss_shmem", "vm_peak", "vm_hwm", "vm_data",
	"vm_stk", "vm_exe", "vm_lib", "vm_swap", "vm_pin", "threads", "minflt", "majflt",
	"oom_score", "oom_score_adj", "res", "shr",
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The fixture has column @col with values (not an older module's, not "-"). */
static bool fx_has(const struct table *t, const char *col)
{
	int c = table_col(t, col);

	return c >= 0 && t->nrows && strcmp(t->rows[0][c], "-");
}

static void upper(char *dst, const char *src)
{
	for (; *src; src++)
		*dst++ = *src >= 'a' && *src <= 'z' ? *src - 32 : *src;
	*dst = '\0';
}

/*
 * The TOTAL line of `-b -w ps` with filter @args, checked column by column
 * against the sums over the fixture rows @s selects.
 */
static void check_ps_total(const char *kernel, const char *args, const struct sel *s)
{
	struct table fx;
	char *out, *hdr, *tot, name[32];
	unsigned int i;

	load_fixture(&fx, kernel, "processes");
	assert_int_equal(0, run(&out, NULL, "--root fixtures/%s -b -w ps %s", kernel, args));
	hdr = line_with(out, "PID ");
	tot = last_line_with(out, "TOTAL");
	for (i = 0; i < N(additive); i++) {
		upper(name, additive[i]);
		if (cell_num(hdr, tot, name) != (long long)fx_sum(&fx, additive[i], s, true))
			fail_msg("%s ps %s: TOTAL %s is %lld, the rows add up to %llu\n%s", kernel,
				 args, name, cell_num(hdr, tot, name),
				 fx_sum(&fx, additive[i], s, true), out);
	}
	for (i = 0; i < N(not_additive); i++) {
		upper(name, not_additive[i]);
		assert_int_equal(-1, cell_num(hdr, tot, name));	/* no total */
	}
	for (i = 0; i < N(additive_new); i++) {
		if (!fx_has(&fx, additive_new[i]))
			continue;
		upper(name, additive_new[i]);
		if (cell_num(hdr, tot, name) != (long long)fx_sum(&fx, additive_new[i], s, true))
			fail_msg("%s ps %s: TOTAL %s is %lld, the rows add up to %llu\n%s", kernel,
				 args, name, cell_num(hdr, tot, name),
				 fx_sum(&fx, additive_new[i], s, true), out);
	}
	for (i = 0; i < N(not_additive_new); i++) {
		if (!fx_has(&fx, not_additive_new[i]) && strcmp(not_additive_new[i], "res") &&
		    strcmp(not_additive_new[i], "shr"))
			continue;
		if (table_col(&fx, "rss_anon") < 0)
			continue;	/* an older module: no res, shr either */
		upper(name, not_additive_new[i]);
		if (cell_num(hdr, tot, name) != -1)
			fail_msg("%s ps %s: %s has a total\n%s", kernel, args, name, out);
	}
	free(hdr);
	free(tot);
	free(out);
	table_free(&fx);
}

static const struct sel all = { .uid = -1 };

/* ps TOTAL: the additive columns summed over mm owners, the others empty. */
static void ps_totals_by_column(void **state)
{
	struct table fx, out;
	char *csv;
	int k, r;

	(void)state;
	for (k = 0; k < NKERNELS; k++) {
		load_fixture(&fx, kernels[k], "processes");
		/* the fixture must be able to catch a column left out */
		assert_true(fx_sum(&fx, "swap", &all, true) > 0);
		assert_true(fx_sum(&fx, "swap_pss", &all, true) > 0);
		assert_true(fx_sum(&fx, "hugetlb_private", &all, true) > 0);
		assert_true(fx_sum(&fx, "pss", &all, false) > fx_sum(&fx, "pss", &all, true));
		check_ps_total(kernels[k], "", &all);
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

/* -u and --cgroup select the rows the fixture says, totals included. */
static void ps_user_and_cgroup(void **state)
{
	static const struct { const char *args; struct sel s; } cases[] = {
		{ "-u 4001", { .uid = 4001 } },
		{ "-u 4002", { .uid = 4002 } },
		{ "-u 0", { .uid = 0 } },
		{ "--cgroup /svc", { .uid = -1, .cgroup = "/svc" } },
		{ "--cgroup /svc/a/", { .uid = -1, .cgroup = "/svc/a" } },
		{ "--cgroup /svc/a/deep", { .uid = -1, .cgroup = "/svc/a/deep" } },
		{ "--cgroup /svcx", { .uid = -1, .cgroup = "/svcx" } },
		{ "-u 0 --cgroup /svc", { .uid = 0, .cgroup = "/svc" } },
	};
	struct table fx, out;
	unsigned int i;
	char *csv;
	int k, n;

	(void)state;
	for (k = 0; k < NKERNELS; k++) {
		load_fixture(&fx, kernels[k], "processes");
		for (i = 0; i < N(cases); i++) {
			n = fx_count(&fx, &cases[i].s);
			/* a filter that selects all or nothing would prove little */
			assert_true(n > 0 && n < fx.nrows);
			assert_int_equal(0, run(&csv, NULL, "--root fixtures/%s -f csv ps %s",
						kernels[k], cases[i].args));
			parse_csv(&out, csv);
			if (out.nrows != n)
				fail_msg("%s ps %s: %d rows, the fixture has %d", kernels[k],
					 cases[i].args, out.nrows, n);
			table_free(&out);
			check_ps_total(kernels[k], cases[i].args, &cases[i].s);
		}
		table_free(&fx);
	}
}

static void ps_filters(void **state)
{
	struct table out, fx;
	char *csv, *err, args[64];
	int r, pid_a, pid_b;

	(void)state;
	load_fixture(&fx, "6.12", "processes");
	pid_a = cell(&fx, 1, "pid");
	pid_b = cell(&fx, fx.nrows - 1, "pid");
	snprintf(args, sizeof(args), "-p %d,%d", pid_b, pid_a);
	assert_int_equal(0, run(&csv, NULL, "--root fixtures/6.12 -f csv -s pid ps %s", args));
	parse_csv(&out, csv);
	assert_int_equal(2, out.nrows);
	assert_int_equal(pid_a, cell(&out, 0, "pid"));
	assert_int_equal(pid_b, cell(&out, 1, "pid"));
	table_free(&out);
	/* -c: a substring of the name; -n: the first rows after sorting */
	assert_int_equal(0, run(&csv, NULL, "--root fixtures/6.12 -f csv ps -c memh -s pid -n 2"));
	parse_csv(&out, csv);
	assert_int_equal(2, out.nrows);
	for (r = 0; r < fx.nrows && !strstr(fx.rows[r][table_col(&fx, "comm")], "memh"); r++)
		;
	assert_int_equal(cell(&fx, r, "pid"), cell(&out, 0, "pid"));
	table_free(&out);
	table_free(&fx);
	assert_int_equal(0, run(&csv, NULL, "--root fixtures/6.12 -f csv ps -u 4242"));
	parse_csv(&out, csv);
	assert_int_equal(0, out.nrows);
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

/* The name the users view gives a uid (as any program would look it up). */
static void uid_name(char *buf, size_t len, unsigned long long uid)
{
	struct passwd *pw = getpwuid(uid);

	if (pw)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "%llu", uid);
}

/*
 * Every group of users/programs/cgroups (with filter @args) against sums
 * over the fixture rows with that key; the groups cover every selected row.
 */
static void check_groups(const char *kernel, const char *cmd, const char *key_col,
			 const char *args, const struct sel *filter)
{
	static const char *const sums[] = { "pss", "uss", "swap", "swap_pss" };
	struct table fx, g;
	char *csv, key[64];
	unsigned int i;
	int r, f, procs = 0;

	load_fixture(&fx, kernel, "processes");
	assert_int_equal(0, run(&csv, NULL, "--root fixtures/%s -f csv %s %s", kernel, cmd, args));
	parse_csv(&g, csv);
	assert_true(g.nrows >= 1);
	for (r = 0; r < g.nrows; r++) {
		struct sel s = *filter;
		const char *gkey = g.rows[r][0];

		s.key_col = key_col;
		s.key = gkey;
		if (!strcmp(cmd, "users")) {	/* the key is a name: find its uid */
			for (f = 0; f < fx.nrows; f++) {
				uid_name(key, sizeof(key), cell(&fx, f, "uid"));
				if (!strcmp(key, gkey))
					break;
			}
			assert_true(f < fx.nrows);
			s.key = NULL;
			s.uid = cell(&fx, f, "uid");
		}
		assert_int_equal(fx_count(&fx, &s), cell(&g, r, "processes"));
		procs += cell(&g, r, "processes");
		for (i = 0; i < N(sums); i++)
			if (cell(&g, r, sums[i]) != fx_sum(&fx, sums[i], &s, true))
				fail_msg("%s %s %s: group %s %s is %llu, the fixture says %llu", kernel,
					 cmd, args, gkey, sums[i], cell(&g, r, sums[i]),
					 fx_sum(&fx, sums[i], &s, true));
		assert_true(cell(&g, r, "shared_pss") ==
			    fx_sum(&fx, "pss", &s, true) - fx_sum(&fx, "uss", &s, true));
	}
	assert_int_equal(fx_count(&fx, filter), procs);
	table_free(&g);
	table_free(&fx);
}

static void groups_add_up(void **state)
{
	static const struct { const char *cmd, *key; } groups[] = {
		{ "users", "uid" }, { "programs", "comm" }, { "cgroups", "cgroup" },
	};
	static const struct sel svc = { .uid = -1, .cgroup = "/svc" }, u0 = { .uid = 0 };
	unsigned int i;
	int k;

	(void)state;
	for (k = 0; k < NKERNELS; k++) {
		for (i = 0; i < N(groups); i++) {
			check_groups(kernels[k], groups[i].cmd, groups[i].key, "", &all);
			check_groups(kernels[k], groups[i].cmd, groups[i].key, "--cgroup /svc", &svc);
			check_groups(kernels[k], groups[i].cmd, groups[i].key, "-u 0", &u0);
		}
	}
}

/* The pid of the first vmas.PID file of a fixture. */
static int vmas_pid(const char *kernel)
{
	struct table fx;
	char path[128];
	int r, pid = -1;

	load_fixture(&fx, kernel, "processes");
	for (r = 0; r < fx.nrows && pid < 0; r++) {
		snprintf(path, sizeof(path), "fixtures/%s/vmas.%llu", kernel, cell(&fx, r, "pid"));
		if (cell(&fx, r, "pid") != 1 && !access(path, F_OK))
			pid = cell(&fx, r, "pid");
	}
	table_free(&fx);
	assert_true(pid > 0);
	return pid;
}

/* vmas TOTAL equals the process's row of `processes`, column by column. */
static void vmas_total_equals_process(void **state)
{
	static const char *const cols[] = { "vss", "rss", "pss", "uss", "swap", "anon",
					    "private_clean", "private_dirty", "shared_clean",
					    "shared_dirty", "pss_dirty", "referenced", "lazyfree",
					    "ksm", "shmem_pmd_mapped", "file_pmd_mapped" };
	struct table ps;
	char *out, *hdr, *tot, name[32];
	int r, c, k, pid;

	(void)state;
	for (k = 0; k < NKERNELS; k++) {
		pid = vmas_pid(kernels[k]);
		load_fixture(&ps, kernels[k], "processes");
		assert_int_equal(0, run(&out, NULL, "--root fixtures/%s -b -w vmas %d", kernels[k], pid));
		hdr = line_with(out, "PID ");
		tot = last_line_with(out, "TOTAL");
		for (r = 0; (int)cell(&ps, r, "pid") != pid; r++)
			;
		for (c = 0; c < (int)N(cols); c++) {
			if (!fx_has(&ps, cols[c]))
				continue;	/* an older module's tree; 6.1's KSM */
			upper(name, cols[c]);
			assert_int_equal(cell(&ps, r, cols[c]), cell_num(hdr, tot, name));
		}
		free(hdr);
		free(tot);
		free(out);
		table_free(&ps);
	}
	assert_int_equal(5, run(NULL, NULL, "--root fixtures/6.12 vmas 4242"));
	assert_int_equal(1, run(NULL, NULL, "--root fixtures/6.12 vmas"));
	assert_int_equal(1, run(NULL, NULL, "--root fixtures/6.12 vmas -3"));
}

/* The rows of the summary of @kernel's tree (via JSON), by item. */
static json_t *summary_json(const char *kernel)
{
	json_t *root;
	json_error_t jerr;
	char *out;

	assert_int_equal(0, run(&out, NULL, "--root fixtures/%s --proc fixtures/%s -f json summary",
				kernel, kernel));
	root = json_loads(out, 0, &jerr);
	if (!root)
		fail_msg("summary JSON: %s", jerr.text);
	free(out);
	return root;
}

static long long summary_item(json_t *root, const char *item)
{
	json_t *rows, *row;
	size_t i;

	rows = json_object_get(json_array_get(json_object_get(root, "views"), 0), "rows");
	json_array_foreach(rows, i, row)
		if (!strcmp(json_string_value(json_object_get(row, "item")), item))
			return json_integer_value(json_object_get(row, "bytes"));
	fail_msg("no summary item %s", item);
	return -1;
}

static const char *summary_source(json_t *root, const char *item)
{
	json_t *rows, *row;
	size_t i;

	rows = json_object_get(json_array_get(json_object_get(root, "views"), 0), "rows");
	json_array_foreach(rows, i, row)
		if (!strcmp(json_string_value(json_object_get(row, "item")), item))
			return json_string_value(json_object_get(row, "source"));
	return "";
}

/* A /proc/meminfo value in bytes. */
static long long meminfo(const char *kernel, const char *key)
{
	char path[64], *mi, *p, want[64];
	long long kb;

	snprintf(path, sizeof(path), "fixtures/%s/meminfo", kernel);
	mi = slurp(path);
	assert_non_null(mi);
	snprintf(want, sizeof(want), "\n%s:", key);
	p = strncmp(mi, want + 1, strlen(want + 1)) ? strstr(mi, want) : mi - 1;
	if (!p)
		fail_msg("meminfo: no %s", key);
	assert_int_equal(1, sscanf(p + strlen(want), "%lld", &kb));
	free(mi);
	return kb * 1024;
}

/* Sum of column @col of the fixture rows of @file whose column @kc is @kv (any if NULL). */
static unsigned long long file_sum(const char *kernel, const char *file, const char *col,
				   const char *kc, const char *kv)
{
	unsigned long long sum = 0;
	struct table t;
	int r;

	load_fixture(&t, kernel, file);
	for (r = 0; r < t.nrows; r++)
		if (!kv || !strcmp(t.rows[r][table_col(&t, kc)], kv))
			sum += cell(&t, r, col);
	table_free(&t);
	return sum;
}

/*
 * summary: every row against meminfo and the fixture files; the parts add
 * up to MemTotal with unexplained as the rest, not clamped.
 */
static void summary_rows(void **state)
{
	struct table fx;
	json_t *root;
	long long parts, total;
	int k;

	(void)state;
	for (k = 0; k < NKERNELS; k++) {
		const char *kv = kernels[k];

		load_fixture(&fx, kv, "processes");
		root = summary_json(kv);
		total = meminfo(kv, "MemTotal");
		assert_true(summary_item(root, "mem_total") == total);
		assert_true(summary_item(root, "mem_available") == meminfo(kv, "MemAvailable"));
		assert_true(summary_item(root, "process_anon") ==
			    (long long)fx_sum(&fx, "pss_anon", &all, true));
		assert_true(summary_item(root, "page_cache") ==
			    meminfo(kv, "Cached") + meminfo(kv, "Buffers"));
		assert_true(summary_item(root, "slab_reclaimable") ==
			    (long long)file_sum(kv, "slab", "total_bytes", "name", "total_reclaimable"));
		assert_true(summary_item(root, "slab_unreclaimable") ==
			    (long long)file_sum(kv, "slab", "total_bytes", "name", "total_unreclaimable"));
		assert_true(summary_item(root, "hugetlb") == meminfo(kv, "Hugetlb"));
		assert_true(meminfo(kv, "Hugetlb") > 0);
		assert_true(summary_item(root, "free") ==
			    (long long)file_sum(kv, "buddy", "free_bytes", "type", "total"));
		assert_true(summary_item(root, "swap_used") ==
			    meminfo(kv, "SwapTotal") - meminfo(kv, "SwapFree"));
		assert_true(summary_item(root, "process_swap") ==
			    (long long)fx_sum(&fx, "swap", &all, true));
		assert_true(summary_item(root, "process_swap") > 0);
		assert_null(strstr(summary_source(root, "process_swap"), "PSS"));
		parts = summary_item(root, "process_anon") + summary_item(root, "page_cache") +
			summary_item(root, "slab_reclaimable") +
			summary_item(root, "slab_unreclaimable") + meminfo(kv, "KernelStack") +
			meminfo(kv, "PageTables") + meminfo(kv, "Percpu") +
			summary_item(root, "hugetlb") + summary_item(root, "free");
		assert_true(summary_item(root, "unexplained") == total - parts);
		json_decref(root);
		table_free(&fx);
	}
}

/* buddy: per-order block counts as in the file; summary's free is buddy's. */
static void buddy_blocks(void **state)
{
	struct table fx, out;
	char *csv, name[8];
	int r, k, o;

	(void)state;
	for (k = 0; k < NKERNELS; k++) {
		load_fixture(&fx, kernels[k], "buddy");
		assert_true(file_sum(kernels[k], "buddy", "node", "type", "total") > 0);	/* 2 nodes */
		assert_int_equal(0, run(&csv, NULL, "--root fixtures/%s -f csv buddy", kernels[k]));
		parse_csv(&out, csv);
		assert_int_equal(fx.nrows, out.nrows);
		for (r = 0; r < fx.nrows; r++) {
			for (o = 0; o <= 10; o++) {
				snprintf(name, sizeof(name), "o%d", o);
				assert_true(cell(&out, r, name) == cell(&fx, r, name));
			}
			assert_true(cell(&out, r, "free") == cell(&fx, r, "free_bytes"));
		}
		table_free(&out);
		table_free(&fx);
	}
}

/* slab: caches by total_bytes, then the kernel's three total rows. */
static void slab_sorted_with_totals(void **state)
{
	struct table out, fx;
	char *csv, *tot;
	int r, k, f;

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
		/* slab_size is bytes: pagesperslab pages of 4 KiB */
		for (r = 0; r < out.nrows; r++) {
			for (f = 0; strcmp(fx.rows[f][0], out.rows[r][table_col(&out, "name")]); f++)
				;
			if (!strcmp(fx.rows[f][table_col(&fx, "pagesperslab")], "-"))
				continue;	/* large_kmalloc */
			assert_true(cell(&out, r, "slab_size") == cell(&fx, f, "pagesperslab") * 4096);
		}
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
	json_t *root, *view, *rows, *row;
	json_error_t jerr;
	struct table fx;
	char *out;
	size_t i;

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
	json_array_foreach(rows, i, row) {
		assert_true(json_is_integer(json_object_get(row, "pss")));
		assert_true(json_is_string(json_object_get(row, "comm")));
	}
	/* totals: additive columns as numbers, the others absent */
	assert_true(json_integer_value(json_object_get(json_object_get(view, "total"), "swap")) ==
		    (json_int_t)fx_sum(&fx, "swap", &all, true));
	assert_null(json_object_get(json_object_get(view, "total"), "rss"));
	json_decref(root);
	free(out);
	table_free(&fx);
}

/* The sample values of metric @name (exactly) in an exposition, summed. */
static double prom_sum(const char *text, const char *name, int *n)
{
	const char *p = text;
	size_t len = strlen(name);
	double sum = 0;

	*n = 0;
	for (; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n')) {
		const char *v;

		if (strncmp(p, name, len) || (p[len] != '{' && p[len] != ' '))
			continue;
		v = p + len;
		if (*v == '{')
			v = strstr(v, "} ") + 1;
		sum += strtod(v, NULL);
		(*n)++;
	}
	return sum;
}

/*
 * Prometheus: promtool (with its lint: naming, units) accepts every view's
 * exposition on both kernels, the fixtures' odd name included; sums over
 * a metric count nothing twice.
 */
static void prometheus_format(void **state)
{
	static const char *const cmds[] = { "ps", "users", "programs", "cgroups", "vmas 1",
					    "buddy", "slab", "summary" };
	char *out, *report;
	unsigned int i;
	int k, n;

	(void)state;
	for (k = 0; k < NKERNELS; k++) {
		const char *kv = kernels[k];

		for (i = 0; i < N(cmds); i++) {
			assert_int_equal(0, run(&out, NULL, "--root fixtures/%s --proc fixtures/%s -f prometheus %s",
						kv, kv, cmds[i]));
			assert_true(strlen(out) > 100);
			if (promtool(out, &report))
				fail_msg("promtool rejects %s %s:\n%s", kv, cmds[i], report);
			free(report);
			assert_null(strstr(out, "_percent"));
			free(out);
		}
		/* buddy: no total rows, so the sum is the free memory once */
		assert_int_equal(0, run(&out, NULL, "--root fixtures/%s -f prometheus buddy", kv));
		assert_null(strstr(out, "type=\"total\""));
		assert_true(prom_sum(out, "memacct_buddy_free_bytes", &n) ==
			    (double)file_sum(kv, "buddy", "free_bytes", "type", "Unmovable") +
			    file_sum(kv, "buddy", "free_bytes", "type", "Movable") +
			    file_sum(kv, "buddy", "free_bytes", "type", "Reclaimable") +
			    file_sum(kv, "buddy", "free_bytes", "type", "HighAtomic") +
			    file_sum(kv, "buddy", "free_bytes", "type", "Isolate") +
			    file_sum(kv, "buddy", "free_bytes", "type", "CMA"));
		free(out);
		/* summary: the parts add up to MemTotal, which is a metric of its own */
		assert_int_equal(0, run(&out, NULL, "--root fixtures/%s --proc fixtures/%s -f prometheus summary",
					kv, kv));
		assert_true(prom_sum(out, "memacct_memory_bytes", &n) == (double)meminfo(kv, "MemTotal"));
		assert_true(prom_sum(out, "memacct_memory_total_bytes", &n) ==
			    (double)meminfo(kv, "MemTotal"));
		assert_null(strstr(out, "item=\"mem_total\""));
		assert_null(strstr(out, "item=\"page_cache_mapped\""));
		assert_true(prom_sum(out, "memacct_memory_share_ratio", &n) > 0.999999);
		free(out);
		/* slab: totals under their own name, reclaimable as a label, sizes in bytes */
		assert_int_equal(0, run(&out, NULL, "--root fixtures/%s -f prometheus slab", kv));
		assert_null(strstr(out, "memacct_slab_total_"));
		assert_null(strstr(out, "pagesperslab"));
		assert_null(strstr(out, "name=\"total\""));
		assert_non_null(strstr(out, "# TYPE memacct_slab_use_ratio gauge"));
		assert_non_null(strstr(out, "{reclaimable=\"1\",name=\"inode_cache\"}"));
		assert_true(prom_sum(out, "memacct_slab_kernel_memory_bytes", &n) ==
			    (double)file_sum(kv, "slab", "total_bytes", "name", "total"));
		assert_int_equal(2, n);
		free(out);
	}
	/* process samples carry mm_owner (CLONE_VM sharers), vma samples the pid */
	assert_int_equal(0, run(&out, NULL, "--root fixtures/6.12 -f prometheus ps"));
	assert_non_null(strstr(out, "# TYPE memacct_process_pss_bytes gauge\n"));
	assert_non_null(strstr(out, "memacct_process_pss_bytes{pid=\"1\",user=\"root\",mm_owner=\"1\",cgroup=\"/\",comm=\"init\"} "));
	free(out);
	assert_int_equal(0, run(&out, NULL, "--root fixtures/6.12 -f prometheus vmas 1"));
	assert_non_null(strstr(out, "memacct_vma_rss_bytes{pid=\"1\",start=\"0x"));
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
		{ "summary.prom", "-f prometheus summary" }, { "top", "top -b -n 1" },
		{ "vmas.pmap", "vmas 1" },
		{ "ps-o", "ps -o pid,user,rss,res,shr,%mem,minflt,majflt,threads,oom_score,oom_score_adj,comm" },
	};
	char *out, *want, path[128];
	unsigned int i;
	int k;

	(void)state;
	for (k = 0; k < NKERNELS; k++) {
		for (i = 0; i < N(cmds); i++) {
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

/* A human size ("1.5M", "512B") in bytes, and the unit's size. */
static double human_value(const char *s, double *unit)
{
	static const char units[] = "BKMGTPE";
	char *end;
	double v = strtod(s, &end);
	const char *u = strchr(units, *end);

	if (end == s || !*end || !u || end[1])
		fail_msg("'%s' is not a human size", s);
	*unit = 1;
	for (; u > units; u--)
		*unit *= 1024;
	return v * *unit;
}

/*
 * -H: every size of ps within rounding of the bytes, in the largest unit
 * that keeps the number under 1024 (never "1024.0K"); the default on a
 * terminal.
 */
static void human_sizes(void **state)
{
	static const char *const cols[][2] = { { "VSS", "vss" }, { "RSS", "rss" },
					       { "PSS", "pss" }, { "USS", "uss" },
					       { "SWAP", "swap" } };
	struct table fx;
	char *out, *hdr, *line, pid[16], *c;
	double unit, v;
	unsigned int i;
	int r;

	(void)state;
	load_fixture(&fx, "6.12", "processes");
	assert_int_equal(0, run(&out, NULL, "--root fixtures/6.12 -H ps -s pid"));
	hdr = line_with(out, "PID ");
	for (r = 0; r < fx.nrows; r++) {
		snprintf(pid, sizeof(pid), "%llu ", cell(&fx, r, "pid"));
		line = line_with(out, pid);
		for (i = 0; i < N(cols); i++) {
			unsigned long long b = cell(&fx, r, cols[i][1]);

			c = cell_under(hdr, line, cols[i][0]);
			v = human_value(c, &unit);
			if (v / unit >= 1023.95 || (unit > 1 && v < unit) ||
			    (b < 1024 && unit != 1) || (v > b + unit / 20 + 1 || v < b - unit / 20 - 1))
				fail_msg("%s: %llu bytes shown as %s", cols[i][0], b, c);
			free(c);
		}
		free(line);
	}
	free(hdr);
	free(out);
	table_free(&fx);
	/* on a terminal sizes are human without -H; -b gives bytes there */
	assert_int_equal(0, sh("script -qec 'env -u MEMACCT_ROOT %s --root fixtures/6.12 ps -n 1' /dev/null | grep -Eq '[0-9]\\.[0-9]M '",
			       getenv("MEMACCT_BIN")));
	assert_int_equal(1, sh("script -qec 'env -u MEMACCT_ROOT %s --root fixtures/6.12 -b ps -n 1' /dev/null | grep -Eq '[0-9]\\.[0-9]M '",
			       getenv("MEMACCT_BIN")));
}

/* Exit status 9: writing the output fails, or a file cannot be read. */
static void io_errors(void **state)
{
	char *err;

	(void)state;
	/* run() sends stdout to its own file: the shell here, to /dev/full */
	assert_int_equal(9, sh("%s --root fixtures/6.12 ps >/dev/full 2>/tmp/memacct-full.err",
			       getenv("MEMACCT_BIN")));
	err = slurp("/tmp/memacct-full.err");
	assert_non_null(strstr(err, "writing"));
	free(err);
	assert_int_equal(9, sh("%s --root fixtures/6.12 -f json ps >/dev/full 2>/dev/null",
			       getenv("MEMACCT_BIN")));
	assert_int_equal(0, sh("rm -rf /tmp/memacct-eisdir && cp -r fixtures/6.12 /tmp/memacct-eisdir && "
			       "rm /tmp/memacct-eisdir/processes && mkdir /tmp/memacct-eisdir/processes"));
	assert_int_equal(9, run(NULL, &err, "--root /tmp/memacct-eisdir ps"));
	assert_non_null(strstr(err, "processes"));
	free(err);
	assert_int_equal(0, sh("rm -rf /tmp/memacct-eisdir"));
}

/* top -b: the table (or CSV, JSON) -n times, sorted by -s; no terminal: an error. */
static void top_batch(void **state)
{
	struct table fx, out;
	json_t *j;
	json_error_t jerr;
	char *text, *err, *p, *line;
	int r, n = 0;

	(void)state;
	load_fixture(&fx, "6.12", "processes");
	assert_int_equal(0, run(&text, NULL, "--root fixtures/6.12 top -b -n 2 -d 0.1 -f csv -s rss"));
	p = strstr(text, "\n\n");
	assert_non_null(p);
	assert_null(strstr(p + 2, "\n\n"));	/* exactly two tables */
	parse_csv(&out, text);
	assert_int_equal(fx.nrows, out.nrows);
	for (r = 1; r < out.nrows; r++)
		assert_true(cell(&out, r - 1, "rss") >= cell(&out, r, "rss"));
	table_free(&out);
	assert_int_equal(0, run(&text, NULL, "--root fixtures/6.12 top -b -n 3 -d 0.1 -f json"));
	for (line = strtok_r(text, "\n", &p); line; line = strtok_r(NULL, "\n", &p), n++) {
		j = json_loads(line, 0, &jerr);
		if (!j)
			fail_msg("top -b -f json: line %d: %s", n, jerr.text);
		assert_int_equal(fx.nrows, json_array_size(json_object_get(
			json_array_get(json_object_get(j, "views"), 0), "rows")));
		json_decref(j);
	}
	assert_int_equal(3, n);
	free(text);
	assert_int_equal(0, run(&text, NULL, "--root fixtures/6.12 top -b -n 1"));
	assert_non_null(strstr(text, "memacct top"));
	assert_non_null(strstr(text, "TOTAL"));
	free(text);
	/* not a terminal, or a format without -b: an error, not a screen */
	assert_int_equal(1, run(NULL, &err, "--root fixtures/6.12 top </dev/null"));
	assert_non_null(strstr(err, "terminal"));
	free(err);
	assert_int_equal(1, run(NULL, &err, "--root fixtures/6.12 -f json top"));
	assert_non_null(strstr(err, "-b"));
	free(err);
	assert_int_equal(1, run(NULL, NULL, "--root fixtures/6.12 top -n 2"));
	table_free(&fx);
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

/* Sizes at the edges of the units: facts about K/M/G, not the reader's code. */
static void human_size_edges(void **state)
{
	static const struct { const char *vss, *want; } cases[] = {
		{ "1023", " 1023B " }, { "1024", " 1.0K " }, { "1048575", " 1.0M " },
		{ "1572864", " 1.5M " }, { "1073741823", " 1.0G " }, { "10239", " 10.0K " },
	};
	char rows[256], *out;
	unsigned int i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		snprintf(rows, sizeof(rows), HDR "7 1 0 %s 8 6 2 2 2 4 4 2 0 0 - 0 0 0 7 / x\n",
			 cases[i].vss);
		make_tree(V1, rows);
		assert_int_equal(0, run(&out, NULL, "--root %s -H ps", tree));
		if (!strstr(out, cases[i].want))
			fail_msg("%s bytes: '%s' not in:\n%s", cases[i].vss, cases[i].want, out);
		free(out);
		drop_tree();
	}
}

/* vmas -s start/end/offset: numeric order of the hex; 0x outside the table. */
static void vmas_hex(void **state)
{
	char path[128], *out;
	struct table t;
	int r;

	(void)state;
	make_tree(V1, HDR ROW(7, "x"));
	snprintf(path, sizeof(path), "%s/vmas.7", tree);
	spit(path, "start end perms offset vss rss pss pss_anon pss_file pss_shmem uss shared anon anon_huge swap swap_pss locked hugetlb_shared hugetlb_private name\n"
	     "7fb26b000000 7fb26b400000 rw-p 0 4 4 4 4 0 0 4 0 4 0 0 0 0 0 0 [anon]\n"
	     "400000 401000 r--p 0 4 4 4 0 4 0 4 0 0 0 0 0 0 0 0 /bin/x\n"
	     "118c7000 118e9000 rw-p 0 4 4 4 4 0 0 4 0 4 0 0 0 0 0 0 [heap]\n"
	     "401000 48d000 r-xp 1000 4 4 4 0 4 0 4 0 0 0 0 0 0 0 0 /bin/x\n"
	     "48d000 4b7000 r--p 8d000 4 4 4 0 4 0 4 0 0 0 0 0 0 0 0 /bin/x\n");
	assert_int_equal(0, run(&out, NULL, "--root %s -f csv vmas 7 -s start", tree));
	parse_csv(&t, out);
	assert_int_equal(5, t.nrows);
	for (r = 1; r < t.nrows; r++) {
		const char *a = t.rows[r - 1][table_col(&t, "start")], *b = t.rows[r][table_col(&t, "start")];

		assert_true(!strncmp(a, "0x", 2) && !strncmp(b, "0x", 2));
		assert_true(strtoull(a, NULL, 16) < strtoull(b, NULL, 16));
	}
	table_free(&t);
	assert_int_equal(0, run(&out, NULL, "--root %s -f csv vmas 7 -s offset", tree));
	assert_non_null(strstr(out, "\n7,0x48d000,0x4b7000,r--p,0x8d000,"));	/* largest first */
	free(out);
	assert_int_equal(0, run(&out, NULL, "--root %s -f json vmas 7", tree));
	assert_non_null(strstr(out, "\"start\": \"0x7fb26b000000\""));
	free(out);
	assert_int_equal(0, run(&out, NULL, "--root %s -b vmas 7 -s start", tree));
	assert_true(strstr(out, "  400000 ") < strstr(out, "118c7000 "));	/* the table: as pmap */
	free(out);
	drop_tree();
}

/*
 * Names that are not UTF-8 or hold quotes, backslashes and newlines: JSON
 * and Prometheus stay valid, valid characters are kept, each bad byte is
 * one '?'.
 */
static void hostile_names(void **state)
{
	json_t *root, *rows;
	json_error_t jerr;
	char *out, *report;
	const char *comm;
	size_t i;

	(void)state;
	make_tree(V1, HDR ROW(7, "caf\\303\\251\\377\\376") ROW(8, "q\"b\\134\\012n")
		  "9 1 4001 10 8 6 2 2 2 4 4 2 0 0 - 0 0 0 9 /we\\040\"ird\\377 odd\n");
	assert_int_equal(0, run(&out, NULL, "--root %s -f json ps -s pid", tree));
	root = json_loads(out, 0, &jerr);
	if (!root)
		fail_msg("JSON: %s\n%s", jerr.text, out);
	rows = json_object_get(json_array_get(json_object_get(root, "views"), 0), "rows");
	assert_string_equal("caf\xc3\xa9??", json_string_value(json_object_get(json_array_get(rows, 0), "comm")));
	assert_string_equal("q\"b\\\nn", json_string_value(json_object_get(json_array_get(rows, 1), "comm")));
	json_array_foreach(rows, i, root) {
		comm = json_string_value(json_object_get(root, "cgroup"));
		assert_non_null(comm);
	}
	free(out);
	assert_int_equal(0, run(&out, NULL, "--root %s -f prometheus ps", tree));
	if (promtool(out, &report))
		fail_msg("promtool rejects hostile names:\n%s\n%s", report, out);
	free(report);
	assert_non_null(strstr(out, "comm=\"caf\xc3\xa9??\""));
	assert_non_null(strstr(out, "comm=\"q\\\"b\\\\\\nn\""));
	assert_non_null(strstr(out, "cgroup=\"/we \\\"ird?\""));
	free(out);
	drop_tree();
}

/* Display cells, not bytes: columns after wide characters stay aligned. */
static void wide_characters(void **state)
{
	char *out, *line, *save, *hdr = NULL;
	size_t want = 0;
	wchar_t w[512];

	(void)state;
	make_tree(V1, HDR "7 1 0 10 8 6 2 2 2 4 4 2 0 0 - 0 0 0 7 /\\346\\227\\245\\346\\234\\254 a\n"
		  "8 1 0 10 8 6 2 2 2 4 4 2 0 0 - 0 0 0 8 /ascii b\n");
	assert_int_equal(0, sh("LC_ALL=C.UTF-8 %s --root %s -b -w ps >%s/out", getenv("MEMACCT_BIN"),
			       tree, tree));
	{
		char path[128];

		snprintf(path, sizeof(path), "%s/out", tree);
		out = slurp(path);
	}
	setlocale(LC_ALL, "C.UTF-8");
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *comm = strrchr(line, ' ');
		size_t cells;

		*comm = '\0';
		assert_true(mbstowcs(w, line, 512) != (size_t)-1);
		cells = wcswidth(w, 512);
		if (!hdr)
			hdr = line, want = cells;
		else if (cells != want)
			fail_msg("COMM starts at cell %zu, not %zu: %s", cells, want, line);
	}
	setlocale(LC_ALL, "C");
	free(out);
	drop_tree();
}

/* summary: more explained than MemTotal shows as a negative unexplained. */
static void summary_not_clamped(void **state)
{
	char *out, path[256];
	json_t *root, *rows, *row;
	size_t i;

	(void)state;
	make_tree(V1, HDR ROW(7, "x"));
	snprintf(path, sizeof(path), "cp fixtures/6.12/buddy fixtures/6.12/slab %s/", tree);
	assert_int_equal(0, sh("%s", path));
	snprintf(path, sizeof(path), "%s/meminfo", tree);
	spit(path, "MemTotal:       1024 kB\nCached:  0 kB\nBuffers:  0 kB\n");
	assert_int_equal(0, run(&out, NULL, "--root %s --proc %s -f json summary", tree, tree));
	root = json_loads(out, 0, NULL);
	assert_non_null(root);
	rows = json_object_get(json_array_get(json_object_get(root, "views"), 0), "rows");
	json_array_foreach(rows, i, row)
		if (!strcmp(json_string_value(json_object_get(row, "item")), "unexplained"))
			assert_true(json_integer_value(json_object_get(row, "bytes")) < 0);
	json_decref(root);
	free(out);
	assert_int_equal(0, run(&out, NULL, "--root %s --proc %s -b summary", tree, tree));
	assert_non_null(strstr(last_line_with(out, "unexplained"), " -"));
	free(out);
	drop_tree();
}

/* top refreshing over many users: nothing definitely lost (valgrind). */
static void top_no_leak(void **state)
{
	char *rows = malloc(200 * 128), *p, path[128], *report;
	int i;

	(void)state;
	assert_non_null(rows);
	p = rows + sprintf(rows, HDR);
	for (i = 0; i < 150; i++)	/* more users than any fixed cache */
		p += sprintf(p, "%d 1 %d 10 8 6 2 2 2 4 4 2 0 0 - 0 0 0 %d / p%d\n",
			     i + 2, 5000 + i, i + 2, i);
	make_tree(V1, rows);
	free(rows);
	snprintf(path, sizeof(path), "%s/valgrind", tree);
	if (sh("valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 "
	       "--log-file=%s %s --root %s top -b -n 3 -d 0.1 -s pid >/dev/null",
	       path, getenv("MEMACCT_BIN"), tree)) {
		report = slurp(path);
		fail_msg("valgrind:\n%s", report);
	}
	drop_tree();
}

/* A value that makes option @opt of @cmd valid, for the fixture tree. */
static const char *option_value(const char *cmd, const char *opt)
{
	static const struct { const char *opt, *val; } vals[] = {
		{ "-f", "csv" }, { "-s", "pss" }, { "-n", "1" }, { "-p", "1" }, { "-u", "0" },
		{ "-c", "init" }, { "--cgroup", "/" }, { "-d", "0.1" }, { "--root", "fixtures/6.12" },
		{ "--proc", "fixtures/6.12" }, { "-o", "pid,pss,comm" },
	};
	unsigned int i;

	if (!strcmp(opt, "-s") && !strcmp(cmd, "slab"))
		return "name";
	for (i = 0; i < N(vals); i++)
		if (!strcmp(vals[i].opt, opt))
			return vals[i].val;
	return "";
}

/*
 * Every command's help: its usage, and only options it takes (each one
 * listed is tried); the command list: whole sentences.
 */
static void help_for_every_command(void **state)
{
	static const char *const cmds[] = { "ps", "users", "programs", "cgroups", "vmas",
					    "buddy", "slab", "summary", "top" };
	char *out, *err, want[64], opt[32], *line, *save;
	unsigned int i;
	int tried;

	(void)state;
	for (i = 0; i < N(cmds); i++) {
		assert_int_equal(0, run(&out, NULL, "%s --help", cmds[i]));
		snprintf(want, sizeof(want), "Usage: memacct %s", cmds[i]);
		assert_non_null(strstr(out, want));
		assert_non_null(strstr(out, "Exit status"));
		tried = 0;
		for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			if (sscanf(line, " -%*c, %31s", opt) != 1 && sscanf(line, " %31[-a-z]", opt) != 1)
				continue;
			if (strncmp(opt, "--", 2) || !strcmp(opt, "--help") || !strcmp(opt, "--version"))
				continue;
			if (!strcmp(cmds[i], "top") && strcmp(opt, "--format") && strcmp(opt, "--iterations"))
				continue;	/* top needs a terminal without -b */
			if (run(NULL, &err, "--root fixtures/6.12 --proc fixtures/6.12 "
						"%s %s %s %s %s", cmds[i],
						!strcmp(cmds[i], "vmas") ? "1" : "",
						!strcmp(cmds[i], "top") ? "-b -n 1 -d 0.1" : "", opt,
						!strcmp(opt, "--iterations") ? "1" : option_value(cmds[i],
							!strcmp(opt, "--format") ? "-f" : !strcmp(opt, "--sort") ? "-s" :
							!strcmp(opt, "--top") ? "-n" : !strcmp(opt, "--pid") ? "-p" :
							!strcmp(opt, "--output") ? "-o" :
							!strcmp(opt, "--user") ? "-u" : !strcmp(opt, "--comm") ? "-c" :
							!strcmp(opt, "--delay") ? "-d" : opt)))
				fail_msg("%s --help lists %s, which it rejects: %s", cmds[i], opt, err);
			free(err);
			tried++;
		}
		assert_true(tried > 0);
		free(out);
	}
	assert_int_equal(0, run(&out, NULL, "--help"));
	assert_non_null(strstr(out, "Commands"));
	for (i = 0; i < N(cmds); i++) {	/* one whole sentence each */
		snprintf(want, sizeof(want), "\n  %s ", cmds[i]);
		line = strstr(out, want);
		assert_non_null(line);
		line = strndup(line + 1, strcspn(line + 1, "\n"));
		assert_true(line[strlen(line) - 1] == '.');
		free(line);
	}
	free(out);
}

/* ---- issue 16: the columns of smaps, status, stat and oom_score ---- */

/* MemTotal of a fixture tree, in bytes. */
static long long meminfo(const char *kernel, const char *key);

/* The fixture row of @pid. */
static int fx_row(const struct table *t, unsigned long long pid)
{
	int r;

	for (r = 0; r < t->nrows; r++)
		if (cell(t, r, "pid") == pid)
			return r;
	fail_msg("no pid %llu in the fixture", pid);
	return -1;
}

/* top's RES and SHR as top(1) makes them: the mm's RSS counters. */
static unsigned long long fx_res(const struct table *t, int r)
{
	return cell(t, r, "rss_anon") + cell(t, r, "rss_file") + cell(t, r, "rss_shmem");
}

/* The header of a table-format output, as its words, one space apart. */
static char *header_words(const char *text, const char *first)
{
	char *line = line_with(text, first), *out = malloc(strlen(line) + 1), *w, *save;

	assert_non_null(out);
	out[0] = '\0';
	for (w = strtok_r(line, " ", &save); w; w = strtok_r(NULL, " ", &save))
		sprintf(out + strlen(out), "%s%s", out[0] ? " " : "", w);
	free(line);
	return out;
}

/*
 * The new fixtures hold what a real module would: clean + dirty is USS
 * and shared, dirty and referenced within their whole, the RSS counters
 * apart from the walk's rss somewhere (or RES = RSS would pass).
 */
static void fixtures_consistent(void **state)
{
	struct table t;
	char name[64];
	int k, r, f, res_differs;

	(void)state;
	for (k = 0; k < NNEW; k++) {
		const char *files[4] = { "processes", NULL, NULL, NULL };

		load_fixture(&t, kernels[k], "processes");
		res_differs = 0;
		for (r = 0; r < t.nrows; r++) {
			res_differs += fx_res(&t, r) != cell(&t, r, "rss");
			assert_true(cell(&t, r, "vm_peak") >= cell(&t, r, "vss"));
			assert_true(cell(&t, r, "vm_hwm") >= fx_res(&t, r));
		}
		assert_true(res_differs > 0);
		for (r = 0, f = 1; r < t.nrows && f < 4; r++) {
			snprintf(name, sizeof(name), "fixtures/%s/vmas.%llu", kernels[k], cell(&t, r, "pid"));
			if (!access(name, F_OK))
				files[f++] = strdup(name + strlen("fixtures/") + strlen(kernels[k]) + 1);
		}
		table_free(&t);
		assert_int_equal(4, f);
		for (f = 0; f < 4; f++) {
			load_fixture(&t, kernels[k], files[f]);
			for (r = 0; r < t.nrows; r++) {
				assert_true(cell(&t, r, "private_clean") + cell(&t, r, "private_dirty") ==
					    cell(&t, r, "uss"));
				assert_true(cell(&t, r, "shared_clean") + cell(&t, r, "shared_dirty") ==
					    cell(&t, r, "shared"));
				assert_true(cell(&t, r, "pss_dirty") <= cell(&t, r, "pss"));
				assert_true(cell(&t, r, "referenced") <= cell(&t, r, "rss"));
				assert_true(cell(&t, r, "lazyfree") <= cell(&t, r, "anon"));
			}
			table_free(&t);
			if (f)
				free((char *)files[f]);
		}
	}
}

/*
 * top: VIRT RES SHR %MEM PSS USS SWAP in top's order; RES is rss_anon +
 * rss_file + rss_shmem (top's, from the mm's counters), not the walk's rss;
 * SHR rss_file + rss_shmem; %MEM RES over MemTotal. An older module has
 * no counters: RES, SHR and %MEM are left out, never filled from rss.
 */
static void top_columns(void **state)
{
	struct table fx, out;
	char *text, *hdr, *line, pid[16], want[32], *c;
	json_t *root, *rows, *row;
	long long total;
	size_t i;
	int k, r, f;

	(void)state;
	for (k = 0; k < NNEW; k++) {
		const char *kv = kernels[k];

		load_fixture(&fx, kv, "processes");
		total = meminfo(kv, "MemTotal");
		assert_int_equal(0, run(&text, NULL, "--root fixtures/%s --proc fixtures/%s -f csv top -b -n 1",
					kv, kv));
		parse_csv(&out, text);
		assert_int_equal(fx.nrows, out.nrows);
		for (r = 0; r < out.nrows; r++) {
			f = fx_row(&fx, cell(&out, r, "pid"));
			assert_true(cell(&out, r, "vss") == cell(&fx, f, "vss"));
			if (cell(&out, r, "res") != fx_res(&fx, f))
				fail_msg("%s top: pid %llu RES %llu, rss_anon + rss_file + rss_shmem %llu",
					 kv, cell(&out, r, "pid"), cell(&out, r, "res"), fx_res(&fx, f));
			assert_true(cell(&out, r, "shr") ==
				    cell(&fx, f, "rss_file") + cell(&fx, f, "rss_shmem"));
			assert_true(fabs(strtod(out.rows[r][table_col(&out, "mem")], NULL) -
					 (double)fx_res(&fx, f) / total) < 1e-12);
		}
		table_free(&out);
		/* the table: top's columns in top's order, %MEM in percent */
		assert_int_equal(0, run(&text, NULL, "--root fixtures/%s --proc fixtures/%s -b top -b -n 1",
					kv, kv));
		hdr = header_words(text, "PID ");
		assert_string_equal("PID USER VIRT RES SHR %MEM PSS USS SWAP COMM", hdr);
		free(hdr);
		hdr = line_with(text, "PID ");
		for (r = 0; r < fx.nrows; r++) {
			snprintf(pid, sizeof(pid), "%llu ", cell(&fx, r, "pid"));
			line = line_with(text, pid);
			assert_true(cell_num(hdr, line, "RES") == (long long)fx_res(&fx, r));
			c = cell_under(hdr, line, "%MEM");
			snprintf(want, sizeof(want), "%.1f", 100.0 * fx_res(&fx, r) / total);
			assert_string_equal(want, c);
			free(c);
			free(line);
		}
		free(hdr);
		free(text);
		table_free(&fx);
	}
	/* an older module: no RES, SHR, %MEM rather than wrong ones */
	assert_int_equal(0, run(&text, NULL, "--root fixtures/6.12-old --proc fixtures/6.12-old -b top -b -n 1"));
	hdr = header_words(text, "PID ");
	assert_string_equal("PID USER VIRT PSS USS SWAP COMM", hdr);
	free(hdr);
	free(text);
	assert_int_equal(0, run(&text, NULL, "--root fixtures/6.12-old --proc fixtures/6.12-old -f json top -b -n 1"));
	root = json_loads(text, 0, NULL);
	assert_non_null(root);
	rows = json_object_get(json_array_get(json_object_get(root, "views"), 0), "rows");
	assert_true(json_array_size(rows) > 0);
	json_array_foreach(rows, i, row) {
		assert_true(json_is_null(json_object_get(row, "res")));
		assert_true(json_is_null(json_object_get(row, "shr")));
		assert_true(json_is_null(json_object_get(row, "mem")));
		assert_true(json_is_integer(json_object_get(row, "rss")));
	}
	json_decref(root);
	free(text);
}

/*
 * ps -o: the columns named, in that order, whatever the default order;
 * an unknown or repeated column is an error with no output at all.
 */
static void ps_output_columns(void **state)
{
	struct table fx, out;
	char *text, *err, *hdr, *report;
	int r, f;

	(void)state;
	load_fixture(&fx, "6.12", "processes");
	assert_int_equal(0, run(&text, NULL, "--root fixtures/6.12 -f csv ps -o comm,pss,pid,oom_score_adj,res,minflt"));
	assert_int_equal(0, strncmp(text, "comm,pss,pid,oom_score_adj,res,minflt\n", 38));
	parse_csv(&out, text);
	assert_int_equal(fx.nrows, out.nrows);
	for (r = 0; r < out.nrows; r++) {
		f = fx_row(&fx, cell(&out, r, "pid"));
		assert_true(cell(&out, r, "pss") == cell(&fx, f, "pss"));
		assert_true(cell(&out, r, "res") == fx_res(&fx, f));
		assert_true(cell(&out, r, "minflt") == cell(&fx, f, "minflt"));
		assert_string_equal(fx.rows[f][table_col(&fx, "oom_score_adj")],
				    out.rows[r][table_col(&out, "oom_score_adj")]);	/* -1000 */
	}
	table_free(&out);
	/* the table, any case, %mem as in ps */
	assert_int_equal(0, run(&text, NULL, "--root fixtures/6.12 --proc fixtures/6.12 -b ps -o VSS,Pid,%%mem,comm -n 2"));
	hdr = header_words(text, "VSS ");
	assert_string_equal("VSS PID %MEM COMM", hdr);
	free(hdr);
	free(text);
	/* unknown, repeated, empty: usage errors, nothing on stdout, nothing read */
	assert_int_equal(1, run(&text, &err, "--root fixtures/6.12 ps -o pid,bogus,comm"));
	assert_string_equal("", text);
	assert_non_null(strstr(err, "'bogus'"));
	free(text);
	free(err);
	assert_int_equal(1, run(&text, &err, "--root /nonexistent/memacct ps -o rss,nope"));
	assert_string_equal("", text);
	assert_non_null(strstr(err, "'nope'"));
	free(text);
	free(err);
	assert_int_equal(1, run(&text, &err, "--root fixtures/6.12 -f json ps -o pid,pss,pid"));
	assert_string_equal("", text);
	assert_non_null(strstr(err, "twice"));
	free(text);
	free(err);
	assert_int_equal(1, run(NULL, NULL, "--root fixtures/6.12 ps -o ,"));
	assert_int_equal(1, run(NULL, NULL, "--root fixtures/6.12 users -o pid"));
	/* an older module: its new columns unavailable, not zero, not rss */
	assert_int_equal(0, run(&text, NULL, "--root fixtures/6.12-old -f csv ps -o pid,res,rss_anon,rss"));
	parse_csv(&out, text);
	for (r = 0; r < out.nrows; r++) {
		assert_string_equal("-", out.rows[r][1]);
		assert_string_equal("-", out.rows[r][2]);
		assert_true(cell(&out, r, "rss") > 0);
	}
	table_free(&out);
	assert_int_equal(0, run(&text, NULL, "--root fixtures/6.12-old -b ps -o pid,res -s pid -n 1"));
	assert_non_null(strstr(text, "\n  1   -\n"));
	free(text);
	/* Prometheus: every label stays, or the samples would collide */
	assert_int_equal(0, run(&text, NULL, "--root fixtures/6.12 -f prometheus ps -o pss"));
	assert_non_null(strstr(text, "memacct_process_pss_bytes{pid=\"1\",user=\"root\",mm_owner=\"1\",cgroup=\"/\",comm=\"init\"} "));
	assert_null(strstr(text, "memacct_process_rss_bytes"));
	if (promtool(text, &report))
		fail_msg("promtool rejects ps -o pss:\n%s", report);
	free(report);
	free(text);
	table_free(&fx);
}

/*
 * vmas: pmap -X's columns in pmap -X's order. The header is procps 4.0.2's
 * pmap -X on a 6.12 kernel; pmap -X shows only the fields the kernel's
 * smaps has (6.1 has no KSM), so the reader leaves out what is unavailable
 * in every row. -w adds the rest before NAME.
 */
static void vmas_pmap_x_order(void **state)
{
	char want[1024], file[32], *text, *hdr, *p;
	struct table fx;
	unsigned int i;
	int k, pid;

	(void)state;
	for (k = 0; k < NKERNELS; k++) {
		pid = vmas_pid(kernels[k]);
		snprintf(file, sizeof(file), "vmas.%d", pid);
		load_fixture(&fx, kernels[k], file);
		want[0] = '\0';
		for (i = 0; i < PMAP_X_NCOLUMNS; i++) {	/* in pmap -X's order */
			if (strcmp(pmap_x_columns[i][1], "start") && strcmp(pmap_x_columns[i][1], "name") &&
			    !fx_has(&fx, pmap_x_columns[i][1]))
				continue;	/* this kernel's smaps (or module) has none */
			upper(want + strlen(want), pmap_x_columns[i][1]);
			strcat(want, " ");
		}
		want[strlen(want) - 1] = '\0';
		assert_int_equal(0, run(&text, NULL, "--root fixtures/%s -b vmas %d", kernels[k], pid));
		hdr = header_words(text, "START ");
		if (strcmp(want, hdr))
			fail_msg("%s vmas: header\n  %s\nnot pmap -X's\n  %s", kernels[k], hdr, want);
		free(hdr);
		/* pmap -X's totals line: under the sizes, every row added */
		p = last_line_with(text, "TOTAL");
		hdr = line_with(text, "START ");
		assert_int_equal(cell_num(hdr, p, "RSS"), (long long)file_sum(kernels[k], file, "rss", "name", NULL));
		free(p);
		free(hdr);
		free(text);
		if (k < NNEW) {
			assert_int_equal(0, run(&text, NULL, "--root fixtures/%s -b -w vmas %d", kernels[k], pid));
			hdr = header_words(text, "PID ");
			p = strstr(hdr, " THP_ELIGIBLE PSS_ANON PSS_FILE PSS_SHMEM USS SHARED PRIVATE_CLEAN "
				   "PRIVATE_DIRTY SHARED_CLEAN SHARED_DIRTY ANON_HUGE NAME");
			if (!p || strncmp(hdr, "PID START END PERMS OFFSET DEV INODE VSS RSS PSS ", 49))
				fail_msg("%s vmas -w: %s", kernels[k], hdr);
			free(hdr);
			free(text);
		}
		table_free(&fx);
	}
}

/*
 * JSON, CSV and Prometheus carry the new fields: oom_score_adj signed,
 * faults as counters (_total), dev and inode in JSON and CSV but not as
 * metrics; an older module's tree has them null.
 */
static void new_fields_in_formats(void **state)
{
	struct table fx;
	json_t *root, *view, *row, *col;
	char *text, *report;
	unsigned long long minflt = 0;
	size_t i;
	int n, r;

	(void)state;
	load_fixture(&fx, "6.12", "processes");
	assert_int_equal(0, run(&text, NULL, "--root fixtures/6.12 -f json ps -s pid"));
	root = json_loads(text, 0, NULL);
	assert_non_null(root);
	view = json_array_get(json_object_get(root, "views"), 0);
	json_array_foreach(json_object_get(view, "columns"), i, col)
		if (!strcmp(json_string_value(json_object_get(col, "name")), "minflt"))
			assert_string_equal("count", json_string_value(json_object_get(col, "kind")));
	json_array_foreach(json_object_get(view, "rows"), i, row) {
		r = fx_row(&fx, json_integer_value(json_object_get(row, "pid")));
		assert_true(json_integer_value(json_object_get(row, "oom_score_adj")) ==
			    strtoll(fx.rows[r][table_col(&fx, "oom_score_adj")], NULL, 10));
		assert_true(json_integer_value(json_object_get(row, "vm_hwm")) ==
			    (json_int_t)cell(&fx, r, "vm_hwm"));
		assert_true(json_integer_value(json_object_get(row, "private_dirty")) ==
			    (json_int_t)cell(&fx, r, "private_dirty"));
		minflt += cell(&fx, r, "minflt");
	}
	json_decref(root);
	free(text);
	assert_int_equal(0, run(&text, NULL, "--root fixtures/6.12 -f prometheus ps"));
	if (promtool(text, &report))
		fail_msg("promtool:\n%s", report);
	free(report);
	assert_non_null(strstr(text, "# TYPE memacct_process_minor_faults_total counter\n"));
	assert_non_null(strstr(text, "# TYPE memacct_process_major_faults_total counter\n"));
	assert_true(prom_sum(text, "memacct_process_minor_faults_total", &n) == (double)minflt);
	assert_int_equal(fx.nrows, n);
	assert_non_null(strstr(text, "memacct_process_oom_score_adj{pid=\"179\",user=\"root\",mm_owner=\"179\",cgroup=\"/\",comm=\"memhelper\"} -1000\n"));
	assert_non_null(strstr(text, "# TYPE memacct_process_vm_pte_bytes gauge\n"));
	assert_non_null(strstr(text, "# TYPE memacct_process_res_bytes gauge\n"));
	assert_null(strstr(text, "minflt"));
	free(text);
	table_free(&fx);
	assert_int_equal(0, run(&text, NULL, "--root fixtures/6.12 -f prometheus vmas 1"));
	assert_non_null(strstr(text, "# TYPE memacct_vma_thp_eligible gauge\n"));
	assert_non_null(strstr(text, "# TYPE memacct_vma_pss_dirty_bytes gauge\n"));
	assert_null(strstr(text, "inode"));
	assert_null(strstr(text, "memacct_vma_dev"));
	free(text);
	assert_int_equal(0, run(&text, NULL, "--root fixtures/6.12 -f csv vmas 1 -s start -n 1"));
	assert_non_null(strstr(text, ",0x400000,0x401000,r--p,0x0,00:02,27,4096,"));
	free(text);
	/* an older module: null, not 0 */
	assert_int_equal(0, run(&text, NULL, "--root fixtures/6.12-old -f json vmas 1"));
	assert_non_null(strstr(text, "\"dev\": null"));
	assert_non_null(strstr(text, "\"pss_dirty\": null"));
	assert_null(strstr(text, "\"pss_dirty\": 0"));
	free(text);
	assert_int_equal(0, run(&text, NULL, "--root fixtures/6.12-old -f prometheus ps"));
	assert_null(strstr(text, "oom_score"));
	assert_null(strstr(text, "faults"));
	free(text);
}

/* Only oom_score_adj may be negative; "-" alone is unavailable there too. */
static void signed_columns(void **state)
{
	static const struct { const char *adj, *rss_anon; int code; const char *want; } cases[] = {
		{ "-5", "4096", 0, "\"oom_score_adj\": -5" },
		{ "-", "4096", 0, "\"oom_score_adj\": null" },
		{ "1000", "4096", 0, "\"oom_score_adj\": 1000" },
		{ "--5", "4096", 7, "not a number" },
		{ "-x", "4096", 7, "not a number" },
		{ "0", "-4096", 7, "not a number" },
	};
	char rows[2048], *out, *err;
	unsigned int i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		snprintf(rows, sizeof(rows),
			 "pid ppid uid vss rss pss pss_anon pss_file pss_shmem uss shared anon anon_huge swap swap_pss locked hugetlb_shared hugetlb_private "
			 "private_clean private_dirty shared_clean shared_dirty pss_dirty referenced lazyfree ksm shmem_pmd_mapped file_pmd_mapped mm_owner "
			 "rss_anon rss_file rss_shmem vm_peak vm_hwm vm_data vm_stk vm_exe vm_lib vm_pte vm_swap vm_pin threads minflt majflt oom_score oom_score_adj cgroup comm\n"
			 "7 1 0 8192 4096 4096 4096 0 0 4096 0 4096 0 0 - 0 0 0 0 4096 0 0 4096 4096 0 - 0 0 7 "
			 "%s 0 0 8192 4096 4096 4096 0 0 4096 0 0 1 10 0 0 %s / x\n", cases[i].rss_anon, cases[i].adj);
		make_tree(V1, rows);
		assert_int_equal(cases[i].code, run(&out, &err, "--root %s -f json ps", tree));
		if (!strstr(cases[i].code ? err : out, cases[i].want))
			fail_msg("oom_score_adj %s, rss_anon %s: '%s' not in %s%s", cases[i].adj,
				 cases[i].rss_anon, cases[i].want, out, err);
		free(out);
		free(err);
		drop_tree();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_good),
		cmocka_unit_test(parse_bad),
		cmocka_unit_test(parse_hostile),
		cmocka_unit_test(ps_totals_by_column),
		cmocka_unit_test(ps_user_and_cgroup),
		cmocka_unit_test(ps_filters),
		cmocka_unit_test(groups_add_up),
		cmocka_unit_test(vmas_total_equals_process),
		cmocka_unit_test(summary_rows),
		cmocka_unit_test(buddy_blocks),
		cmocka_unit_test(slab_sorted_with_totals),
		cmocka_unit_test(json_format),
		cmocka_unit_test(prometheus_format),
		cmocka_unit_test(exact_outputs),
		cmocka_unit_test(human_sizes),
		cmocka_unit_test(io_errors),
		cmocka_unit_test(top_batch),
		cmocka_unit_test(broken_trees),
		cmocka_unit_test(escaped_names_and_unavailable),
		cmocka_unit_test(human_size_edges),
		cmocka_unit_test(vmas_hex),
		cmocka_unit_test(hostile_names),
		cmocka_unit_test(wide_characters),
		cmocka_unit_test(summary_not_clamped),
		cmocka_unit_test(top_no_leak),
		cmocka_unit_test(help_for_every_command),
		cmocka_unit_test(fixtures_consistent),
		cmocka_unit_test(top_columns),
		cmocka_unit_test(ps_output_columns),
		cmocka_unit_test(vmas_pmap_x_order),
		cmocka_unit_test(new_fields_in_formats),
		cmocka_unit_test(signed_columns),
	};

	if (!getenv("MEMACCT_BIN")) {
		fprintf(stderr, "MEMACCT_BIN must name the reader binary\n");
		return 2;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
