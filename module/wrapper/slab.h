/* SPDX-License-Identifier: GPL-2.0 */
/* memacct compat: the type of a slab (see ../compat.h). */
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

#endif
