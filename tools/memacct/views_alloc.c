// SPDX-License-Identifier: GPL-2.0
/*
 * memacct reader: allocator views (buddy, zones, slab) and the summary
 * that puts processes, allocators and /proc/meminfo side by side.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "reader.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ORDERS 16
/* Orders shown without -w: PAGE_ALLOC_COSTLY_ORDER and a PMD (THP). */
#define COSTLY_ORDER 3
#define THP_ORDER 9

static unsigned long long page_size(void)
{
	return (unsigned long long)sysconf(_SC_PAGESIZE);
}

/* Orders in a header: columns prefix0, prefix1, ... */
static int count_orders(const struct table *t, const char *prefix)
{
	char name[32];
	int n = 0;

	do
		snprintf(name, sizeof(name), "%s%d", prefix, n);
	while (table_col(t, name) >= 0 && ++n < MAX_ORDERS);
	if (!n)
		die(EXIT_MALFORMED, "no %s0 column", prefix);
	return n;
}

static struct col *new_cols(int n)
{
	struct col *cols = calloc(n, sizeof(*cols));

	if (!cols)
		die(EXIT_IO, "out of memory");
	return cols;
}

static void set_col(struct col *c, const char *name, enum col_kind kind, bool label,
		    bool wide, const char *help)
{
	c->name = name;
	c->kind = kind;
	c->label = label;
	c->wide = wide;
	c->help = help;
}

/* Free memory per order, one row per zone and migratetype (pagetypeinfo). */
static struct view *buddy_wide(const struct table *t, int norders)
{
	struct col *cols = new_cols(norders + 4);
	struct view *v;
	char name[32];
	int o, r, cap = source_col(t, "buddy", "capped");
	int free_col = source_col(t, "buddy", "free_bytes");
	bool capped = false;

	set_col(&cols[0], "node", COL_ID, true, false, NULL);
	set_col(&cols[1], "zone", COL_TEXT, true, false, NULL);
	set_col(&cols[2], "type", COL_TEXT, true, false, NULL);
	for (o = 0; o < norders; o++) {
		snprintf(name, sizeof(name), "o%d", o);
		set_col(&cols[3 + o], keep(name), COL_BYTES, false, false,
			"Free memory in blocks of this order");
	}
	set_col(&cols[3 + norders], "free", COL_BYTES, false, false, "Free memory");
	v = view_new("buddy", cols, norders + 4);
	v->title = "Free memory by block order (buddyinfo, pagetypeinfo)";
	for (r = 0; r < t->nrows; r++) {
		struct cell *row = view_add_row(v);

		row[0].num = source_u64(t, "buddy", r, 0, NULL);
		row[1].text = t->rows[r][1];
		row[2].text = t->rows[r][2];
		for (o = 0; o < norders; o++)
			row[3 + o].num = source_u64(t, "buddy", r, 3 + o, NULL) * page_size() << o;
		row[3 + norders].num = source_u64(t, "buddy", r, free_col, NULL);
		capped |= source_u64(t, "buddy", r, cap, NULL) != 0;
	}
	if (capped)
		v->note = "some lists were longer than the module counts (1,000,000 blocks): their rows are lower bounds";
	return v;
}

/* The same, one row per order: what a Prometheus label wants. */
static struct view *buddy_long(const struct table *t, int norders)
{
	static const struct col cols[] = {
		{ "node", COL_ID, true, false, NULL },
		{ "zone", COL_TEXT, true, false, NULL },
		{ "type", COL_TEXT, true, false, NULL },
		{ "order", COL_ID, true, false, NULL },
		{ "free_blocks", COL_COUNT, false, false, "Free blocks of this order" },
		{ "free", COL_BYTES, false, false, "Free memory in blocks of this order" },
	};
	struct view *v = view_new("buddy", cols, ARRAY_SIZE(cols));
	int o, r;

	for (r = 0; r < t->nrows; r++) {
		for (o = 0; o < norders; o++) {
			struct cell *row = view_add_row(v);

			row[0].num = source_u64(t, "buddy", r, 0, NULL);
			row[1].text = t->rows[r][1];
			row[2].text = t->rows[r][2];
			row[3].num = o;
			row[4].num = source_u64(t, "buddy", r, 3 + o, NULL);
			row[5].num = row[4].num * page_size() << o;
		}
	}
	return v;
}

static const char *const zone_sizes[] = { "managed", "present", "free", "min", "low", "high" };

static struct view *zones_view(const struct table *t, int norders, bool long_form)
{
	int nsz = ARRAY_SIZE(zone_sizes), ncols = 2 + nsz + (long_form ? 0 : 2 * norders);
	struct col *cols = new_cols(ncols);
	struct view *v;
	char name[32];
	int o, r, c;

	set_col(&cols[0], "node", COL_ID, true, false, NULL);
	set_col(&cols[1], "zone", COL_TEXT, true, false, NULL);
	for (c = 0; c < nsz; c++)
		set_col(&cols[2 + c], zone_sizes[c], COL_BYTES, false, c == 1,
			"Zone size or watermark");
	for (o = 0; !long_form && o < 2 * norders; o++) {
		int order = o % norders;
		bool shown = order == COSTLY_ORDER || order == THP_ORDER;

		snprintf(name, sizeof(name), "%s%d", o < norders ? "unusable_o" : "extfrag_o",
			 order);
		set_col(&cols[2 + nsz + o], keep(name), COL_RATIO, false, !shown,
			o < norders ? "Unusable free space index at this order" :
			"External fragmentation index at this order");
	}
	v = view_new("zone", cols, ncols);
	v->title = "Zones: sizes, watermarks, fragmentation (unusable and extfrag index per order)";
	for (r = 0; r < t->nrows; r++) {
		struct cell *row = view_add_row(v);

		row[0].num = source_u64(t, "zones", r, 0, NULL);
		row[1].text = t->rows[r][1];
		for (c = 0; c < nsz; c++)
			row[2 + c].num = source_u64(t, "zones", r, source_col(t, "zones", zone_sizes[c]),
					     NULL) * page_size();
		for (o = 0; !long_form && o < 2 * norders; o++)
			row[2 + nsz + o].text = t->rows[r][source_col(t, "zones", cols[2 + nsz + o].name)];
	}
	return v;
}

/* Fragmentation indexes one row per order (the Prometheus shape). */
static struct view *frag_long(const struct table *t, int norders)
{
	static const struct col cols[] = {
		{ "node", COL_ID, true, false, NULL },
		{ "zone", COL_TEXT, true, false, NULL },
		{ "order", COL_ID, true, false, NULL },
		{ "unusable_index", COL_RATIO, false, false, "Unusable free space index" },
		{ "extfrag_index", COL_RATIO, false, false, "External fragmentation index" },
	};
	struct view *v = view_new("zone_order", cols, ARRAY_SIZE(cols));
	char name[32];
	int o, r;

	for (r = 0; r < t->nrows; r++) {
		for (o = 0; o < norders; o++) {
			struct cell *row = view_add_row(v);

			row[0].num = source_u64(t, "zones", r, 0, NULL);
			row[1].text = t->rows[r][1];
			row[2].num = o;
			snprintf(name, sizeof(name), "unusable_o%d", o);
			row[3].text = t->rows[r][source_col(t, "zones", name)];
			snprintf(name, sizeof(name), "extfrag_o%d", o);
			row[4].text = t->rows[r][source_col(t, "zones", name)];
		}
	}
	return v;
}

int views_buddy(const struct source *src, const struct opts *o, struct view **out)
{
	static struct table buddy, zones;
	bool long_form = o->format == FMT_PROMETHEUS;
	int nb, nz;

	source_table(src, "buddy", &buddy);
	source_table(src, "zones", &zones);
	if (source_col(&buddy, "buddy", "node") != 0 || source_col(&buddy, "buddy", "type") != 2 ||
	    source_col(&buddy, "buddy", "o0") != 3 || source_col(&zones, "zones", "node") != 0)
		die(EXIT_MALFORMED, "buddy/zones: columns not in the documented order");
	nb = count_orders(&buddy, "o");
	nz = count_orders(&zones, "unusable_o");
	out[0] = long_form ? buddy_long(&buddy, nb) : buddy_wide(&buddy, nb);
	out[1] = zones_view(&zones, nz, long_form);
	if (!long_form)
		return 2;
	out[2] = frag_long(&zones, nz);
	return 3;
}

static const struct col slab_cols[] = {
	{ "active_objs", COL_COUNT, false, false, "Objects in use" },
	{ "num_objs", COL_COUNT, false, false, "Objects allocated in slabs" },
	{ "use", COL_RATIO, false, false, "active_objs / num_objs" },
	{ "objsize", COL_BYTES, false, false, "Object size" },
	{ "objperslab", COL_COUNT, false, true, "Objects per slab" },
	{ "pagesperslab", COL_COUNT, false, true, "Pages per slab" },
	{ "active_slabs", COL_COUNT, false, true, "Slabs in use" },
	{ "num_slabs", COL_COUNT, false, false, "Slabs" },
	{ "total_bytes", COL_BYTES, false, false, "Memory in the cache's slabs" },
	{ "active_bytes", COL_BYTES, false, true, "Memory of objects in use" },
	{ "waste_bytes", COL_BYTES, false, false, "Slab memory not usable for objects" },
	{ "reclaimable", COL_COUNT, false, true, "1 if SLAB_RECLAIM_ACCOUNT" },
	{ "name", COL_TEXT, true, false, NULL },
};

#define SLAB_NCOLS ARRAY_SIZE(slab_cols)

static void slab_row(const struct table *t, int r, const int *col, struct cell *row)
{
	char use[16];
	unsigned int c;

	for (c = 0; c < SLAB_NCOLS; c++) {
		if (c == 2)
			continue;
		if (slab_cols[c].kind == COL_TEXT)
			row[c].text = t->rows[r][col[c]];
		else
			row[c].num = source_u64(t, "slab", r, col[c], &row[c].na);
	}
	snprintf(use, sizeof(use), "%.2f", row[1].num ? (double)row[0].num / row[1].num : 0.0);
	row[2].text = keep(use);
}

static bool is_total_row(const char *name)
{
	return !strncmp(name, "total", 5) && (!name[5] || name[5] == '_');
}

/* slabtop: caches by total_bytes (or -s), the kernel's totals after them. */
int views_slab(const struct source *src, const struct opts *o, struct view **out)
{
	static struct table t;
	struct view *v = view_new("slab", slab_cols, SLAB_NCOLS);
	struct view *tot = view_new("slab_total", slab_cols, SLAB_NCOLS);
	int col[SLAB_NCOLS], r;
	unsigned int c;

	source_table(src, "slab", &t);
	for (c = 0; c < SLAB_NCOLS; c++)
		col[c] = c == 2 ? 0 : source_col(&t, "slab", slab_cols[c].name);
	for (r = 0; r < t.nrows; r++) {
		bool total = is_total_row(t.rows[r][col[SLAB_NCOLS - 1]]);

		slab_row(&t, r, col, view_add_row(total ? tot : v));
	}
	if (o->sort ? view_sort(v, o->sort) : view_sort(v, "total_bytes"))
		die(EXIT_USAGE, "-s %s: no such column in this view", o->sort);
	view_truncate(v, o->top_n);
	v->title = "Slab caches (slabinfo; large_kmalloc: kmalloc too large for any cache)";
	tot->title = "Slab totals (as /proc/meminfo's SUnreclaim, SReclaimable, Slab)";
	out[0] = v;
	out[1] = tot;
	return 2;
}

static const struct col summary_cols[] = {
	{ "item", COL_TEXT, true, false, NULL },
	{ "bytes", COL_BYTES, false, false, "Memory in this item" },
	{ "percent", COL_RATIO, false, false, "Share of MemTotal" },
	{ "source", COL_TEXT, false, false, NULL },
};

struct summary_ctx {
	struct view *v;
	unsigned long long total;
	unsigned long long explained;
};

static void summary_item(struct summary_ctx *s, const char *item, long long bytes,
			 const char *source, bool adds_up)
{
	struct cell *row;
	char pct[16];

	if (bytes < 0)
		return;		/* not on this kernel: no row rather than a wrong one */
	row = view_add_row(s->v);
	row[0].text = item;
	row[1].num = bytes;
	snprintf(pct, sizeof(pct), "%.1f", s->total ? 100.0 * bytes / s->total : 0.0);
	row[2].text = keep(pct);
	row[3].text = source;
	if (adds_up)
		s->explained += bytes;
}

static long long meminfo(const char *text, const char *key)
{
	long long kb = kv_get(text, key);

	return kb < 0 ? -1 : kb * 1024;
}

/* Sums of column @name over rows of @t whose column @key_col is @key. */
static long long sum_col(const struct table *t, const char *file, const char *name,
			 int key_col, const char *key)
{
	long long sum = 0;
	int r, c = source_col(t, file, name);

	for (r = 0; r < t->nrows; r++)
		if (key_col < 0 || !strcmp(t->rows[r][key_col], key))
			sum += source_u64(t, file, r, c, NULL);
	return sum;
}

/* Process totals, each mm once (rows sharing another's mm are skipped). */
static void process_sums(const struct source *src, long long *anon, long long *file,
			 long long *swap, int *nproc)
{
	static const struct opts all = { .top_n = -1 };
	struct view *ps[1];

	views_ps(src, &all, ps);
	*anon = ps[0]->total[view_col(ps[0], "pss_anon")].num;
	*file = ps[0]->total[view_col(ps[0], "pss_file")].num +
		ps[0]->total[view_col(ps[0], "pss_shmem")].num;
	*swap = ps[0]->total[view_col(ps[0], "swap")].num;
	*nproc = ps[0]->nrows;
	view_free(ps[0]);
}

static void slab_sums(const struct source *src, const char *mi, long long *recl,
		      long long *unrecl, const char **from)
{
	char *text = source_read(src, "slab");
	struct table t;
	char err[128];

	*from = "memacct slab";
	if (!strncmp(text, "unavailable", 11) || table_parse(&t, text, err, sizeof(err))) {
		*recl = meminfo(mi, "SReclaimable");
		*unrecl = meminfo(mi, "SUnreclaim");
		*from = "meminfo (memacct slab unavailable)";
		free(text);
		return;
	}
	*recl = sum_col(&t, "slab", "total_bytes", source_col(&t, "slab", "name"), "total_reclaimable");
	*unrecl = sum_col(&t, "slab", "total_bytes", source_col(&t, "slab", "name"),
			  "total_unreclaimable");
	table_free(&t);
}

/* "Where is my memory": MemTotal split into what memacct and meminfo know. */
int views_summary(const struct source *src, const struct opts *o, struct view **out)
{
	struct summary_ctx s = { .v = view_new("memory", summary_cols, ARRAY_SIZE(summary_cols)) };
	long long anon, mapped, swap, recl, unrecl, free_bytes, cached;
	const char *slab_from;
	char *mi = source_read(src, "/meminfo");
	struct table buddy;
	int nproc;
	static char procs_label[64];

	(void)o;
	s.total = meminfo(mi, "MemTotal");
	if ((long long)s.total <= 0)
		die(EXIT_MALFORMED, "%s/meminfo: no MemTotal", src->proc);
	process_sums(src, &anon, &mapped, &swap, &nproc);
	slab_sums(src, mi, &recl, &unrecl, &slab_from);
	source_table(src, "buddy", &buddy);
	free_bytes = sum_col(&buddy, "buddy", "free_bytes", source_col(&buddy, "buddy", "type"),
			     "total");
	table_free(&buddy);
	cached = meminfo(mi, "Cached") + meminfo(mi, "Buffers");
	snprintf(procs_label, sizeof(procs_label), "memacct processes (%d, PSS)", nproc);

	summary_item(&s, "mem_total", s.total, "meminfo MemTotal", false);
	summary_item(&s, "process_anon", anon, procs_label, true);
	summary_item(&s, "page_cache", cached, "meminfo Cached + Buffers", true);
	summary_item(&s, "page_cache_mapped", mapped, "part of page_cache: PSS of file and shmem pages", false);
	summary_item(&s, "slab_reclaimable", recl, slab_from, true);
	summary_item(&s, "slab_unreclaimable", unrecl, slab_from, true);
	summary_item(&s, "kernel_stack", meminfo(mi, "KernelStack"), "meminfo KernelStack", true);
	summary_item(&s, "page_tables", meminfo(mi, "PageTables"), "meminfo PageTables", true);
	summary_item(&s, "percpu", meminfo(mi, "Percpu"), "meminfo Percpu", true);
	summary_item(&s, "free", free_bytes, "memacct buddy", true);
	summary_item(&s, "unexplained", s.explained > s.total ? 0 : s.total - s.explained,
		     "MemTotal less the rows above: vmalloc, drivers, per-cpu page lists, reserved", false);
	summary_item(&s, "swap_used", meminfo(mi, "SwapTotal") - meminfo(mi, "SwapFree"),
		     "meminfo SwapTotal - SwapFree", false);
	summary_item(&s, "process_swap", swap, procs_label, false);
	free(mi);
	s.v->title = "Where the memory is (bytes and share of MemTotal)";
	out[0] = s.v;
	return 1;
}
