// SPDX-License-Identifier: GPL-2.0
/*
 * memacct: finds struct members by name in a BTF blob (see btf_parse.h).
 *
 * Errors: -EINVAL a malformed blob (header, section bounds, a record past
 * its section, a type id or string offset out of range), -EOPNOTSUPP a
 * type kind this parser does not know (its record length is unknown),
 * -ESRCH no struct of that name, -ENOENT no member of that name,
 * -ENOTUNIQ two structs of that name that disagree on the member, -ELOOP
 * a chain of typedefs, qualifiers, arrays or anonymous members too long.
 */
#include <linux/types.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <uapi/linux/btf.h>
#include "wrapper/btf.h"
#include "btf_parse.h"

#define BTF_MAX_DEPTH 32	/* typedef/qualifier/array/anonymous nesting */
#define BTF_MAX_VISITS 100000	/* members looked at for one struct */

/* Bytes of the data that follows a type record of this kind. */
static int btf_extra(const struct btf_type *t, u32 *extra)
{
	u64 vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		*extra = 4;
		return 0;
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		*extra = 0;
		return 0;
	case BTF_KIND_ARRAY:
		*extra = sizeof(struct btf_array);
		return 0;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		*extra = vlen * sizeof(struct btf_member);
		return 0;
	case BTF_KIND_ENUM:
		*extra = vlen * sizeof(struct btf_enum);
		return 0;
	case BTF_KIND_FUNC_PROTO:
		*extra = vlen * sizeof(struct btf_param);
		return 0;
	case BTF_KIND_DATASEC:
		*extra = vlen * sizeof(struct btf_var_secinfo);
		return 0;
	case BTF_KIND_ENUM64:
		*extra = vlen * sizeof(struct btf_enum64);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * Walks every type record, checking that it lies inside the type section;
 * stores each one's offset in @index[1..] when @index is not NULL.
 */
static int btf_walk(struct memacct_btf *btf, u32 *index)
{
	u32 off = 0, n = 0, extra;
	const struct btf_type *t;
	int ret;

	while (off < btf->types_len) {
		if (btf->types_len - off < sizeof(*t))
			return -EINVAL;
		t = (const struct btf_type *)(btf->types + off);
		ret = btf_extra(t, &extra);
		if (ret)
			return ret;
		if (btf->types_len - off - sizeof(*t) < extra)
			return -EINVAL;
		if (n == U32_MAX - 1)
			return -EINVAL;
		n++;
		if (index)
			index[n] = off;
		off += sizeof(*t) + extra;
	}
	if (index && n != btf->nr_types)
		return -EINVAL;
	btf->nr_types = n;
	return 0;
}

/*
 * Checks the header and the section bounds of @size bytes at @data, and
 * every type record's length; on success btf->nr_types says how many u32
 * (plus one) memacct_btf_index() needs.
 */
/*
 * The header's fields up to str_len: what the parser reads. 7.x's uapi
 * header adds layout_off and layout_len (sizeof 32), but its own kernels'
 * BTF still has a 24-byte header (hdr_len 24): a header only needs these.
 */
#define BTF_HDR_MIN (__builtin_offsetof(struct btf_header, str_len) + sizeof(u32))

int memacct_btf_open(struct memacct_btf *btf, const void *data, size_t size)
{
	const struct btf_header *hdr = data;
	u64 types_start, strs_start, body;

	memset(btf, 0, sizeof(*btf));
	if (!data || size < BTF_HDR_MIN || size > U32_MAX)
		return -EINVAL;
	if (hdr->magic != BTF_MAGIC || hdr->version != BTF_VERSION || hdr->flags)
		return -EINVAL;
	if (hdr->hdr_len < BTF_HDR_MIN || hdr->hdr_len > size)
		return -EINVAL;
	body = size - hdr->hdr_len;
	if ((u64)hdr->type_off + hdr->type_len > body ||
	    (u64)hdr->str_off + hdr->str_len > body)
		return -EINVAL;
	types_start = (u64)hdr->hdr_len + hdr->type_off;
	strs_start = (u64)hdr->hdr_len + hdr->str_off;
	/* records are read in place: u32 fields, 4-byte aligned */
	if ((types_start | hdr->type_len) & 3 || ((unsigned long)data & 3))
		return -EINVAL;
	/* string 0 is "", and the section ends with a NUL */
	if (!hdr->str_len || ((const char *)data)[strs_start] ||
	    ((const char *)data)[strs_start + hdr->str_len - 1])
		return -EINVAL;
	btf->types = (const u8 *)data + types_start;
	btf->types_len = hdr->type_len;
	btf->strs = (const char *)data + strs_start;
	btf->strs_len = hdr->str_len;
	return btf_walk(btf, NULL);
}

/* Fills @index (btf->nr_types + 1 entries) and makes types addressable by id. */
int memacct_btf_index(struct memacct_btf *btf, u32 *index)
{
	int ret = btf_walk(btf, index);

	if (!ret)
		btf->index = index;
	return ret;
}

static const char *btf_str(const struct memacct_btf *btf, u32 off)
{
	/* the section ends with a NUL (memacct_btf_open()) */
	return off < btf->strs_len ? btf->strs + off : NULL;
}

static const struct btf_type *btf_type(const struct memacct_btf *btf, u32 id)
{
	if (!id || id > btf->nr_types)
		return NULL;
	return (const struct btf_type *)(btf->types + btf->index[id]);
}

static bool btf_is_modifier(u32 kind)
{
	return kind == BTF_KIND_TYPEDEF || kind == BTF_KIND_VOLATILE ||
	       kind == BTF_KIND_CONST || kind == BTF_KIND_RESTRICT ||
	       kind == BTF_KIND_TYPE_TAG;
}

static bool btf_is_qualifier(u32 kind)
{
	return kind != BTF_KIND_TYPEDEF && btf_is_modifier(kind);
}

/*
 * Type @id with typedefs and qualifiers skipped, its size in bytes, and
 * the name of the first type in the chain that is not a qualifier.
 */
static int btf_resolve(const struct memacct_btf *btf, u32 id, int depth,
		       const struct btf_type **out, u32 *size, const char **name)
{
	const struct btf_type *t, *elem;
	const struct btf_array *arr;
	u32 kind, elem_size;
	int hops, ret;

	if (depth > BTF_MAX_DEPTH)
		return -ELOOP;
	if (name)
		*name = NULL;
	for (hops = 0; ; hops++) {
		if (hops > BTF_MAX_DEPTH)
			return -ELOOP;
		t = btf_type(btf, id);
		if (!t)
			return -EINVAL;
		kind = BTF_INFO_KIND(t->info);
		if (name && !*name && !btf_is_qualifier(kind)) {
			*name = btf_str(btf, t->name_off);
			if (!*name)
				return -EINVAL;
		}
		if (!btf_is_modifier(kind))
			break;
		id = t->type;
	}
	*out = t;
	switch (kind) {
	case BTF_KIND_INT:
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
		*size = t->size;
		return 0;
	case BTF_KIND_PTR:
		*size = sizeof(void *);
		return 0;
	case BTF_KIND_ARRAY:
		arr = (const struct btf_array *)(t + 1);
		ret = btf_resolve(btf, arr->type, depth + 1, &elem, &elem_size, NULL);
		if (ret)
			return ret;
		if (elem_size && arr->nelems > U32_MAX / elem_size)
			return -EINVAL;
		*size = arr->nelems * elem_size;
		return 0;
	default:		/* FWD, FUNC_PROTO...: no size a member can have */
		*size = 0;
		return 0;
	}
}

static int btf_describe(const struct memacct_btf *btf, u32 id,
			struct memacct_btf_member *m)
{
	const struct btf_type *t, *elem;
	const struct btf_array *arr;
	u32 elem_size, data;
	int ret;

	ret = btf_resolve(btf, id, 0, &t, &m->size, &m->type_name);
	if (ret)
		return ret;
	m->kind = BTF_INFO_KIND(t->info);
	if (m->kind == BTF_KIND_INT) {
		data = *(const u32 *)(t + 1);
		m->int_encoding = BTF_INT_ENCODING(data);
		/* a bitfield in the old encoding (struct without kind_flag) */
		if (!m->bitfield_size &&
		    (BTF_INT_OFFSET(data) || BTF_INT_BITS(data) != (u64)m->size * 8)) {
			if (BTF_INT_OFFSET(data) > U32_MAX - m->bit_offset)
				return -EINVAL;
			m->bit_offset += BTF_INT_OFFSET(data);
			m->bitfield_size = BTF_INT_BITS(data);
		}
	} else if (m->kind == BTF_KIND_ARRAY) {
		arr = (const struct btf_array *)(t + 1);
		ret = btf_resolve(btf, arr->type, 1, &elem, &elem_size, &m->elem_name);
		if (ret)
			return ret;
		m->nelems = arr->nelems;
		m->elem_kind = BTF_INFO_KIND(elem->info);
	}
	if (m->bitfield_size && (m->bitfield_size > 64 || m->bitfield_size > (u64)m->size * 8))
		return -EINVAL;
	return 0;
}

/*
 * Member @name of struct or union @t, whose offset is @base bits. @visits
 * bounds the work: anonymous members of a malformed blob can form a graph
 * whose paths multiply with the depth.
 */
static int btf_find_in(const struct memacct_btf *btf, const struct btf_type *t,
		       const char *name, u32 base, int depth, u32 *visits,
		       struct memacct_btf_member *m)
{
	const struct btf_member *mem = (const struct btf_member *)(t + 1);
	bool kflag = BTF_INFO_KFLAG(t->info);
	u32 i, vlen = BTF_INFO_VLEN(t->info), off, anon_size;
	const struct btf_type *anon;
	const char *mname;
	int ret;

	if (depth > BTF_MAX_DEPTH)
		return -ELOOP;
	for (i = 0; i < vlen; i++, mem++) {
		if (++*visits > BTF_MAX_VISITS)
			return -ELOOP;
		mname = btf_str(btf, mem->name_off);
		if (!mname)
			return -EINVAL;
		off = kflag ? BTF_MEMBER_BIT_OFFSET(mem->offset) : mem->offset;
		if (off > U32_MAX - base)
			return -EINVAL;
		if (!*mname) {	/* an anonymous struct or union: look inside */
			ret = btf_resolve(btf, mem->type, depth + 1, &anon, &anon_size, NULL);
			if (ret)
				return ret;
			if (BTF_INFO_KIND(anon->info) != BTF_KIND_STRUCT &&
			    BTF_INFO_KIND(anon->info) != BTF_KIND_UNION)
				continue;
			ret = btf_find_in(btf, anon, name, base + off, depth + 1, visits, m);
			if (ret != -ENOENT)
				return ret;
			continue;
		}
		if (strcmp(mname, name))
			continue;
		memset(m, 0, sizeof(*m));
		m->bit_offset = base + off;
		m->bitfield_size = kflag ? BTF_MEMBER_BITFIELD_SIZE(mem->offset) : 0;
		return btf_describe(btf, mem->type, m);
	}
	return -ENOENT;
}

static bool btf_same_member(const struct memacct_btf_member *a,
			    const struct memacct_btf_member *b)
{
	return a->struct_size == b->struct_size && a->bit_offset == b->bit_offset &&
	       a->bitfield_size == b->bitfield_size && a->size == b->size &&
	       a->kind == b->kind && a->nelems == b->nelems &&
	       a->elem_kind == b->elem_kind && !strcmp(a->type_name, b->type_name) &&
	       !strcmp(a->elem_name, b->elem_name);
}

/*
 * Member @member_name of struct @struct_name, looked for in every struct
 * of that name (a deduplicated vmlinux BTF has one; if there are several,
 * they must agree).
 */
int memacct_btf_member(const struct memacct_btf *btf, const char *struct_name,
		       const char *member_name, struct memacct_btf_member *member)
{
	struct memacct_btf_member m;
	const struct btf_type *t;
	const char *name;
	bool structs = false, found = false;
	u32 id, visits;
	int ret;

	if (!btf->index)
		return -EINVAL;
	for (id = 1; id <= btf->nr_types; id++) {
		t = btf_type(btf, id);
		if (BTF_INFO_KIND(t->info) != BTF_KIND_STRUCT)
			continue;
		name = btf_str(btf, t->name_off);
		if (!name)
			return -EINVAL;
		if (strcmp(name, struct_name))
			continue;
		visits = 0;
		ret = btf_find_in(btf, t, member_name, 0, 0, &visits, &m);
		if (!ret && (m.bitfield_size ? (u64)m.bit_offset + m.bitfield_size :
			     (u64)m.bit_offset + (u64)m.size * 8) > (u64)t->size * 8)
			ret = -EINVAL;	/* past the end of its struct */
		if (ret == -ENOENT && found)
			return -ENOTUNIQ;
		if (ret && ret != -ENOENT)
			return ret;
		if (!ret) {
			m.struct_size = t->size;
			if (!m.type_name)
				m.type_name = "";
			if (!m.elem_name)
				m.elem_name = "";
			if (structs && (!found || !btf_same_member(&m, member)))
				return -ENOTUNIQ;
			*member = m;
			found = true;
		}
		structs = true;
	}
	if (!structs)
		return -ESRCH;
	return found ? 0 : -ENOENT;
}
