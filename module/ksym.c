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
 * (nr_swap_pages) has the address this module was linked against, and each
 * is used only if its name appears once and its address lies in the
 * kernel's .data or .bss (between _sdata and _edata, or __bss_start and
 * __bss_stop, read in the same scan): a function or a read-only object of
 * the same name is never taken for it.
 *
 * Symbols:
 *   swap_info   (mm/swapfile.c, static): the swap devices, to read swap
 *               counts for SwapPss as swp_swapcount() does.
 *   slab_caches (mm/slab_common.c): the list of slab caches, and
 *   slab_mutex  (mm/slab_common.c): the mutex that protects it, taken with
 *               the exported mutex_lock() as /proc/slabinfo does.
 *   total_swap_pages (mm/swapfile.c): the swap size /proc/PID/oom_score
 *               adds to totalram_pages(), read with READ_ONCE() as the
 *               kernel reads it there (without swap_lock).
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
static long *total_swap_pages_addr;

struct ksym_want {
	const char *name;
	unsigned long addr;
	int found;		/* times seen: more than once is ambiguous */
};

/*
 * Parse one "ffffffff81000000 D name" line (module symbols, with a 4th
 * field, are skipped). The type letter is not trusted: 7.x lists objects
 * of .data as 't'/'T'. Where a symbol lies is checked instead, against
 * the kernel's data and bss bounds (ksym_in_data()).
 */
static void ksym_line(char *line, struct ksym_want *want, int nwant)
{
	char *addr_s = strsep(&line, " ");
	char *type_s = strsep(&line, " ");
	char *name = strsep(&line, " \t");
	unsigned long addr;
	int i;

	if (!type_s || !name || line)
		return;
	for (i = 0; i < nwant; i++) {
		if (strcmp(name, want[i].name))
			continue;
		if (!kstrtoul(addr_s, 16, &addr)) {
			want[i].addr = addr;
			want[i].found++;
		}
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

enum {
	WANT_NR_SWAP_PAGES, WANT_SWAP_INFO, WANT_SLAB_CACHES, WANT_SLAB_MUTEX,
	WANT_TOTAL_SWAP_PAGES, WANT_SDATA, WANT_EDATA, WANT_BSS_START, WANT_BSS_STOP, NR_WANT
};

/* Seen once, in the kernel's .data or .bss (bounds read in the same scan). */
static void *ksym_in_data(const struct ksym_want *want, const struct ksym_want *w)
{
	unsigned long a = w->addr;

	if (w->found != 1)
		return NULL;
	if (a >= want[WANT_SDATA].addr && a < want[WANT_EDATA].addr)
		return (void *)a;
	if (a >= want[WANT_BSS_START].addr && a < want[WANT_BSS_STOP].addr)
		return (void *)a;
	return NULL;
}

int memacct_ksym_init(void)
{
	struct ksym_want want[NR_WANT] = {
		[WANT_NR_SWAP_PAGES] = { "nr_swap_pages" },
		[WANT_SWAP_INFO] = { "swap_info" },
		[WANT_SLAB_CACHES] = { "slab_caches" },
		[WANT_SLAB_MUTEX] = { "slab_mutex" },
		[WANT_TOTAL_SWAP_PAGES] = { "total_swap_pages" },
		[WANT_SDATA] = { "_sdata" },
		[WANT_EDATA] = { "_edata" },
		[WANT_BSS_START] = { "__bss_start" },
		[WANT_BSS_STOP] = { "__bss_stop" },
	};
	int ret = ksym_scan(want, ARRAY_SIZE(want));

	if (ret) {
		pr_info("memacct: cannot read /proc/kallsyms (%d): swap_pss, oom_score and slab unavailable\n",
			ret);
		return 0;
	}
	if (want[WANT_NR_SWAP_PAGES].addr != (unsigned long)&nr_swap_pages ||
	    !ksym_in_data(want, &want[WANT_NR_SWAP_PAGES])) {
		pr_info("memacct: /proc/kallsyms addresses hidden or inconsistent: swap_pss, oom_score and slab unavailable\n");
		return 0;
	}
	swap_info_addr = ksym_in_data(want, &want[WANT_SWAP_INFO]);
	slab_caches_addr = ksym_in_data(want, &want[WANT_SLAB_CACHES]);
	slab_mutex_addr = ksym_in_data(want, &want[WANT_SLAB_MUTEX]);
	if (!slab_caches_addr || !slab_mutex_addr) {
		slab_caches_addr = NULL;
		slab_mutex_addr = NULL;
	}
	total_swap_pages_addr = ksym_in_data(want, &want[WANT_TOTAL_SWAP_PAGES]);
	return 0;
}

/* struct swap_info_struct *swap_info[MAX_SWAPFILES], or NULL. */
void *memacct_ksym_swap_info(void)
{
	return swap_info_addr;
}

/* long total_swap_pages, or NULL. */
long *memacct_ksym_total_swap_pages(void)
{
	return total_swap_pages_addr;
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
