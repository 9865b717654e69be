/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's <uapi/linux/btf.h> is the installed <linux/btf.h>. */
#include <linux/btf.h>
