// SPDX-License-Identifier: GPL-2.0
/*
 * memacct: the one place where kernel internals that are not exported to
 * modules are reached.
 *
 * Only *data* symbols are looked up, never functions: calling an unexported
 * function through an address found at run time faults on kernels built
 * with CONFIG_X86_KERNEL_IBT (Debian's 6.12) whose functions are not
 * address-taken. kallsyms_lookup_name() is not exported either, so the
 * addresses are read from /proc/kallsyms, with the credentials of the task
 * that loads the module. /proc/kallsyms has no read_iter, so kernel_read()
 * refuses it; it is a seq_file, read here with the exported seq_read_iter()
 * into a kernel buffer. Whether the addresses are shown is decided by
 * kallsyms_show_value() from kptr_restrict and CAP_SYSLOG of the loading
 * task alone (lockdown plays no part in it on 6.1 or 6.12): with
 * kptr_restrict=2, or a loader without CAP_SYSLOG, they read as 0 and the
 * features that need them report themselves unavailable.
 *
 * The values are trusted only if an exported data symbol read the same way
 * (nr_swap_pages) has the address this module was linked against.
 *
 * Symbols:
 *   swap_info   (mm/swapfile.c, static): the swap devices, to read swap
 *               counts for SwapPss as swp_swapcount() does.
 *   slab_caches (mm/slab_common.c): the list of slab caches, and
 *   slab_mutex  (mm/slab_common.c): the mutex that protects it, taken with
 *               the exported mutex_lock() as /proc/slabinfo does.
 * The layouts of the structures on that list come from the kernel's BTF
 * (btf.c), not from here: addresses from kallsyms, layouts from BTF.
 */
#include <linux/fs.h>
#include <linux/uio.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/string.h>
#include <linux/kernel.h>
#include "memacct.h"
#include "wrapper/uio.h"

static void *swap_info_addr;
static void *slab_caches_addr;
static void *slab_mutex_addr;

struct ksym_want {
	const char *name;
	unsigned long addr;
};

/* Parse one "ffffffff81000000 D name [module]" line. */
static void ksym_line(char *line, struct ksym_want *want, int nwant)
{
	char *addr_s = strsep(&line, " ");
	char *type_s = strsep(&line, " ");
	char *name = strsep(&line, " \t");
	unsigned long addr;
	int i;

	if (!type_s || !name || line)	/* module symbols have a 4th field */
		return;
	if (!strchr("bBdDrR", type_s[0]))
		return;
	for (i = 0; i < nwant; i++) {
		if (strcmp(name, want[i].name))
			continue;
		if (!kstrtoul(addr_s, 16, &addr))
			want[i].addr = addr;
	}
}

static ssize_t read_chunk(struct file *f, char *buf, size_t len, loff_t *pos)
{
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct iov_iter iter;
	struct kiocb kiocb;
	ssize_t n;

	init_sync_kiocb(&kiocb, f);
	kiocb.ki_pos = *pos;
	iov_iter_kvec(&iter, ITER_DEST, &kv, 1, len);
	n = seq_read_iter(&kiocb, &iter);
	if (n > 0)
		*pos = kiocb.ki_pos;
	return n;
}

static int ksym_scan(struct ksym_want *want, int nwant)
{
	const size_t bufsz = 16384;
	struct file *f;
	size_t have = 0;
	loff_t pos = 0;
	char *buf, *nl, *line;
	ssize_t n;
	int ret = 0;

	f = filp_open("/proc/kallsyms", O_RDONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	buf = kmalloc(bufsz + 1, GFP_KERNEL);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	for (;;) {
		n = read_chunk(f, buf + have, bufsz - have, &pos);
		if (n <= 0) {
			ret = n;
			break;
		}
		have += n;
		buf[have] = '\0';
		line = buf;
		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			ksym_line(line, want, nwant);
			line = nl + 1;
		}
		have -= line - buf;
		memmove(buf, line, have);
		if (have == bufsz)	/* a line longer than the buffer */
			have = 0;
		cond_resched();
	}
	kfree(buf);
out:
	filp_close(f, NULL);
	return ret;
}

int memacct_ksym_init(void)
{
	struct ksym_want want[] = {
		{ "nr_swap_pages" },
		{ "swap_info" },
		{ "slab_caches" },
		{ "slab_mutex" },
	};
	int ret = ksym_scan(want, ARRAY_SIZE(want));

	if (ret) {
		pr_info("memacct: cannot read /proc/kallsyms (%d): swap_pss and slab unavailable\n",
			ret);
		return 0;
	}
	if (want[0].addr != (unsigned long)&nr_swap_pages) {
		pr_info("memacct: /proc/kallsyms addresses hidden or inconsistent: swap_pss and slab unavailable\n");
		return 0;
	}
	swap_info_addr = (void *)want[1].addr;
	if (want[2].addr && want[3].addr) {
		slab_caches_addr = (void *)want[2].addr;
		slab_mutex_addr = (void *)want[3].addr;
	}
	return 0;
}

/* struct swap_info_struct *swap_info[MAX_SWAPFILES], or NULL. */
void *memacct_ksym_swap_info(void)
{
	return swap_info_addr;
}

/* struct list_head slab_caches, or NULL. */
void *memacct_ksym_slab_caches(void)
{
	return slab_caches_addr;
}

/* struct mutex slab_mutex, or NULL. */
void *memacct_ksym_slab_mutex(void)
{
	return slab_mutex_addr;
}
