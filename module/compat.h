/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memacct: every difference between the supported kernels lives here, in
 * one small header per wrapped kernel API under wrapper/ (the model is
 * lttng-modules' include/wrapper/), each keyed on the kernel change that
 * caused it; nothing outside them tests LINUX_VERSION_CODE or a kernel
 * feature. The helpers reproduce, from exported and inline pieces only,
 * what fs/proc/task_mmu.c of each kernel does with helpers that are not
 * exported to modules (vm_normal_page, __pte_offset_map_lock,
 * __pmd_trans_huge_lock, ...).
 */
#ifndef MEMACCT_COMPAT_H
#define MEMACCT_COMPAT_H

#include "memacct.h"
#include "wrapper/orders.h"
#include "wrapper/folio.h"
#include "wrapper/highmem.h"
#include "wrapper/pgtable.h"
#include "wrapper/mapcount.h"
#include "wrapper/swapentry.h"
#include "wrapper/swapcount.h"
#include "wrapper/hugetlb.h"
#include "wrapper/shmem.h"
#include "wrapper/cred.h"
#include "wrapper/smaps.h"
#include "wrapper/slab.h"
#include "wrapper/preempt.h"
#include "wrapper/vmalock.h"

/* count_free() of mm/slub.c */
static inline unsigned long memacct_slab_free(struct list_head *entry)
{
	struct slab *slab = memacct_slab_of(entry);
	unsigned int objects = memacct_slab_objects(slab);
	unsigned int inuse = memacct_slab_inuse(slab);

	return objects > inuse ? objects - inuse : 0;
}

/*
 * Free objects on a SLUB node's partial slabs, as /proc/slabinfo counts
 * them (the scan limit is in wrapper/slab.h). The members are reached
 * through btf.c's accessors (the layouts come from the running kernel's
 * BTF); slab.c calls this only when they are known.
 */
static inline unsigned long memacct_partial_free(struct kmem_cache_node *n)
{
	struct list_head *head = memacct_kmem_cache_node_partial(n), *pos;
	spinlock_t *lock = memacct_kmem_cache_node_lock(n);
	unsigned long flags, nr, x = 0, scanned = 0;
	const unsigned long max_scan = MEMACCT_PARTIAL_MAX_SCAN;

	spin_lock_irqsave(lock, flags);
	nr = memacct_kmem_cache_node_nr_partial(n);
	if (nr <= max_scan) {
		list_for_each(pos, head)
			x += memacct_slab_free(pos);
	} else {
		list_for_each(pos, head) {
			x += memacct_slab_free(pos);
			if (++scanned == max_scan / 2)
				break;
		}
		list_for_each_prev(pos, head) {
			x += memacct_slab_free(pos);
			if (++scanned == max_scan)
				break;
		}
		x = mult_frac(x, nr, scanned);
		x = min_t(unsigned long, x, memacct_kmem_cache_node_total_objects(n));
	}
	spin_unlock_irqrestore(lock, flags);
	return x;
}

#endif /* MEMACCT_COMPAT_H */
