/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memacct: a parser of the kernel's BTF (include/uapi/linux/btf.h) that
 * finds struct members by name. Pure: no allocation, no locking, no kernel
 * API beyond <linux/types.h>, <linux/string.h> and <linux/errno.h>, so that
 * selftests/btf/ builds the same file in userspace and runs it against
 * truncated and corrupted blobs. The blob is untrusted input: every offset,
 * length, type id and string is checked before it is used.
 */
#ifndef MEMACCT_BTF_PARSE_H
#define MEMACCT_BTF_PARSE_H

#include <linux/types.h>

/* A validated blob. Filled by memacct_btf_open() and memacct_btf_index(). */
struct memacct_btf {
	const u8 *types;	/* the type section */
	const char *strs;	/* the string section */
	u32 types_len;
	u32 strs_len;
	u32 nr_types;		/* type ids 1..nr_types (0 is void) */
	const u32 *index;	/* offset in types of id i, for 1 <= i <= nr_types */
};

/* A member, as found in a struct (through anonymous structs and unions). */
struct memacct_btf_member {
	u32 struct_size;	/* bytes of the struct it was found in */
	u32 bit_offset;		/* from the start of that struct */
	u32 bitfield_size;	/* bits, or 0 when not a bitfield */
	u32 size;		/* bytes of its type */
	u32 kind;		/* BTF_KIND_* of its type, typedefs and qualifiers skipped */
	u32 int_encoding;	/* BTF_INT_ENCODING when kind is INT */
	u32 nelems;		/* kind ARRAY: elements */
	u32 elem_kind;		/* kind ARRAY: kind of an element, resolved */
	const char *elem_name;	/* kind ARRAY: its type's name ("" if none) */
	const char *type_name;	/* its type's name, qualifiers skipped ("" if none) */
};

int memacct_btf_open(struct memacct_btf *btf, const void *data, size_t size);
int memacct_btf_index(struct memacct_btf *btf, u32 *index);
int memacct_btf_member(const struct memacct_btf *btf, const char *struct_name,
		       const char *member_name, struct memacct_btf_member *member);

#endif /* MEMACCT_BTF_PARSE_H */
