/* SPDX-License-Identifier: GPL-2.0 */
/* memacct compat: temporary kernel mappings of a page (see ../compat.h). */
#ifndef MEMACCT_WRAPPER_HIGHMEM_H
#define MEMACCT_WRAPPER_HIGHMEM_H

#include <linux/version.h>
#include <linux/highmem.h>

/*
 * kmap_local_page() came in 5.11; 5.10's swp_swapcount() maps a swap
 * count continuation page with kmap_atomic(), used here the same way.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 11, 0)
static inline void *kmap_local_page(struct page *page)
{
	return kmap_atomic(page);
}

#define kunmap_local(addr)	kunmap_atomic(addr)
#endif

#endif
