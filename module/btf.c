// SPDX-License-Identifier: GPL-2.0
/*
 * memacct: the layouts of the slab allocator's internal structures (struct
 * kmem_cache, struct kmem_cache_node, struct slab), which live in mm/slab.h
 * and mm/slub.c where no headers package has them, taken by name from the
 * running kernel's BTF at load time; and the only accessors of their
 * members: no other file does offset arithmetic on them.
 *
 * The BTF is read from /sys/kernel/btf/vmlinux with kernel_read() (kernfs
 * has read_iter on 6.1 and 6.12) into a buffer of its size, parsed as
 * untrusted input by btf_parse.c, and freed before the module's init
 * returns; only the resolved offsets are kept. The other way to reach the
 * same bytes, the __start_BTF/__stop_BTF data symbols through ksym.c,
 * would save the copy (the size of the blob, about 5 MB, for a few tens of
 * milliseconds) but would read kernel memory at addresses taken from
 * /proc/kallsyms and make the layouts depend on kallsyms too.
 *
 * kmem_cache's per-node pointers are the array node[] up to 6.x and, since
 * 7.x, the member `node` of each element of the array per_node[]: both are
 * recognised, and the accessor steps by the element's size.
 *
 * Each member is checked against what the code reading it expects: its
 * kind, size and alignment (a spinlock_t member must have the size of the
 * headers' spinlock_t, whose layout is used; a list link must be a struct
 * list_head), and a bitfield must lie in one aligned 32-bit word. Anything
 * missing or unexpected leaves the layouts unavailable, with the reason,
 * which the `slab` file shows instead of numbers.
 */
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/spinlock.h>
#include <linux/list.h>
#include <linux/atomic.h>
#include <linux/nodemask.h>
#include <uapi/linux/btf.h>
#include "btf_parse.h"
#include "memacct.h"
#include "wrapper/slab.h"
#include "compat.h"	/* MEMACCT_SWAP_TABLE: wrapper/swapcount.h */

#define BTF_PATH "/sys/kernel/btf/vmlinux"
#define BTF_MAX_SIZE (256U << 20)

/*
 * Test-only: "struct.member" (e.g. "kmem_cache_node.nr_partial") is
 * treated as missing from the BTF, read at load.
 */
static char *test_btf_missing;
module_param(test_btf_missing, charp, 0400);
MODULE_PARM_DESC(test_btf_missing,
		 "selftests only: struct.member to treat as missing from the BTF");

/* A bitfield (or small integer) read from one aligned 32-bit word. */
struct memacct_bits {
	u32 word;	/* byte offset of the word */
	u32 shift;
	u32 mask;
};

static struct {
	u32 cache_name, cache_size, cache_oo, cache_flags, cache_list;
	u32 cache_node;			/* the first per-node pointer */
	u32 cache_node_stride;		/* bytes from one to the next */
	u32 cache_nodes;		/* how many */
	u32 node_lock, node_nr_partial, node_partial, node_nr_slabs, node_total_objects;
	u32 slab_list;
	struct memacct_bits slab_inuse, slab_objects;
} lay __ro_after_init;

static bool slab_layout_ok __ro_after_init;
static char slab_layout_error[128] __ro_after_init = "slab layouts not resolved";

enum field_type {
	FIELD_PTR,		/* a pointer */
	FIELD_U32,		/* 4 bytes: an integer, or a struct of one */
	FIELD_FLAGS,		/* slab_flags_t */
	FIELD_ULONG,		/* unsigned long */
	FIELD_ATOMIC_LONG,	/* atomic_long_t */
	FIELD_LIST,		/* struct list_head */
	FIELD_LOCK,		/* spinlock_t */
	FIELD_BITS,		/* an integer within one aligned u32 */
};

struct field {
	const char *sname;
	const char *mname;
	enum field_type type;
	u32 *off;
	struct memacct_bits *bits;
};

static const struct field fields[] = {
	{ "kmem_cache", "name", FIELD_PTR, &lay.cache_name },
	{ "kmem_cache", "size", FIELD_U32, &lay.cache_size },
	{ "kmem_cache", "oo", FIELD_U32, &lay.cache_oo },
	{ "kmem_cache", "flags", FIELD_FLAGS, &lay.cache_flags },
	{ "kmem_cache", "list", FIELD_LIST, &lay.cache_list },
	{ "kmem_cache_node", "list_lock", FIELD_LOCK, &lay.node_lock },
	{ "kmem_cache_node", "nr_partial", FIELD_ULONG, &lay.node_nr_partial },
	{ "kmem_cache_node", "partial", FIELD_LIST, &lay.node_partial },
	{ "kmem_cache_node", "nr_slabs", FIELD_ATOMIC_LONG, &lay.node_nr_slabs },
	{ "kmem_cache_node", "total_objects", FIELD_ATOMIC_LONG, &lay.node_total_objects },
	{ MEMACCT_SLAB_STRUCT, "slab_list", FIELD_LIST, &lay.slab_list },
	{ MEMACCT_SLAB_STRUCT, "inuse", FIELD_BITS, .bits = &lay.slab_inuse },
	{ MEMACCT_SLAB_STRUCT, "objects", FIELD_BITS, .bits = &lay.slab_objects },
};

/* memacct_btf_member(), but for the member test_btf_missing names */
static int lookup(const struct memacct_btf *btf, const char *sname, const char *mname,
		  struct memacct_btf_member *m)
{
	size_t n = strlen(sname);

	if (test_btf_missing && !strncmp(test_btf_missing, sname, n) &&
	    test_btf_missing[n] == '.' && !strcmp(test_btf_missing + n + 1, mname))
		return -ENOENT;
	return memacct_btf_member(btf, sname, mname, m);
}

/* The reason a member cannot be used: @ret from lookup(), or 0 (its type). */
static int layout_error(int ret, const char *sname, const char *mname)
{
	char *err = slab_layout_error;
	size_t len = sizeof(slab_layout_error);

	if (ret == -ESRCH)
		snprintf(err, len, "struct %s not in BTF", sname);
	else if (ret == -ENOENT)
		snprintf(err, len, "%s of %s not in BTF", mname, sname);
	else if (ret)
		snprintf(err, len, "%s of %s: malformed or ambiguous BTF (%d)", mname, sname, ret);
	else
		snprintf(err, len, "%s of %s has an unexpected type in BTF", mname, sname);
	return -EINVAL;
}

/* A member that is not a bitfield, of @size bytes, naturally aligned. */
static bool plain(const struct memacct_btf_member *m, u32 size, u32 align)
{
	return !m->bitfield_size && m->size == size && !(m->bit_offset % (8 * align));
}

static bool field_check(const struct field *f, const struct memacct_btf_member *m)
{
	u32 width, shift;

	switch (f->type) {
	case FIELD_PTR:
		return m->kind == BTF_KIND_PTR && plain(m, sizeof(void *), sizeof(void *));
	case FIELD_U32:
		return (m->kind == BTF_KIND_INT || m->kind == BTF_KIND_STRUCT) &&
		       plain(m, sizeof(u32), sizeof(u32));
	case FIELD_FLAGS:
		return m->kind == BTF_KIND_INT &&
		       plain(m, sizeof(slab_flags_t), sizeof(slab_flags_t));
	case FIELD_ULONG:
		return m->kind == BTF_KIND_INT &&
		       plain(m, sizeof(unsigned long), sizeof(unsigned long));
	case FIELD_ATOMIC_LONG:
		return !strcmp(m->type_name, "atomic_long_t") &&
		       plain(m, sizeof(atomic_long_t), sizeof(long));
	case FIELD_LIST:
		return m->kind == BTF_KIND_STRUCT && !strcmp(m->type_name, "list_head") &&
		       plain(m, sizeof(struct list_head), sizeof(void *));
	case FIELD_LOCK:
		return !strcmp(m->type_name, "spinlock_t") &&
		       plain(m, sizeof(spinlock_t), sizeof(u32));
	case FIELD_BITS:
		if (m->kind != BTF_KIND_INT || m->int_encoding & BTF_INT_SIGNED ||
		    IS_ENABLED(CONFIG_CPU_BIG_ENDIAN))
			return false;
		width = m->bitfield_size ?: m->size * 8;
		shift = m->bit_offset % 32;
		return width && width <= 32 && shift + width <= 32 &&
		       m->bit_offset / 32 * 4 + 4 <= m->struct_size;
	}
	return false;
}

static void field_store(const struct field *f, const struct memacct_btf_member *m)
{
	u32 width;

	if (f->off)
		*f->off = m->bit_offset / 8;
	if (f->bits) {
		width = m->bitfield_size ?: m->size * 8;
		f->bits->word = m->bit_offset / 32 * 4;
		f->bits->shift = m->bit_offset % 32;
		f->bits->mask = width == 32 ? U32_MAX : (1U << width) - 1;
	}
}

/*
 * The cache's per-node pointers: up to 6.x the array node[MAX_NUMNODES];
 * since 7.x per_node[MAX_NUMNODES], an array of structs whose member `node`
 * is that pointer. Either way: where the first one is, the stride, how many.
 */
static int resolve_nodes(const struct memacct_btf *btf)
{
	struct memacct_btf_member m, ptr;
	int ret;

	ret = lookup(btf, "kmem_cache", "node", &m);
	if (!ret) {
		if (m.kind != BTF_KIND_ARRAY || m.elem_kind != BTF_KIND_PTR || !m.nelems ||
		    !plain(&m, m.nelems * sizeof(void *), sizeof(void *)))
			return layout_error(0, "kmem_cache", "node");
		lay.cache_node = m.bit_offset / 8;
		lay.cache_node_stride = sizeof(void *);
		lay.cache_nodes = m.nelems;
		return 0;
	}
	if (ret != -ENOENT)
		return layout_error(ret, "kmem_cache", "node");
	ret = lookup(btf, "kmem_cache", "per_node", &m);
	if (ret == -ENOENT)	/* named as the older kernels have it */
		return layout_error(ret, "kmem_cache", "node");
	if (ret)
		return layout_error(ret, "kmem_cache", "per_node");
	if (m.kind != BTF_KIND_ARRAY || m.elem_kind != BTF_KIND_STRUCT || !m.nelems ||
	    m.size % m.nelems || !plain(&m, m.size, sizeof(void *)))
		return layout_error(0, "kmem_cache", "per_node");
	ret = lookup(btf, m.elem_name, "node", &ptr);
	if (ret)
		return layout_error(ret, m.elem_name, "node");
	if (ptr.kind != BTF_KIND_PTR || !plain(&ptr, sizeof(void *), sizeof(void *)) ||
	    ptr.struct_size != m.size / m.nelems)
		return layout_error(0, m.elem_name, "node");
	lay.cache_node = m.bit_offset / 8 + ptr.bit_offset / 8;
	lay.cache_node_stride = m.size / m.nelems;
	lay.cache_nodes = m.nelems;
	return 0;
}

static int resolve_fields(const struct memacct_btf *btf)
{
	struct memacct_btf_member m;
	const struct field *f;
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		f = &fields[i];
		ret = lookup(btf, f->sname, f->mname, &m);
		if (ret || !field_check(f, &m))
			return layout_error(ret, f->sname, f->mname);
		field_store(f, &m);
	}
	ret = resolve_nodes(btf);
	if (ret)
		return ret;
	/* a cache's nodes past the array would be missed, not guessed */
	if (lay.cache_nodes < nr_node_ids) {
		snprintf(slab_layout_error, sizeof(slab_layout_error),
			 "node of kmem_cache has %u entries for %u nodes",
			 lay.cache_nodes, nr_node_ids);
		return -EINVAL;
	}
	return 0;
}

/*
 * The swap table (7.x: swap counts moved from swap_map into a table per
 * swap cluster): the lock, table and extend_table of struct
 * swap_cluster_info (internal to mm/swap.h), its size (si->cluster_info is
 * an array of them), and the slots per cluster (SWAPFILE_CLUSTER), the
 * length of struct swap_table's entries[]. Resolved only where
 * wrapper/swapcount.h reads counts from the swap table; without them
 * swap_pss is unavailable (`-`).
 */
static struct {
	u32 cluster_size, lock, table, extend_table;
	u32 slots;
} swap_lay __ro_after_init;

static bool swap_layout_ok __ro_after_init;
static char swap_layout_error[128] __ro_after_init = "swap table layouts not resolved";

static int swap_error(int ret, const char *sname, const char *mname)
{
	snprintf(swap_layout_error, sizeof(swap_layout_error), "%s of %s %s (%d)",
		 mname, sname, ret == -ESRCH || ret == -ENOENT ? "not in BTF" :
		 ret ? "malformed in BTF" : "has an unexpected type in BTF", ret);
	return -EINVAL;
}

static int resolve_swap_ptr(const struct memacct_btf *btf, const char *mname, u32 *off)
{
	struct memacct_btf_member m;
	int ret;

	ret = lookup(btf, "swap_cluster_info", mname, &m);
	if (ret || m.kind != BTF_KIND_PTR || !plain(&m, sizeof(void *), sizeof(void *)))
		return swap_error(ret, "swap_cluster_info", mname);
	*off = m.bit_offset / 8;
	return 0;
}

static int resolve_swap(const struct memacct_btf *btf)
{
	struct memacct_btf_member m;
	int ret;

	ret = lookup(btf, "swap_cluster_info", "lock", &m);
	if (ret || strcmp(m.type_name, "spinlock_t") ||
	    !plain(&m, sizeof(spinlock_t), sizeof(u32)))
		return swap_error(ret, "swap_cluster_info", "lock");
	swap_lay.lock = m.bit_offset / 8;
	swap_lay.cluster_size = m.struct_size;
	if (resolve_swap_ptr(btf, "table", &swap_lay.table) ||
	    resolve_swap_ptr(btf, "extend_table", &swap_lay.extend_table))
		return -EINVAL;
	ret = lookup(btf, "swap_table", "entries", &m);
	if (ret || m.kind != BTF_KIND_ARRAY || strcmp(m.elem_name, "atomic_long_t") ||
	    !m.nelems || m.bitfield_size || m.size != m.nelems * sizeof(atomic_long_t))
		return swap_error(ret, "swap_table", "entries");
	swap_lay.slots = m.nelems;
	return 0;
}

/* The whole of /sys/kernel/btf/vmlinux in a kvmalloc()ed buffer. */
static void *btf_read(size_t *sizep)
{
	size_t size, have = 0;
	struct file *f;
	loff_t pos = 0;
	ssize_t n;
	void *buf;
	char c;

	f = filp_open(BTF_PATH, O_RDONLY, 0);
	if (IS_ERR(f))
		return f;
	size = i_size_read(file_inode(f));
	buf = ERR_PTR(-EFBIG);
	if (!size || size > BTF_MAX_SIZE)
		goto out;
	buf = kvmalloc(size, GFP_KERNEL);
	if (!buf) {
		buf = ERR_PTR(-ENOMEM);
		goto out;
	}
	while (have < size) {
		n = kernel_read(f, buf + have, size - have, &pos);
		if (n <= 0)
			break;
		have += n;
	}
	/* all of it, and no more than its size said */
	if (have != size || kernel_read(f, &c, 1, &pos) != 0) {
		kvfree(buf);
		buf = ERR_PTR(-EIO);
	}
out:
	filp_close(f, NULL);
	*sizep = size;
	return buf;
}

/*
 * Reads the BTF and resolves the layouts; never fails the load: without
 * them, `slab` says why. The time and memory it took are logged at debug
 * level (dyndbg="+p").
 */
void memacct_btf_init(void)
{
	u64 t0 = ktime_get_ns(), t1;
	struct memacct_btf btf;
	u32 *index = NULL;
	size_t size = 0;
	void *data;
	int ret;

	data = btf_read(&size);
	if (IS_ERR(data)) {
		snprintf(slab_layout_error, sizeof(slab_layout_error),
			 "cannot read %s (%ld)", BTF_PATH, PTR_ERR(data));
		goto out;
	}
	t1 = ktime_get_ns();
	ret = memacct_btf_open(&btf, data, size);
	if (!ret) {
		index = kvmalloc_array(btf.nr_types + 1, sizeof(*index), GFP_KERNEL);
		ret = index ? memacct_btf_index(&btf, index) : -ENOMEM;
	}
	if (ret)
		snprintf(slab_layout_error, sizeof(slab_layout_error),
			 "%s malformed (%d)", BTF_PATH, ret);
	else if (!resolve_fields(&btf))
		slab_layout_ok = true;
	if (MEMACCT_SWAP_TABLE) {
		if (ret)
			strscpy(swap_layout_error, slab_layout_error, sizeof(swap_layout_error));
		else if (!resolve_swap(&btf))
			swap_layout_ok = true;
	}
	pr_debug("memacct: BTF: %zu bytes read in %llu us, %u types (index %zu bytes) parsed in %llu us\n",
		 size, (t1 - t0) / 1000, btf.nr_types,
		 (size_t)(btf.nr_types + 1) * sizeof(*index), (ktime_get_ns() - t1) / 1000);
	kvfree(index);
	kvfree(data);
out:
	if (!slab_layout_ok)
		pr_info("memacct: slab unavailable: %s\n", slab_layout_error);
	if (MEMACCT_SWAP_TABLE && !swap_layout_ok) {
		if (IS_ERR(data))
			strscpy(swap_layout_error, slab_layout_error, sizeof(swap_layout_error));
		pr_info("memacct: swap_pss unavailable: %s\n", swap_layout_error);
	}
}

/* NULL when the slab layouts are known, else why they are not. */
const char *memacct_slab_layout_error(void)
{
	return slab_layout_ok ? NULL : slab_layout_error;
}

static void *at(const void *p, u32 off)
{
	return (char *)p + off;
}

/* The cache whose `list` member is @list (an entry of slab_caches). */
struct kmem_cache *memacct_kmem_cache_of(struct list_head *list)
{
	return (struct kmem_cache *)((char *)list - lay.cache_list);
}

const char *memacct_kmem_cache_name(struct kmem_cache *s)
{
	return READ_ONCE(*(const char **)at(s, lay.cache_name));
}

unsigned int memacct_kmem_cache_size(struct kmem_cache *s)
{
	return *(unsigned int *)at(s, lay.cache_size);
}

/* kmem_cache_order_objects: order << 16 | objects per slab (mm/slub.c) */
unsigned int memacct_kmem_cache_oo(struct kmem_cache *s)
{
	return READ_ONCE(*(unsigned int *)at(s, lay.cache_oo));
}

slab_flags_t memacct_kmem_cache_flags(struct kmem_cache *s)
{
	return *(slab_flags_t *)at(s, lay.cache_flags);
}

/* The cache's data for NUMA node @node, or NULL. */
struct kmem_cache_node *memacct_kmem_cache_node(struct kmem_cache *s, int node)
{
	if (node < 0 || (u32)node >= lay.cache_nodes)
		return NULL;
	return READ_ONCE(*(struct kmem_cache_node **)at(s, lay.cache_node +
							 node * lay.cache_node_stride));
}

spinlock_t *memacct_kmem_cache_node_lock(struct kmem_cache_node *n)
{
	return at(n, lay.node_lock);
}

unsigned long memacct_kmem_cache_node_nr_partial(struct kmem_cache_node *n)
{
	return READ_ONCE(*(unsigned long *)at(n, lay.node_nr_partial));
}

struct list_head *memacct_kmem_cache_node_partial(struct kmem_cache_node *n)
{
	return at(n, lay.node_partial);
}

long memacct_kmem_cache_node_nr_slabs(struct kmem_cache_node *n)
{
	return atomic_long_read(at(n, lay.node_nr_slabs));
}

long memacct_kmem_cache_node_total_objects(struct kmem_cache_node *n)
{
	return atomic_long_read(at(n, lay.node_total_objects));
}

/* The slab whose `slab_list` member is @list (an entry of a partial list). */
struct slab *memacct_slab_of(struct list_head *list)
{
	return (struct slab *)((char *)list - lay.slab_list);
}

static unsigned int read_bits(const void *p, const struct memacct_bits *b)
{
	return (READ_ONCE(*(u32 *)at(p, b->word)) >> b->shift) & b->mask;
}

unsigned int memacct_slab_inuse(struct slab *slab)
{
	return read_bits(slab, &lay.slab_inuse);
}

unsigned int memacct_slab_objects(struct slab *slab)
{
	return read_bits(slab, &lay.slab_objects);
}

/* NULL when the swap table's layouts are known, else why they are not. */
const char *memacct_swap_layout_error(void)
{
	return swap_layout_ok ? NULL : swap_layout_error;
}

/*
 * The cluster of slot @offset in the array @clusters (a swap device's
 * cluster_info), and the slot's index in the cluster's table; NULL when
 * there is no array. Only when memacct_swap_layout_error() is NULL.
 */
struct swap_cluster_info *memacct_swap_cluster(struct swap_cluster_info *clusters,
					       unsigned long offset, unsigned int *slot)
{
	if (!clusters)
		return NULL;
	*slot = offset % swap_lay.slots;
	return at(clusters, (offset / swap_lay.slots) * swap_lay.cluster_size);
}

spinlock_t *memacct_swap_cluster_lock(struct swap_cluster_info *ci)
{
	return at(ci, swap_lay.lock);
}

/* The cluster's table: one atomic_long_t per slot, or NULL (under its lock) */
atomic_long_t *memacct_swap_cluster_table(struct swap_cluster_info *ci)
{
	return READ_ONCE(*(atomic_long_t **)at(ci, swap_lay.table));
}

/* The counts past the table's maximum, or NULL (under the cluster's lock) */
unsigned int *memacct_swap_cluster_extend_table(struct swap_cluster_info *ci)
{
	return READ_ONCE(*(unsigned int **)at(ci, swap_lay.extend_table));
}
