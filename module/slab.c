// SPDX-License-Identifier: GPL-2.0
/*
 * memacct: the slab caches (`slab`), computed by walking the kernel's list
 * of caches as /proc/slabinfo does (mm/slab_common.c slab_start/next/stop
 * and mm/slub.c get_slabinfo()), not by reading /proc/slabinfo.
 *
 * What this needs that modules do not get:
 *  - the list and its mutex, slab_caches and slab_mutex: data symbols,
 *    found by ksym.c;
 *  - the layouts of struct kmem_cache, struct slab and struct
 *    kmem_cache_node (mm/slab.h, mm/slub.c): taken from the running
 *    kernel's BTF at load by btf.c, whose accessors are the only way this
 *    file reaches their members.
 * Without either, `slab` holds one line saying why it is unavailable.
 *
 * Locking: slab_mutex is held from start() to stop() (one buffer of rows),
 * which keeps caches from being created or destroyed; each node's partial
 * list is counted under its list_lock with interrupts off, as slabinfo does.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include <linux/vmstat.h>
#include "memacct.h"

#include "compat.h"

/* mm/slub.c: the order and objects per slab packed in kmem_cache->oo */
#define OO_SHIFT 16
#define OO_MASK ((1U << OO_SHIFT) - 1)

struct slab_row {
	unsigned long active_objs;
	unsigned long num_objs;
	unsigned long num_slabs;
	unsigned int objsize;
	unsigned int objperslab;
	unsigned int pagesperslab;
	bool reclaimable;
	u64 bytes;		/* num_slabs' pages */
	u64 active_bytes;	/* active objects, at most bytes */
};

/*
 * The row kept for a re-show is known by its cache, not its position:
 * caches are created at the head of slab_caches and destroyed anywhere,
 * so positions shift between two reads.
 */
struct slab_iter {
	loff_t row_index;		/* position of the kept row */
	struct kmem_cache *row_cache;	/* its cache (compared, never dereferenced) */
	loff_t totals_pos;		/* position of the totals, once known */
	struct slab_row row;
	u64 bytes[2], active[2], waste[2];	/* [reclaimable] */
	unsigned long objs[2], num_objs[2], slabs[2];
};

#define TOTALS_TOKEN ((void *)2)

static bool slab_available(void)
{
	return memacct_ksym_slab_caches() && memacct_ksym_slab_mutex() &&
	       !memacct_slab_layout_error();
}

/*
 * get_slabinfo() of mm/slub.c. inc_slabs_node() raises nr_slabs before
 * total_objects (dec_slabs_node() lowers them in the same order): reading
 * total_objects first means a growing cache never shows more objects than
 * its slabs hold; a shrinking one can, for an instant, and is clamped.
 */
static void slab_row_of(struct kmem_cache *s, struct slab_row *row)
{
	unsigned int oo = memacct_kmem_cache_oo(s);
	unsigned long nr_free = 0;
	struct kmem_cache_node *n;
	int node;

	memset(row, 0, sizeof(*row));
	for_each_node(node) {
		n = memacct_kmem_cache_node(s, node);
		if (!n)
			continue;
		row->num_objs += memacct_kmem_cache_node_total_objects(n);
		smp_rmb();	/* total_objects before nr_slabs, see above */
		row->num_slabs += memacct_kmem_cache_node_nr_slabs(n);
		nr_free += memacct_partial_free(n);
	}
	row->active_objs = row->num_objs - min(nr_free, row->num_objs);
	row->objsize = memacct_kmem_cache_size(s);
	row->objperslab = oo & OO_MASK;
	row->pagesperslab = 1U << (oo >> OO_SHIFT);
	row->reclaimable = !!(memacct_kmem_cache_flags(s) & SLAB_RECLAIM_ACCOUNT);
	row->bytes = (u64)row->num_slabs * row->pagesperslab * PAGE_SIZE;
	row->active_bytes = min_t(u64, (u64)row->active_objs * row->objsize, row->bytes);
}

/* The list entry of @cache if it is still on @head, else NULL. */
static struct list_head *find_cache(struct list_head *head, struct kmem_cache *cache)
{
	struct list_head *pos;

	list_for_each(pos, head)
		if (memacct_kmem_cache_of(pos) == cache)
			return pos;
	return NULL;
}

/*
 * Where a read that stopped after the kept row resumes: that row again
 * (@pos is its position: it did not fit), or the cache after it, found by
 * identity; by position only if the cache was destroyed meanwhile.
 */
static void *slab_resume(struct slab_iter *it, loff_t pos)
{
	struct list_head *head = memacct_ksym_slab_caches();
	struct list_head *kept = NULL;

	if (it->row_cache && (pos == it->row_index || pos == it->row_index + 1))
		kept = find_cache(head, it->row_cache);
	if (!kept)
		return seq_list_start(head, pos - 1);
	if (pos == it->row_index)
		return kept;
	return kept->next == head ? NULL : kept->next;
}

static void *slab_start(struct seq_file *m, loff_t *pos)
{
	struct slab_iter *it = m->private;
	void *v;

	if (!slab_available())
		return *pos == 0 ? SEQ_START_TOKEN : NULL;
	mutex_lock(memacct_ksym_slab_mutex());
	if (*pos == 0) {
		memset(it, 0, sizeof(*it));
		it->row_index = -1;
		return SEQ_START_TOKEN;
	}
	if (it->totals_pos && *pos > it->totals_pos)
		return NULL;	/* after the totals: the end */
	v = slab_resume(it, *pos);
	if (!v && (*pos == it->totals_pos || *pos == it->row_index + 1)) {
		it->totals_pos = *pos;
		return TOTALS_TOKEN;
	}
	return v;
}

static void *slab_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct slab_iter *it = m->private;
	struct list_head *head = memacct_ksym_slab_caches();

	if (!slab_available() || v == TOTALS_TOKEN) {
		++*pos;
		return NULL;
	}
	if (v == SEQ_START_TOKEN) {
		++*pos;
		v = seq_list_start(head, 0);
	} else {
		v = seq_list_next(v, head, pos);
	}
	if (!v) {
		it->totals_pos = *pos;
		return TOTALS_TOKEN;
	}
	return v;
}

static void slab_stop(struct seq_file *m, void *v)
{
	if (slab_available())
		mutex_unlock(memacct_ksym_slab_mutex());
}

/* The columns after the name; @sizes holds objsize objperslab pagesperslab. */
static void show_row(struct seq_file *m, const char *sizes, const char *recl,
		     unsigned long active_objs, unsigned long num_objs,
		     unsigned long slabs, u64 bytes, u64 active, u64 waste)
{
	seq_put_decimal_ull(m, " ", active_objs);
	seq_put_decimal_ull(m, " ", num_objs);
	seq_puts(m, sizes);
	seq_put_decimal_ull(m, " ", slabs);
	seq_put_decimal_ull(m, " ", slabs);
	seq_put_decimal_ull(m, " ", bytes);
	seq_put_decimal_ull(m, " ", active);
	seq_put_decimal_ull(m, " ", waste);
	seq_printf(m, " %s\n", recl);
}

/*
 * The kernel counts as unreclaimable slab also the pages of kmalloc()
 * allocations too large for any kmalloc cache (served by the page
 * allocator); no cache holds them. They are shown as one row, the kernel's
 * counter less the caches' slabs, and are part of total_unreclaimable.
 */
static void show_totals(struct seq_file *m, const struct slab_iter *it)
{
	static const char *const names[] = { "total_unreclaimable", "total_reclaimable" };
	u64 kernel = (u64)global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B) << PAGE_SHIFT;
	u64 large = kernel > it->bytes[0] ? kernel - it->bytes[0] : 0;
	u64 bytes[2] = { it->bytes[0] + large, it->bytes[1] };
	u64 active[2] = { it->active[0] + large, it->active[1] };
	int r;

	seq_puts(m, "large_kmalloc");
	show_row(m, " - - -", "0", 0, 0, 0, large, large, 0);
	for (r = 0; r < 2; r++) {
		seq_puts(m, names[r]);
		show_row(m, " - - -", r ? "1" : "0", it->objs[r], it->num_objs[r],
			 it->slabs[r], bytes[r], active[r], it->waste[r]);
	}
	seq_puts(m, "total");
	show_row(m, " - - -", "-", it->objs[0] + it->objs[1],
		 it->num_objs[0] + it->num_objs[1], it->slabs[0] + it->slabs[1],
		 bytes[0] + bytes[1], active[0] + active[1],
		 it->waste[0] + it->waste[1]);
}

/* Adds a new row to the totals (a row shown again is not added twice). */
static void add_to_totals(struct slab_iter *it, const struct slab_row *row)
{
	int r = row->reclaimable;

	it->bytes[r] += row->bytes;
	it->active[r] += row->active_bytes;
	it->waste[r] += row->bytes - row->active_bytes;
	it->objs[r] += row->active_objs;
	it->num_objs[r] += row->num_objs;
	it->slabs[r] += row->num_slabs;
}

static int slab_show(struct seq_file *m, void *v)
{
	struct slab_iter *it = m->private;
	struct kmem_cache *s;
	struct slab_row *row = &it->row;
	const char *name;
	char sizes[48];

	if (v == SEQ_START_TOKEN) {
		if (memacct_slab_layout_error()) {
			seq_printf(m, "unavailable: %s\n", memacct_slab_layout_error());
			return 0;
		}
		if (!slab_available()) {
			seq_puts(m, "unavailable: slab_caches/slab_mutex not found in /proc/kallsyms\n");
			return 0;
		}
		seq_puts(m, "name active_objs num_objs objsize objperslab pagesperslab active_slabs num_slabs total_bytes active_bytes waste_bytes reclaimable\n");
		return 0;
	}
	if (v == TOTALS_TOKEN) {
		show_totals(m, it);
		return 0;
	}
	s = memacct_kmem_cache_of(v);
	if (it->row_index != m->index || it->row_cache != s) {	/* a new row */
		slab_row_of(s, row);
		it->row_index = m->index;
		it->row_cache = s;
		add_to_totals(it, row);
	}
	name = memacct_kmem_cache_name(s);
	memacct_seq_escape(m, name, strlen(name));
	snprintf(sizes, sizeof(sizes), " %u %u %u", row->objsize, row->objperslab,
		 row->pagesperslab);
	show_row(m, sizes, row->reclaimable ? "1" : "0", row->active_objs,
		 row->num_objs, row->num_slabs, row->bytes, row->active_bytes,
		 row->bytes - row->active_bytes);
	return 0;
}

static const struct seq_operations slab_sops = {
	.start = slab_start,
	.next = slab_next,
	.stop = slab_stop,
	.show = slab_show,
};

static int slab_open(struct inode *inode, struct file *file)
{
	int ret = memacct_open_root_only(inode, file);

	if (ret)
		return ret;
	return __seq_open_private(file, &slab_sops, sizeof(struct slab_iter)) ?
	       0 : -ENOMEM;
}

static const struct file_operations slab_fops = {
	.owner = THIS_MODULE,
	.open = slab_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release_private,
};

void memacct_slab_init(struct dentry *dir)
{
	debugfs_create_file("slab", 0400, dir, NULL, &slab_fops);
}
