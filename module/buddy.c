// SPDX-License-Identifier: GPL-2.0
/*
 * memacct: the buddy allocator's free areas (`buddy`) and per-zone figures
 * (`zones`), computed from NODE_DATA(nid)->node_zones[]->free_area[].
 *
 * Locking: counting the blocks of one migratetype walks a free list, which
 * needs zone->lock with interrupts off. The lock is taken for one list
 * (one order of one migratetype) at a time and at most BUDDY_LIST_CAP
 * entries are counted under it, the cap mm/vmstat.c puts on
 * /proc/pagetypeinfo for the same reason (commit 93b3a674: hard lockups
 * from walking long free lists); between lists it is dropped and the CPU
 * may be given up. The longest time interrupts were off is kept in
 * `stats` (max_irqs_off_ns). The counts of different lists are therefore not one
 * atomic snapshot on a busy system, and a list longer than the cap is
 * reported as the cap with `capped` 1 in its row. The `total` rows read free_area[].nr_free, as
 * /proc/buddyinfo does, without the lock.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/vmstat.h>
#include <linux/ktime.h>
#include "memacct.h"
#include "compat.h"

#define BUDDY_LIST_CAP 100000UL

/* migratetype_names[] of mm/page_alloc.c (not exported), same order. */
static const char *const mt_names[] = {
	"Unmovable",
	"Movable",
	"Reclaimable",
	"HighAtomic",
#ifdef CONFIG_CMA
	"CMA",
#endif
#ifdef CONFIG_MEMORY_ISOLATION
	"Isolate",
#endif
};

static_assert(ARRAY_SIZE(mt_names) == MIGRATE_TYPES);

/* The populated zone after @zone on node @nid (from the first: NULL), or NULL. */
static struct zone *next_populated_zone(int nid, struct zone *zone)
{
	struct zone *zones = NODE_DATA(nid)->node_zones;

	for (zone = zone ? zone + 1 : zones; zone < zones + MAX_NR_ZONES; zone++)
		if (populated_zone(zone))
			return zone;
	return NULL;
}

static void show_order_header(struct seq_file *m, const char *prefix)
{
	int order;

	for (order = 0; order < MEMACCT_NR_ORDERS; order++)
		seq_printf(m, " %s%d", prefix, order);
}

/* Free blocks on one list, counted under zone->lock up to the cap. */
static unsigned long count_free_list(struct zone *zone, int order, int mt,
				     bool *capped)
{
	unsigned long count = 0, flags;
	struct list_head *pos;
	u64 t0 = ktime_get_ns();

	spin_lock_irqsave(&zone->lock, flags);
	list_for_each(pos, &zone->free_area[order].free_list[mt]) {
		if (++count >= BUDDY_LIST_CAP) {
			*capped = true;
			break;
		}
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	memacct_note_irqoff(ktime_get_ns() - t0);
	cond_resched();
	return count;
}

static void show_counts(struct seq_file *m, int nid, struct zone *zone,
			const char *type, const unsigned long *counts, bool capped)
{
	unsigned long pages = 0;
	int order;

	seq_printf(m, "%d %s %s", nid, zone->name, type);
	for (order = 0; order < MEMACCT_NR_ORDERS; order++) {
		seq_put_decimal_ull(m, " ", counts[order]);
		pages += counts[order] << order;
	}
	seq_put_decimal_ull(m, " ", (u64)pages << PAGE_SHIFT);
	seq_printf(m, " %d\n", capped);
}

static unsigned long racy_nr_free(struct zone *zone, int order)
{
	/* changes under zone->lock; read without it, as buddyinfo does */
	return data_race(READ_ONCE(zone->free_area[order].nr_free));
}

static void show_zone_buddy(struct seq_file *m, int nid, struct zone *zone)
{
	unsigned long counts[MEMACCT_NR_ORDERS];
	bool capped;
	int mt, order;

	for (mt = 0; mt < MIGRATE_TYPES; mt++) {
		capped = false;
		for (order = 0; order < MEMACCT_NR_ORDERS; order++)
			counts[order] = count_free_list(zone, order, mt, &capped);
		show_counts(m, nid, zone, mt_names[mt], counts, capped);
	}
	for (order = 0; order < MEMACCT_NR_ORDERS; order++)
		counts[order] = racy_nr_free(zone, order);
	show_counts(m, nid, zone, "total", counts, false);
}

static int buddy_show(struct seq_file *m, void *v)
{
	struct zone *zone;
	int nid;

	seq_puts(m, "node zone type");
	show_order_header(m, "o");
	seq_puts(m, " free_bytes capped\n");
	for_each_online_node(nid)
		for (zone = next_populated_zone(nid, NULL); zone;
		     zone = next_populated_zone(nid, zone))
			show_zone_buddy(m, nid, zone);
	return 0;
}

/* struct contig_page_info and fill_contig_page_info() of mm/vmstat.c */
struct contig_info {
	unsigned long free_pages;
	unsigned long free_blocks_total;
	unsigned long free_blocks_suitable;
};

static void fill_contig_info(const unsigned long *nr_free, unsigned int suitable,
			     struct contig_info *info)
{
	unsigned int order;

	memset(info, 0, sizeof(*info));
	for (order = 0; order < MEMACCT_NR_ORDERS; order++) {
		info->free_blocks_total += nr_free[order];
		info->free_pages += nr_free[order] << order;
		if (order >= suitable)
			info->free_blocks_suitable += nr_free[order] << (order - suitable);
	}
}

/* unusable_free_index() of mm/vmstat.c, in thousandths */
static int unusable_index(unsigned int order, const struct contig_info *info)
{
	if (!info->free_pages)
		return 1000;
	return div_u64((info->free_pages - (info->free_blocks_suitable << order)) *
		       1000ULL, info->free_pages);
}

/* __fragmentation_index() of mm/vmstat.c, in thousandths */
static int fragmentation_index(unsigned int order, const struct contig_info *info)
{
	unsigned long requested = 1UL << order;

	if (!info->free_blocks_total)
		return 0;
	if (info->free_blocks_suitable)
		return -1000;
	return 1000 - div_u64(1000 + div_u64(info->free_pages * 1000ULL, requested),
			      info->free_blocks_total);
}

static void show_zone_figures(struct seq_file *m, int nid, struct zone *zone)
{
	unsigned long nr_free[MEMACCT_NR_ORDERS];
	struct contig_info info;
	unsigned int order;
	int index;

	seq_printf(m, "%d %s", nid, zone->name);
	seq_put_decimal_ull(m, " ", zone_managed_pages(zone));
	seq_put_decimal_ull(m, " ", READ_ONCE(zone->present_pages));
	seq_put_decimal_ull(m, " ", zone_page_state(zone, NR_FREE_PAGES));
	seq_put_decimal_ull(m, " ", min_wmark_pages(zone));
	seq_put_decimal_ull(m, " ", low_wmark_pages(zone));
	seq_put_decimal_ull(m, " ", high_wmark_pages(zone));
	/* one reading of nr_free serves every order, as one buddyinfo line */
	for (order = 0; order < MEMACCT_NR_ORDERS; order++)
		nr_free[order] = racy_nr_free(zone, order);
	for (order = 0; order < MEMACCT_NR_ORDERS; order++) {
		fill_contig_info(nr_free, order, &info);
		index = unusable_index(order, &info);
		seq_printf(m, " %d.%03d", index / 1000, index % 1000);
	}
	for (order = 0; order < MEMACCT_NR_ORDERS; order++) {
		fill_contig_info(nr_free, order, &info);
		index = fragmentation_index(order, &info);
		seq_printf(m, " %d.%03d", index / 1000, abs(index % 1000));
	}
	seq_putc(m, '\n');
}

static int zones_show(struct seq_file *m, void *v)
{
	struct zone *zone;
	int nid;

	seq_puts(m, "node zone managed present free min low high");
	show_order_header(m, "unusable_o");
	show_order_header(m, "extfrag_o");
	seq_putc(m, '\n');
	for_each_online_node(nid)
		for (zone = next_populated_zone(nid, NULL); zone;
		     zone = next_populated_zone(nid, zone))
			show_zone_figures(m, nid, zone);
	return 0;
}

/*
 * The seq_file buffer for `buddy` (and `zones`, whose fewer rows are at
 * most twice as long): one row of at most BUDDY_ROW_MAX bytes per
 * migratetype and one total, for each populated zone. Sized to what is
 * printed rather than to every zone there could be: a buffer above 8 KiB
 * is an order-2+ page allocation, which on kernels without high-order
 * per-CPU lists (before 5.13) comes off the very free lists being counted.
 */
#define BUDDY_ROW_MAX	(24 + MEMACCT_NR_ORDERS * 9 + 20)

static size_t table_size_hint(void)
{
	struct zone *zone;
	size_t zones = 0;
	int nid;

	for_each_online_node(nid)
		for (zone = next_populated_zone(nid, NULL); zone;
		     zone = next_populated_zone(nid, zone))
			zones++;
	return 64 + zones * (MIGRATE_TYPES + 1) * BUDDY_ROW_MAX;
}

static int buddy_open(struct inode *inode, struct file *file)
{
	int ret = memacct_open_root_only(inode, file);

	return ret ? ret : single_open_size(file, buddy_show, NULL, table_size_hint());
}

static int zones_open(struct inode *inode, struct file *file)
{
	int ret = memacct_open_root_only(inode, file);

	return ret ? ret : single_open_size(file, zones_show, NULL, table_size_hint());
}

static const struct file_operations buddy_fops = {
	.owner = THIS_MODULE,
	.open = buddy_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static const struct file_operations zones_fops = {
	.owner = THIS_MODULE,
	.open = zones_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

void memacct_buddy_init(struct dentry *dir)
{
	debugfs_create_file("buddy", 0400, dir, NULL, &buddy_fops);
	debugfs_create_file("zones", 0400, dir, NULL, &zones_fops);
}
