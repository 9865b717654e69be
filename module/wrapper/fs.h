/* SPDX-License-Identifier: GPL-2.0 */
/* memacct compat: the inode smaps names a file mapping by (see ../compat.h). */
#ifndef MEMACCT_WRAPPER_FS_H
#define MEMACCT_WRAPPER_FS_H

#include <linux/version.h>
#include <linux/fs.h>

/*
 * show_map_vma() prints the device and inode of file_inode() up to 6.7;
 * from 6.8 those of file_user_inode(): for a backing file (overlayfs maps
 * the lower file) the inode the user opened.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
static inline const struct inode *memacct_map_inode(const struct file *file)
{
	return file_user_inode(file);
}
#else
static inline const struct inode *memacct_map_inode(const struct file *file)
{
	return file_inode(file);
}
#endif

#endif
