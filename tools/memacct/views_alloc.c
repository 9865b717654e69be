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

/* The order-@o column of @t named prefix<o>. */
static int order_col(const struct table *t, const char *file, const char *prefix, int o)
{
	char name[32];

	snprintf(name, sizeof(name), "%s%d", prefix, o);
	return source_col(t, file, name);
}

/* Where the buddy file keeps its columns, looked up by name once. */
struct buddy_cols {
	int node, zone, type, free, capped, order[MAX_ORDERS];
};

static void buddy_cols(const struct table *t, int norders, struct buddy_cols *bc)
{
	int o;

	bc->node = source_col(t, "buddy", "node");
	bc->zone = source_col(t, "buddy", "zone");
	bc->type = source_col(t, "buddy", "type");
	bc->free = source_col(t, "buddy", "free_bytes");
	bc->capped = source_col(t, "buddy", "capped");
	for (o = 0; o < norders; o++)
		bc->order[o] = order_col(t, "buddy", "o", o);
}

/* Free blocks per order, one row per zone and migratetype (pagetypeinfo). */
static struct view *buddy_wide(const struct table *t, int norders)
{
	struct col *cols = new_cols(norders + 4);
	struct buddy_cols bc;
	struct view *v;
	char name[32];
	int o, r;
	bool capped = false;

	buddy_cols(t, norders, &bc);
	set_col(&cols[0], "node", COL_ID, true, false, NULL);
	set_col(&cols[1], "zone", COL_TEXT, true, false, NULL);
	set_col(&cols[2], "type", COL_TEXT, true, false, NULL);
	for (o = 0; o < norders; o++) {
		snprintf(name, sizeof(name), "o%d", o);
		set_col(&cols[3 + o], keep(name), COL_COUNT, false, false,
			"Free blocks of this order");
	}
	set_col(&cols[3 + norders], "free", COL_BYTES, false, false, "Free memory");
	v = view_new("buddy", cols, norders + 4);
	v->title = "Free blocks by order (buddyinfo, pagetypeinfo) and free memory";
	for (r = 0; r < t->nrows; r++) {
		struct cell *row = view_add_row(v);

		row[0].num = source_u64(t, "buddy", r, bc.node, NULL);
		row[1].text = t->rows[r][bc.zone];
		row[2].text = t->rows[r][bc.type];
		for (o = 0; o < norders; o++)
			row[3 + o].num = source_u64(t, "buddy", r, bc.order[o], NULL);
		row[3 + norders].num = source_u64(t, "buddy", r, bc.free, NULL);
		capped |= source_u64(t, "buddy", r, bc.capped, NULL) != 0;
	}
	if (capped)
		v->note = "some lists were longer than the module counts (1,000,000 blocks): their rows are lower bounds";
	return v;
}

/*
 * The same, one row per order: what a Prometheus label wants. The zones'
 * "total" rows are left out, so that sum() counts free memory once.
 */
static struct view *buddy_long(const struct table *t, int norders)
{
	static const struct col cols[] = {
		COL("node", COL_ID, true, false, NULL),
		COL("zone", COL_TEXT, true, false, NULL),
		COL("type", COL_TEXT, true, false, NULL),
		COL("order", COL_ID, true, false, NULL),
		COL("free_blocks", COL_COUNT, false, false, "Free blocks of this order"),
		COL("free", COL_BYTES, false, false, "Free memory in blocks of this order"),
	};
	struct view *v = view_new("buddy", cols, ARRAY_SIZE(cols));
	struct buddy_cols bc;
	int o, r;

	buddy_cols(t, norders, &bc);
	for (r = 0; r < t->nrows; r++) {
		if (!strcmp(t->rows[r][bc.type], "total"))
			continue;
		for (o = 0; o < norders; o++) {
			struct cell *row = view_add_row(v);

			row[0].num = source_u64(t, "buddy", r, bc.node, NULL);
			row[1].text = t->rows[r][bc.zone];
			row[2].text = t->rows[r][bc.type];
			row[3].num = o;
			row[4].num = source_u64(t, "buddy", r, bc.order[o], NULL);
			row[5].num = row[4].num * page_size() << o;
		}
	}
	return v;
}

static const char *const zone_sizes[] = { "managed", "present", "free", "min", "low", "high" };

/* A fragmentation index: N.NNN, or -1.000 where it is meaningless. */
static void index_cell(const struct table *t, int r, int c, struct cell *cell)
{
	char *end;

	cell->ratio = strtod(t->rows[r][c], &end);
	if (end == t->rows[r][c] || *end)
		die(EXIT_MALFORMED, "zones: line %d: '%s' in column %s is not a number",
		    r + 2, t->rows[r][c], t->cols[c]);
}

static struct view *zones_view(const struct table *t, int norders)
{
	int nsz = ARRAY_SIZE(zone_sizes), ncols = 2 + nsz + 2 * norders;
	struct col *cols = new_cols(ncols);
	int *col = calloc(ncols, sizeof(int));
	struct view *v;
	char name[32];
	int o, r, c;

	if (!col)
		die(EXIT_IO, "out of memory");
	set_col(&cols[0], "node", COL_ID, true, false, NULL);
	set_col(&cols[1], "zone", COL_TEXT, true, false, NULL);
	for (c = 0; c < nsz; c++)
		set_col(&cols[2 + c], zone_sizes[c], COL_BYTES, false, c == 1,
			"Zone size or watermark");
	for (o = 0; o < 2 * norders; o++) {
		int order = o % norders;
		bool shown = order == COSTLY_ORDER || order == THP_ORDER;

		snprintf(name, sizeof(name), "%s%d", o < norders ? "unusable_o" : "extfrag_o",
			 order);
		set_col(&cols[2 + nsz + o], keep(name), COL_RATIO, false, !shown,
			o < norders ? "Unusable free space index at this order" :
			"External fragmentation index at this order");
	}
	for (c = 0; c < ncols; c++)
		col[c] = source_col(t, "zones", cols[c].name);
	v = view_new("zone", cols, ncols);
	v->title = "Zones: sizes, watermarks, fragmentation (unusable and extfrag index per order)";
	for (r = 0; r < t->nrows; r++) {
		struct cell *row = view_add_row(v);

		row[0].num = source_u64(t, "zones", r, col[0], NULL);
		row[1].text = t->rows[r][col[1]];
		for (c = 0; c < nsz; c++)
			row[2 + c].num = source_u64(t, "zones", r, col[2 + c], NULL) * page_size();
		for (c = 2 + nsz; c < ncols; c++)
			index_cell(t, r, col[c], &row[c]);
	}
	free(col);
	return v;
}

/*
 * Fragmentation indexes one row per order (the Prometheus shape); an
 * extfrag index of -1 (meaningless) has no sample.
 */
static struct view *frag_long(const struct table *t, int norders)
{
	static const struct col cols[] = {
		COL("node", COL_ID, true, false, NULL),
		COL("zone", COL_TEXT, true, false, NULL),
		COL("order", COL_ID, true, false, NULL),
		COL("unusable", COL_RATIO, false, false, "Unusable free space index"),
		COL("extfrag", COL_RATIO, false, false, "External fragmentation index"),
	};
	struct view *v = view_new("zone_order", cols, ARRAY_SIZE(cols));
	int o, r, node = source_col(t, "zones", "node"), zone = source_col(t, "zones", "zone");

	for (r = 0; r < t->nrows; r++) {
		for (o = 0; o < norders; o++) {
			struct cell *row = view_add_row(v);

			row[0].num = source_u64(t, "zones", r, node, NULL);
			row[1].text = t->rows[r][zone];
			row[2].num = o;
			index_cell(t, r, order_col(t, "zones", "unusable_o", o), &row[3]);
			index_cell(t, r, order_col(t, "zones", "extfrag_o", o), &row[4]);
			row[4].na = row[4].ratio < 0;
		}
	}
	return v;
}

/* Zone sizes and watermarks without the per-order indexes. */
static struct view *zones_long(const struct table *t, int norders)
{
	struct view *v = zones_view(t, norders);

	v->ncols = 2 + ARRAY_SIZE(zone_sizes);
	return v;
}

int views_buddy(const struct source *src, const struct opts *o, struct view **out)
{
	static struct table buddy, zones;
	bool long_form = o->format == FMT_PROMETHEUS;
	int nb, nz;

	source_table(src, "buddy", &buddy);
	source_table(src, "zones", &zones);
	nb = count_orders(&buddy, "o");
	nz = count_orders(&zones, "unusable_o");
	if (!long_form) {
		out[0] = buddy_wide(&buddy, nb);
		out[1] = zones_view(&zones, nz);
		return 2;
	}
	out[0] = buddy_long(&buddy, nb);
	out[1] = zones_long(&zones, nz);
	out[2] = frag_long(&zones, nz);
	return 3;
}

static const struct col slab_cols[] = {
	COL("active_objs", COL_COUNT, false, false, "Objects in use"),
	COL("num_objs", COL_COUNT, false, false, "Objects allocated in slabs"),
	COL("use", COL_RATIO, false, false, "active_objs / num_objs", .percent = true),
	COL("objsize", COL_BYTES, false, false, "Object size", .prom = "object_size"),
	COL("objperslab", COL_COUNT, false, true, "Objects per slab"),
	COL("slab_size", COL_BYTES, false, true, "Bytes per slab"),
	COL("active_slabs", COL_COUNT, false, true, "Slabs in use"),
	COL("num_slabs", COL_COUNT, false, false, "Slabs"),
	COL("total_bytes", COL_BYTES, false, false, "Memory in the cache's slabs", .prom = "memory"),
	COL("active_bytes", COL_BYTES, false, true, "Memory of objects in use"),
	COL("waste_bytes", COL_BYTES, false, false, "Slab memory not usable for objects"),
	COL("reclaimable", COL_ID, true, true, "1 if SLAB_RECLAIM_ACCOUNT"),
	COL("name", COL_TEXT, true, false, NULL),
};

#define SLAB_NCOLS ARRAY_SIZE(slab_cols)

/* The source column of each view column (-1: computed), found by name. */
static void slab_source_cols(const struct table *t, int *col)
{
	unsigned int c;

	for (c = 0; c < SLAB_NCOLS; c++) {
		const char *name = slab_cols[c].name;

		if (!strcmp(name, "use"))
			col[c] = -1;
		else
			col[c] = source_col(t, "slab", strcmp(name, "slab_size") ? name :
					    "pagesperslab");
	}
}

static void slab_row(const struct table *t, int r, const int *col, struct cell *row)
{
	unsigned int c;
	int active = -1, num = -1;

	for (c = 0; c < SLAB_NCOLS; c++) {
		if (col[c] < 0)
			continue;
		if (slab_cols[c].kind == COL_TEXT)
			row[c].text = t->rows[r][col[c]];
		else
			row[c].num = source_u64(t, "slab", r, col[c], &row[c].na);
		if (!strcmp(slab_cols[c].name, "slab_size"))
			row[c].num *= page_size();
		else if (!strcmp(slab_cols[c].name, "active_objs"))
			active = c;
		else if (!strcmp(slab_cols[c].name, "num_objs"))
			num = c;
	}
	for (c = 0; c < SLAB_NCOLS; c++)
		if (col[c] < 0)	/* use */
			row[c].ratio = row[num].num ? (double)row[active].num / row[num].num : 0;
}

static bool is_total_row(const char *name)
{
	return !strncmp(name, "total", 5) && (!name[5] || name[5] == '_');
}

/*
 * The kernel's totals; in Prometheus as memacct_slab_kernel_*{name=
 * "reclaimable"|"unreclaimable"}, without their sum ("total").
 */
static void slab_total_row(struct view *tot, const struct table *t, int r, const int *col,
			   bool long_form)
{
	struct cell *row;
	int name = SLAB_NCOLS - 1;

	if (long_form && !strcmp(t->rows[r][col[name]], "total"))
		return;
	row = view_add_row(tot);
	slab_row(t, r, col, row);
	if (long_form)
		row[name].text += strlen("total_");
}

/* slabtop: caches by total_bytes (or -s), the kernel's totals after them. */
int views_slab(const struct source *src, const struct opts *o, struct view **out)
{
	static struct table t;
	struct view *v = view_new("slab", slab_cols, SLAB_NCOLS);
	struct view *tot = view_new("slab_total", slab_cols, SLAB_NCOLS);
	bool long_form = o->format == FMT_PROMETHEUS;
	int col[SLAB_NCOLS], r, name = SLAB_NCOLS - 1;

	source_table(src, "slab", &t);
	slab_source_cols(&t, col);
	for (r = 0; r < t.nrows; r++) {
		if (is_total_row(t.rows[r][col[name]]))
			slab_total_row(tot, &t, r, col, long_form);
		else
			slab_row(&t, r, col, view_add_row(v));
	}
	if (o->sort ? view_sort(v, o->sort) : view_sort(v, "total_bytes"))
		die(EXIT_USAGE, "-s %s: no such column in this view", o->sort);
	view_truncate(v, o->top_n);
	v->title = "Slab caches (slabinfo; large_kmalloc: kmalloc too large for any cache)";
	tot->title = "Slab totals (as /proc/meminfo's SUnreclaim, SReclaimable, Slab)";
	tot->prom = "slab_kernel";
	out[0] = v;
	out[1] = tot;
	return 2;
}

static const struct col summary_cols[] = {
	COL("item", COL_TEXT, true, false, NULL),
	COL("bytes", COL_BYTES, false, false, "Memory in this part of MemTotal"),
	COL("share", COL_RATIO, false, false, "Share of MemTotal", .percent = true),
	COL("source", COL_TEXT, false, false, NULL),
};

/* One line of the summary; @part: one of the parts that add up to MemTotal. */
struct summary_item {
	const char *item, *source, *help;
	long long bytes;
	bool part;
};

#define MAX_ITEMS 24

struct summary_ctx {
	struct summary_item it[MAX_ITEMS];
	int n;
	long long total, explained;
};

static void summary_add(struct summary_ctx *s, const char *item, long long bytes,
			const char *source, bool part)
{
	if (bytes < 0 && strcmp(item, "unexplained"))
		return;		/* not on this kernel: no row rather than a wrong one */
	if (s->n == MAX_ITEMS)
		die(EXIT_IO, "internal error: too many summary items");
	s->it[s->n++] = (struct summary_item){ item, source, source, bytes, part };
	if (part)
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
	*anon = ps[0]->total[view_need(ps[0], "pss_anon")].num;
	*file = ps[0]->total[view_need(ps[0], "pss_file")].num +
		ps[0]->total[view_need(ps[0], "pss_shmem")].num;
	*swap = ps[0]->total[view_need(ps[0], "swap")].num;
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
		if (strncmp(text, "unavailable", 11))
			table_free(&t);
		else
			free(text);
		return;
	}
	*recl = sum_col(&t, "slab", "total_bytes", source_col(&t, "slab", "name"), "total_reclaimable");
	*unrecl = sum_col(&t, "slab", "total_bytes", source_col(&t, "slab", "name"),
			  "total_unreclaimable");
	table_free(&t);
}

/* The hugetlb pool (free pages too: they are not in the buddy lists). */
static long long hugetlb_pool(const char *mi)
{
	long long all = meminfo(mi, "Hugetlb"), n = kv_get(mi, "HugePages_Total");

	if (all >= 0 || n < 0)
		return all;
	return n * meminfo(mi, "Hugepagesize");
}

/* The rows of the summary, in the order the table shows them. */
static void summary_items(const struct source *src, struct summary_ctx *s, const char *mi)
{
	static char procs_label[64], swap_label[64];
	long long anon, mapped, swap, recl, unrecl, free_bytes;
	const char *slab_from;
	struct table buddy;
	int nproc;

	process_sums(src, &anon, &mapped, &swap, &nproc);
	slab_sums(src, mi, &recl, &unrecl, &slab_from);
	source_table(src, "buddy", &buddy);
	free_bytes = sum_col(&buddy, "buddy", "free_bytes", source_col(&buddy, "buddy", "type"),
			     "total");
	table_free(&buddy);
	snprintf(procs_label, sizeof(procs_label), "memacct processes (%d, PSS)", nproc);
	snprintf(swap_label, sizeof(swap_label), "memacct processes (%d, swap)", nproc);

	summary_add(s, "mem_total", s->total, "meminfo MemTotal", false);
	summary_add(s, "mem_available", meminfo(mi, "MemAvailable"), "meminfo MemAvailable", false);
	summary_add(s, "process_anon", anon, procs_label, true);
	summary_add(s, "page_cache", meminfo(mi, "Cached") + meminfo(mi, "Buffers"),
		    "meminfo Cached + Buffers", true);
	summary_add(s, "page_cache_mapped", mapped, "part of page_cache: PSS of file and shmem pages", false);
	summary_add(s, "slab_reclaimable", recl, slab_from, true);
	summary_add(s, "slab_unreclaimable", unrecl, slab_from, true);
	summary_add(s, "kernel_stack", meminfo(mi, "KernelStack"), "meminfo KernelStack", true);
	summary_add(s, "page_tables", meminfo(mi, "PageTables"), "meminfo PageTables", true);
	summary_add(s, "percpu", meminfo(mi, "Percpu"), "meminfo Percpu", true);
	summary_add(s, "hugetlb", hugetlb_pool(mi), "meminfo Hugetlb (the whole pool)", true);
	summary_add(s, "free", free_bytes, "memacct buddy", true);
	summary_add(s, "unexplained", s->total - s->explained,
		    "MemTotal less the parts above (negative: counted twice): vmalloc, drivers, per-cpu page lists, reserved",
		    false);
	s->it[s->n - 1].part = true;
	summary_add(s, "swap_used", meminfo(mi, "SwapTotal") - meminfo(mi, "SwapFree"),
		    "meminfo SwapTotal - SwapFree", false);
	summary_add(s, "process_swap", swap, swap_label, false);
}

static void summary_row(struct view *v, const struct summary_ctx *s, const struct summary_item *it)
{
	struct cell *row = view_add_row(v);

	row[0].text = it->item;
	row[1].num = it->bytes < 0 ? -(unsigned long long)it->bytes : (unsigned long long)it->bytes;
	row[1].neg = it->bytes < 0;
	row[2].ratio = s->total ? (double)it->bytes / s->total : 0;
	row[3].text = it->source;
}

/*
 * Prometheus: memacct_memory_bytes{item} and memacct_memory_share_ratio
 * hold the parts of MemTotal only (their sum is MemTotal); the other lines
 * are metrics of their own, memacct_memory_<item>_bytes (mem_total as
 * memacct_memory_total_bytes).
 */
static int summary_prometheus(const struct summary_ctx *s, struct view **out)
{
	struct view *parts = view_new("memory", summary_cols, 3);
	struct col *cols = new_cols(s->n);
	struct view *other;
	struct cell *row;
	int i, n = 0;

	for (i = 0; i < s->n; i++)
		if (s->it[i].part)
			summary_row(parts, s, &s->it[i]);
		else
			set_col(&cols[n++], s->it[i].item, COL_BYTES, false, false, s->it[i].source);
	for (i = 0; i < n; i++)	/* memacct_memory_total_bytes, ..._available_bytes */
		if (!strncmp(cols[i].name, "mem_", 4))
			cols[i].prom = cols[i].name + 4;
	other = view_new("memory", cols, n);
	row = view_add_row(other);
	for (i = 0, n = 0; i < s->n; i++)
		if (!s->it[i].part)
			row[n++].num = s->it[i].bytes;
	out[0] = parts;
	out[1] = other;
	return 2;
}

/* "Where is my memory": MemTotal split into what memacct and meminfo know. */
int views_summary(const struct source *src, const struct opts *o, struct view **out)
{
	struct summary_ctx s = { .n = 0 };
	char *mi = source_read(src, "/meminfo");
	struct view *v;
	int i;

	s.total = meminfo(mi, "MemTotal");
	if (s.total <= 0)
		die(EXIT_MALFORMED, "%s/meminfo: no MemTotal", src->proc);
	summary_items(src, &s, mi);
	free(mi);
	if (o->format == FMT_PROMETHEUS)
		return summary_prometheus(&s, out);
	v = view_new("memory", summary_cols, ARRAY_SIZE(summary_cols));
	for (i = 0; i < s.n; i++)
		summary_row(v, &s, &s.it[i]);
	v->title = "Where the memory is (bytes and share of MemTotal)";
	out[0] = v;
	return 1;
}
