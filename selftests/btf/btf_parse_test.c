// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of module/btf_parse.c, built in userspace with the shims of
 * shim/ and run under AddressSanitizer and UBSan (see Makefile):
 *
 *  - the good blob (a BTF file, default /sys/kernel/btf/vmlinux) parses,
 *    and every member the module needs resolves with the expected kind,
 *    size and bitfield shape (kmem_cache's per-node pointers as node[] or,
 *    since 7.x, per_node[].node; a kernel without struct slab, before 5.17,
 *    is noted, as the module's `slab` is unavailable there); unknown names
 *    give -ENOENT and -ESRCH;
 *  - copies truncated at many offsets, each in a buffer of exactly its
 *    length (so a read past it is caught), are refused;
 *  - a corrupted header (magic, version, flags, hdr_len, section bounds,
 *    alignment, unterminated strings), string offsets and type ids out of
 *    range, typedef and anonymous-member loops, unknown kinds, a record
 *    past the section and an overflowing array each give an error;
 *  - truncated copies with a consistent header and random byte flips in
 *    the type section are parsed without a crash (no result is required).
 *
 * With --dump, prints the resolved members ("struct.member bit_offset size
 * bitfield_bits") for check-pahole.sh to compare with pahole.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>
#include "../../module/btf_parse.h"

static int failures, passes;

#define CHECK(cond, ...) do {					\
	if (cond) {						\
		passes++;					\
	} else {						\
		failures++;					\
		printf("not ok - ");				\
		printf(__VA_ARGS__);				\
		printf(" (%s:%d)\n", __FILE__, __LINE__);	\
	}							\
} while (0)

/* What the module resolves (module/btf.c's fields[], then the nodes). */
static const struct want {
	const char *sname, *mname;
} wants[] = {
	{ "kmem_cache", "name" }, { "kmem_cache", "size" }, { "kmem_cache", "oo" },
	{ "kmem_cache", "flags" }, { "kmem_cache", "list" },
	{ "kmem_cache_node", "list_lock" }, { "kmem_cache_node", "nr_partial" },
	{ "kmem_cache_node", "partial" }, { "kmem_cache_node", "nr_slabs" },
	{ "kmem_cache_node", "total_objects" },
	{ "slab", "slab_list" }, { "slab", "inuse" }, { "slab", "objects" },
};
#define NWANTS (sizeof(wants) / sizeof(wants[0]))
#define SLAB_WANTS 3	/* the last ones, of struct slab */

/*
 * kmem_cache's per-node pointers, as btf.c finds them: the array node[]
 * in @arr, or the array per_node[] in @arr and its elements' member node
 * in @ptr.
 */
static int lookup_nodes(const struct memacct_btf *btf, struct memacct_btf_member *arr,
			struct memacct_btf_member *ptr)
{
	int ret = memacct_btf_member(btf, "kmem_cache", "node", arr);

	memset(ptr, 0, sizeof(*ptr));
	if (ret != -ENOENT)
		return ret;
	ret = memacct_btf_member(btf, "kmem_cache", "per_node", arr);
	if (ret)
		return ret;
	if (arr->kind != BTF_KIND_ARRAY)
		return -EINVAL;
	return memacct_btf_member(btf, arr->elem_name, "node", ptr);
}

static unsigned char *load(const char *path, size_t *size)
{
	size_t cap = 1 << 20, n;
	unsigned char *buf = malloc(cap);
	FILE *f = fopen(path, "rb");

	*size = 0;
	if (!f || !buf) {
		free(buf);
		if (f)
			fclose(f);
		return NULL;
	}
	while ((n = fread(buf + *size, 1, cap - *size, f)) > 0) {
		*size += n;
		if (*size == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
	}
	fclose(f);
	return realloc(buf, *size ? *size : 1);	/* exactly its size */
}

/* A copy in a buffer of exactly @size bytes. */
static unsigned char *dup_blob(const unsigned char *data, size_t size)
{
	unsigned char *p = malloc(size ? size : 1);

	memcpy(p, data, size);
	return p;
}

/*
 * Open, index and look up every wanted member, as the module does; the
 * first error, or 0. @out (NWANTS entries) gets the members when not NULL.
 */
static int pipeline(const unsigned char *data, size_t size, struct memacct_btf_member *out)
{
	struct memacct_btf_member m, arr, ptr;
	struct memacct_btf btf;
	unsigned int i;
	u32 *index;
	int ret, r;

	ret = memacct_btf_open(&btf, data, size);
	if (ret)
		return ret;
	index = malloc((btf.nr_types + 1) * sizeof(*index));
	ret = memacct_btf_index(&btf, index);
	for (i = 0; !ret && i < NWANTS; i++) {
		r = memacct_btf_member(&btf, wants[i].sname, wants[i].mname, &m);
		if (r)
			ret = r;
		else if (out)
			out[i] = m;
	}
	if (!ret)
		ret = lookup_nodes(&btf, &arr, &ptr);
	free(index);
	return ret;
}

/* pipeline() on a private copy of @size bytes of @data. */
static int pipeline_copy(const unsigned char *data, size_t size)
{
	unsigned char *copy = dup_blob(data, size);
	int ret = pipeline(copy, size, NULL);

	free(copy);
	return ret;
}

struct blob {
	const char *path;
	unsigned char *data;
	size_t size;
	struct memacct_btf btf;
	u32 *index;
};

static struct btf_type *type_of(struct blob *b, unsigned char *data, u32 id)
{
	return (struct btf_type *)(data + ((const unsigned char *)b->btf.types - b->data) +
				   b->index[id]);
}

static u32 find_type(struct blob *b, u32 kind, const char *name)
{
	const struct btf_type *t;
	u32 id;

	for (id = 1; id <= b->btf.nr_types; id++) {
		t = type_of(b, b->data, id);
		if (BTF_INFO_KIND(t->info) == kind && t->name_off < b->btf.strs_len &&
		    !strcmp(b->btf.strs + t->name_off, name))
			return id;
	}
	return 0;
}

static struct btf_member *member_of(struct blob *b, unsigned char *data, u32 id,
				    const char *name)
{
	struct btf_type *t = type_of(b, data, id);
	struct btf_member *m = (struct btf_member *)(t + 1);
	u32 i;

	for (i = 0; i < BTF_INFO_VLEN(t->info); i++, m++)
		if (!strcmp(b->btf.strs + m->name_off, name))
			return m;
	return NULL;
}

static int lookup(unsigned char *data, size_t size, const char *sname, const char *mname)
{
	struct memacct_btf_member m;
	struct memacct_btf btf;
	u32 *index;
	int ret;

	ret = memacct_btf_open(&btf, data, size);
	if (ret)
		return ret;
	index = malloc((btf.nr_types + 1) * sizeof(*index));
	ret = memacct_btf_index(&btf, index);
	if (!ret)
		ret = memacct_btf_member(&btf, sname, mname, &m);
	free(index);
	return ret;
}

static void check_nodes(struct blob *b)
{
	struct memacct_btf_member arr, ptr;
	int ret = lookup_nodes(&b->btf, &arr, &ptr);

	CHECK(ret == 0, "kmem_cache's per-node pointers found (%d)", ret);
	if (ret)
		return;
	if (ptr.kind)	/* per_node[].node */
		CHECK(arr.kind == BTF_KIND_ARRAY && arr.elem_kind == BTF_KIND_STRUCT &&
		      arr.nelems >= 1 && ptr.kind == BTF_KIND_PTR &&
		      (u64)ptr.struct_size * arr.nelems == arr.size,
		      "kmem_cache.per_node is an array of structs holding a node pointer");
	else
		CHECK(arr.kind == BTF_KIND_ARRAY && arr.elem_kind == BTF_KIND_PTR &&
		      arr.nelems >= 1 && arr.size == arr.nelems * sizeof(void *),
		      "kmem_cache.node is an array of pointers");
}

static void test_good(struct blob *b)
{
	struct memacct_btf_member m[NWANTS], x;
	unsigned int i, n = NWANTS;
	int ret;

	if (lookup(b->data, b->size, "slab", "inuse") == -ESRCH) {
		printf("# %s has no struct slab (before 5.17): not checked, the module's slab is unavailable there\n",
		       b->path);
		n -= SLAB_WANTS;
	}
	for (i = 0; i < n; i++) {
		ret = memacct_btf_member(&b->btf, wants[i].sname, wants[i].mname, &m[i]);
		CHECK(ret == 0, "%s.%s resolves (%d)", wants[i].sname, wants[i].mname, ret);
		if (ret)
			return;
		CHECK(m[i].struct_size && m[i].bit_offset / 8 + m[i].size <= m[i].struct_size,
		      "%s.%s inside its struct", wants[i].sname, wants[i].mname);
	}
	CHECK(m[0].kind == BTF_KIND_PTR && m[0].size == sizeof(void *), "kmem_cache.name is a pointer");
	CHECK(m[1].kind == BTF_KIND_INT && m[1].size == 4, "kmem_cache.size is a 4-byte int");
	CHECK(m[2].size == 4, "kmem_cache.oo has 4 bytes");
	CHECK(m[3].size == 4 && !strcmp(m[3].type_name, "slab_flags_t"), "kmem_cache.flags is slab_flags_t");
	CHECK(m[4].kind == BTF_KIND_STRUCT && !strcmp(m[4].type_name, "list_head") &&
	      m[4].size == 16, "kmem_cache.list is a list_head");
	CHECK(!strcmp(m[5].type_name, "spinlock_t"), "kmem_cache_node.list_lock is a spinlock_t");
	CHECK(m[6].kind == BTF_KIND_INT && m[6].size == sizeof(long), "nr_partial is a long");
	CHECK(!strcmp(m[7].type_name, "list_head"), "kmem_cache_node.partial is a list_head");
	CHECK(!strcmp(m[8].type_name, "atomic_long_t") && m[8].size == 8, "nr_slabs is atomic_long_t");
	CHECK(!strcmp(m[9].type_name, "atomic_long_t"), "total_objects is atomic_long_t");
	if (n == NWANTS) {
		CHECK(!strcmp(m[10].type_name, "list_head") && m[10].bit_offset % 64 == 0,
		      "slab.slab_list is an aligned list_head");
		CHECK(m[11].bitfield_size == 16 && m[12].bitfield_size == 15 &&
		      m[12].bit_offset == m[11].bit_offset + 16, "slab.inuse:16 then objects:15");
	}
	check_nodes(b);
	CHECK(lookup(b->data, b->size, "list_head", "prev") == 0, "list_head.prev found");
	CHECK(lookup(b->data, b->size, "kmem_cache", "no_such_member") == -ENOENT,
	      "unknown member: -ENOENT");
	CHECK(lookup(b->data, b->size, "no_such_struct_memacct", "x") == -ESRCH,
	      "unknown struct: -ESRCH");
	ret = memacct_btf_member(&b->btf, "list_head", "next", &x);
	CHECK(ret == 0 && x.bit_offset == 0 && x.kind == BTF_KIND_PTR, "list_head.next at 0");
}

static void test_truncated(struct blob *b)
{
	size_t len, step = b->size / 499 + 1;
	int bad = 0, n = 0, ret;

	for (len = 0; len < b->size; len += (len < 4096 || b->size - len < 64) ? 1 : step) {
		ret = pipeline_copy(b->data, len);
		n++;
		if (ret == 0) {
			bad++;
			printf("# truncated at %zu accepted\n", len);
		}
	}
	CHECK(bad == 0, "%d of %d truncated copies refused", n - bad, n);
	printf("# %d copies truncated at offsets from 0 to %zu refused\n", n - bad, b->size - 1);
}

/* A copy of the good blob, changed by @fn, must give an error (@want, or any if 0). */
static void corrupt(struct blob *b, const char *what, int want, const char *sname,
		    const char *mname, void (*fn)(struct blob *b, unsigned char *copy))
{
	unsigned char *copy = dup_blob(b->data, b->size);
	int ret;

	fn(b, copy);
	ret = sname ? lookup(copy, b->size, sname, mname) : pipeline(copy, b->size, NULL);
	CHECK(want ? ret == want : ret < 0, "%s: %d (want %d)", what, ret, want);
	free(copy);
}

static struct btf_header *hdr(unsigned char *c)
{
	return (struct btf_header *)c;
}

static void c_magic(struct blob *b, unsigned char *c) { hdr(c)->magic = 0x9feb; }
static void c_version(struct blob *b, unsigned char *c) { hdr(c)->version = 2; }
static void c_flags(struct blob *b, unsigned char *c) { hdr(c)->flags = 1; }
static void c_hdr_short(struct blob *b, unsigned char *c) { hdr(c)->hdr_len = 8; }
static void c_hdr_long(struct blob *b, unsigned char *c) { hdr(c)->hdr_len = b->size + 4; }

static void c_types_past(struct blob *b, unsigned char *c)
{
	hdr(c)->type_len = b->size - hdr(c)->hdr_len - hdr(c)->type_off + 4;
}

static void c_strs_past(struct blob *b, unsigned char *c)
{
	hdr(c)->str_len = b->size - hdr(c)->hdr_len - hdr(c)->str_off + 1;
}

static void c_str_off_wrap(struct blob *b, unsigned char *c) { hdr(c)->str_off = 0xffffffff; }
static void c_type_off_wrap(struct blob *b, unsigned char *c) { hdr(c)->type_off = 0xfffffffc; }
static void c_type_misaligned(struct blob *b, unsigned char *c) { hdr(c)->type_off += 2; }

static void c_strs_unterminated(struct blob *b, unsigned char *c)
{
	c[hdr(c)->hdr_len + hdr(c)->str_off + hdr(c)->str_len - 1] = 'x';
}

static void c_struct_name_off(struct blob *b, unsigned char *c)
{
	type_of(b, c, find_type(b, BTF_KIND_STRUCT, "kmem_cache"))->name_off = b->btf.strs_len;
}

static void c_member_name_off(struct blob *b, unsigned char *c)
{
	member_of(b, c, find_type(b, BTF_KIND_STRUCT, "kmem_cache"), "name")->name_off = 0xfffffff0;
}

static void c_member_type_id(struct blob *b, unsigned char *c)
{
	member_of(b, c, find_type(b, BTF_KIND_STRUCT, "kmem_cache"), "name")->type =
		b->btf.nr_types + 1;
}

static void c_typedef_loop(struct blob *b, unsigned char *c)
{
	u32 id = find_type(b, BTF_KIND_TYPEDEF, "spinlock_t");

	type_of(b, c, id)->type = id;
}

/* struct slab, or struct page before 5.17; kmem_cache's node or per_node */
static const char *anon_struct, *node_member;

/* every anonymous member of anon_struct points back to it */
static void c_anon_loop(struct blob *b, unsigned char *c)
{
	u32 id = find_type(b, BTF_KIND_STRUCT, anon_struct);
	struct btf_type *t = type_of(b, c, id);
	struct btf_member *m = (struct btf_member *)(t + 1);
	u32 i;

	for (i = 0; i < BTF_INFO_VLEN(t->info); i++, m++)
		if (!m->name_off)
			m->type = id;
}

/* a union of many anonymous members, each the union itself: paths multiply */
static void c_anon_fanout(struct blob *b, unsigned char *c)
{
	u32 id = find_type(b, BTF_KIND_STRUCT, "kmem_cache");
	struct btf_type *t = type_of(b, c, id);
	struct btf_member *m = (struct btf_member *)(t + 1);
	u32 i;

	for (i = 0; i < BTF_INFO_VLEN(t->info); i++, m++) {
		m->name_off = 0;
		m->type = id;
	}
}

static void c_unknown_kind(struct blob *b, unsigned char *c)
{
	struct btf_type *t = type_of(b, c, find_type(b, BTF_KIND_STRUCT, "kmem_cache"));

	t->info = (t->info & ~(0x1fU << 24)) | (31U << 24);
}

static void c_last_vlen(struct blob *b, unsigned char *c)
{
	type_of(b, c, b->btf.nr_types)->info = BTF_KIND_STRUCT << 24 | 0xffff;
}

static void c_array_overflow(struct blob *b, unsigned char *c)
{
	struct btf_member *m = member_of(b, c, find_type(b, BTF_KIND_STRUCT, "kmem_cache"),
					 node_member);
	struct btf_type *arr = type_of(b, c, m->type);

	((struct btf_array *)(arr + 1))->nelems = 0xffffffff;
}

static void c_member_past_end(struct blob *b, unsigned char *c)
{
	member_of(b, c, find_type(b, BTF_KIND_STRUCT, "kmem_cache"), "name")->offset = 0xfffff0;
}

static void test_corrupt(struct blob *b)
{
	u32 cache = find_type(b, BTF_KIND_STRUCT, "kmem_cache");

	anon_struct = find_type(b, BTF_KIND_STRUCT, "slab") ? "slab" : "page";
	node_member = member_of(b, b->data, cache, "node") ? "node" : "per_node";
	corrupt(b, "bad magic", -EINVAL, NULL, NULL, c_magic);
	corrupt(b, "bad version", -EINVAL, NULL, NULL, c_version);
	corrupt(b, "flags set", -EINVAL, NULL, NULL, c_flags);
	corrupt(b, "hdr_len too short", -EINVAL, NULL, NULL, c_hdr_short);
	corrupt(b, "hdr_len past the end", -EINVAL, NULL, NULL, c_hdr_long);
	corrupt(b, "type section past the end", -EINVAL, NULL, NULL, c_types_past);
	corrupt(b, "string section past the end", -EINVAL, NULL, NULL, c_strs_past);
	corrupt(b, "str_off wraps", -EINVAL, NULL, NULL, c_str_off_wrap);
	corrupt(b, "type_off wraps", -EINVAL, NULL, NULL, c_type_off_wrap);
	corrupt(b, "type section misaligned", -EINVAL, NULL, NULL, c_type_misaligned);
	corrupt(b, "strings unterminated", -EINVAL, NULL, NULL, c_strs_unterminated);
	corrupt(b, "struct name offset out of range", -EINVAL, "kmem_cache_node", "nr_partial",
		c_struct_name_off);
	corrupt(b, "member name offset out of range", -EINVAL, "kmem_cache", "list",
		c_member_name_off);
	corrupt(b, "member type id out of range", -EINVAL, "kmem_cache", "name", c_member_type_id);
	corrupt(b, "typedef loop", -ELOOP, "kmem_cache_node", "list_lock", c_typedef_loop);
	corrupt(b, "anonymous member loop", -ELOOP, anon_struct, "inuse", c_anon_loop);
	corrupt(b, "anonymous member fan-out", -ELOOP, "kmem_cache", "name", c_anon_fanout);
	corrupt(b, "unknown kind", -EOPNOTSUPP, NULL, NULL, c_unknown_kind);
	corrupt(b, "last record past the section", -EINVAL, NULL, NULL, c_last_vlen);
	corrupt(b, "array size overflow", -EINVAL, "kmem_cache", node_member, c_array_overflow);
	corrupt(b, "member past its struct", -EINVAL, "kmem_cache", "name", c_member_past_end);
}

/* Truncated copies whose header is shrunk to match: no crash, any result. */
static void test_truncated_consistent(struct blob *b)
{
	const struct btf_header *h = hdr(b->data);
	size_t types_end = h->hdr_len + h->type_off + h->type_len;
	size_t cut, step = h->type_len / 101 + 1;
	unsigned char *copy;
	int n = 0, errors = 0;

	for (cut = h->hdr_len + h->type_off; cut < types_end; cut += step) {
		copy = dup_blob(b->data, b->size);
		hdr(copy)->type_len = cut - h->hdr_len - h->type_off;
		errors += pipeline(copy, b->size, NULL) != 0;
		free(copy);
		n++;
	}
	CHECK(n > 0, "%d type sections cut short parsed (%d errors, no crash)", n, errors);
}

static void test_fuzz(struct blob *b, unsigned int iterations)
{
	const struct btf_header *h = hdr(b->data);
	size_t start = h->hdr_len + h->type_off;
	unsigned char *copy;
	unsigned int i, k;
	int errors = 0;

	srand(1);
	for (i = 0; i < iterations; i++) {
		copy = dup_blob(b->data, b->size);
		for (k = 0; k < 1 + (unsigned int)rand() % 16; k++) {
			if (i % 10 == 0)	/* anywhere, the header included */
				copy[(size_t)rand() % b->size] = rand();
			else
				copy[start + (size_t)rand() % h->type_len] = rand();
		}
		errors += pipeline(copy, b->size, NULL) != 0;
		free(copy);
	}
	CHECK(1, "fuzz");
	printf("# %u blobs with random bytes changed parsed (%d errors, no crash)\n",
	       iterations, errors);
}

static void dump_member(const char *sname, const char *mname, const struct memacct_btf_member *m)
{
	printf("%s.%s %u %u %u\n", sname, mname, m->bit_offset, m->size, m->bitfield_size);
}

static int dump(struct blob *b)
{
	struct memacct_btf_member m, arr, ptr;
	unsigned int i;
	int ret;

	for (i = 0; i < NWANTS; i++) {
		ret = memacct_btf_member(&b->btf, wants[i].sname, wants[i].mname, &m);
		if (ret == -ESRCH && !strcmp(wants[i].sname, "slab"))
			continue;	/* before 5.17 */
		if (ret) {
			fprintf(stderr, "btf_parse_test: %s.%s: %d\n", wants[i].sname, wants[i].mname, ret);
			return 1;
		}
		dump_member(wants[i].sname, wants[i].mname, &m);
	}
	ret = lookup_nodes(&b->btf, &arr, &ptr);
	if (ret) {
		fprintf(stderr, "btf_parse_test: kmem_cache nodes: %d\n", ret);
		return 1;
	}
	dump_member("kmem_cache", ptr.kind ? "per_node" : "node", &arr);
	if (ptr.kind)
		dump_member(arr.elem_name, "node", &ptr);
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = "/sys/kernel/btf/vmlinux";
	bool dump_only = false;
	struct blob b = { 0 };
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dump"))
			dump_only = true;
		else
			path = argv[i];
	}
	b.path = path;
	b.data = load(path, &b.size);
	if (!b.data || !b.size) {
		printf("# SKIP: cannot read %s\n", path);
		return 4;
	}
	if (memacct_btf_open(&b.btf, b.data, b.size)) {
		printf("not ok - %s does not parse\n", path);
		return 1;
	}
	b.index = malloc((b.btf.nr_types + 1) * sizeof(*b.index));
	if (memacct_btf_index(&b.btf, b.index)) {
		printf("not ok - %s does not index\n", path);
		return 1;
	}
	if (dump_only) {
		i = dump(&b);
	} else {
		printf("# %s: %zu bytes, %u types\n", path, b.size, b.btf.nr_types);
		test_good(&b);
		test_corrupt(&b);
		test_truncated(&b);
		test_truncated_consistent(&b);
		test_fuzz(&b, 1000);
		printf("# btf_parse_test %s: %d passed, %d failed\n", path, passes, failures);
		i = failures ? 1 : 0;
	}
	free(b.index);
	free(b.data);
	return i;
}
