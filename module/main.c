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
#include <linux/capability.h>
#include <generated/utsrelease.h>
#include "memacct.h"
#include "wrapper/shmem.h"

static struct dentry *memacct_dir;

/* Size columns shared by `processes` and `vmas`, in this order. */
static const char *const size_columns[] = {
	"vss", "rss", "pss", "pss_anon", "pss_file", "pss_shmem", "uss",
	"shared", "anon", "anon_huge", "swap", "swap_pss", "locked",
	"hugetlb_shared", "hugetlb_private",
};

/* Prints the names of the size columns, each preceded by a space. */
void memacct_show_size_header(struct seq_file *m)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(size_columns); i++) {
		seq_putc(m, ' ');
		seq_puts(m, size_columns[i]);
	}
}

void memacct_stats_to_bytes(struct memacct_stats *st)
{
	st->pss >>= MEMACCT_PSS_SHIFT;
	st->pss_anon >>= MEMACCT_PSS_SHIFT;
	st->pss_file >>= MEMACCT_PSS_SHIFT;
	st->pss_shmem >>= MEMACCT_PSS_SHIFT;
	st->pss_locked >>= MEMACCT_PSS_SHIFT;
	st->swap_pss >>= MEMACCT_PSS_SHIFT;
}

/* Prints the size columns, each preceded by a space. */
void memacct_show_sizes(struct seq_file *m, const struct memacct_stats *b)
{
	const u64 before_swap_pss[] = {
		b->vss, b->rss, b->pss, b->pss_anon, b->pss_file, b->pss_shmem,
		b->private_bytes, b->shared_bytes, b->anon, b->anon_huge, b->swap,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(before_swap_pss); i++)
		seq_put_decimal_ull(m, " ", before_swap_pss[i]);
	if (b->swap_pss_unavailable)
		seq_puts(m, " -");
	else
		seq_put_decimal_ull(m, " ", b->swap_pss);
	seq_put_decimal_ull(m, " ", b->pss_locked);
	seq_put_decimal_ull(m, " ", b->hugetlb_shared);
	seq_put_decimal_ull(m, " ", b->hugetlb_private);
}

/*
 * Text fields are escaped as /proc/mounts does it, extended to every
 * control character: space, tab, newline, backslash and all bytes below
 * 0x20 or equal to 0x7f become \ooo (octal), so lines split on whitespace.
 */
void memacct_seq_escape(struct seq_file *m, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && s[i]; i++) {
		unsigned char ch = s[i];

		if (ch <= ' ' || ch == '\\' || ch == 0x7f)
			seq_printf(m, "\\%03o", ch);
		else
			seq_putc(m, ch);
	}
}

/*
 * The files are 0400 root, but debugfs can be mounted with other modes and
 * a file descriptor can be passed on: check the capability at open too.
 * Files that take writes (pid, vmas, stats) are 0400 as well: root opens
 * them for writing all the same (CAP_DAC_OVERRIDE), and under kernel
 * lockdown debugfs lets only files of mode 0444 or less be opened at all,
 * and those only for reading (debugfs_locked_down()).
 */
int memacct_open_root_only(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return 0;
}

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
