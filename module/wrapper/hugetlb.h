/* SPDX-License-Identifier: GPL-2.0 */
/* memacct compat: hugetlb entries (see ../compat.h). */
#ifndef MEMACCT_WRAPPER_HUGETLB_H
#define MEMACCT_WRAPPER_HUGETLB_H

#include <linux/version.h>
#include <linux/mm.h>
#include <linux/hugetlb.h>

/*
 * Shared vs private hugetlb page, as each kernel's smaps_hugetlb_range.
 * 6.15 replaced folio_likely_mapped_shared() by folio_maybe_mapped_shared().
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0)
static inline bool memacct_hugetlb_shared(struct folio *folio, bool present)
{
	return !present || folio_maybe_mapped_shared(folio);
}
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
static inline bool memacct_hugetlb_shared(struct folio *folio, bool present)
{
	return !present || folio_likely_mapped_shared(folio);
}
#else
static inline bool memacct_hugetlb_shared(struct folio *folio, bool present)
{
	return page_mapcount(&folio->page) >= 2;
}
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
static inline pte_t memacct_huge_ptep_get(struct mm_struct *mm,
					  unsigned long addr, pte_t *ptep)
{
	return huge_ptep_get(mm, addr, ptep);
}
#else
static inline pte_t memacct_huge_ptep_get(struct mm_struct *mm,
					  unsigned long addr, pte_t *ptep)
{
	return huge_ptep_get(ptep);
}
#endif

#endif
