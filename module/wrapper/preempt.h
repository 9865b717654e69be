/* SPDX-License-Identifier: GPL-2.0 */
/* memacct compat: preemption while a walk holds an mmap lock (see ../compat.h). */
#ifndef MEMACCT_WRAPPER_PREEMPT_H
#define MEMACCT_WRAPPER_PREEMPT_H

#include <linux/preempt.h>
#include <linux/sched.h>

/*
 * A walk holding a process's mmap lock must not be scheduled out: a writer
 * of that process would wait for as long as the CPU is wanted elsewhere.
 * Yielding is easy to avoid (the walk gives up the CPU only between
 * chunks, after letting go of the lock), but a preemptible kernel (7.x's
 * PREEMPT_LAZY, a PREEMPT_DYNAMIC kernel booted preempt=full) preempts a
 * task at any tick and at every spin_unlock() once the tick asked for it.
 * So the hold runs with preemption off; before every chunk the walk asks
 * memacct_resched_wanted() (below) and lets go of the lock first, so that
 * it is scheduled out at the preempt_enable() that follows the unlock (or
 * gives up the CPU itself), holding nothing.
 * The time preemption stays off is therefore one chunk (one PTE table)
 * past a request to reschedule, and at most the 1 ms lock budget plus one
 * chunk otherwise; a PTE table is scanned with preemption off anyway,
 * under its spinlock.
 *
 * PREEMPT_RT: spinlock_t, the PTE and PMD locks, is a sleeping lock there
 * and must not be taken with preemption off. The walk stays preemptible,
 * as every holder of those locks is on RT.
 */
#ifdef CONFIG_PREEMPT_RT
static inline void memacct_hold_preempt_off(void)
{
}

static inline void memacct_hold_preempt_on(void)
{
}
#else
static inline void memacct_hold_preempt_off(void)
{
	preempt_disable();
}

static inline void memacct_hold_preempt_on(void)
{
	preempt_enable();
}
#endif

/*
 * Whether the scheduler wants this CPU back. need_resched() says "now";
 * with PREEMPT_LAZY (6.13, and 6.12-rt) the scheduler first only sets
 * TIF_NEED_RESCHED_LAZY for a fair task's time slice, and the tick after
 * turns it into a preemption. A walk that lets go of the lock at the lazy
 * request and gives up the CPU then (memacct_give_up_cpu()) is not
 * preempted at that tick with the lock held: on PREEMPT_RT, where the
 * walk is preemptible, this is what keeps a same-priority CPU hog from
 * preempting it under the lock. include/linux/thread_info.h aliases the
 * lazy flag to TIF_NEED_RESCHED where the arch has none; before 6.13
 * (6.12 but its RT flavour) it does not exist.
 */
#ifdef TIF_NEED_RESCHED_LAZY
static inline bool memacct_resched_wanted(void)
{
	return need_resched() || test_thread_flag(TIF_NEED_RESCHED_LAZY);
}
#else
static inline bool memacct_resched_wanted(void)
{
	return need_resched();
}
#endif

/*
 * Gives up the CPU if the scheduler wants it, holding no lock:
 * cond_resched() does nothing on a preemptible kernel (full or lazy
 * preemption relies on preempt_enable() and the tick instead), and a lazy
 * request does not preempt at preempt_enable(), so the walk calls
 * schedule() itself (as a running task: it stays runnable).
 */
static inline void memacct_give_up_cpu(void)
{
	if (memacct_resched_wanted())
		schedule();
}

#endif /* MEMACCT_WRAPPER_PREEMPT_H */
