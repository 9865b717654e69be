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
 * Reading a non-present page table entry: the softleaf conversion (in
 * 6.19; 7.2 and 7.3 here have it) replaced the swap-entry
 * helpers (is_swap_pte, pte_to_swp_entry, non_swap_entry,
 * is_pfn_swap_entry, pfn_swap_entry_to_page, is_swap_pmd,
 * pmd_to_swp_entry...) by the "softleaf" API of <linux/leafops.h>; a
 * softleaf_t is still a swp_entry_t. memacct_leaf_from_pte() is called on
 * entries that are neither none nor present. Told by a build-time probe
 * (probes.mk: <linux/leafops.h> compiles), not by __has_include(), which
 * sparse (make lint) does not understand.
 */
#ifdef MEMACCT_HAVE_LEAFOPS	/* probes.mk */
#include <linux/leafops.h>
#define MEMACCT_SOFTLEAF 1

static inline swp_entry_t memacct_leaf_from_pte(pte_t pte)
{
	return softleaf_from_pte(pte);
}

static inline bool memacct_leaf_is_swap(swp_entry_t entry)
{
	return softleaf_is_swap(entry);
}

/* migration, device-private/exclusive and hwpoison entries */
static inline bool memacct_leaf_has_pfn(swp_entry_t entry)
{
	return softleaf_has_pfn(entry);
}

static inline struct page *memacct_leaf_to_page(swp_entry_t entry)
{
	return softleaf_to_page(entry);
}

/*
 * The page behind a non-present huge PMD, as 7.x's smaps_pmd_entry():
 * any entry with a pfn (migration, device-private).
 */
static inline struct page *memacct_pmd_leaf_page(pmd_t pmd)
{
	const softleaf_t entry = softleaf_from_pmd(pmd);

	return softleaf_has_pfn(entry) ? softleaf_to_page(entry) : NULL;
}
#else
static inline swp_entry_t memacct_leaf_from_pte(pte_t pte)
{
	return pte_to_swp_entry(pte);
}

static inline bool memacct_leaf_is_swap(swp_entry_t entry)
{
	return !non_swap_entry(entry);
}

static inline bool memacct_leaf_has_pfn(swp_entry_t entry)
{
	return is_pfn_swap_entry(entry);
}

static inline struct page *memacct_leaf_to_page(swp_entry_t entry)
{
	return pfn_swap_entry_to_page(entry);
}

/* The page behind a PMD migration entry, as smaps_pmd_entry() up to 6.18. */
static inline struct page *memacct_pmd_leaf_page(pmd_t pmd)
{
	swp_entry_t entry;

	if (!is_swap_pmd(pmd))
		return NULL;
	entry = pmd_to_swp_entry(pmd);
	return is_migration_entry(entry) ? pfn_swap_entry_to_page(entry) : NULL;
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
#if defined(MEMACCT_SOFTLEAF)
#define MEMACCT_NONPRESENT_PRIVATE false
static inline bool memacct_pfn_entry_present(swp_entry_t entry)
{
	return softleaf_is_device_private(entry);
}
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
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
