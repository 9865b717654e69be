/* SPDX-License-Identifier: GPL-2.0 */
/* memacct compat: shmem mappings and their swapped pages (see ../compat.h). */
#ifndef MEMACCT_WRAPPER_SHMEM_H
#define MEMACCT_WRAPPER_SHMEM_H

#include <linux/version.h>
#include <linux/shmem_fs.h>
#include <linux/xarray.h>

/*
 * shmem_mapping() is exported since 6.4; before, on 6.1, shmem_aops is.
 * On 5.10 neither is (shmem_aops is static, shmem_mapping() not exported):
 * there memacct_shmem_init() learns &shmem_aops at load from the one
 * place it is reachable, the mapping of a shmem file: every shmem inode
 * gets it (shmem_get_inode()), and the exported shmem_file_setup() makes
 * one (released at once). The test is then 5.10's shmem_mapping() itself.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
static inline bool memacct_shmem_mapping(struct address_space *mapping)
{
	return shmem_mapping(mapping);
}

static inline int memacct_shmem_init(void)
{
	return 0;
}
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(5, 11, 0)
static inline bool memacct_shmem_mapping(struct address_space *mapping)
{
	return mapping && mapping->a_ops == &shmem_aops;
}

static inline int memacct_shmem_init(void)
{
	return 0;
}
#else
#define MEMACCT_SHMEM_AOPS_LEARNED 1
extern const struct address_space_operations *memacct_shmem_aops;

static inline bool memacct_shmem_mapping(struct address_space *mapping)
{
	return mapping && memacct_shmem_aops && mapping->a_ops == memacct_shmem_aops;
}

int memacct_shmem_init(void);
#endif

/*
 * The file offsets smaps_pte_hole() searches for swapped shmem behind a
 * range [addr, end) with no page table. 5.10 passes the addresses
 * themselves to shmem_partial_swap_usage(), so it finds none unless the
 * file reaches those offsets; 5.16 fixed it ("mm/smaps: fix shmem pte hole swap
 * calculation") to the range's offsets in the file. Mirrored: this is
 * what the kernel's Swap: shows for a private writable shmem mapping.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 16, 0)
static inline pgoff_t memacct_smaps_hole_index(struct vm_area_struct *vma,
					       unsigned long addr)
{
	return linear_page_index(vma, addr);
}
#else
static inline pgoff_t memacct_smaps_hole_index(struct vm_area_struct *vma,
					       unsigned long addr)
{
	return addr;
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
