/* SPDX-License-Identifier: GPL-2.0 */
/* memacct compat: page mapcounts as smaps reads them (see ../compat.h). */
#ifndef MEMACCT_WRAPPER_MAPCOUNT_H
#define MEMACCT_WRAPPER_MAPCOUNT_H

#include <linux/version.h>
#include <linux/mm.h>

/*
 * Mapcount of one page, as smaps reads it. 6.12 removed page_mapcount()
 * from smaps and uses folio_precise_page_mapcount() (fs/proc/internal.h,
 * inline, copied here); 6.1 uses page_mapcount(), whose compound part
 * __page_mapcount() is exported.
 */
#ifdef CONFIG_NO_PAGE_MAPCOUNT
/*
 * 6.15+ may be built without per-page mapcounts; smaps then splits a large
 * folio's PSS by its average mapcount, which is not reproduced here.
 * Every supported kernel (Debian's) has CONFIG_PAGE_MAPCOUNT=y.
 */
#error "memacct: kernels built with CONFIG_NO_PAGE_MAPCOUNT are not supported"
#endif

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

#endif
