/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memacct compat: which smaps fields the running kernel has, and the page
 * flags smaps_account() reads for them (see ../compat.h).
 */
#ifndef MEMACCT_WRAPPER_SMAPS_H
#define MEMACCT_WRAPPER_SMAPS_H

#include <linux/version.h>
#include <linux/mm.h>
#include <linux/page-flags.h>
#include <linux/page_idle.h>
#include "folio.h"

/*
 * Pss_Dirty came in 6.0 ("mm/smaps: add Pss_Dirty"); the KSM line in 6.6
 * ("proc/ksm: add ksm stats to /proc/pid/smaps"). Before them smaps has no
 * such figure and the column prints "-".
 */
#define MEMACCT_SMAPS_HAS_PSS_DIRTY \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 0, 0))
#define MEMACCT_SMAPS_HAS_KSM \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0))

/*
 * Whether smaps walks the page tables of a VM_PFNMAP VMA (whose only
 * pages are those COWed in a private writable PFN map): up to 6.1
 * walk_page_vma() tested it like walk_page_range() does
 * (walk_page_test(): skipped, only pte_hole() called); "mm/pagewalk:
 * don't trigger test_walk() in walk_page_vma()" (6.2) made smaps walk it
 * from the VMA's start. A change inside mm/pagewalk.c: keyed on the
 * version.
 */
#define MEMACCT_SMAPS_WALKS_PFNMAP \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0))

/*
 * The flags smaps_account() tests: 6.1 on the page (PageDirty,
 * PageReferenced, page_is_young, PageKsm: each reads the compound head,
 * i.e. the folio), 6.12 on the folio. Before folios (5.10) the "folio" is
 * the head page (folio.h).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 16, 0)
static inline bool memacct_folio_dirty(struct folio *folio)
{
	return PageDirty(&folio->page);
}

static inline bool memacct_folio_young(struct folio *folio)
{
	return page_is_young(&folio->page) || PageReferenced(&folio->page);
}

static inline bool memacct_folio_ksm(struct folio *folio)
{
	return PageKsm(&folio->page);
}
#else
static inline bool memacct_folio_dirty(struct folio *folio)
{
	return folio_test_dirty(folio);
}

/* page_is_young() || PageReferenced(), folio_test_young() || ..._referenced() */
static inline bool memacct_folio_young(struct folio *folio)
{
	return folio_test_young(folio) || folio_test_referenced(folio);
}

static inline bool memacct_folio_ksm(struct folio *folio)
{
	return folio_test_ksm(folio);
}
#endif

/* smaps_pmd_entry(): is_zone_device_page() on 6.1, folio_is_zone_device() on 6.12 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
static inline bool memacct_folio_zone_device(struct folio *folio)
{
	return is_zone_device_page(&folio->page);
}
#else
static inline bool memacct_folio_zone_device(struct folio *folio)
{
	return folio_is_zone_device(folio);
}
#endif

#endif
