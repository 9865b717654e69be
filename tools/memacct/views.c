// SPDX-License-Identifier: GPL-2.0
/*
 * memacct reader: the views. Each turns the module's tables into what a
 * user of procrank, ps_mem, smem, pmap -X, slabtop or free expects.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "reader.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Every column of the process and mapping views. Those marked nototal
 * count a shared page once per process (or are not amounts), so a sum over
 * processes means nothing (procrank totals only PSS, USS and swap). Those
 * marked optional are newer than ABI 1's first module: an older module's
 * file lacks them, and they are then unavailable, never a wrong number.
 */
#define OPT .optional = true, .hide_na = true
static const struct col pool[] = {
	COL("pid", COL_ID, true, false, NULL),
	COL("ppid", COL_ID, false, false, NULL),
	COL("user", COL_TEXT, true, false, NULL),	/* from uid */
	COL("start", COL_ADDR, true, false, NULL),
	COL("end", COL_ADDR, true, false, NULL),
	COL("perms", COL_TEXT, true, false, NULL),
	COL("offset", COL_ADDR, false, false, NULL),
	COL("dev", COL_TEXT, false, false, NULL, OPT),
	COL("inode", COL_ID, false, false, NULL, OPT),
	COL("vss", COL_BYTES, false, false, "Virtual size", .nototal = true),
	COL("rss", COL_BYTES, false, false, "Resident set size", .nototal = true),
	COL("pss", COL_BYTES, false, false, "Proportional set size"),
	COL("pss_anon", COL_BYTES, false, false, "PSS of anonymous pages"),
	COL("pss_file", COL_BYTES, false, false, "PSS of file pages"),
	COL("pss_shmem", COL_BYTES, false, false, "PSS of shmem pages"),
	COL("uss", COL_BYTES, false, false, "Unique set size (private pages)"),
	COL("shared", COL_BYTES, false, false, "Resident pages also mapped elsewhere", .nototal = true),
	COL("anon", COL_BYTES, false, false, "Anonymous resident memory", .nototal = true),
	COL("anon_huge", COL_BYTES, false, false, "Anonymous memory in PMD-mapped THP", .nototal = true),
	COL("swap", COL_BYTES, false, false, "Swapped out anonymous and shmem memory"),
	COL("swap_pss", COL_BYTES, false, false, "Proportional share of swap"),
	COL("locked", COL_BYTES, false, false, "PSS of memory in mlocked mappings"),
	COL("hugetlb_shared", COL_BYTES, false, false, "Shared hugetlb pages", .nototal = true),
	COL("hugetlb_private", COL_BYTES, false, false, "Private hugetlb pages"),
	COL("private_clean", COL_BYTES, false, false, "Clean resident pages mapped only here", OPT),
	COL("private_dirty", COL_BYTES, false, false, "Dirty resident pages mapped only here", OPT),
	COL("shared_clean", COL_BYTES, false, false, "Clean resident pages also mapped elsewhere",
	    .nototal = true, OPT),
	COL("shared_dirty", COL_BYTES, false, false, "Dirty resident pages also mapped elsewhere",
	    .nototal = true, OPT),
	COL("pss_dirty", COL_BYTES, false, false, "PSS of dirty pages", OPT),
	COL("referenced", COL_BYTES, false, false, "Resident memory marked referenced or accessed",
	    .nototal = true, OPT),
	COL("lazyfree", COL_BYTES, false, false, "Memory freed with MADV_FREE and not yet reclaimed",
	    .nototal = true, OPT),
	COL("ksm", COL_BYTES, false, false, "Memory in pages merged by KSM", .nototal = true, OPT),
	COL("shmem_pmd_mapped", COL_BYTES, false, false, "Shmem memory mapped by PMD (huge pages)",
	    .nototal = true, OPT),
	COL("file_pmd_mapped", COL_BYTES, false, false, "File memory mapped by PMD (huge pages)",
	    .nototal = true, OPT),
	COL("thp_eligible", COL_COUNT, false, false,
	    "1 if the mapping may be backed by transparent huge pages, else 0",
	    .nototal = true, OPT),
	COL("mm_owner", COL_ID, true, false, NULL),
	COL("rss_anon", COL_BYTES, false, false, "Resident anonymous memory, from the mm's counters",
	    .nototal = true, OPT),
	COL("rss_file", COL_BYTES, false, false, "Resident file memory, from the mm's counters",
	    .nototal = true, OPT),
	COL("rss_shmem", COL_BYTES, false, false, "Resident shmem memory, from the mm's counters",
	    .nototal = true, OPT),
	COL("vm_peak", COL_BYTES, false, false, "Peak virtual size", .nototal = true, OPT),
	COL("vm_hwm", COL_BYTES, false, false, "Peak resident set size (high water mark)",
	    .nototal = true, OPT),
	COL("vm_data", COL_BYTES, false, false, "Size of private non-stack writable mappings",
	    .nototal = true, OPT),
	COL("vm_stk", COL_BYTES, false, false, "Size of stack mappings", .nototal = true, OPT),
	COL("vm_exe", COL_BYTES, false, false, "Size of executable code mappings of the program",
	    .nototal = true, OPT),
	COL("vm_lib", COL_BYTES, false, false, "Size of executable mappings other than the program's",
	    .nototal = true, OPT),
	COL("vm_pte", COL_BYTES, false, false, "Memory of the process's page tables", OPT),
	COL("vm_swap", COL_BYTES, false, false, "Swapped out anonymous memory, from the mm's counter",
	    .nototal = true, OPT),
	COL("vm_pin", COL_BYTES, false, false, "Memory pinned in place", .nototal = true, OPT),
	COL("threads", COL_COUNT, false, false, "Threads", .nototal = true, OPT),
	COL("minflt", COL_COUNT, false, false,
	    "Minor page faults of the thread group, exited threads included",
	    .nototal = true, .counter = true, .prom = "minor_faults", OPT),
	COL("majflt", COL_COUNT, false, false,
	    "Major page faults (with I/O) of the thread group, exited threads included",
	    .nototal = true, .counter = true, .prom = "major_faults", OPT),
	COL("oom_score", COL_COUNT, false, false, "OOM killer badness score (0 to 2000)",
	    .nototal = true, OPT),
	COL("oom_score_adj", COL_COUNT, false, false, "OOM score adjustment (-1000 to 1000)",
	    .nototal = true, .is_signed = true, OPT),
	/* computed here, from the mm's counters as top(1) does */
	COL("res", COL_BYTES, false, false, "Resident memory as top's RES: rss_anon + rss_file + rss_shmem",
	    .nototal = true, .hide_na = true),
	COL("shr", COL_BYTES, false, false, "Resident shared memory as top's SHR: rss_file + rss_shmem",
	    .nototal = true, .hide_na = true),
	COL("mem", COL_RATIO, false, false, "RES as a share of MemTotal (top's %MEM)",
	    .percent = true, .header = "%MEM", .hide_na = true),
	COL("cgroup", COL_TEXT, true, false, NULL),
	COL("comm", COL_TEXT, true, false, NULL),
	COL("name", COL_TEXT, true, false, NULL),
};

/*
 * The columns @names (each from the pool; "+name": shown only with -w), in
 * this order, as a new array.
 */
static struct col *pick(const char *const *names, int n)
{
	struct col *cols = calloc(n, sizeof(*cols)), *c;
	unsigned int i;
	int k;

	if (!cols)
		die(EXIT_IO, "out of memory");
	for (k = 0; k < n; k++) {
		const char *name = names[k] + (names[k][0] == '+');

		for (i = 0; i < ARRAY_SIZE(pool) && strcmp(pool[i].name, name); i++)
			;
		if (i == ARRAY_SIZE(pool))
			die(EXIT_IO, "internal error: no column %s", name);
		c = &cols[k];
		*c = pool[i];
		c->wide = names[k][0] == '+';
	}
	return cols;
}

/* The process table, in the order of the module's `processes`. */
static const char *const ps_names[] = {
	"pid", "+ppid", "user", "vss", "rss", "pss", "+pss_anon", "+pss_file", "+pss_shmem",
	"uss", "+shared", "+anon", "+anon_huge", "swap", "+swap_pss", "+locked",
	"+hugetlb_shared", "+hugetlb_private", "+private_clean", "+private_dirty",
	"+shared_clean", "+shared_dirty", "+pss_dirty", "+referenced", "+lazyfree", "+ksm",
	"+shmem_pmd_mapped", "+file_pmd_mapped", "+mm_owner", "+rss_anon", "+rss_file",
	"+rss_shmem", "+vm_peak", "+vm_hwm", "+vm_data", "+vm_stk", "+vm_exe", "+vm_lib",
	"+vm_pte", "+vm_swap", "+vm_pin", "+threads", "+minflt", "+majflt", "+oom_score",
	"+oom_score_adj", "+res", "+shr", "+mem", "+cgroup", "comm",
};

/* Where the ps view keeps what the filters and sums need, by name, once. */
static struct ps_cols {
	struct col *cols;
	int ncols, pid, user, mm_owner, cgroup, comm;
	int rss_anon, rss_file, rss_shmem, res, shr, mem;
} ps;

static void ps_cols_init(void)
{
	struct view v;

	if (ps.cols)
		return;
	ps.ncols = ARRAY_SIZE(ps_names);
	ps.cols = pick(ps_names, ps.ncols);
	v = (struct view){ .name = "process", .cols = ps.cols, .ncols = ps.ncols };
	ps.pid = view_need(&v, "pid");
	ps.user = view_need(&v, "user");
	ps.mm_owner = view_need(&v, "mm_owner");
	ps.cgroup = view_need(&v, "cgroup");
	ps.comm = view_need(&v, "comm");
	ps.rss_anon = view_need(&v, "rss_anon");
	ps.rss_file = view_need(&v, "rss_file");
	ps.rss_shmem = view_need(&v, "rss_shmem");
	ps.res = view_need(&v, "res");
	ps.shr = view_need(&v, "shr");
	ps.mem = view_need(&v, "mem");
}

/*
 * Number in @t[row][col] into @cell; "-" marks it unavailable, and so does
 * a column the file lacks (@col < 0). A signed column may hold "-1000".
 */
static void num_cell(const struct table *t, const char *file, int row, int col,
		     const struct col *c, struct cell *cell)
{
	const char *s;

	if (col < 0) {
		cell->na = true;
		return;
	}
	s = t->rows[row][col];
	if (c->is_signed && s[0] == '-' && isdigit((unsigned char)s[1])) {
		char *end;

		errno = 0;
		cell->num = strtoull(s + 1, &end, 10);
		if (errno || *end || cell->num > LLONG_MAX)
			die(EXIT_MALFORMED, "%s: line %d: '%s' in column %s is not a number",
			    file, row + 2, s, t->cols[col]);
		cell->neg = cell->num != 0;
		return;
	}
	cell->num = source_u64(t, file, row, col, &cell->na);
}

/* Column @name of @t, or -1 if the file lacks an optional column. */
static int file_col(const struct table *t, const char *file, const struct col *c)
{
	if (c->optional)
		return table_col(t, c->name);
	return source_col(t, file, c->name);
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

/* @a + @b (+ @c), unavailable if any of them is. */
static struct cell cell_sum(const struct cell *a, const struct cell *b, const struct cell *c)
{
	struct cell sum = { .num = a->num + b->num + (c ? c->num : 0),
			    .na = a->na || b->na || (c && c->na) };

	return sum;
}

/*
 * One ps row from line @r of `processes`; the user cell holds the uid.
 * RES and SHR as top(1) makes them from the mm's counters (status VmRSS is
 * their sum too); %MEM from @mem_total (0: not computed).
 */
static void fill_ps_row(const struct table *t, int r, const int *src_col, struct cell *row,
			long long mem_total)
{
	int c;

	for (c = 0; c < ps.ncols; c++) {
		if (ps.cols[c].kind == COL_TEXT && c != ps.user)
			row[c].text = src_col[c] < 0 ? NULL : t->rows[r][src_col[c]];
		else if (src_col[c] >= 0 || ps.cols[c].optional)
			num_cell(t, "processes", r, src_col[c], &ps.cols[c], &row[c]);
	}
	row[ps.res] = cell_sum(&row[ps.rss_anon], &row[ps.rss_file], &row[ps.rss_shmem]);
	row[ps.shr] = cell_sum(&row[ps.rss_file], &row[ps.rss_shmem], NULL);
	row[ps.mem].na = row[ps.res].na || mem_total <= 0;
	if (mem_total > 0)
		row[ps.mem].ratio = (double)row[ps.res].num / mem_total;
}

/*
 * The process table, filtered: rows of processes sharing another's mm
 * (CLONE_VM) are kept but add nothing to totals (see owns_mm).
 */
static struct view *load_ps(const struct source *src, const struct opts *o, bool with_mem)
{
	struct table *t = calloc(1, sizeof(*t));
	long long uid = o->user ? user_uid(o->user) : -1, mem_total = 0;
	struct view *v;
	int *src_col, r, c;

	ps_cols_init();
	src_col = calloc(ps.ncols, sizeof(int));
	if (!t || !src_col)
		die(EXIT_IO, "out of memory");
	v = view_new("process", ps.cols, ps.ncols);
	source_table(src, "processes", t);
	v->source = t;
	for (c = 0; c < ps.ncols; c++) {
		struct col uid_col = ps.cols[c];

		uid_col.name = "uid";
		src_col[c] = c == ps.res || c == ps.shr || c == ps.mem ? -1 :
			     file_col(t, "processes", c == ps.user ? &uid_col : &ps.cols[c]);
	}
	if (with_mem) {
		char *mi = source_read(src, "/meminfo");

		mem_total = kv_get(mi, "MemTotal") * 1024;
		free(mi);
		if (mem_total <= 0)
			die(EXIT_MALFORMED, "%s/meminfo: no MemTotal", src->proc);
	}
	if (o->pids)
		check_pids_found(o->pids, t, src_col[ps.pid]);
	for (r = 0; r < t->nrows; r++) {
		struct cell *row = view_add_row(v);

		fill_ps_row(t, r, src_col, row, mem_total);
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

/* The ps column @name (any case; "%mem" is mem, as in ps -o), or -1. */
static int ps_col_named(const char *name, size_t len)
{
	int c;

	if (len == 4 && !strncasecmp(name, "%mem", 4))
		name = "mem", len = 3;
	for (c = 0; c < ps.ncols; c++)
		if (strlen(ps.cols[c].name) == len && !strncasecmp(ps.cols[c].name, name, len))
			return c;
	return -1;
}

/*
 * The columns of ps -o @list, in its order, into @idx (ps.ncols long);
 * returns how many. Dies (usage) on a name that is not a column, a column
 * named twice, or an empty list.
 */
static int ps_columns(const char *list, int *idx)
{
	const char *p = list;
	int n = 0, c, i;

	ps_cols_init();
	while (*p) {
		size_t len = strcspn(p, ", ");

		if (len) {
			c = ps_col_named(p, len);
			if (c < 0)
				die(EXIT_USAGE, "-o %s: no column '%.*s' (memacct ps --help lists them)",
				    list, (int)len, p);
			for (i = 0; i < n; i++)
				if (idx[i] == c)
					die(EXIT_USAGE, "-o %s: column '%.*s' given twice", list,
					    (int)len, p);
			idx[n++] = c;
		}
		p += len + (p[len] != '\0');
	}
	if (!n)
		die(EXIT_USAGE, "-o '%s': no columns", list);
	return n;
}

void ps_check_columns(const struct opts *o)
{
	int *idx;

	ps_cols_init();
	idx = calloc(ps.ncols, sizeof(int));
	if (!idx)
		die(EXIT_IO, "out of memory");
	if (o->columns)
		ps_columns(o->columns, idx);
	free(idx);
}

/* The process table, with its TOTAL, sorted and cut to -n rows. */
static struct view *ps_sorted(const struct source *src, const struct opts *o, bool with_mem)
{
	struct view *v = load_ps(src, o, with_mem);

	view_sum(v, "comm", "TOTAL", false, owns_mm);
	sort_or_die(v, o->sort, "pss");
	view_truncate(v, o->top_n);
	return v;
}

/*
 * ps: every column but %MEM (it needs MemTotal: only with -o); with -o,
 * those columns in that order, all shown (Prometheus samples keep every
 * label, or rows would be told apart by nothing).
 */
int views_ps(const struct source *src, const struct opts *o, struct view **out)
{
	int *idx, n = 0, i, c;
	bool *wide, with_mem = false;
	struct view *v;

	ps_cols_init();
	idx = calloc(2 * ps.ncols, sizeof(int));
	wide = calloc(2 * ps.ncols, sizeof(bool));
	if (!idx || !wide)
		die(EXIT_IO, "out of memory");
	if (o->columns) {
		int nsel = ps_columns(o->columns, idx + ps.ncols);

		for (c = 0; o->format == FMT_PROMETHEUS && c < ps.ncols; c++) {
			for (i = 0; i < nsel && idx[ps.ncols + i] != c; i++)
				;
			if (ps.cols[c].label && i == nsel)
				idx[n++] = c;
		}
		for (i = 0; i < nsel; i++) {
			idx[n++] = idx[ps.ncols + i];
			with_mem |= idx[ps.ncols + i] == ps.mem;
		}
	} else {
		for (c = 0; c < ps.ncols; c++)
			if (c != ps.mem)
				wide[n] = ps.cols[c].wide, idx[n++] = c;
	}
	v = view_project(ps_sorted(src, o, with_mem), idx, wide, n);
	if (o->columns)	/* asked for: shown even when unavailable */
		for (i = 0; i < n; i++)
			((struct col *)v->cols)[i].hide_na = false;
	free(idx);
	free(wide);
	out[0] = v;
	return 1;
}

/* top's columns first, in top's order; the others with -w. */
static const char *const top_names[] = {
	"pid", "user", "vss", "res", "shr", "mem", "pss", "uss", "swap",
};

int views_top(const struct source *src, const struct opts *o, struct view **out)
{
	int idx[ARRAY_SIZE(ps_names)], n = 0, c;
	bool wide[ARRAY_SIZE(ps_names)] = { false };
	unsigned int i;
	struct view *v;

	ps_cols_init();
	for (i = 0; i < ARRAY_SIZE(top_names); i++)
		idx[n++] = ps_col_named(top_names[i], strlen(top_names[i]));
	for (c = 0; c < ps.ncols; c++) {
		for (i = 0; i < ARRAY_SIZE(top_names) && idx[i] != c; i++)
			;
		if (i == ARRAY_SIZE(top_names) && c != ps.comm)
			wide[n] = true, idx[n++] = c;
	}
	idx[n++] = ps.comm;
	v = view_project(ps_sorted(src, o, true), idx, wide, n);
	((struct col *)v->cols)[view_need(v, "vss")].header = "VIRT";
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
	struct view *p = load_ps(src, o, false), *g;
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

/*
 * The mappings of one process: pmap -X's columns in pmap -X's order
 * (Address Perm Offset Device Inode Size Rss Pss Pss_Dirty Referenced
 * Anonymous KSM LazyFree ShmemPmdMapped FilePmdMapped Shared_Hugetlb
 * Private_Hugetlb Swap SwapPss Locked THPeligible Mapping), then the rest
 * with -w. pmap -X leaves out what the kernel's smaps lacks (KSM before
 * 6.6, say): so does the table, for a column unavailable in every row.
 */
static const char *const vma_names[] = {
	"+pid", "start", "+end", "perms", "offset", "dev", "inode", "vss", "rss", "pss",
	"pss_dirty", "referenced", "anon", "ksm", "lazyfree", "shmem_pmd_mapped",
	"file_pmd_mapped", "hugetlb_shared", "hugetlb_private", "swap", "swap_pss", "locked",
	"thp_eligible", "+pss_anon", "+pss_file", "+pss_shmem", "+uss", "+shared",
	"+private_clean", "+private_dirty", "+shared_clean", "+shared_dirty", "+anon_huge",
	"name",
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

/* @col[c]: the file's column for view column c; -1 for the pid, -2 if absent. */
static void fill_vma_row(const struct table *t, int r, const struct view *v, const int *col,
			 struct cell *row, int pid)
{
	int c;

	for (c = 0; c < v->ncols; c++) {
		if (col[c] == -1)
			row[c].num = pid;
		else if (col[c] < 0)
			row[c].na = true;
		else if (v->cols[c].kind == COL_TEXT)
			row[c].text = t->rows[r][col[c]];
		else if (v->cols[c].kind == COL_ADDR)
			row[c].num = hex_field(t, r, col[c]);
		else
			num_cell(t, "vmas", r, col[c], &v->cols[c], &row[c]);
	}
}

int views_vmas(const struct source *src, const struct opts *o, struct view **out)
{
	static struct col *cols;
	int n = ARRAY_SIZE(vma_names), r, c, *col;
	struct table *t = calloc(1, sizeof(*t));
	struct view *v;

	if (!cols)
		cols = pick(vma_names, n);
	col = calloc(n, sizeof(int));
	if (!t || !col)
		die(EXIT_IO, "out of memory");
	v = view_new("vma", cols, n);
	source_vmas(src, o->pid, t);
	v->source = t;
	for (c = 0; c < n; c++) {
		col[c] = strcmp(cols[c].name, "pid") ? file_col(t, "vmas", &cols[c]) : -1;
		if (col[c] == -1 && strcmp(cols[c].name, "pid"))
			col[c] = -2;
	}
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
