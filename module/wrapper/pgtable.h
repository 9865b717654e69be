/* SPDX-License-Identifier: GPL-2.0 */
/* memacct compat: mapping and locking page tables, PMD-mapped pages (see ../compat.h). */
#ifndef MEMACCT_WRAPPER_PGTABLE_H
#define MEMACCT_WRAPPER_PGTABLE_H

#include <linux/version.h>
#include <linux/mm.h>
#include <linux/huge_mm.h>
#include <linux/pgtable.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include "swapentry.h"

/*
 * DAX's devmap PMDs: pmd_devmap() was removed (7.2 and 7.3 here lack it)
 * together with CONFIG_ARCH_HAS_PTE_DEVMAP; without that option the older
 * kernels' pmd_devmap() is a stub returning 0.
 */
#ifdef CONFIG_ARCH_HAS_PTE_DEVMAP
static inline bool memacct_pmd_devmap(pmd_t pmd)
{
	return pmd_devmap(pmd);
}
#else
static inline bool memacct_pmd_devmap(pmd_t pmd)
{
	return false;
}
#endif

/*
 * __cond_lock() went with sparse's lock context checking (7.x has clang's
 * context analysis instead); without it the condition is all there is.
 */
#ifdef __cond_lock
#define memacct_cond_lock(x, c) __cond_lock(x, c)
#else
#define memacct_cond_lock(x, c) (c)
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
	    memacct_pmd_devmap(pmdval) || pmd_bad(pmdval)) {
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
	    pmd_trans_huge(pmdval) || memacct_pmd_devmap(pmdval) || pmd_bad(pmdval))
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
	memacct_cond_lock(*(ptlp),						\
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
 * __pmd_trans_huge_lock() is not exported; rebuilt as each kernel has it.
 * memacct_pmd_huge_lock(mm, pmd, &ptl) is true with the PMD lock held when
 * the PMD maps a THP or holds a swap/migration entry. With the softleaf
 * API, pmd_is_huge() replaced is_swap_pmd() there: present and huge, or
 * neither none nor present.
 */
#if defined(MEMACCT_SOFTLEAF)
static inline bool memacct_pmd_is_huge(pmd_t pmd)
{
	return pmd_is_huge(pmd);
}
#else
static inline bool memacct_pmd_is_huge(pmd_t pmd)
{
	return is_swap_pmd(pmd) || pmd_trans_huge(pmd) || memacct_pmd_devmap(pmd);
}
#endif

static inline spinlock_t *__memacct_pmd_huge_lock(struct mm_struct *mm, pmd_t *pmd)
{
	spinlock_t *ptl = pmd_lock(mm, pmd);

	if (memacct_pmd_is_huge(*pmd)) {
		__release(ptl);	/* for sparse: see memacct_pmd_huge_lock() */
		return ptl;
	}
	spin_unlock(ptl);
	return NULL;
}

#define memacct_pmd_huge_lock(mm, pmd, ptlp)				\
	memacct_cond_lock(*(ptlp), (*(ptlp) = __memacct_pmd_huge_lock(mm, pmd)) != NULL)

/*
 * The huge zero page is never counted by smaps (6.1: FOLL_DUMP in
 * follow_trans_huge_pmd(); 6.12: vm_normal_page_pmd()). Its pfn lives in
 * huge_zero_pfn, which is not exported; it is the only PMD-mapped folio that
 * is neither anonymous nor in a page cache (a file THP is unmapped before it
 * leaves the page cache), which is how it is recognised here.
 */
static inline bool memacct_is_huge_zero(struct folio *folio)
{
	return !folio_test_anon(folio) && !memacct_folio_raw_mapping(folio);
}

static inline struct page *memacct_pmd_page(struct vm_area_struct *vma, pmd_t pmd)
{
	struct page *page;

	if (vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP))
		return NULL;
	if (memacct_pmd_devmap(pmd) || !pfn_valid(pmd_pfn(pmd)))
		return NULL;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0) && \
	LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	/*
	 * 6.1's follow_trans_huge_pmd(FOLL_DUMP) returns no page for a
	 * NUMA-hinting (protnone) PMD: smaps does not count it then. 5.10's
	 * skips one only for FOLL_NUMA, which smaps does not pass: counted.
	 */
	if (pmd_protnone(pmd))
		return NULL;
#endif
	page = pmd_page(pmd);
	if (memacct_is_huge_zero(page_folio(page)))
		return NULL;
	return page;
}

#endif
