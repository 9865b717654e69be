/* SPDX-License-Identifier: GPL-2.0 */
/* memacct compat: preemption while a walk holds an mmap lock (see ../compat.h). */
#ifndef MEMACCT_WRAPPER_PREEMPT_H
#define MEMACCT_WRAPPER_PREEMPT_H

#include <linux/preempt.h>

/*
 * A walk holding a process's mmap lock must not be scheduled out: a writer
 * of that process would wait for as long as the CPU is wanted elsewhere.
 * Yielding is easy to avoid (the walk gives up the CPU only between
 * chunks, after letting go of the lock), but a preemptible kernel (7.x's
 * PREEMPT_LAZY, a PREEMPT_DYNAMIC kernel booted preempt=full) preempts a
 * task at any tick and at every spin_unlock() once the tick asked for it.
 * So the hold runs with preemption off; the walk checks need_resched()
 * after every chunk and lets go of the lock first, so that it is scheduled
 * out at the preempt_enable() that follows the unlock, holding nothing.
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

#endif /* MEMACCT_WRAPPER_PREEMPT_H */
