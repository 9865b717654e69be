/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memacct: every difference between the supported kernels lives here,
 * keyed on the kernel change that caused it, not scattered through the code.
 *
 * Supported and tested: Debian's 6.1 and 6.12 kernels. The helpers below
 * reproduce, from exported and inline pieces only, what fs/proc/task_mmu.c
 * of each kernel does with helpers that are not exported to modules
 * (vm_normal_page, __pte_offset_map_lock, __pmd_trans_huge_lock, ...).
 */
#ifndef MEMACCT_COMPAT_H
#define MEMACCT_COMPAT_H

#include <linux/version.h>
#include <linux/mm.h>
#include <linux/huge_mm.h>
#include <linux/hugetlb.h>
#include <linux/shmem_fs.h>
#include <linux/swapops.h>
#include <linux/pgtable.h>
#include <linux/mmzone.h>
#include "memacct.h"

/*
 * Page orders: MAX_ORDER was exclusive up to 6.3, became inclusive in 6.4
 * and was renamed MAX_PAGE_ORDER with NR_PAGE_ORDERS in 6.8.
 */
#if defined(NR_PAGE_ORDERS)
#define MEMACCT_NR_ORDERS NR_PAGE_ORDERS
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define MEMACCT_NR_ORDERS (MAX_ORDER + 1)
#else
#define MEMACCT_NR_ORDERS MAX_ORDER
#endif

/*
 * Mapping a PTE table. Since 6.5 khugepaged may free a PTE table under
 * mmap_read_lock (retract_page_tables, RCU-deferred free), so
 * pte_offset_map() takes rcu_read_lock(), may fail, and the pmd must be
 * re-validated under the PTE lock. That is __pte_offset_map_lock() in
 * mm/pgtable-generic.c, not exported: rebuilt here from inline pieces.
 * Before 6.5 the mmap read lock alone keeps PTE tables in place and the
 * kernel's own inline pte_offset_map_lock() is what smaps uses.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
static inline pte_t *__memacct_pte_map_lock(struct mm_struct *mm, pmd_t *pmd,
					    unsigned long addr, spinlock_t **ptlp)
{
	unsigned long flags;
	spinlock_t *ptl;	/* the PTE table's lock */
	pmd_t pmdval;
	pte_t *pte;

again:
	rcu_read_lock();
	local_irq_save(flags);
	pmdval = pmdp_get_lockless(pmd);
	local_irq_restore(flags);
	if (pmd_none(pmdval) || !pmd_present(pmdval) || pmd_trans_huge(pmdval) ||
	    pmd_devmap(pmdval) || pmd_bad(pmdval)) {
		rcu_read_unlock();
		return NULL;
	}
	pte = pte_offset_kernel(&pmdval, addr);
	ptl = pte_lockptr(mm, &pmdval);
	spin_lock(ptl);
	if (likely(pmd_same(pmdval, pmdp_get_lockless(pmd)))) {
		*ptlp = ptl;
		/* for sparse: see memacct_pte_map_lock(), and unmap below */
		__release(ptl);
		__release(RCU);
		return pte;
	}
	spin_unlock(ptl);
	rcu_read_unlock();
	goto again;
}
#else
static inline pte_t *__memacct_pte_map_lock(struct mm_struct *mm, pmd_t *pmd,
					    unsigned long addr, spinlock_t **ptlp)
{
	pmd_t pmdval = READ_ONCE(*pmd);
	pte_t *pte;

	/* pmd_trans_unstable(), without clearing a bad pmd */
	barrier();
	if (pmd_none(pmdval) || !pmd_present(pmdval) ||
	    pmd_trans_huge(pmdval) || pmd_devmap(pmdval) || pmd_bad(pmdval))
		return NULL;
	pte = pte_offset_map_lock(mm, pmd, addr, ptlp);
	__release(*ptlp);	/* for sparse: see memacct_pte_map_lock() */
	return pte;
}
#endif

/*
 * True, with *ptep mapped and *ptlp held, when the PMD points to a PTE
 * table. Written for sparse's lock context checking, like spin_trylock():
 * the helper hides its acquisition, __cond_lock() states it.
 */
#define memacct_pte_map_lock(mm, pmd, addr, ptep, ptlp)		\
	__cond_lock(*(ptlp),						\
		    (*(ptep) = __memacct_pte_map_lock(mm, pmd, addr, ptlp)) != NULL)

/* pte_unmap() is rcu_read_unlock() since 6.5, a no-op (no HIGHPTE) before. */
static inline void memacct_pte_unmap_unlock(pte_t *pte, spinlock_t *ptl)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	__acquire(RCU);	/* for sparse: hidden by __memacct_pte_map_lock() */
#endif
	pte_unmap_unlock(pte, ptl);
}

/*
 * __pmd_trans_huge_lock() is not exported; same logic on both kernels.
 * memacct_pmd_huge_lock(mm, pmd, &ptl) is true with the PMD lock held when
 * the PMD maps a THP or holds a swap/migration entry.
 */
static inline spinlock_t *__memacct_pmd_huge_lock(struct mm_struct *mm, pmd_t *pmd)
{
	spinlock_t *ptl = pmd_lock(mm, pmd);

	if (is_swap_pmd(*pmd) || pmd_trans_huge(*pmd) || pmd_devmap(*pmd)) {
		__release(ptl);	/* for sparse: see memacct_pmd_huge_lock() */
		return ptl;
	}
	spin_unlock(ptl);
	return NULL;
}

#define memacct_pmd_huge_lock(mm, pmd, ptlp)				\
	__cond_lock(*(ptlp), (*(ptlp) = __memacct_pmd_huge_lock(mm, pmd)) != NULL)

/*
 * The huge zero page is never counted by smaps (6.1: FOLL_DUMP in
 * follow_trans_huge_pmd(); 6.12: vm_normal_page_pmd()). Its pfn lives in
 * huge_zero_pfn, which is not exported; it is the only PMD-mapped folio that
 * is neither anonymous nor in a page cache (a file THP is unmapped before it
 * leaves the page cache), which is how it is recognised here.
 */
static inline bool memacct_is_huge_zero(struct folio *folio)
{
	return !folio_test_anon(folio) && !READ_ONCE(folio->mapping);
}

static inline struct page *memacct_pmd_page(struct vm_area_struct *vma, pmd_t pmd)
{
	struct page *page;

	if (vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP))
		return NULL;
	if (pmd_devmap(pmd) || !pfn_valid(pmd_pfn(pmd)))
		return NULL;
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	/*
	 * 6.1's follow_trans_huge_pmd(FOLL_DUMP) returns no page for a
	 * NUMA-hinting (protnone) PMD: smaps does not count it then.
	 */
	if (pmd_protnone(pmd))
		return NULL;
#endif
	page = pmd_page(pmd);
	if (memacct_is_huge_zero(page_folio(page)))
		return NULL;
	return page;
}

/*
 * Mapcount of one page, as smaps reads it. 6.12 removed page_mapcount()
 * from smaps and uses folio_precise_page_mapcount() (fs/proc/internal.h,
 * inline, copied here); 6.1 uses page_mapcount(), whose compound part
 * __page_mapcount() is exported.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
static inline int memacct_page_mapcount(struct folio *folio, struct page *page)
{
	int mapcount = atomic_read(&page->_mapcount) + 1;

	if (page_mapcount_is_type(mapcount))
		mapcount = 0;
	if (folio_test_large(folio))
		mapcount += folio_entire_mapcount(folio);
	return mapcount;
}
#else
static inline int memacct_page_mapcount(struct folio *folio, struct page *page)
{
	return page_mapcount(page);
}
#endif

/*
 * Pages behind non-swap pfn entries (migration, hwpoison, device-private).
 * 6.12's smaps_pte_entry() treats only device-private entries as present;
 * every other one is "maybe shared, not sure how often": full PSS, no
 * mapcount read, counted as shared. 6.1's treats all but migration entries
 * as present (hwpoison pages get their mapcount read), and pages behind
 * migration entries as private ("treat as mapcount == 1").
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define MEMACCT_NONPRESENT_PRIVATE false
static inline bool memacct_pfn_entry_present(swp_entry_t entry)
{
	return is_device_private_entry(entry);
}
#else
#define MEMACCT_NONPRESENT_PRIVATE true
static inline bool memacct_pfn_entry_present(swp_entry_t entry)
{
	return !is_migration_entry(entry);
}
#endif

/* Shared vs private hugetlb page, as each kernel's smaps_hugetlb_range. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
static inline bool memacct_hugetlb_shared(struct folio *folio, bool present)
{
	return !present || folio_likely_mapped_shared(folio);
}

static inline pte_t memacct_huge_ptep_get(struct mm_struct *mm,
					  unsigned long addr, pte_t *ptep)
{
	return huge_ptep_get(mm, addr, ptep);
}
#else
static inline bool memacct_hugetlb_shared(struct folio *folio, bool present)
{
	return page_mapcount(&folio->page) >= 2;
}

static inline pte_t memacct_huge_ptep_get(struct mm_struct *mm,
					  unsigned long addr, pte_t *ptep)
{
	return huge_ptep_get(ptep);
}
#endif

/* shmem_mapping() is exported since 6.4; before, shmem_aops is. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
static inline bool memacct_shmem_mapping(struct address_space *mapping)
{
	return shmem_mapping(mapping);
}
#else
static inline bool memacct_shmem_mapping(struct address_space *mapping)
{
	return mapping && mapping->a_ops == &shmem_aops;
}
#endif

/* Swapped shmem entries can be large folios since 6.10. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
static inline unsigned long memacct_xas_nr_pages(struct xa_state *xas)
{
	return 1UL << xas_get_order(xas);
}
#else
static inline unsigned long memacct_xas_nr_pages(struct xa_state *xas)
{
	return 1;
}
#endif

/*
 * Free objects on a SLUB node's partial slabs, as /proc/slabinfo counts
 * them: 6.1 counts every partial slab (count_partial(n, count_free)); 6.12
 * scans at most 10000 and extrapolates (count_partial_free_approx()).
 * The members are reached through btf.c's accessors (the layouts come
 * from the running kernel's BTF); slab.c calls this only when they are
 * known.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define MEMACCT_PARTIAL_MAX_SCAN 10000UL	/* MAX_PARTIAL_TO_SCAN */
#else
#define MEMACCT_PARTIAL_MAX_SCAN ULONG_MAX
#endif

/* count_free() of mm/slub.c */
static inline unsigned long memacct_slab_free(struct list_head *entry)
{
	struct slab *slab = memacct_slab_of(entry);
	unsigned int objects = memacct_slab_objects(slab);
	unsigned int inuse = memacct_slab_inuse(slab);

	return objects > inuse ? objects - inuse : 0;
}

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
