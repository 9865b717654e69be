// SPDX-License-Identifier: GPL-2.0
/*
 * memacct reader: the views. Each turns the module's tables into what a
 * user of procrank, ps_mem, smem, pmap -X, slabtop or free expects.
 */
#include <ctype.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "reader.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The size columns of `processes` and `vmas`, in the module's order. Those
 * marked nototal count a shared page once per process, so a sum over
 * processes means nothing (procrank totals only PSS, USS and swap).
 */
static const struct col size_cols[] = {
	COL("vss", COL_BYTES, false, false, "Virtual size", .nototal = true),
	COL("rss", COL_BYTES, false, false, "Resident set size", .nototal = true),
	COL("pss", COL_BYTES, false, false, "Proportional set size"),
	COL("pss_anon", COL_BYTES, false, true, "PSS of anonymous pages"),
	COL("pss_file", COL_BYTES, false, true, "PSS of file pages"),
	COL("pss_shmem", COL_BYTES, false, true, "PSS of shmem pages"),
	COL("uss", COL_BYTES, false, false, "Unique set size (private pages)"),
	COL("shared", COL_BYTES, false, false, "Resident pages also mapped elsewhere", .nototal = true),
	COL("anon", COL_BYTES, false, true, "Anonymous resident memory", .nototal = true),
	COL("anon_huge", COL_BYTES, false, true, "Anonymous memory in PMD-mapped THP", .nototal = true),
	COL("swap", COL_BYTES, false, false, "Swapped out anonymous and shmem memory"),
	COL("swap_pss", COL_BYTES, false, true, "Proportional share of swap"),
	COL("locked", COL_BYTES, false, true, "PSS of memory in mlocked mappings"),
	COL("hugetlb_shared", COL_BYTES, false, true, "Shared hugetlb pages", .nototal = true),
	COL("hugetlb_private", COL_BYTES, false, true, "Private hugetlb pages"),
};

#define NSIZES ((int)ARRAY_SIZE(size_cols))

static const struct col ps_head[] = {
	COL("pid", COL_ID, true, false, NULL),
	COL("ppid", COL_ID, false, true, NULL),
	COL("user", COL_TEXT, true, false, NULL),	/* from uid */
};

static const struct col ps_tail[] = {
	COL("mm_owner", COL_ID, true, true, NULL),
	COL("cgroup", COL_TEXT, true, true, NULL),
	COL("comm", COL_TEXT, true, false, NULL),
};

/* Where the ps view keeps what the filters and sums need, by name, once. */
static struct ps_cols {
	struct col *cols;
	int ncols, pid, user, mm_owner, cgroup, comm;
} ps;

static void ps_cols_init(void)
{
	struct view v;

	if (ps.cols)
		return;
	ps.ncols = ARRAY_SIZE(ps_head) + NSIZES + ARRAY_SIZE(ps_tail);
	ps.cols = cols_concat(ps_head, ARRAY_SIZE(ps_head), size_cols, NSIZES, ps_tail,
			      ARRAY_SIZE(ps_tail));
	v = (struct view){ .name = "process", .cols = ps.cols, .ncols = ps.ncols };
	ps.cols[view_need(&v, "shared")].wide = true;	/* procrank has no such column */
	ps.pid = view_need(&v, "pid");
	ps.user = view_need(&v, "user");
	ps.mm_owner = view_need(&v, "mm_owner");
	ps.cgroup = view_need(&v, "cgroup");
	ps.comm = view_need(&v, "comm");
}

/* Number in @t[row][col] into @cell; "-" marks it unavailable. */
static void num_cell(const struct table *t, const char *file, int row, int col,
		     struct cell *cell)
{
	cell->num = source_u64(t, file, row, col, &cell->na);
}

/* A user's name, looked up once per uid; kept for the program's life. */
static const char *user_name(unsigned long long uid)
{
	static struct { unsigned long long uid; const char *name; } *cache;
	static int ncache, cap;
	struct passwd *pw;
	char buf[32];
	int i;

	for (i = 0; i < ncache; i++)
		if (cache[i].uid == uid)
			return cache[i].name;
	if (ncache == cap) {
		cap = cap ? 2 * cap : 64;
		cache = realloc(cache, cap * sizeof(*cache));
		if (!cache)
			die(EXIT_IO, "out of memory");
	}
	pw = getpwuid((uid_t)uid);
	snprintf(buf, sizeof(buf), "%llu", uid);
	cache[ncache].uid = uid;
	cache[ncache].name = keep(pw ? pw->pw_name : buf);
	return cache[ncache++].name;
}

static bool pid_listed(const char *list, unsigned long long pid)
{
	const char *p = list;
	char *end;

	while (*p) {
		if (strtoull(p, &end, 10) == pid && end != p)
			return true;
		p = *end ? end + 1 : end;
	}
	return false;
}

/* Every pid of -p must exist: a script asking for pid N learns it is gone. */
static void check_pids_found(const char *list, const struct table *t, int pid_col)
{
	const char *p = list;
	char *end;
	int r;

	while (*p) {
		unsigned long long want = strtoull(p, &end, 10);

		if (end == p || (*end && *end != ','))
			die(EXIT_USAGE, "-p %s: not a list of pids", list);
		for (r = 0; r < t->nrows; r++)
			if (strtoull(t->rows[r][pid_col], NULL, 10) == want)
				break;
		if (r == t->nrows)
			die(EXIT_NOPID, "no process with pid %llu", want);
		p = *end ? end + 1 : end;
	}
}

static long long user_uid(const char *user)
{
	struct passwd *pw;
	char *end;
	long long uid = strtoll(user, &end, 10);

	if (*user && !*end && uid >= 0)
		return uid;
	pw = getpwnam(user);
	if (!pw)
		die(EXIT_USAGE, "-u %s: no such user", user);
	return pw->pw_uid;
}

static bool in_cgroup(const char *path, const char *want)
{
	size_t len = strlen(want);

	while (len > 1 && want[len - 1] == '/')
		len--;
	return !strncmp(path, want, len) &&
	       (path[len] == '\0' || path[len] == '/' || len == 1);
}

/* Before user_name(): the user cell still holds the uid. */
static bool row_selected(const struct opts *o, const struct cell *row, long long uid)
{
	if (o->pids && !pid_listed(o->pids, row[ps.pid].num))
		return false;
	if (o->user && row[ps.user].num != (unsigned long long)uid)
		return false;
	if (o->comm && !strstr(row[ps.comm].text, o->comm))
		return false;
	if (o->cgroup && !in_cgroup(row[ps.cgroup].text, o->cgroup))
		return false;
	return true;
}

/* One ps row from line @r of `processes`; the user cell holds the uid. */
static void fill_ps_row(const struct table *t, int r, const int *src_col, struct cell *row)
{
	int c;

	for (c = 0; c < ps.ncols; c++) {
		if (ps.cols[c].kind == COL_TEXT && c != ps.user)
			row[c].text = t->rows[r][src_col[c]];
		else
			num_cell(t, "processes", r, src_col[c], &row[c]);
	}
}

/*
 * The process table, filtered: rows of processes sharing another's mm
 * (CLONE_VM) are kept but add nothing to totals (see owns_mm).
 */
static struct view *load_ps(const struct source *src, const struct opts *o)
{
	struct table *t = calloc(1, sizeof(*t));
	long long uid = o->user ? user_uid(o->user) : -1;
	struct view *v;
	int *src_col, r, c;

	ps_cols_init();
	src_col = calloc(ps.ncols, sizeof(int));
	if (!t || !src_col)
		die(EXIT_IO, "out of memory");
	v = view_new("process", ps.cols, ps.ncols);
	source_table(src, "processes", t);
	v->source = t;
	for (c = 0; c < ps.ncols; c++)
		src_col[c] = source_col(t, "processes", c == ps.user ? "uid" : ps.cols[c].name);
	if (o->pids)
		check_pids_found(o->pids, t, src_col[ps.pid]);
	for (r = 0; r < t->nrows; r++) {
		struct cell *row = view_add_row(v);

		fill_ps_row(t, r, src_col, row);
		if (!row_selected(o, row, uid)) {
			free(v->rows[--v->nrows]);
			continue;
		}
		row[ps.user].text = user_name(row[ps.user].num);
	}
	free(src_col);
	return v;
}

static bool owns_mm(const struct view *v, const struct cell *row)
{
	(void)v;
	return row[ps.mm_owner].num == row[ps.pid].num;
}

static void sort_or_die(struct view *v, const char *key, const char *dflt)
{
	if (view_sort(v, key ? key : dflt))
		die(EXIT_USAGE, "-s %s: no such column in this view", key);
}

int views_ps(const struct source *src, const struct opts *o, struct view **out)
{
	struct view *v = load_ps(src, o);

	view_sum(v, "comm", "TOTAL", false, owns_mm);
	sort_or_die(v, o->sort, "pss");
	view_truncate(v, o->top_n);
	out[0] = v;
	return 1;
}

static const struct col group_cols[] = {
	COL("key", COL_TEXT, true, false, NULL),
	COL("processes", COL_COUNT, false, false, "Processes in the group"),
	COL("rss", COL_BYTES, false, false, "Sum of RSS (a shared page once per process)", .nototal = true),
	COL("pss", COL_BYTES, false, false, "Sum of PSS"),
	COL("uss", COL_BYTES, false, false, "Sum of USS (private memory)"),
	COL("shared_pss", COL_BYTES, false, false, "PSS minus USS: the group's share of shared memory"),
	COL("swap", COL_BYTES, false, false, "Sum of swap"),
	COL("swap_pss", COL_BYTES, false, true, "Sum of SwapPss"),
};

/* The ps columns a group sums, each into the group column of that name. */
static const char *const group_sums[] = { "rss", "pss", "uss", "swap", "swap_pss" };

struct group_map {
	int key, processes, shared_pss, pss, uss;
	int from[ARRAY_SIZE(group_sums)], to[ARRAY_SIZE(group_sums)];
};

static struct cell *group_row(struct view *g, const char *key)
{
	int r;

	for (r = 0; r < g->nrows; r++)
		if (!strcmp(g->rows[r][0].text, key))
			return g->rows[r];
	view_add_row(g)[0].text = keep(key);	/* a new group */
	return g->rows[g->nrows - 1];
}

static void group_add(struct cell *grp, const struct group_map *m, const struct cell *row)
{
	unsigned int i;

	grp[m->processes].num++;
	if (!owns_mm(NULL, row))
		return;
	for (i = 0; i < ARRAY_SIZE(group_sums); i++) {
		grp[m->to[i]].num += row[m->from[i]].num;
		grp[m->to[i]].na |= row[m->from[i]].na;
	}
	grp[m->shared_pss].num = grp[m->pss].num - grp[m->uss].num;
}

/* `users`, `programs` and `cgroups`: the process table summed by a key. */
static int views_group(const struct source *src, const struct opts *o, const char *by,
		       const char *key_col, struct view **out)
{
	struct col *cols = cols_concat(group_cols, ARRAY_SIZE(group_cols), NULL, 0, NULL, 0);
	struct view *p = load_ps(src, o), *g;
	struct group_map m;
	unsigned int i;
	int r;

	cols[0].name = by;
	g = view_new(by, cols, ARRAY_SIZE(group_cols));
	m.key = view_need(p, key_col);
	m.processes = view_need(g, "processes");
	m.shared_pss = view_need(g, "shared_pss");
	m.pss = view_need(g, "pss");
	m.uss = view_need(g, "uss");
	for (i = 0; i < ARRAY_SIZE(group_sums); i++) {
		m.from[i] = view_need(p, group_sums[i]);
		m.to[i] = view_need(g, group_sums[i]);
	}
	for (r = 0; r < p->nrows; r++)
		group_add(group_row(g, p->rows[r][m.key].text), &m, p->rows[r]);
	view_sum(g, by, "TOTAL", false, NULL);
	sort_or_die(g, o->sort, "pss");
	view_truncate(g, o->top_n);
	view_free(p);
	out[0] = g;
	return 1;
}

int views_users(const struct source *src, const struct opts *o, struct view **out)
{
	return views_group(src, o, "user", "user", out);
}

int views_programs(const struct source *src, const struct opts *o, struct view **out)
{
	return views_group(src, o, "program", "comm", out);
}

int views_cgroups(const struct source *src, const struct opts *o, struct view **out)
{
	return views_group(src, o, "cgroup", "cgroup", out);
}

static const struct col vma_head[] = {
	COL("pid", COL_ID, true, true, NULL),
	COL("start", COL_ADDR, true, false, NULL),
	COL("end", COL_ADDR, true, true, NULL),
	COL("perms", COL_TEXT, true, false, NULL),
	COL("offset", COL_ADDR, false, true, NULL),
};

static const struct col vma_tail[] = {
	COL("name", COL_TEXT, true, false, NULL),
};

/* A hexadecimal field of the vmas file. */
static unsigned long long hex_field(const struct table *t, int r, int c)
{
	const char *s = t->rows[r][c];
	unsigned long long v;
	char *end;

	v = strtoull(s, &end, 16);
	if (!isxdigit((unsigned char)*s) || *end)
		die(EXIT_MALFORMED, "vmas: line %d: '%s' in column %s is not hexadecimal",
		    r + 2, s, t->cols[c]);
	return v;
}

static void fill_vma_row(const struct table *t, int r, const struct view *v, const int *col,
			 struct cell *row, int pid)
{
	int c;

	for (c = 0; c < v->ncols; c++) {
		if (col[c] < 0)
			row[c].num = pid;
		else if (v->cols[c].kind == COL_TEXT)
			row[c].text = t->rows[r][col[c]];
		else if (v->cols[c].kind == COL_ADDR)
			row[c].num = hex_field(t, r, col[c]);
		else
			num_cell(t, "vmas", r, col[c], &row[c]);
	}
}

int views_vmas(const struct source *src, const struct opts *o, struct view **out)
{
	static struct col *cols;
	int n = ARRAY_SIZE(vma_head) + NSIZES + ARRAY_SIZE(vma_tail), r, c, *col;
	struct table *t = calloc(1, sizeof(*t));
	struct view *v;

	if (!cols)
		cols = cols_concat(vma_head, ARRAY_SIZE(vma_head), size_cols, NSIZES,
				   vma_tail, ARRAY_SIZE(vma_tail));
	col = calloc(n, sizeof(int));
	if (!t || !col)
		die(EXIT_IO, "out of memory");
	v = view_new("vma", cols, n);
	source_vmas(src, o->pid, t);
	v->source = t;
	for (c = 0; c < n; c++)
		col[c] = strcmp(cols[c].name, "pid") ? source_col(t, "vmas", cols[c].name) : -1;
	for (r = 0; r < t->nrows; r++)
		fill_vma_row(t, r, v, col, view_add_row(v), o->pid);
	free(col);
	view_sum(v, "name", "TOTAL", true, NULL);	/* one process: all add up */
	if (o->sort)
		sort_or_die(v, o->sort, NULL);
	view_truncate(v, o->top_n);
	out[0] = v;
	return 1;
}
