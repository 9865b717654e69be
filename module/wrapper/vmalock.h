/* SPDX-License-Identifier: GPL-2.0 */
/* memacct compat: a VMA's own read lock (per-VMA locks, see ../compat.h). */
#ifndef MEMACCT_WRAPPER_VMALOCK_H
#define MEMACCT_WRAPPER_VMALOCK_H

#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/rcupdate.h>
#include <linux/err.h>

/*
 * Since 6.4 (CONFIG_PER_VMA_LOCK, set in every Debian kernel from 6.12) a
 * VMA has a read lock of its own: page faults take it instead of the mmap
 * lock, and a writer (mmap_write_lock() holder) takes it for write, with
 * vma_start_write(), only on the VMAs it changes. A walk of one VMA under
 * that lock makes no mmap()/munmap() of the process wait, only changes of
 * that VMA; 7.3's own /proc/PID/smaps walks page tables under it (see
 * get_smaps_walk_ops() in its fs/proc/task_mmu.c). What the lock keeps in
 * place is what the walk needs of the mmap lock: the VMA (it cannot be
 * unmapped, split, merged or moved) and the page tables over it, upper
 * levels included (free_pgtables() frees none that a live VMA's range
 * touches; PTE tables retracted by khugepaged are caught as under the mmap
 * lock, by the pmd check of memacct_pte_map_lock()).
 *
 * Two forms, probed at build time (probes.mk), since what is exported and
 * what is inline changed with the lock itself:
 *  - VMA_LOCK_RWSEM, 6.4-6.12: vma->vm_lock->lock, an rwsem, taken with
 *    the inline vma_start_read() (lock_vma_under_rcu() is not exported);
 *    the lookup around it is lock_vma_under_rcu() of 6.12's mm/memory.c,
 *    from the exported maple tree.
 *  - VMA_LOCK_REFCNT, 7.x: vma->vm_refcnt; lock_vma_under_rcu() is
 *    exported (GPL), vma_start_read_locked() and vma_end_read() inline.
 *    (6.13 embedded the rwsem, 6.15-7.1 had the refcount with another flag
 *    name; no target: they get neither, and walk under the mmap lock.)
 * Without either the lock is never taken, and memacct_vma_locks() is
 * false.
 */

#if defined(MEMACCT_HAVE_VMA_LOCK_REFCNT) || defined(MEMACCT_HAVE_VMA_LOCK_RWSEM)
#include <linux/maple_tree.h>

/*
 * After a lookup from @addr under RCU found @vma beyond @addr and locked
 * it: true if it is still the first VMA ending above @addr, i.e. no VMA
 * was put in the gap meanwhile (lock_next_vma() of 7.3 checks the same).
 */
static inline bool memacct_vma_first_from(struct mm_struct *mm,
					  struct vm_area_struct *vma,
					  unsigned long addr)
{
	MA_STATE(mas, &mm->mm_mt, addr, addr);
	bool first;

	if (addr >= vma->vm_start)
		return true;
	rcu_read_lock();
	first = mas_find(&mas, ULONG_MAX) == vma;
	rcu_read_unlock();
	return first;
}
#endif

#if defined(MEMACCT_HAVE_VMA_LOCK_REFCNT)	/* probes.mk */
static inline bool memacct_vma_locks(void)
{
	return true;
}

/* Where the first VMA ending above @addr might be; false if none. A hint only. */
static inline bool memacct_vma_hint(struct mm_struct *mm, unsigned long addr,
				    unsigned long *at)
{
	MA_STATE(mas, &mm->mm_mt, addr, addr);
	struct vm_area_struct *vma;

	rcu_read_lock();
	vma = mas_find(&mas, ULONG_MAX);
	if (vma)
		*at = max(addr, READ_ONCE(vma->vm_start));
	rcu_read_unlock();
	return vma;
}

/*
 * The first VMA of @mm ending above @addr, read-locked without waiting;
 * NULL if there is none, ERR_PTR(-EAGAIN) if it could not be locked (a
 * writer has it, or it changed under the lookup). @mm is held by the
 * caller (mmget). The VMA read from the tree under RCU may be freed and
 * reused meanwhile (vm_area_cachep is SLAB_TYPESAFE_BY_RCU): its start is
 * only where lock_vma_under_rcu() looks, and the VMA that one locks is
 * checked.
 */
static inline struct vm_area_struct *
memacct_vma_read_lock_from(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;
	unsigned long at;

	if (!memacct_vma_hint(mm, addr, &at))
		return NULL;
	vma = lock_vma_under_rcu(mm, at);
	if (!vma)
		return ERR_PTR(-EAGAIN);
	if (!memacct_vma_first_from(mm, vma, addr)) {
		vma_end_read(vma);
		return ERR_PTR(-EAGAIN);
	}
	return vma;
}

/* With the mmap read lock held, no writer can have @vma: fails only on overflow. */
static inline bool memacct_vma_read_lock_mmap_held(struct vm_area_struct *vma)
{
	return vma_start_read_locked(vma);
}

static inline void memacct_vma_read_unlock(struct vm_area_struct *vma)
{
	vma_end_read(vma);
}

/* A writer waits for the readers of @vma to leave (__vma_start_write()). */
static inline bool memacct_vma_lock_contended(struct vm_area_struct *vma)
{
	return refcount_read(&vma->vm_refcnt) & VM_REFCNT_EXCLUDE_READERS_FLAG;
}

#elif defined(MEMACCT_HAVE_VMA_LOCK_RWSEM)	/* probes.mk */
static inline bool memacct_vma_locks(void)
{
	return true;
}

/*
 * As above. 6.12: lock_vma_under_rcu() of mm/memory.c, for the first VMA
 * ending above @addr instead of the one holding it. A VMA is freed after
 * an RCU grace period (vm_area_free()), so the one found stays readable
 * until rcu_read_unlock(); vma_start_read() fails while the VMA is write
 * locked; a VMA unlinked from the tree before we locked it is detached
 * (checked before rcu_read_unlock(): such a VMA may be freed after it).
 */
static inline struct vm_area_struct *
memacct_vma_read_lock_from(struct mm_struct *mm, unsigned long addr)
{
	MA_STATE(mas, &mm->mm_mt, addr, addr);
	struct vm_area_struct *vma;

	rcu_read_lock();
	vma = mas_find(&mas, ULONG_MAX);
	if (!vma) {
		rcu_read_unlock();
		return NULL;
	}
	if (!vma_start_read(vma)) {
		rcu_read_unlock();
		return ERR_PTR(-EAGAIN);
	}
	/* unlinked before we locked it: freed once RCU lets go */
	if (READ_ONCE(vma->detached)) {
		vma_end_read(vma);
		rcu_read_unlock();
		return ERR_PTR(-EAGAIN);
	}
	rcu_read_unlock();
	if (addr >= vma->vm_end || !memacct_vma_first_from(mm, vma, addr)) {
		vma_end_read(vma);
		return ERR_PTR(-EAGAIN);
	}
	return vma;
}

/*
 * With the mmap read lock held no writer can have @vma (vma_start_write()
 * needs the mmap lock for write), so this fails only on a sequence count
 * overflow's false "write locked".
 */
static inline bool memacct_vma_read_lock_mmap_held(struct vm_area_struct *vma)
{
	return vma_start_read(vma);
}

static inline void memacct_vma_read_unlock(struct vm_area_struct *vma)
{
	vma_end_read(vma);
}

/* A writer sleeps in vma_start_write()'s down_write() for our read lock. */
static inline bool memacct_vma_lock_contended(struct vm_area_struct *vma)
{
	return rwsem_is_contended(&vma->vm_lock->lock);
}

#else
static inline bool memacct_vma_locks(void)
{
	return false;
}

static inline struct vm_area_struct *
memacct_vma_read_lock_from(struct mm_struct *mm, unsigned long addr)
{
	return ERR_PTR(-EAGAIN);
}

static inline bool memacct_vma_read_lock_mmap_held(struct vm_area_struct *vma)
{
	return false;
}

static inline void memacct_vma_read_unlock(struct vm_area_struct *vma)
{
}

static inline bool memacct_vma_lock_contended(struct vm_area_struct *vma)
{
	return false;
}
#endif

#endif /* MEMACCT_WRAPPER_VMALOCK_H */
