/* SPDX-License-Identifier: GPL-2.0 */
/* memacct compat: non-present page table entries (see ../compat.h). */
#ifndef MEMACCT_WRAPPER_SWAPENTRY_H
#define MEMACCT_WRAPPER_SWAPENTRY_H

#include <linux/version.h>
#include <linux/swap.h>
#include <linux/swapops.h>

/*
 * is_pfn_swap_entry() and pfn_swap_entry_to_page() came in 5.14. On 5.10
 * the non-swap entries smaps takes a page from are migration and
 * device-private entries, both a pfn in swp_offset() (its
 * migration_entry_to_page() and device_private_entry_to_page()).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 14, 0)
static inline bool is_pfn_swap_entry(swp_entry_t entry)
{
	return is_migration_entry(entry) || is_device_private_entry(entry);
}

static inline struct page *pfn_swap_entry_to_page(swp_entry_t entry)
{
	return pfn_to_page(swp_offset(entry));
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

#endif
