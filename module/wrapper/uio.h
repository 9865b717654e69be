/* SPDX-License-Identifier: GPL-2.0 */
/* memacct compat: iov_iter directions (see ../compat.h). */
#ifndef MEMACCT_WRAPPER_UIO_H
#define MEMACCT_WRAPPER_UIO_H

#include <linux/uio.h>

/*
 * ITER_DEST (an iterator data is read into) came in 6.1 and was taken
 * back into 5.10's later stable releases; before, it was READ.
 */
#ifndef ITER_DEST
#define ITER_DEST READ
#endif

#endif
