/* SPDX-License-Identifier: GPL-2.0 */
/* memacct compat: the type of a slab, partial-list counting (see ../compat.h). */
#ifndef MEMACCT_WRAPPER_SLAB_H
#define MEMACCT_WRAPPER_SLAB_H

#include <linux/version.h>

/*
 * The BTF name of the structure a SLUB slab is: struct slab since 5.17;
 * before (5.10), the slab's struct page, with the same members slab_list,
 * inuse and objects (in its anonymous unions).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 17, 0)
#define MEMACCT_SLAB_STRUCT "slab"
#else
#define MEMACCT_SLAB_STRUCT "page"
#endif

/*
 * /proc/slabinfo's free objects on a node's partial slabs: 6.1 counts
 * every partial slab (count_partial(n, count_free)); since 6.10 at most
 * 10000 are scanned and the rest extrapolated
 * (count_partial_free_approx()). A change inside mm/slub.c, which no
 * header shows: keyed on the version.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define MEMACCT_PARTIAL_MAX_SCAN 10000UL	/* MAX_PARTIAL_TO_SCAN */
#else
#define MEMACCT_PARTIAL_MAX_SCAN ULONG_MAX
#endif

#endif
