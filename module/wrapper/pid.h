/* SPDX-License-Identifier: GPL-2.0 */
/* memacct compat: iterating the pids of a namespace (see ../compat.h). */
#ifndef MEMACCT_WRAPPER_PID_H
#define MEMACCT_WRAPPER_PID_H

#include <linux/version.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/idr.h>
#include <linux/rcupdate.h>

/*
 * The first pid >= @nr in @ns; the caller holds rcu_read_lock().
 * find_ge_pid() is exported on 6.1 and later, not on 5.10, where it is
 * idr_get_next(&ns->idr, &nr) (kernel/pid.c), which is: same lookup.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 11, 0)
static inline struct pid *memacct_find_ge_pid(int nr, struct pid_namespace *ns)
{
	return find_ge_pid(nr, ns);
}
#else
static inline struct pid *memacct_find_ge_pid(int nr, struct pid_namespace *ns)
{
	return idr_get_next(&ns->idr, &nr);
}
#endif

#endif
