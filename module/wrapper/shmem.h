/* SPDX-License-Identifier: GPL-2.0 */
/* memacct compat: shmem mappings and their swapped pages (see ../compat.h). */
#ifndef MEMACCT_WRAPPER_SHMEM_H
#define MEMACCT_WRAPPER_SHMEM_H

#include <linux/version.h>
#include <linux/shmem_fs.h>
#include <linux/xarray.h>

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

#endif
