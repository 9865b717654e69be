/* SPDX-License-Identifier: GPL-2.0 */
/* memacct compat: how many references a swap slot has (see ../compat.h). */
#ifndef MEMACCT_WRAPPER_SWAPCOUNT_H
#define MEMACCT_WRAPPER_SWAPCOUNT_H

#include <linux/mm.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/highmem.h>
#include <linux/vmalloc.h>
#include <linux/spinlock.h>
#include <linux/minmax.h>
#include "memacct.h"
#include "highmem.h"

/*
 * swp_swapcount() of mm/swapfile.c (not exported) of each kernel, on the
 * swap_info table found by ksym.c. Returns -1 when the count cannot be
 * read. Called under the PTE lock of an entry referencing the slot: the
 * swap device cannot go away, as swapoff must take that lock to remove the
 * entry before it frees its maps.
 *
 * Up to 6.x the counts are the bytes of si->swap_map, with continuation
 * pages past SWAP_MAP_MAX (COUNT_CONTINUED). 7.x replaced swap_map by the
 * swap table: each cluster (struct swap_cluster_info, now internal to
 * mm/swap.h) points to a table of one atomic_long_t per slot whose top
 * bits hold the count, and to an extend_table for counts past
 * SWP_TB_COUNT_MAX. Those layouts come from the running kernel's BTF
 * (btf.c: swap_cluster_info's lock, table and extend_table, and the
 * cluster size as the length of struct swap_table's entries[]); the
 * encoding of a table entry is mm/swap_table.h's, copied below.
 */
#ifdef COUNT_CONTINUED

#define MEMACCT_SWAP_TABLE false

#ifdef CONFIG_THP_SWAP
#define MEMACCT_SWAPFILE_CLUSTER HPAGE_PMD_NR
#else
#define MEMACCT_SWAPFILE_CLUSTER 256
#endif

static inline int memacct_swap_count(swp_entry_t entry)
{
	struct swap_info_struct **table = memacct_ksym_swap_info();
	unsigned long offset = swp_offset(entry);
	struct swap_cluster_info *ci = NULL;
	struct swap_info_struct *si;
	unsigned char *map;
	struct page *page;
	int count, tmp, n;

	if (!table || swp_type(entry) >= MAX_SWAPFILES)
		return -1;
	si = READ_ONCE(table[swp_type(entry)]);
	if (!si || !(READ_ONCE(si->flags) & SWP_USED) || offset >= si->max)
		return -1;
	if (si->cluster_info) {
		ci = si->cluster_info + offset / MEMACCT_SWAPFILE_CLUSTER;
		spin_lock(&ci->lock);
	} else {
		spin_lock(&si->lock);
	}
	count = si->swap_map[offset] & ~SWAP_HAS_CACHE;
	if (count & COUNT_CONTINUED) {
		count &= ~COUNT_CONTINUED;
		n = SWAP_MAP_MAX + 1;
		page = vmalloc_to_page(si->swap_map + offset);
		offset &= ~PAGE_MASK;
		do {
			page = list_next_entry(page, lru);
			map = kmap_local_page(page);
			tmp = map[offset];
			kunmap_local(map);
			count += (tmp & ~COUNT_CONTINUED) * n;
			n *= SWAP_CONT_MAX + 1;
		} while (tmp & COUNT_CONTINUED);
	}
	if (ci)
		spin_unlock(&ci->lock);
	else
		spin_unlock(&si->lock);
	return count;
}

#else /* the swap table */

#define MEMACCT_SWAP_TABLE true

/* mm/swap.h */
#if defined(MAX_POSSIBLE_PHYSMEM_BITS)
#define MEMACCT_SWAP_CACHE_PFN_BITS (MAX_POSSIBLE_PHYSMEM_BITS - PAGE_SHIFT)
#elif defined(MAX_PHYSMEM_BITS)
#define MEMACCT_SWAP_CACHE_PFN_BITS (MAX_PHYSMEM_BITS - PAGE_SHIFT)
#else
#define MEMACCT_SWAP_CACHE_PFN_BITS (BITS_PER_LONG - PAGE_SHIFT)
#endif
#define MEMACCT_SWAP_CACHE_PFN_MARK_BITS 2
#define MEMACCT_SWAP_COUNT_MIN_BITS 2
#define MEMACCT_SWAP_TABLE_HAS_ZEROFLAG					\
	((BITS_PER_LONG - MEMACCT_SWAP_CACHE_PFN_MARK_BITS -		\
	  MEMACCT_SWAP_CACHE_PFN_BITS) > MEMACCT_SWAP_COUNT_MIN_BITS)

/* mm/swap_table.h */
#define MEMACCT_SWP_TB_PFN_BITS						\
	(MEMACCT_SWAP_CACHE_PFN_BITS + MEMACCT_SWAP_CACHE_PFN_MARK_BITS)
#define MEMACCT_SWP_TB_PFN_MARK 0b10UL
#define MEMACCT_SWP_TB_PFN_MARK_MASK (BIT(MEMACCT_SWAP_CACHE_PFN_MARK_BITS) - 1)
#define MEMACCT_SWP_TB_FLAGS_BITS min(5, BITS_PER_LONG - MEMACCT_SWP_TB_PFN_BITS)
#define MEMACCT_SWP_TB_COUNT_BITS					\
	(MEMACCT_SWP_TB_FLAGS_BITS - MEMACCT_SWAP_TABLE_HAS_ZEROFLAG)
#define MEMACCT_SWP_TB_COUNT_MASK (~((~0UL) >> MEMACCT_SWP_TB_COUNT_BITS))
#define MEMACCT_SWP_TB_COUNT_SHIFT (BITS_PER_LONG - MEMACCT_SWP_TB_COUNT_BITS)
#define MEMACCT_SWP_TB_COUNT_MAX ((1 << MEMACCT_SWP_TB_COUNT_BITS) - 1)

/* swp_tb_get_count(): the count of a free, swapped-out or cached slot */
static inline int memacct_swp_tb_get_count(unsigned long swp_tb)
{
	bool countable = !swp_tb || xa_is_value((void *)swp_tb) ||
		(swp_tb & MEMACCT_SWP_TB_PFN_MARK_MASK) == MEMACCT_SWP_TB_PFN_MARK;

	if (!countable)
		return -EINVAL;
	return (swp_tb & MEMACCT_SWP_TB_COUNT_MASK) >> MEMACCT_SWP_TB_COUNT_SHIFT;
}

static inline int memacct_swap_count(swp_entry_t entry)
{
	struct swap_info_struct **table = memacct_ksym_swap_info();
	unsigned long offset = swp_offset(entry);
	struct swap_cluster_info *ci;
	struct swap_info_struct *si;
	unsigned int slot, *extend;
	atomic_long_t *tb;
	spinlock_t *lock;	/* the cluster's */
	int count = -1;

	if (!table || swp_type(entry) >= MAX_SWAPFILES || memacct_swap_layout_error())
		return -1;
	si = READ_ONCE(table[swp_type(entry)]);
	if (!si || !(READ_ONCE(si->flags) & SWP_USED) || offset >= si->max)
		return -1;
	ci = memacct_swap_cluster(si->cluster_info, offset, &slot);
	if (!ci)
		return -1;
	lock = memacct_swap_cluster_lock(ci);
	spin_lock(lock);
	tb = memacct_swap_cluster_table(ci);
	if (tb) {
		count = memacct_swp_tb_get_count(atomic_long_read(&tb[slot]));
		if (count == MEMACCT_SWP_TB_COUNT_MAX) {
			extend = memacct_swap_cluster_extend_table(ci);
			count = extend ? (int)extend[slot] : -1;
		} else if (count < 0) {
			count = 0;	/* as swp_swapcount(): a slot not counted */
		}
	}
	spin_unlock(lock);
	return count;
}

#endif

#endif
