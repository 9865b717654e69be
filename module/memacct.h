/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memacct: shared declarations of the module.
 */
#ifndef MEMACCT_H
#define MEMACCT_H

#include <linux/types.h>
#include <linux/seq_file.h>

/* The one place the version lives; the Makefile reads it from here. */
#define MEMACCT_VERSION "0.1.0"
/*
 * ABI version of the debugfs files: bumped when a column is removed,
 * renamed or changes meaning. Adding a column at the end of a table
 * (before the trailing text columns) does not bump it.
 */
#define MEMACCT_ABI 1

struct dentry;
struct mm_struct;
struct vm_area_struct;
struct list_head;
struct kmem_cache;
struct kmem_cache_node;
struct slab;

/* PSS is fixed point, as in fs/proc/task_mmu.c, so rounding agrees. */
#define MEMACCT_PSS_SHIFT 12

/*
 * Everything the walk computes for a range of one address space. Sizes in
 * bytes; the pss fields and swap_pss carry MEMACCT_PSS_SHIFT extra bits.
 */
struct memacct_stats {
	u64 vss;
	u64 rss;
	u64 pss;
	u64 pss_anon;
	u64 pss_file;
	u64 pss_shmem;
	u64 pss_locked;
	u64 private_bytes;	/* uss: Private_Clean + Private_Dirty */
	u64 shared_bytes;	/* Shared_Clean + Shared_Dirty */
	u64 private_dirty;	/* of private_bytes: Private_Dirty */
	u64 shared_dirty;	/* of shared_bytes: Shared_Dirty */
	u64 pss_dirty;		/* Pss_Dirty, fixed point */
	u64 referenced;
	u64 lazyfree;
	u64 ksm;
	u64 shmem_pmd;		/* ShmemPmdMapped */
	u64 file_pmd;		/* FilePmdMapped */
	u64 anon;
	u64 anon_huge;
	u64 swap;
	u64 swap_pss;
	u64 hugetlb_shared;
	u64 hugetlb_private;
	bool swap_pss_unavailable;
};

/* walk.c */
/* One hold of a process's mmap read lock, or of one VMA's, by a walk. */
struct memacct_hold {
	u64 locked_at;		/* ktime_get_ns() when it was taken */
	unsigned long switches;	/* the reader's context switches, last look */
	struct vm_area_struct *vma; /* whose own read lock is held; NULL: mmap */
};

int memacct_mm_lock(struct mm_struct *mm, struct memacct_hold *hold);
void memacct_mm_unlock(struct mm_struct *mm, struct memacct_hold *hold);
int memacct_walk_span(struct mm_struct *mm, unsigned long from, unsigned long to,
		      struct memacct_stats *st, struct memacct_hold *hold);
int memacct_walk_row(struct mm_struct *mm, unsigned long from, unsigned long to,
		     struct memacct_stats *st, struct memacct_hold *hold);
int memacct_walk_mm(struct mm_struct *mm, struct memacct_stats *st);
void memacct_note_irqoff(u64 ns);
void memacct_stats_add(struct memacct_stats *to, const struct memacct_stats *from);
void memacct_walk_stats_show(struct seq_file *m);
void memacct_walk_stats_reset(void);

/* ksym.c: data symbols the kernel does not export (see there) */
int memacct_ksym_init(void);
void *memacct_ksym_swap_info(void);
void *memacct_ksym_slab_caches(void);
void *memacct_ksym_slab_mutex(void);
long *memacct_ksym_total_swap_pages(void);

/*
 * btf.c: the slab allocator's internal layouts, from the running kernel's
 * BTF, and the only accessors of those structures' members (see there)
 */
void memacct_btf_init(void);
const char *memacct_slab_layout_error(void);
struct kmem_cache *memacct_kmem_cache_of(struct list_head *list);
const char *memacct_kmem_cache_name(struct kmem_cache *s);
unsigned int memacct_kmem_cache_size(struct kmem_cache *s);
unsigned int memacct_kmem_cache_oo(struct kmem_cache *s);
slab_flags_t memacct_kmem_cache_flags(struct kmem_cache *s);
struct kmem_cache_node *memacct_kmem_cache_node(struct kmem_cache *s, int node);
spinlock_t *memacct_kmem_cache_node_lock(struct kmem_cache_node *n);
unsigned long memacct_kmem_cache_node_nr_partial(struct kmem_cache_node *n);
struct list_head *memacct_kmem_cache_node_partial(struct kmem_cache_node *n);
long memacct_kmem_cache_node_nr_slabs(struct kmem_cache_node *n);
long memacct_kmem_cache_node_total_objects(struct kmem_cache_node *n);
struct slab *memacct_slab_of(struct list_head *list);
unsigned int memacct_slab_inuse(struct slab *slab);
unsigned int memacct_slab_objects(struct slab *slab);
/* btf.c: the swap table's layouts (7.x), for wrapper/swapcount.h */
struct swap_cluster_info;
const char *memacct_swap_layout_error(void);
struct swap_cluster_info *memacct_swap_cluster(struct swap_cluster_info *clusters,
					       unsigned long offset, unsigned int *slot);
spinlock_t *memacct_swap_cluster_lock(struct swap_cluster_info *ci);
atomic_long_t *memacct_swap_cluster_table(struct swap_cluster_info *ci);
unsigned int *memacct_swap_cluster_extend_table(struct swap_cluster_info *ci);

/* slab.c */
void memacct_slab_init(struct dentry *dir);

/* procs.c */
int memacct_procs_init(struct dentry *dir);
void memacct_procs_exit(void);

/* buddy.c */
void memacct_buddy_init(struct dentry *dir);

/* vmas.c */
int memacct_vmas_init(struct dentry *dir);
void memacct_vmas_exit(void);

/* print.c: helpers shared by the tables */
void memacct_seq_escape(struct seq_file *m, const char *s, size_t len);
void memacct_stats_to_bytes(struct memacct_stats *st);
void memacct_show_sizes(struct seq_file *m, const struct memacct_stats *bytes);
void memacct_show_if(struct seq_file *m, bool available, u64 value);
void memacct_show_size_header(struct seq_file *m);
int memacct_open_root_only(struct inode *inode, struct file *file);

#endif /* MEMACCT_H */
