/* SPDX-License-Identifier: GPL-2.0 */
/* memacct compat: page allocator orders (see ../compat.h). */
#ifndef MEMACCT_WRAPPER_ORDERS_H
#define MEMACCT_WRAPPER_ORDERS_H

#include <linux/version.h>
#include <linux/mmzone.h>

/*
 * Page orders: MAX_ORDER was exclusive up to 6.3, became inclusive in 6.4
 * and was renamed MAX_PAGE_ORDER with NR_PAGE_ORDERS in 6.8.
 */
#if defined(NR_PAGE_ORDERS)
#define MEMACCT_NR_ORDERS NR_PAGE_ORDERS
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define MEMACCT_NR_ORDERS (MAX_ORDER + 1)
#else
#define MEMACCT_NR_ORDERS MAX_ORDER
#endif

#endif
