// SPDX-License-Identifier: GPL-2.0
/*
 * memacct: the page-table walk, mirroring fs/proc/task_mmu.c's smaps
 * (smap_gather_stats and its callbacks) of the running kernel, so that the
 * figures equal /proc/PID/smaps_rollup on a quiescent process.
 *
 * Locking, as in smaps:
 *  - the caller holds mmap_read_lock(mm): VMAs and, before 6.5, the page
 *    tables below them stay in place; or, for `processes` and `vmas` rows
 *    over one chunk on kernels with per-VMA locks (6.12, 7.x), the walked
 *    VMA's own read lock (memacct_walk_row(), memacct_walk_mm()), which
 *    keeps that VMA and the page tables over it in place as 7.3's smaps
 *    relies on (wrapper/vmalock.h), so that no mmap()/munmap() of the
 *    process waits for the walk, only a change of that one VMA;
 *  - a huge PMD is read under its PMD lock (memacct_pmd_huge_lock);
 *  - a PTE table is mapped under RCU and its PTE lock, after checking that
 *    the pmd still points to it (memacct_pte_map_lock, see compat.h);
 *  - hugetlb entries are read under huge_pte_lock(), with the file's
 *    i_mmap_rwsem held for read so huge_pmd_unshare() cannot free a shared
 *    PMD table under us (it needs i_mmap_rwsem for write);
 *  - swap counts are read under the swap cluster (or device) lock, nested
 *    in the PTE lock exactly as swp_swapcount() is called by smaps.
 * Nothing here sleeps or yields while the mmap lock is held: a span is
 * walked in chunks (memacct_walk_span()), and the CPU is given up only
 * between chunks, after the lock has been let go. Nor is the walk
 * preempted while it holds the lock: it runs with preemption off from
 * taking the lock to letting it go (not on PREEMPT_RT, see
 * wrapper/preempt.h), except in a hugetlb chunk and in a shmem swap count
 * over more than SHMEM_SCAN_BATCH offsets, which may sleep.
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/swap.h>
#include <linux/mmap_lock.h>
#include <linux/highmem.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>
#include <linux/module.h>
#include "memacct.h"
#include "compat.h"

struct walk_ctx {
	struct vm_area_struct *vma;
	struct memacct_stats *st;
	struct memacct_hold *hold;	/* of vma's or vma->vm_mm's lock */
	bool locked;		/* VM_LOCKED: counts towards `locked` */
	bool shmem_holes;	/* count shmem swap in page-table holes */
};

/*
 * For the `stats` file: walks of whole processes; the times a walk (of a
 * process or of one `vmas` row) let go of a process's mmap lock before its
 * end, and of those the times a writer was waiting; the longest time one
 * held it at a stretch and the holds longer than twice the budget; the
 * times a walk yielded the CPU with the lock held, and the stretches of a
 * hold in which the reader was scheduled out at all (preempted or not);
 * the longest time a read kept interrupts off (buddy.c); the holds of a
 * VMA's own lock (`processes` walks and long `vmas` rows, per-VMA locks
 * only), the longest one, and the times a VMA could not be locked without
 * waiting, so that its walk took the mmap lock to lock it (a let-go of a
 * VMA's lock before the VMA's end counts in lock_drops too). Updated
 * without a lock: racing updates can lose a maximum to a slightly smaller one,
 * nothing worse. A hold is wall-clock time from taking the lock to
 * letting it go, so a walk preempted while holding it shows it.
 */
static atomic64_t max_hold_ns = ATOMIC64_INIT(0);
static atomic64_t max_irqoff_ns = ATOMIC64_INIT(0);
static atomic64_t walks = ATOMIC64_INIT(0);
static atomic64_t lock_drops = ATOMIC64_INIT(0);
static atomic64_t lock_drops_contended = ATOMIC64_INIT(0);
static atomic64_t holds_over_budget = ATOMIC64_INIT(0);
static atomic64_t yields_under_lock = ATOMIC64_INIT(0);
static atomic64_t switched_out_under_lock = ATOMIC64_INIT(0);
static atomic64_t vma_lock_holds = ATOMIC64_INIT(0);
static atomic64_t max_vma_hold_ns = ATOMIC64_INIT(0);
static atomic64_t vma_lock_misses = ATOMIC64_INIT(0);

#define MEMACCT_LOCK_BUDGET_NS	(1 * NSEC_PER_MSEC)

static void note_max(atomic64_t *max, s64 value)
{
	if (value > atomic64_read(max))
		atomic64_set(max, value);
}

static void note_hold_time(const struct memacct_hold *hold)
{
	s64 held = ktime_get_ns() - hold->locked_at;

	note_max(hold->vma ? &max_vma_hold_ns : &max_hold_ns, held);
	if (held > 2 * MEMACCT_LOCK_BUDGET_NS)
		atomic64_inc(&holds_over_budget);
}

/* The times the reader was scheduled out, voluntarily or preempted. */
static unsigned long reader_switches(void)
{
	return READ_ONCE(current->nvcsw) + READ_ONCE(current->nivcsw);
}

/* Counts a stretch of a hold in which the reader was scheduled out. */
static void note_switches_since(struct memacct_hold *hold)
{
	unsigned long now = reader_switches();

	if (now != hold->switches)
		atomic64_inc(&switched_out_under_lock);
	hold->switches = now;
}

static void hold_begin(struct memacct_hold *hold)
{
	memacct_hold_preempt_off();	/* wrapper/preempt.h */
	hold->locked_at = ktime_get_ns();
	hold->switches = reader_switches();
}

/*
 * Takes @mm's mmap read lock for a walk, which then runs with preemption
 * off (wrapper/preempt.h) until memacct_mm_unlock(). 0, or -EINTR without
 * the lock if the reader was killed while waiting for it.
 */
int memacct_mm_lock(struct mm_struct *mm, struct memacct_hold *hold)
{
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	hold->vma = NULL;
	hold_begin(hold);
	return 0;
}

/* Lets go of the lock @hold is of: @mm's mmap lock, or hold->vma's. */
static void walk_unlock(struct mm_struct *mm, struct memacct_hold *hold)
{
	note_hold_time(hold);
	note_switches_since(hold);
	if (hold->vma)
		memacct_vma_read_unlock(hold->vma);
	else
		mmap_read_unlock(mm);
	hold->vma = NULL;
	memacct_hold_preempt_on();
}

void memacct_mm_unlock(struct mm_struct *mm, struct memacct_hold *hold)
{
	walk_unlock(mm, hold);
}

/*
 * The two steps of a walk that may sleep with the lock held, the hugetlb
 * walk (i_mmap_rwsem) and a shmem swap count long enough to yield
 * (shmem_swap_range_held()), run between these with preemption on; a
 * switch out there is not counted in switched_out_under_lock.
 */
static void hold_may_sleep(struct memacct_hold *hold)
{
	note_switches_since(hold);
	memacct_hold_preempt_on();
}

static void hold_no_sleep(struct memacct_hold *hold)
{
	memacct_hold_preempt_off();
	hold->switches = reader_switches();
}

void memacct_note_irqoff(u64 ns)
{
	note_max(&max_irqoff_ns, ns);
}

static void memacct_note_yield_under_lock(void)
{
	atomic64_inc(&yields_under_lock);
}

/* The `stats` lines of the walk, in their order; one table for show and reset. */
static const struct {
	const char *name;
	atomic64_t *value;
} walk_stats[] = {
	{ "walks", &walks },
	{ "lock_drops", &lock_drops },
	{ "lock_drops_contended", &lock_drops_contended },
	{ "max_mmap_lock_hold_ns", &max_hold_ns },
	{ "holds_over_budget", &holds_over_budget },
	{ "yields_under_lock", &yields_under_lock },
	{ "switched_out_under_lock", &switched_out_under_lock },
	{ "max_irqs_off_ns", &max_irqoff_ns },
	{ "vma_lock_holds", &vma_lock_holds },
	{ "max_vma_lock_hold_ns", &max_vma_hold_ns },
	{ "vma_lock_misses", &vma_lock_misses },
};

void memacct_walk_stats_show(struct seq_file *m)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(walk_stats); i++)
		seq_printf(m, "%s %lld\n", walk_stats[i].name,
			   (long long)atomic64_read(walk_stats[i].value));
}

void memacct_walk_stats_reset(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(walk_stats); i++)
		atomic64_set(walk_stats[i].value, 0);
}

/* What a page's PSS counts as: pss_anon, pss_shmem or pss_file. */
enum { KIND_ANON, KIND_SHMEM, KIND_FILE, KINDS };

static int folio_kind(struct folio *folio)
{
	if (folio_test_anon(folio))
		return KIND_ANON;
	return folio_test_swapbacked(folio) ? KIND_SHMEM : KIND_FILE;
}

static u64 *kind_pss(struct memacct_stats *st, int kind)
{
	if (kind == KIND_ANON)
		return &st->pss_anon;
	return kind == KIND_SHMEM ? &st->pss_shmem : &st->pss_file;
}

/*
 * smaps_page_accumulate(); @dirty is smaps_account()'s: the entry's dirty
 * bit or the folio's dirty flag.
 */
static void account_part(struct walk_ctx *c, struct folio *folio,
			 unsigned long size, u64 pss, bool private, bool dirty)
{
	struct memacct_stats *st = c->st;

	st->pss += pss;
	*kind_pss(st, folio_kind(folio)) += pss;
	if (c->locked)
		st->pss_locked += pss;
	if (private)
		st->private_bytes += size;
	else
		st->shared_bytes += size;
	if (dirty) {
		st->pss_dirty += pss;
		if (private)
			st->private_dirty += size;
		else
			st->shared_dirty += size;
	}
}

/*
 * smaps_account(): @present is false for pages behind the non-present
 * entries the running kernel treats so (memacct_pfn_entry_present());
 * @young and @dirty are the entry's accessed and dirty bits as smaps
 * passes them (false for a non-present PTE).
 */
static void account_page(struct walk_ctx *c, struct page *page,
			 bool compound, bool present, bool young, bool dirty)
{
	struct folio *folio = page_folio(page);
	unsigned long nr = compound ? compound_nr(page) : 1;
	unsigned long size = nr * PAGE_SIZE;
	unsigned long i;

	dirty = dirty || memacct_folio_dirty(folio);
	if (folio_test_anon(folio)) {
		c->st->anon += size;
		if (!folio_test_swapbacked(folio) && !dirty)
			c->st->lazyfree += size;
	}
	if (memacct_folio_ksm(folio))
		c->st->ksm += size;
	c->st->rss += size;
	if (young || memacct_folio_young(folio))
		c->st->referenced += size;

	/*
	 * refcount == 1: mapped exactly once, no mapcount to read. Pages
	 * behind non-present entries are not safe to read the mapcount of.
	 */
	if (folio_ref_count(folio) == 1 || !present) {
		account_part(c, folio, size, (u64)size << MEMACCT_PSS_SHIFT,
			     present || MEMACCT_NONPRESENT_PRIVATE, dirty);
		return;
	}
	for (i = 0; i < nr; i++, page++) {
		int mapcount = memacct_page_mapcount(folio, page);
		u64 pss = (u64)PAGE_SIZE << MEMACCT_PSS_SHIFT;

		if (mapcount >= 2)
			pss = div_u64(pss, mapcount);
		account_part(c, folio, PAGE_SIZE, pss, mapcount < 2, dirty);
	}
}

static void account_swap(struct walk_ctx *c, swp_entry_t entry)
{
	u64 pss = (u64)PAGE_SIZE << MEMACCT_PSS_SHIFT;
	int mapcount = memacct_swap_count(entry);	/* wrapper/swapcount.h */

	c->st->swap += PAGE_SIZE;
	if (mapcount < 0)
		c->st->swap_pss_unavailable = true;
	else if (mapcount >= 2)
		pss = div_u64(pss, mapcount);
	c->st->swap_pss += pss;
}

/* xarray entries scanned between two need_resched() checks */
#define SHMEM_SCAN_BATCH	1024

/* shmem_partial_swap_usage() (not exported): swapped pages in [start, end) */
static u64 shmem_swap_range(struct address_space *mapping, pgoff_t start,
			    pgoff_t end)
{
	XA_STATE(xas, &mapping->i_pages, start);
	unsigned long swapped = 0, scanned = 0;
	pgoff_t max = end - 1;
	void *entry;

	if (end <= start)
		return 0;
	rcu_read_lock();
	xas_for_each(&xas, entry, max) {
		if (xas_retry(&xas, entry))
			continue;
		if (xa_is_value(entry))
			swapped += memacct_xas_nr_pages(&xas);
		if (xas.xa_index == max)
			break;
		if (++scanned % SHMEM_SCAN_BATCH == 0 && need_resched()) {
			/*
			 * As shmem_partial_swap_usage() does, but only every
			 * SHMEM_SCAN_BATCH entries: the one place a walk may
			 * yield with the mmap lock held (counting the swap of
			 * a whole shmem mapping at once, or of a page-table
			 * hole on 5.10, whose smaps scans a hole's addresses
			 * as offsets), counted when it did. A scan of fewer
			 * entries (microseconds under RCU) never yields.
			 */
			xas_pause(&xas);
			rcu_read_unlock();
			if (cond_resched())
				memacct_note_yield_under_lock();
			rcu_read_lock();
		}
	}
	rcu_read_unlock();
	return (u64)swapped << PAGE_SHIFT;
}

/*
 * shmem_swap_range() with @hold's mmap lock held: a scan long enough to
 * yield runs with preemption on (hold_may_sleep()).
 */
static u64 shmem_swap_range_held(struct memacct_hold *hold,
				 struct address_space *mapping, pgoff_t start,
				 pgoff_t end)
{
	bool may_yield = end > start && end - start > SHMEM_SCAN_BATCH;
	u64 bytes;

	if (may_yield)
		hold_may_sleep(hold);
	bytes = shmem_swap_range(mapping, start, end);
	if (may_yield)
		hold_no_sleep(hold);
	return bytes;
}

/*
 * smaps_pte_hole(): swapped shmem behind a range with no page table, at
 * the offsets that kernel's smaps looks at (memacct_smaps_hole_index()).
 */
static void walk_hole(struct walk_ctx *c, unsigned long addr, unsigned long end)
{
	struct vm_area_struct *vma = c->vma;

	if (!c->shmem_holes || !vma->vm_file)
		return;
	c->st->swap += shmem_swap_range_held(c->hold, vma->vm_file->f_mapping,
					     memacct_smaps_hole_index(vma, addr),
					     memacct_smaps_hole_index(vma, end));
}

/* smaps_pte_entry() of a none PTE: swapped shmem at its offset. */
static void walk_pte_none(struct walk_ctx *c, unsigned long addr)
{
	struct vm_area_struct *vma = c->vma;
	pgoff_t index = linear_page_index(vma, addr);

	if (c->shmem_holes && vma->vm_file)
		c->st->swap += shmem_swap_range(vma->vm_file->f_mapping, index, index + 1);
}

/* smaps_pte_entry() for an entry that is not present. */
static void walk_pte_absent(struct walk_ctx *c, pte_t pte, unsigned long addr)
{
	struct page *page = NULL;
	bool present = true;
	swp_entry_t entry;

	if (pte_none(pte)) {
		walk_pte_none(c, addr);
		return;
	}
	entry = memacct_leaf_from_pte(pte);
	if (memacct_leaf_is_swap(entry)) {
		account_swap(c, entry);
	} else if (memacct_leaf_has_pfn(entry)) {
		present = memacct_pfn_entry_present(entry);
		page = memacct_leaf_to_page(entry);
	}
	if (page)
		account_page(c, page, false, present, false, false);
}

/*
 * Most PTEs map a small (order-0) folio, or a page nothing else references
 * (refcount 1: one mapping, wholly private). smaps_account() of such a
 * page is one page's size split by its mapcount; pte_run_add() does that
 * with the sums kept per PTE table, added to the stats once at the end of
 * the table (pte_run_flush()), and the PSS division done once per run of
 * equal mapcounts. The dirty, referenced, lazyfree and KSM figures are
 * counted there too, from the PTE's bits and the folio's flags (the cache
 * line of the folio is already read for its refcount). Pages of large
 * folios go through account_page(), other entries through
 * walk_pte_absent(). The figures are the same either way.
 */
struct pte_run {
	unsigned long pages[KINDS];	/* by folio_kind() */
	u64 pss[KINDS];			/* fixed point */
	unsigned long shared_pages;	/* of all pages[] (private: the rest) */
	unsigned long dirty_pages, shared_dirty;
	u64 pss_dirty;				/* fixed point */
	unsigned long referenced, lazyfree, ksm;	/* pages */
	unsigned long valid_subsection;	/* pfn_valid() known true, +1 */
	int last_mapcount;		/* the last division done */
	u64 last_pss;
};

/*
 * A pfn in the same memory subsection as a page already found mapped in
 * this PTE table, whose lock we hold, is valid: the subsection cannot be
 * offlined or removed while that page is still mapped (offlining must
 * first migrate it away, which needs our PTE lock).
 */
static bool pte_run_pfn_valid(struct pte_run *run, unsigned long pfn)
{
	unsigned long subsection = (pfn >> PFN_SUBSECTION_SHIFT) + 1;

	if (subsection == run->valid_subsection)
		return true;
	if (!pfn_valid(pfn))
		return false;
	run->valid_subsection = subsection;
	return true;
}

/* One page's fixed-point PSS at @mapcount, as account_page() has it. */
static u64 pte_run_pss(struct pte_run *run, int mapcount)
{
	const u64 whole = (u64)PAGE_SIZE << MEMACCT_PSS_SHIFT;

	if (mapcount < 2)
		return whole;
	if (mapcount != run->last_mapcount) {
		run->last_mapcount = mapcount;
		run->last_pss = div_u64(whole, mapcount);
	}
	return run->last_pss;
}

/*
 * Counts a small or exclusive page, mapped @mapcount times by @pte among
 * others, in @run: smaps_account() of one page. Inlined and mostly
 * branch-free: it runs for nearly every resident page (a call and return
 * per page cost 2x the whole walk under QEMU TCG, where a return is an
 * indirect jump).
 */
static __always_inline void pte_run_add(struct pte_run *run, struct folio *folio,
					int mapcount, pte_t pte)
{
	int kind = folio_kind(folio);
	u64 pss = pte_run_pss(run, mapcount);
	unsigned long shared = mapcount >= 2;
	unsigned long dirty = pte_dirty(pte) || memacct_folio_dirty(folio);

	run->pages[kind]++;
	run->pss[kind] += pss;
	run->shared_pages += shared;
	run->dirty_pages += dirty;
	run->shared_dirty += shared & dirty;
	run->pss_dirty += pss & -(u64)dirty;
	run->referenced += pte_young(pte) || memacct_folio_young(folio);
	if (kind == KIND_ANON) {
		run->lazyfree += !dirty && !folio_test_swapbacked(folio);
		run->ksm += memacct_folio_ksm(folio);
	}
}

/*
 * smaps_pte_entry() for a present entry. The page is vm_normal_page()'s
 * for x86 (CONFIG_ARCH_HAS_PTE_SPECIAL): special PTEs (the zero page, PFN
 * maps) have no struct page to count; the Xen-only
 * vm_ops->find_special_page case is not reproduced: such pages are skipped.
 */
static void walk_pte_present(struct walk_ctx *c, struct pte_run *run, pte_t pte)
{
	unsigned long pfn = pte_pfn(pte);
	struct folio *folio;
	struct page *page;

	if (pte_special(pte) || !pte_run_pfn_valid(run, pfn))
		return;
	page = pfn_to_page(pfn);
	folio = page_folio(page);
	if (folio_ref_count(folio) == 1)
		pte_run_add(run, folio, 1, pte);
	else if (!folio_test_large(folio))
		pte_run_add(run, folio, memacct_page_mapcount(folio, page), pte);
	else
		account_page(c, page, false, true, pte_young(pte), pte_dirty(pte));
}

/* account_page() for every page of @run at once. */
static void pte_run_flush(struct walk_ctx *c, const struct pte_run *run)
{
	struct memacct_stats *st = c->st;
	unsigned long pages = 0;
	u64 pss = 0;
	int kind;

	for (kind = 0; kind < KINDS; kind++) {
		*kind_pss(st, kind) += run->pss[kind];
		pss += run->pss[kind];
		pages += run->pages[kind];
	}
	st->pss += pss;
	if (c->locked)
		st->pss_locked += pss;
	st->rss += (u64)pages * PAGE_SIZE;
	st->private_bytes += (u64)(pages - run->shared_pages) * PAGE_SIZE;
	st->shared_bytes += (u64)run->shared_pages * PAGE_SIZE;
	st->anon += (u64)run->pages[KIND_ANON] * PAGE_SIZE;
	st->private_dirty += (u64)(run->dirty_pages - run->shared_dirty) * PAGE_SIZE;
	st->shared_dirty += (u64)run->shared_dirty * PAGE_SIZE;
	st->pss_dirty += run->pss_dirty;
	st->referenced += (u64)run->referenced * PAGE_SIZE;
	st->lazyfree += (u64)run->lazyfree * PAGE_SIZE;
	st->ksm += (u64)run->ksm * PAGE_SIZE;
}

/*
 * smaps_pmd_entry(): a PMD-mapped THP (or a migration entry for one).
 * smaps passes the entry's pmd_young() and pmd_dirty() whether it is
 * present or not, and so does this.
 */
static void walk_huge_pmd(struct walk_ctx *c, pmd_t pmd)
{
	struct page *page = NULL;
	struct folio *folio;
	bool present = true;

	if (pmd_present(pmd)) {
		page = memacct_pmd_page(c->vma, pmd);
	} else if (thp_migration_supported()) {
		page = memacct_pmd_leaf_page(pmd);
		present = false;
	}
	if (!page)
		return;
	folio = page_folio(page);
	if (folio_test_anon(folio))
		c->st->anon_huge += HPAGE_PMD_SIZE;
	else if (folio_test_swapbacked(folio))
		c->st->shmem_pmd += HPAGE_PMD_SIZE;
	else if (!memacct_folio_zone_device(folio))
		c->st->file_pmd += HPAGE_PMD_SIZE;
	account_page(c, page, true, present, pmd_young(pmd), pmd_dirty(pmd));
}

/* smaps_pte_range() for one PMD entry; false: the pmd changed, retry. */
static bool walk_pmd_entry(struct walk_ctx *c, pmd_t *pmd, unsigned long addr,
			   unsigned long end)
{
	struct mm_struct *mm = c->vma->vm_mm;
	spinlock_t *ptl;	/* PMD lock, or the PTE table's lock */
	pte_t *start_pte, *pte;
	struct pte_run run = {};

	if (memacct_pmd_huge_lock(mm, pmd, &ptl)) {
		walk_huge_pmd(c, *pmd);
		spin_unlock(ptl);
		return true;
	}
	if (!memacct_pte_map_lock(mm, pmd, addr, &start_pte, &ptl))
		return false;
	for (pte = start_pte; addr != end; pte++, addr += PAGE_SIZE) {
		pte_t ptent = ptep_get(pte);

		if (pte_present(ptent))
			walk_pte_present(c, &run, ptent);
		else
			walk_pte_absent(c, ptent, addr);
	}
	memacct_pte_unmap_unlock(start_pte, ptl);
	pte_run_flush(c, &run);
	return true;
}

static void walk_pmd_range(struct walk_ctx *c, pud_t *pud, unsigned long addr,
			   unsigned long end)
{
	pmd_t *pmd = pmd_offset(pud, addr);
	unsigned long next;
	int tries;

	for (; addr != end; pmd++, addr = next) {
		next = pmd_addr_end(addr, end);
		for (tries = 0; tries < 16; tries++) {
			if (pmd_none(READ_ONCE(*pmd))) {
				walk_hole(c, addr, next);
				break;
			}
			if (walk_pmd_entry(c, pmd, addr, next))
				break;
		}
	}
}

/*
 * PUD leaves (DAX, huge PFN maps) are not counted: smaps has no pud_entry
 * and such mappings hold no struct pages it would count. The entry is read
 * once, and its PMD table found from that value (as pmd_offset_lockless()
 * does): a PUD leaf zapped under the read lock (MADV_DONTNEED) between
 * two reads would otherwise be followed as a table.
 */
static void walk_pud_range(struct walk_ctx *c, p4d_t *p4d, unsigned long addr,
			   unsigned long end)
{
	pud_t *pud = pud_offset(p4d, addr);
	unsigned long next;
	pud_t entry;

	for (; addr != end; pud++, addr = next) {
		next = pud_addr_end(addr, end);
		entry = READ_ONCE(*pud);
		if (pud_none(entry))
			walk_hole(c, addr, next);
		else if (!pud_leaf(entry))
			walk_pmd_range(c, &entry, addr, next);
	}
}

static void walk_p4d_range(struct walk_ctx *c, pgd_t *pgd, unsigned long addr,
			   unsigned long end)
{
	p4d_t *p4d = p4d_offset(pgd, addr);
	unsigned long next;

	for (; addr != end; p4d++, addr = next) {
		next = p4d_addr_end(addr, end);
		if (p4d_none(READ_ONCE(*p4d)))
			walk_hole(c, addr, next);
		else if (!p4d_bad(READ_ONCE(*p4d)))
			walk_pud_range(c, p4d, addr, next);
	}
}

static void walk_page_tables(struct walk_ctx *c, unsigned long addr,
			     unsigned long end)
{
	pgd_t *pgd = pgd_offset(c->vma->vm_mm, addr);
	unsigned long next;

	for (; addr != end; pgd++, addr = next) {
		next = pgd_addr_end(addr, end);
		if (pgd_none(READ_ONCE(*pgd)))
			walk_hole(c, addr, next);
		else if (!pgd_bad(READ_ONCE(*pgd)))
			walk_p4d_range(c, pgd, addr, next);
	}
}

#ifdef CONFIG_HUGETLB_PAGE
/* The hugetlb entry for @addr, as huge_pte_offset() finds it on x86. */
static pte_t *hugetlb_entry(struct mm_struct *mm, unsigned long addr,
			    unsigned long size)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d;
	pud_t *pud;

	if (!pgd_present(*pgd))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (!p4d_present(*p4d))
		return NULL;
	pud = pud_offset(p4d, addr);
	if (size == PUD_SIZE)
		return (pte_t *)pud;
	if (pud_none(READ_ONCE(*pud)) || pud_leaf(READ_ONCE(*pud)))
		return NULL;
	return (pte_t *)pmd_offset(pud, addr);
}

/*
 * smaps_hugetlb_range() over [addr, end) of a hugetlb VMA: one chunk, so
 * the file's i_mmap_rwsem is held for at most one chunk at a time.
 */
static void walk_hugetlb(struct walk_ctx *c, unsigned long addr,
			 unsigned long end)
{
	struct vm_area_struct *vma = c->vma;
	struct address_space *mapping = vma->vm_file->f_mapping;
	struct hstate *h = hstate_vma(vma);
	unsigned long size = huge_page_size(h);
	struct folio *folio;
	swp_entry_t entry;
	spinlock_t *ptl;	/* huge_pte_lock() of the entry */
	bool present;
	pte_t *ptep, pte;

	i_mmap_lock_read(mapping);
	for (addr &= huge_page_mask(h); addr < end; addr += size) {
		ptep = hugetlb_entry(vma->vm_mm, addr, size);
		if (!ptep)
			continue;
		ptl = huge_pte_lock(h, vma->vm_mm, ptep);
		pte = memacct_huge_ptep_get(vma->vm_mm, addr, ptep);
		folio = NULL;
		present = pte_present(pte);
		if (present && pfn_valid(pte_pfn(pte))) {
			folio = page_folio(pte_page(pte));
		} else if (!present && !pte_none(pte)) {
			entry = memacct_leaf_from_pte(pte);
			if (memacct_leaf_has_pfn(entry))
				folio = page_folio(memacct_leaf_to_page(entry));
		}
		if (folio && (memacct_hugetlb_shared(folio, present) ||
			      hugetlb_pmd_shared(ptep)))
			c->st->hugetlb_shared += size;
		else if (folio)
			c->st->hugetlb_private += size;
		spin_unlock(ptl);
	}
	i_mmap_unlock_read(mapping);
}
#else
static void walk_hugetlb(struct walk_ctx *c, unsigned long addr,
			 unsigned long end)
{
}
#endif

static void walk_hugetlb_may_sleep(struct walk_ctx *c, unsigned long addr,
				   unsigned long end)
{
	hold_may_sleep(c->hold);
	walk_hugetlb(c, addr, end);
	hold_no_sleep(c->hold);
}

/* shmem_swap_usage() (not exported) */
static u64 shmem_vma_swap(struct vm_area_struct *vma, struct memacct_hold *hold)
{
	struct inode *inode = file_inode(vma->vm_file);
	unsigned long swapped = READ_ONCE(SHMEM_I(inode)->swapped);

	if (!swapped)
		return 0;
	if (!vma->vm_pgoff && vma->vm_end - vma->vm_start >= i_size_read(inode))
		return (u64)swapped << PAGE_SHIFT;
	return shmem_swap_range_held(hold, inode->i_mapping, vma->vm_pgoff,
				     vma->vm_pgoff + vma_pages(vma));
}

/*
 * How swapped-out shmem of @vma is counted (smap_gather_stats()): walking
 * the whole VMA from its start, all swapped pages of the object in range
 * belong to it, unless it is private and writable (COW pages may hide
 * them); then, or when resuming mid-VMA, only the page-table holes count.
 * Returns true for "count in holes".
 */
static bool shmem_swap_setup(struct vm_area_struct *vma, bool from_start,
			     struct memacct_hold *hold, struct memacct_stats *st)
{
	u64 shmem_swapped;

	if (!vma->vm_file || !memacct_shmem_mapping(vma->vm_file->f_mapping))
		return false;
	shmem_swapped = shmem_vma_swap(vma, hold);
	if (from_start && (!shmem_swapped || (vma->vm_flags & VM_SHARED) ||
			   !(vma->vm_flags & VM_WRITE))) {
		st->swap += shmem_swapped;
		return false;
	}
	return true;
}

/* Accounts [start, end) of @vma. Caller holds its mm's mmap lock or its own. */
static void walk_vma_range(struct vm_area_struct *vma, unsigned long start,
			   unsigned long end, bool shmem_holes,
			   struct memacct_hold *hold, struct memacct_stats *st)
{
	struct walk_ctx c = {
		.vma = vma,
		.st = st,
		.hold = hold,
		.locked = !!(vma->vm_flags & VM_LOCKED),
		.shmem_holes = shmem_holes,
	};

	/*
	 * walk_page_test(): smaps before 6.2 walks no page table of a
	 * VM_PFNMAP VMA, only calls its pte_hole() over it (the pages COWed
	 * in a private writable PFN map are in no figure there).
	 */
	if ((vma->vm_flags & VM_PFNMAP) && !MEMACCT_SMAPS_WALKS_PFNMAP)
		walk_hole(&c, start, end);
	else if (is_vm_hugetlb_page(vma))
		walk_hugetlb_may_sleep(&c, start, end);
	else
		walk_page_tables(&c, start, end);
}

/*
 * A span of a process is walked in chunks of at most MEMACCT_WALK_CHUNK
 * (one PMD's range, aligned, so a PMD-mapped THP is never split between
 * two; for hugetlb, at least one huge page), and the mmap lock is dropped
 * between chunks when a writer waits, the CPU is wanted, or the lock has
 * been held MEMACCT_LOCK_BUDGET_NS: a huge process never blocks its own
 * mmap()/munmap()/faults for longer than one chunk's walk (one PTE table,
 * 512 entries) after it asks. The check between chunks costs a clock read
 * and a look at the lock; the lock is let go only when one of them says so.
 */
#define MEMACCT_WALK_CHUNK	PMD_SIZE

/* What identifies a mapping across a lock drop (its vm_area_struct may not). */
struct mapping_id {
	unsigned long start, end, pgoff;
	struct file *file;	/* compared, never dereferenced */
	vm_flags_t flags;
};

struct mm_walk_pos {
	unsigned long addr;	/* next address to account */
	bool mid_vma;		/* the last chunk ended inside its VMA */
	bool mid_holes;		/* that VMA's shmem swap mode */
	bool relocked;		/* the lock was let go since the last chunk */
	struct mapping_id last;	/* the VMA of the last chunk */
	unsigned long shmem_counted_end; /* shmem swap counted whole up to here */
	struct memacct_hold *hold;	/* of the lock held */
};

static void mapping_id_of(struct vm_area_struct *vma, struct mapping_id *id)
{
	*id = (struct mapping_id) {
		.start = vma->vm_start, .end = vma->vm_end, .pgoff = vma->vm_pgoff,
		.file = vma->vm_file, .flags = vma->vm_flags,
	};
}

static bool same_mapping(struct vm_area_struct *vma, const struct mapping_id *id)
{
	struct mapping_id now;

	mapping_id_of(vma, &now);
	return !memcmp(&now, id, sizeof(now));
}

static unsigned long chunk_end(struct vm_area_struct *vma, unsigned long start)
{
	unsigned long chunk = MEMACCT_WALK_CHUNK;

	if (is_vm_hugetlb_page(vma))
		chunk = max(chunk, huge_page_size(hstate_vma(vma)));
	return min(vma->vm_end, ALIGN(start + 1, chunk));
}

/*
 * How swapped shmem of the VMA holding @start is counted for this chunk
 * (walk_hole()), as smap_gather_stats() decides it:
 *  - a VMA from its start: shmem_swap_setup(), which may count the swap of
 *    the whole VMA at once (then not in holes);
 *  - the next chunk of the same VMA: as for the last chunk. While the lock
 *    was held the VMA cannot have changed; after it was let go, only a
 *    mapping equal in range, file, offset and flags is taken as the same;
 *  - a VMA resumed mid-way that is not the same (replaced, split, merged
 *    while the lock was let go): decided afresh from the VMA found now, as
 *    smaps_rollup resumes a VMA;
 *  - except that where the shmem swap of a range was already counted whole
 *    it is not counted again, not even for a VMA entered at its start: the
 *    rest of a VMA split after the walk let go of it mid-way.
 * So "count in holes" never outlives the VMA it was decided for.
 */
static bool chunk_shmem_holes(struct vm_area_struct *vma, struct mm_walk_pos *p,
			      unsigned long start, struct memacct_stats *st)
{
	bool holes;

	if (p->mid_vma && (!p->relocked || same_mapping(vma, &p->last)))
		return p->mid_holes;
	if (start < p->shmem_counted_end)
		return false;
	if (!p->mid_vma && start == vma->vm_start) {
		holes = shmem_swap_setup(vma, true, p->hold, st);
		if (!holes && vma->vm_file)
			p->shmem_counted_end = vma->vm_end;
		return holes;
	}
	return shmem_swap_setup(vma, false, p->hold, st);
}

static void walk_next_chunk(struct vm_area_struct *vma, struct mm_walk_pos *p,
			    unsigned long to, struct memacct_stats *st)
{
	unsigned long start = max(p->addr, vma->vm_start);
	unsigned long end = min(chunk_end(vma, start), to);
	bool holes = chunk_shmem_holes(vma, p, start, st);

	walk_vma_range(vma, start, end, holes, p->hold, st);
	mapping_id_of(vma, &p->last);
	p->addr = end;
	p->mid_vma = end < vma->vm_end;
	p->mid_holes = holes;
	p->relocked = false;
}

/* Test-only (module parameter): let go of the lock after every chunk. */
static bool test_let_go_every_chunk;
module_param(test_let_go_every_chunk, bool, 0600);
MODULE_PARM_DESC(test_let_go_every_chunk,
		 "selftests only: the walk lets go of the mmap lock after every chunk");

enum let_go { KEEP_LOCK, LET_GO, LET_GO_FOR_WRITER };

/* A writer waits for the lock @hold is of (the VMA's own, or the mmap lock). */
static bool walk_lock_contended(struct mm_struct *mm, struct memacct_hold *hold)
{
	if (hold->vma)
		return memacct_vma_lock_contended(hold->vma);
	return mmap_lock_is_contended(mm);
}

static enum let_go walk_should_let_go(struct mm_struct *mm,
				      struct memacct_hold *hold)
{
	if (walk_lock_contended(mm, hold)) {
		atomic64_inc(&lock_drops_contended);
		return LET_GO_FOR_WRITER;
	}
	if (memacct_resched_wanted() ||	/* wrapper/preempt.h */
	    ktime_get_ns() - hold->locked_at > MEMACCT_LOCK_BUDGET_NS ||
	    READ_ONCE(test_let_go_every_chunk))
		return LET_GO;
	return KEEP_LOCK;
}

/* The longest a walk spins to retake a lock it let go for a writer. */
#define MEMACCT_HANDOFF_WAIT_NS	(2 * NSEC_PER_MSEC)

/*
 * Retakes @mm's lock after letting it go for a waiting writer; 0, or
 * -EINTR without the lock. Since 5.13 a reader may take an rwsem from a
 * writer that was woken but has not run yet ("reader optimistic lock
 * stealing" in rwsem_down_read_slowpath()), and the writer forces a
 * handoff only after RWSEM_WAIT_TIMEOUT, a jiffy or two: a walk that went
 * straight back to mmap_read_lock() left writers waiting 4-8 ms. And a
 * reader that sleeps in mmap_read_lock() is granted the lock when the
 * writer leaves, before it runs again, so the time its CPU takes to wake
 * up is the next writer's wait. So the walk first spins on
 * mmap_read_trylock(), which fails while anyone waits for the lock (it
 * never overtakes the writer), yielding the CPU between tries (the writer
 * may want this one), for at most MEMACCT_HANDOFF_WAIT_NS; only then does
 * it sleep for the lock.
 */
static int walk_relock_after_writer(struct mm_struct *mm)
{
	u64 until = ktime_get_ns() + MEMACCT_HANDOFF_WAIT_NS;

	while (ktime_get_ns() < until && !fatal_signal_pending(current)) {
		if (mmap_read_trylock(mm))
			return 0;
		memacct_give_up_cpu();
		cpu_relax();
	}
	return mmap_read_lock_killable(mm) ? -EINTR : 0;
}

/* Retakes @mm's mmap lock behind any waiting writer and begins @hold on it. */
static int walk_mm_relock(struct mm_struct *mm, struct memacct_hold *hold)
{
	if (walk_relock_after_writer(mm))
		return -EINTR;
	hold->vma = NULL;
	hold_begin(hold);
	return 0;
}

static int walk_relock(struct mm_struct *mm, enum let_go why)
{
	if (why == LET_GO_FOR_WRITER)
		return walk_relock_after_writer(mm);
	memacct_give_up_cpu();
	return mmap_read_lock_killable(mm) ? -EINTR : 0;
}

/*
 * Walks [@from, @to) of @mm, whose mmap read lock the caller took
 * (memacct_mm_lock(), @hold); from the end of the last chunk walked each
 * time the lock is retaken, as smaps_rollup does between VMAs. Whether to
 * let go is decided before every chunk, the first one too, so that the
 * rows of one `vmas` buffer, each a span walked under one hold, do not
 * add up past the budget either. A quiescent process gives exactly smaps'
 * figures; a busy one a sequence of consistent per-chunk snapshots.
 * Returns 0 with the lock held (@hold updated), or -EINTR with it
 * released: the reader got a fatal signal, checked after every chunk, so
 * that a killed reader stops within one chunk.
 */
int memacct_walk_span(struct mm_struct *mm, unsigned long from, unsigned long to,
		      struct memacct_stats *st, struct memacct_hold *hold)
{
	struct mm_walk_pos pos = { .addr = from, .hold = hold };
	struct vm_area_struct *vma;
	enum let_go let_go;

	while (pos.addr < to) {
		let_go = walk_should_let_go(mm, hold);
		if (let_go != KEEP_LOCK) {
			memacct_mm_unlock(mm, hold);
			atomic64_inc(&lock_drops);
			if (walk_relock(mm, let_go))
				return -EINTR;
			hold_begin(hold);
			pos.relocked = true;
		}
		vma = find_vma(mm, pos.addr);
		if (!vma || vma->vm_start >= to)
			break;
		walk_next_chunk(vma, &pos, to, st);
		if (fatal_signal_pending(current)) {
			memacct_mm_unlock(mm, hold);
			return -EINTR;
		}
	}
	return 0;
}

/*
 * Locks the first VMA of @mm ending above @addr for its walk, with its own
 * read lock (wrapper/vmalock.h), taken under RCU without waiting. If that
 * fails (a writer has the VMA: it holds the mmap lock for write), the walk
 * waits for the mmap lock as after letting it go for a writer, finds the
 * VMA and read-locks it under it (which cannot fail but on a count's
 * overflow: then the walk keeps the mmap lock instead), as lock_next_vma()
 * of 7.3 does. Returns the VMA, with @hold begun (hold->vma is the VMA
 * whose lock is held, NULL for the mmap lock); NULL with nothing held if
 * no VMA is left; or ERR_PTR(-EINTR), nothing held, on a fatal signal.
 */
static struct vm_area_struct *walk_lock_vma(struct mm_struct *mm,
					    unsigned long addr,
					    struct memacct_hold *hold)
{
	struct vm_area_struct *vma = memacct_vma_read_lock_from(mm, addr);

	if (!IS_ERR(vma)) {
		hold->vma = vma;
		if (vma)
			hold_begin(hold);
		return vma;
	}
	atomic64_inc(&vma_lock_misses);
	if (walk_mm_relock(mm, hold))
		return ERR_PTR(-EINTR);
	vma = find_vma(mm, addr);
	if (!vma) {
		walk_unlock(mm, hold);
		return NULL;
	}
	if (memacct_vma_read_lock_mmap_held(vma)) {
		mmap_read_unlock(mm);	/* the hold goes on, under the VMA's lock */
		hold->vma = vma;
	}
	return vma;
}

/*
 * Walks @vma, locked by walk_lock_vma(), from pos->addr chunk by chunk to
 * its end or @to, or until the lock is to be let go (a writer waits for
 * it, the CPU is wanted, the budget is spent: walk_should_let_go()); then
 * lets go. 0, or -EINTR on a fatal signal (checked after every chunk).
 */
static int walk_locked_vma(struct mm_struct *mm, struct vm_area_struct *vma,
			   struct mm_walk_pos *pos, unsigned long to,
			   struct memacct_stats *st)
{
	struct memacct_hold *hold = pos->hold;
	bool under_vma_lock = hold->vma;
	bool more;

	do {
		walk_next_chunk(vma, pos, to, st);
		if (fatal_signal_pending(current)) {
			walk_unlock(mm, hold);
			return -EINTR;
		}
		more = pos->mid_vma && pos->addr < to;
	} while (more && walk_should_let_go(mm, hold) == KEEP_LOCK);
	if (more)
		atomic64_inc(&lock_drops);
	if (under_vma_lock)
		atomic64_inc(&vma_lock_holds);
	walk_unlock(mm, hold);
	pos->relocked = true;
	return 0;
}

/*
 * [@from, @to) of @mm, each VMA under its own lock (per-VMA locks only),
 * holding nothing at entry and at return: no mmap lock is held across
 * VMAs, nor at all but to lock a VMA a writer had. The CPU is given up
 * between holds, holding nothing. 0 or -EINTR.
 */
static int walk_span_vma_locked(struct mm_struct *mm, unsigned long from,
				unsigned long to, struct memacct_stats *st)
{
	struct memacct_hold hold;
	struct mm_walk_pos pos = { .addr = from, .hold = &hold };
	struct vm_area_struct *vma;

	while (pos.addr < to) {
		vma = walk_lock_vma(mm, pos.addr, &hold);
		if (IS_ERR(vma))
			return -EINTR;
		if (!vma)
			break;
		if (vma->vm_start >= to) {
			walk_unlock(mm, &hold);
			break;
		}
		if (walk_locked_vma(mm, vma, &pos, to, st))
			return -EINTR;
		memacct_give_up_cpu();
	}
	return 0;
}

/*
 * A `vmas` row: [@from, @to) of @mm, whose mmap lock the caller holds
 * (@hold), as memacct_walk_span(). A row longer than one chunk is walked
 * under its VMA's own lock where the kernel has per-VMA locks: the mmap
 * lock is let go for the walk (a let-go in lock_drops) and taken again
 * after it as after letting it go for a writer (killable), so
 * that the process's mmap()/munmap() wait for the row's walk no more than
 * for a `processes` walk. Returns 0 with the mmap lock held, or -EINTR
 * with nothing held.
 */
int memacct_walk_row(struct mm_struct *mm, unsigned long from, unsigned long to,
		     struct memacct_stats *st, struct memacct_hold *hold)
{
	if (!memacct_vma_locks() || to - from <= MEMACCT_WALK_CHUNK)
		return memacct_walk_span(mm, from, to, st, hold);
	memacct_mm_unlock(mm, hold);
	atomic64_inc(&lock_drops);
	if (walk_span_vma_locked(mm, from, to, st))
		return -EINTR;
	return walk_mm_relock(mm, hold);	/* not ahead of a waiting writer */
}

/* Every VMA of @mm under its mmap lock, let go between chunks as needed. */
static int walk_mm_mmap_locked(struct mm_struct *mm, struct memacct_stats *st)
{
	struct memacct_hold hold;

	if (memacct_mm_lock(mm, &hold))
		return -EINTR;
	if (memacct_walk_span(mm, 0, ULONG_MAX, st, &hold))
		return -EINTR;
	memacct_mm_unlock(mm, &hold);
	return 0;
}

/*
 * show_smaps_rollup(): every VMA of @mm, which the caller holds (mmget).
 * Returns 0 or -EINTR.
 */
int memacct_walk_mm(struct mm_struct *mm, struct memacct_stats *st)
{
	int err;

	atomic64_inc(&walks);
	if (memacct_vma_locks())
		err = walk_span_vma_locked(mm, 0, ULONG_MAX, st);
	else
		err = walk_mm_mmap_locked(mm, st);
	if (!err)
		st->vss = (u64)READ_ONCE(mm->total_vm) << PAGE_SHIFT;
	return err;
}

void memacct_stats_add(struct memacct_stats *to, const struct memacct_stats *from)
{
	to->vss += from->vss;
	to->rss += from->rss;
	to->pss += from->pss;
	to->pss_anon += from->pss_anon;
	to->pss_file += from->pss_file;
	to->pss_shmem += from->pss_shmem;
	to->pss_locked += from->pss_locked;
	to->private_bytes += from->private_bytes;
	to->shared_bytes += from->shared_bytes;
	to->private_dirty += from->private_dirty;
	to->shared_dirty += from->shared_dirty;
	to->pss_dirty += from->pss_dirty;
	to->referenced += from->referenced;
	to->lazyfree += from->lazyfree;
	to->ksm += from->ksm;
	to->shmem_pmd += from->shmem_pmd;
	to->file_pmd += from->file_pmd;
	to->anon += from->anon;
	to->anon_huge += from->anon_huge;
	to->swap += from->swap;
	to->swap_pss += from->swap_pss;
	to->hugetlb_shared += from->hugetlb_shared;
	to->hugetlb_private += from->hugetlb_private;
	to->swap_pss_unavailable |= from->swap_pss_unavailable;
}
