/* SPDX-License-Identifier: GPL-2.0 */
/* memacct compat: the mm's RSS counters as /proc/PID/status reads them (see ../compat.h). */
#ifndef MEMACCT_WRAPPER_MMCOUNTER_H
#define MEMACCT_WRAPPER_MMCOUNTER_H

#include <linux/mm.h>

/*
 * task_mem() (fs/proc/task_mmu.c) reads RssAnon, RssFile, RssShmem and
 * VmSwap with get_mm_counter() up to 6.15, the per-CPU counters' central
 * value only since 6.2 made them percpu_counters; "mm: fix the inaccurate
 * memory statistics issue for users" (6.16, in 6.12 since 6.12.39) made
 * it get_mm_counter_sum(), which adds every CPU's share. A build-time
 * probe tells, since the change was backported: the helper came with the
 * change to task_mem().
 */
#ifdef MEMACCT_HAVE_GET_MM_COUNTER_SUM	/* probes.mk */
static inline unsigned long memacct_status_counter(struct mm_struct *mm, int member)
{
	return get_mm_counter_sum(mm, member);
}
#else
static inline unsigned long memacct_status_counter(struct mm_struct *mm, int member)
{
	return get_mm_counter(mm, member);
}
#endif

/*
 * The pages oom_badness() (mm/oom_kill.c) charges a process with besides
 * its page tables: get_mm_rss() + get_mm_counter(MM_SWAPENTS) until 7.x
 * made them the per-CPU sums, get_mm_rss_sum() + get_mm_counter_sum(),
 * with get_mm_rss_sum() itself (probed).
 */
#ifdef MEMACCT_HAVE_GET_MM_RSS_SUM	/* probes.mk */
static inline unsigned long memacct_oom_rss_swap(struct mm_struct *mm)
{
	return get_mm_rss_sum(mm) + get_mm_counter_sum(mm, MM_SWAPENTS);
}
#else
static inline unsigned long memacct_oom_rss_swap(struct mm_struct *mm)
{
	return get_mm_rss(mm) + get_mm_counter(mm, MM_SWAPENTS);
}
#endif

/*
 * MMF_OOM_SKIP, as oom_badness() tests it: a bit of the unsigned long
 * mm->flags, which 6.18 made a bitmap read with mm_flags_test().
 */
#ifdef MEMACCT_HAVE_MM_FLAGS_TEST	/* probes.mk */
static inline bool memacct_mm_oom_skip(struct mm_struct *mm)
{
	return mm_flags_test(MMF_OOM_SKIP, mm);
}
#else
static inline bool memacct_mm_oom_skip(struct mm_struct *mm)
{
	return test_bit(MMF_OOM_SKIP, &mm->flags);
}
#endif

#endif
