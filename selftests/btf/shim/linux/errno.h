/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for the kernel's <linux/errno.h>. */
#include_next <linux/errno.h>
#include <errno.h>
