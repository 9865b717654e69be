// SPDX-License-Identifier: GPL-2.0
/*
 * memacct: the printing helpers every table uses: the size columns shared
 * by `processes` and `vmas` (header and values), the escaping of text
 * fields, and the root-only open. The tables (procs.c, vmas.c, buddy.c,
 * slab.c) print through these; main.c only registers files.
 */
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/capability.h>
#include "memacct.h"
#include "wrapper/smaps.h"

/* Size columns shared by `processes` and `vmas`, in this order. */
static const char *const size_columns[] = {
	"vss", "rss", "pss", "pss_anon", "pss_file", "pss_shmem", "uss",
	"shared", "anon", "anon_huge", "swap", "swap_pss", "locked",
	"hugetlb_shared", "hugetlb_private", "private_clean", "private_dirty",
	"shared_clean", "shared_dirty", "pss_dirty", "referenced", "lazyfree",
	"ksm", "shmem_pmd_mapped", "file_pmd_mapped",
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
	st->pss_dirty >>= MEMACCT_PSS_SHIFT;
	st->swap_pss >>= MEMACCT_PSS_SHIFT;
}

/* " value", or " -" for a figure the running kernel does not have */
void memacct_show_if(struct seq_file *m, bool available, u64 value)
{
	if (available)
		seq_put_decimal_ull(m, " ", value);
	else
		seq_puts(m, " -");
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
	memacct_show_if(m, !b->swap_pss_unavailable, b->swap_pss);
	seq_put_decimal_ull(m, " ", b->pss_locked);
	seq_put_decimal_ull(m, " ", b->hugetlb_shared);
	seq_put_decimal_ull(m, " ", b->hugetlb_private);
	seq_put_decimal_ull(m, " ", b->private_bytes - b->private_dirty);
	seq_put_decimal_ull(m, " ", b->private_dirty);
	seq_put_decimal_ull(m, " ", b->shared_bytes - b->shared_dirty);
	seq_put_decimal_ull(m, " ", b->shared_dirty);
	memacct_show_if(m, MEMACCT_SMAPS_HAS_PSS_DIRTY, b->pss_dirty);
	seq_put_decimal_ull(m, " ", b->referenced);
	seq_put_decimal_ull(m, " ", b->lazyfree);
	memacct_show_if(m, MEMACCT_SMAPS_HAS_KSM, b->ksm);
	seq_put_decimal_ull(m, " ", b->shmem_pmd);
	seq_put_decimal_ull(m, " ", b->file_pmd);
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
