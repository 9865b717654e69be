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

/* The size columns of `processes` and `vmas`, in the module's order. */
#define SIZE_COLS(W)							\
	{ "vss", COL_BYTES, false, false, "Virtual size" },		\
	{ "rss", COL_BYTES, false, false, "Resident set size" },	\
	{ "pss", COL_BYTES, false, false, "Proportional set size" },	\
	{ "pss_anon", COL_BYTES, false, true, "PSS of anonymous pages" }, \
	{ "pss_file", COL_BYTES, false, true, "PSS of file pages" },	\
	{ "pss_shmem", COL_BYTES, false, true, "PSS of shmem pages" },	\
	{ "uss", COL_BYTES, false, false, "Unique set size (private pages)" }, \
	{ "shared", COL_BYTES, false, W, "Resident pages also mapped elsewhere" }, \
	{ "anon", COL_BYTES, false, true, "Anonymous resident memory" }, \
	{ "anon_huge", COL_BYTES, false, true, "Anonymous memory in PMD-mapped THP" }, \
	{ "swap", COL_BYTES, false, false, "Swapped out anonymous memory" }, \
	{ "swap_pss", COL_BYTES, false, true, "Proportional share of swap" }, \
	{ "locked", COL_BYTES, false, true, "Memory in mlocked mappings" }, \
	{ "hugetlb_shared", COL_BYTES, false, true, "Shared hugetlb pages" }, \
	{ "hugetlb_private", COL_BYTES, false, true, "Private hugetlb pages" }

static const char * const size_names[] = {
	"vss", "rss", "pss", "pss_anon", "pss_file", "pss_shmem", "uss", "shared",
	"anon", "anon_huge", "swap", "swap_pss", "locked", "hugetlb_shared",
	"hugetlb_private",
};

#define NSIZES ARRAY_SIZE(size_names)

static const struct col ps_cols[] = {
	{ "pid", COL_ID, true, false, NULL },
	{ "ppid", COL_ID, false, true, NULL },
	{ "user", COL_TEXT, true, false, NULL },
	SIZE_COLS(true),
	{ "mm_owner", COL_ID, false, true, NULL },
	{ "cgroup", COL_TEXT, true, true, NULL },
	{ "comm", COL_TEXT, true, false, NULL },
};

/* Number in @t[row][col] into @cell; "-" marks it unavailable. */
static void num_cell(const struct table *t, const char *file, int row, int col,
		     struct cell *cell)
{
	cell->num = source_u64(t, file, row, col, &cell->na);
}

static const char *user_name(unsigned long long uid)
{
	static struct { unsigned long long uid; const char *name; } cache[64];
	static int ncache;
	struct passwd *pw;
	char buf[32];
	int i;

	for (i = 0; i < ncache; i++)
		if (cache[i].uid == uid)
			return cache[i].name;
	pw = getpwuid((uid_t)uid);
	snprintf(buf, sizeof(buf), "%llu", uid);
	if (ncache < (int)ARRAY_SIZE(cache)) {
		cache[ncache].uid = uid;
		cache[ncache].name = keep(pw ? pw->pw_name : buf);
		return cache[ncache++].name;
	}
	return keep(pw ? pw->pw_name : buf);
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

static bool row_selected(const struct opts *o, const struct cell *row, long long uid)
{
	if (o->pids && !pid_listed(o->pids, row[0].num))
		return false;
	if (o->user && row[2].num != (unsigned long long)uid)
		return false;
	if (o->comm && !strstr(row[NSIZES + 5].text, o->comm))
		return false;
	if (o->cgroup && !in_cgroup(row[NSIZES + 4].text, o->cgroup))
		return false;
	return true;
}

/* One ps row from line @r of `processes`; cell 2 holds the uid for now. */
static void fill_ps_row(const struct table *t, int r, const int *src_col, struct cell *row)
{
	unsigned int c;

	for (c = 0; c < ARRAY_SIZE(ps_cols); c++) {
		if (ps_cols[c].kind == COL_TEXT && c != 2)
			row[c].text = t->rows[r][src_col[c]];
		else
			num_cell(t, "processes", r, src_col[c], &row[c]);
	}
}

/*
 * The process table, filtered: rows of processes sharing another's mm
 * (CLONE_VM) are kept but add nothing to totals (see ps_total).
 */
static struct view *load_ps(const struct source *src, const struct opts *o)
{
	struct table *t = calloc(1, sizeof(*t));
	static const char *const srcnames[] = { "pid", "ppid", "uid" };
	int src_col[ARRAY_SIZE(ps_cols)];
	struct view *v = view_new("process", ps_cols, ARRAY_SIZE(ps_cols));
	long long uid = o->user ? user_uid(o->user) : -1;
	unsigned int c;
	int r;

	if (!t)
		die(EXIT_IO, "out of memory");
	source_table(src, "processes", t);
	v->source = t;
	for (c = 0; c < ARRAY_SIZE(ps_cols); c++)
		src_col[c] = source_col(t, "processes", c < 3 ? srcnames[c] : ps_cols[c].name);
	if (o->pids)
		check_pids_found(o->pids, t, src_col[0]);
	for (r = 0; r < t->nrows; r++) {
		struct cell *row = view_add_row(v);

		fill_ps_row(t, r, src_col, row);
		if (!row_selected(o, row, uid)) {
			free(v->rows[--v->nrows]);
			continue;
		}
		row[2].text = user_name(row[2].num);
	}
	return v;
}

static bool owns_mm(const struct cell *row)
{
	return row[NSIZES + 3].num == row[0].num;
}

static void ps_total(struct view *v)
{
	int r, c;

	v->total = calloc(v->ncols, sizeof(struct cell));
	if (!v->total)
		die(EXIT_IO, "out of memory");
	for (r = 0; r < v->nrows; r++) {
		if (!owns_mm(v->rows[r]))
			continue;
		for (c = 3; c < 3 + (int)NSIZES; c++) {
			v->total[c].num += v->rows[r][c].num;
			v->total[c].na |= v->rows[r][c].na;
		}
	}
	v->total[v->ncols - 1].text = "TOTAL";
}

static void sort_or_die(struct view *v, const char *key, const char *dflt)
{
	if (view_sort(v, key ? key : dflt))
		die(EXIT_USAGE, "-s %s: no such column in this view", key);
}

int views_ps(const struct source *src, const struct opts *o, struct view **out)
{
	struct view *v = load_ps(src, o);

	ps_total(v);
	sort_or_die(v, o->sort, "pss");
	view_truncate(v, o->top_n);
	out[0] = v;
	return 1;
}

static const struct col group_cols[] = {
	{ "key", COL_TEXT, true, false, NULL },
	{ "processes", COL_COUNT, false, false, "Processes in the group" },
	{ "rss", COL_BYTES, false, false, "Sum of RSS" },
	{ "pss", COL_BYTES, false, false, "Sum of PSS" },
	{ "uss", COL_BYTES, false, false, "Sum of USS (private memory)" },
	{ "shared_pss", COL_BYTES, false, false, "PSS minus USS: the group's share of shared memory" },
	{ "swap", COL_BYTES, false, false, "Sum of swap" },
	{ "swap_pss", COL_BYTES, false, true, "Sum of SwapPss" },
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

static void group_add(struct cell *grp, const struct view *ps, const struct cell *row)
{
	static const char *const from[] = { "rss", "pss", "uss", NULL, "swap", "swap_pss" };
	unsigned int i;

	grp[1].num++;
	if (!owns_mm(row))
		return;
	for (i = 0; i < ARRAY_SIZE(from); i++) {
		const struct cell *c;

		if (!from[i])
			continue;
		c = &row[view_col(ps, from[i])];
		grp[2 + i].num += c->num;
		grp[2 + i].na |= c->na;
	}
	grp[5].num = grp[3].num - grp[4].num;
}

/* `users`, `programs` and `cgroups`: the process table summed by a key. */
int views_group(const struct source *src, const struct opts *o, const char *by,
		struct view **out)
{
	static struct col cols[ARRAY_SIZE(group_cols)];
	const char *key_col = !strcmp(by, "user") ? "user" :
			      !strcmp(by, "program") ? "comm" : "cgroup";
	struct view *ps = load_ps(src, o), *g;
	int r, k = view_col(ps, key_col);

	memcpy(cols, group_cols, sizeof(cols));
	cols[0].name = by;
	g = view_new(!strcmp(by, "user") ? "user" : !strcmp(by, "program") ? "program" :
		     "cgroup", cols, ARRAY_SIZE(cols));
	for (r = 0; r < ps->nrows; r++)
		group_add(group_row(g, ps->rows[r][k].text), ps, ps->rows[r]);
	view_sum(g, by, "TOTAL");
	sort_or_die(g, o->sort, "pss");
	view_truncate(g, o->top_n);
	view_free(ps);
	out[0] = g;
	return 1;
}

static const struct col vma_cols[] = {
	{ "start", COL_TEXT, true, false, NULL },
	{ "end", COL_TEXT, true, true, NULL },
	{ "perms", COL_TEXT, true, false, NULL },
	{ "offset", COL_TEXT, false, true, NULL },
	SIZE_COLS(false),
	{ "name", COL_TEXT, true, false, NULL },
};

int views_vmas(const struct source *src, const struct opts *o, int pid, struct view **out)
{
	struct table t;
	struct view *v = view_new("vma", vma_cols, ARRAY_SIZE(vma_cols));
	unsigned int c;
	int r, col[ARRAY_SIZE(vma_cols)];

	source_vmas(src, pid, &t);
	for (c = 0; c < ARRAY_SIZE(vma_cols); c++)
		col[c] = source_col(&t, "vmas", vma_cols[c].name);
	for (r = 0; r < t.nrows; r++) {
		struct cell *row = view_add_row(v);

		for (c = 0; c < ARRAY_SIZE(vma_cols); c++) {
			if (vma_cols[c].kind == COL_TEXT)
				row[c].text = t.rows[r][col[c]];
			else
				num_cell(&t, "vmas", r, col[c], &row[c]);
		}
	}
	view_sum(v, "name", "TOTAL");
	if (o->sort)
		sort_or_die(v, o->sort, NULL);
	view_truncate(v, o->top_n);
	out[0] = v;
	return 1;
}
