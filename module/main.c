// SPDX-License-Identifier: GPL-2.0
/*
 * memacct: where memory goes, per process and per allocator, in debugfs.
 *
 * /sys/kernel/debug/memacct/ holds the files; see Documentation/abi.rst.
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/utsname.h>
#include <generated/utsrelease.h>
#include "memacct.h"
#include "wrapper/shmem.h"

static struct dentry *memacct_dir;

static int version_show(struct seq_file *m, void *v)
{
	seq_printf(m, "memacct %s\nabi %d\nkernel %s\n", MEMACCT_VERSION,
		   MEMACCT_ABI, UTS_RELEASE);
	return 0;
}

static int version_open(struct inode *inode, struct file *file)
{
	int ret = memacct_open_root_only(inode, file);

	return ret ? ret : single_open(file, version_show, NULL);
}

static const struct file_operations version_fops = {
	.owner = THIS_MODULE,
	.open = version_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static int stats_show(struct seq_file *m, void *v)
{
	memacct_walk_stats_show(m);
	return 0;
}

static int stats_open(struct inode *inode, struct file *file)
{
	int ret = memacct_open_root_only(inode, file);

	return ret ? ret : single_open(file, stats_show, NULL);
}

/* Writing "0" (and an optional newline) resets the counters. */
static ssize_t stats_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	char buf[4] = {};

	if (*ppos || count == 0 || count > 2)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	if (strcmp(buf, "0") && strcmp(buf, "0\n"))
		return -EINVAL;
	memacct_walk_stats_reset();
	return count;
}

static const struct file_operations stats_fops = {
	.owner = THIS_MODULE,
	.open = stats_open,
	.read = seq_read,
	.write = stats_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int __init memacct_init(void)
{
	int ret;

	if (!debugfs_initialized()) {
		pr_err("memacct: debugfs is not available\n");
		return -ENODEV;
	}
	memacct_ksym_init();
	memacct_shmem_init();
	memacct_btf_init();
	memacct_dir = debugfs_create_dir("memacct", NULL);
	if (IS_ERR(memacct_dir))
		return PTR_ERR(memacct_dir);
	debugfs_create_file("version", 0400, memacct_dir, NULL, &version_fops);
	debugfs_create_file("stats", 0400, memacct_dir, NULL, &stats_fops);
	memacct_buddy_init(memacct_dir);
	memacct_slab_init(memacct_dir);
	ret = memacct_procs_init(memacct_dir);
	if (!ret)
		ret = memacct_vmas_init(memacct_dir);
	if (ret) {
		debugfs_remove(memacct_dir);
		memacct_vmas_exit();
		memacct_procs_exit();
		return ret;
	}
	return 0;
}

static void __exit memacct_exit(void)
{
	/*
	 * debugfs_remove() waits for readers inside our file operations
	 * (debugfs file removal semantics) and makes later calls on open
	 * files fail with -EIO, so nothing of ours runs after it returns.
	 */
	debugfs_remove(memacct_dir);
	memacct_vmas_exit();
	memacct_procs_exit();
}

module_init(memacct_init);
module_exit(memacct_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The memacct developers");
MODULE_DESCRIPTION("Exact per-process and allocator memory accounting in debugfs");
MODULE_VERSION(MEMACCT_VERSION);
