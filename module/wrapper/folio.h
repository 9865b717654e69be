/* SPDX-License-Identifier: GPL-2.0 */
/* memacct compat: folios (see ../compat.h). */
#ifndef MEMACCT_WRAPPER_FOLIO_H
#define MEMACCT_WRAPPER_FOLIO_H

#include <linux/version.h>
#include <linux/mm.h>
#include <linux/page_ref.h>
#include <linux/page-flags.h>

/*
 * struct folio came in 5.16. Before it (5.10), smaps works on the struct
 * page of the PTE and the flags it tests (PageAnon, PageSwapBacked) and
 * page_count() all read the compound head: a "folio" here is that head
 * page, wrapped so that the type stays distinct from a page, with the few
 * folio helpers the walk uses written on top of struct page as 5.16
 * defines them (folio_test_large() is folio_test_head()).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 16, 0)
struct folio {
	struct page page;	/* the head page */
};

static inline struct folio *page_folio(struct page *page)
{
	return (struct folio *)compound_head(page);
}

static inline bool folio_test_anon(struct folio *folio)
{
	return PageAnon(&folio->page);
}

static inline bool folio_test_swapbacked(struct folio *folio)
{
	return PageSwapBacked(&folio->page);
}

static inline bool folio_test_large(struct folio *folio)
{
	return PageHead(&folio->page);
}

static inline int folio_ref_count(struct folio *folio)
{
	return page_ref_count(&folio->page);
}

/* folio->mapping as stored (anon and movable bits included) */
static inline void *memacct_folio_raw_mapping(struct folio *folio)
{
	return READ_ONCE(folio->page.mapping);
}
#else
static inline void *memacct_folio_raw_mapping(struct folio *folio)
{
	return READ_ONCE(folio->mapping);
}
#endif

#endif
