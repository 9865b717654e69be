/* SPDX-License-Identifier: GPL-2.0 */
/* memacct compat: a task's credentials (see ../compat.h). */
#ifndef MEMACCT_WRAPPER_CRED_H
#define MEMACCT_WRAPPER_CRED_H

#include <linux/cred.h>

/*
 * The effective uid, as /proc/PID/status's second Uid field. task_euid()
 * is a macro over task_cred_xxx() up to 7.2; 7.3 removed it (no users
 * left in the kernel) and kept task_cred_xxx(), so test for the macro.
 */
#ifdef task_euid
#define memacct_task_euid(task) task_euid(task)
#else
#define memacct_task_euid(task) task_cred_xxx((task), euid)
#endif

#endif
