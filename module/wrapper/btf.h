/* SPDX-License-Identifier: GPL-2.0 */
/* memacct compat: the BTF format (see ../compat.h). */
#ifndef MEMACCT_WRAPPER_BTF_H
#define MEMACCT_WRAPPER_BTF_H

/*
 * Included after <uapi/linux/btf.h> (the kernel's, or in userspace the
 * system's), by btf_parse.c, which must know the record length of every
 * kind. The kinds were macros up to 5.15 and an enum since; 5.10's header
 * stops at BTF_KIND_DATASEC (15) and reads the kind with a 4-bit mask.
 * The format itself is the same: the later kinds and struct btf_enum64
 * are defined here as the newer header has them. U32_MAX is in
 * <linux/limits.h>, which 5.10's <linux/string.h> does not include.
 */
#include <linux/limits.h>

#ifdef BTF_KIND_MAX
#ifndef BTF_KIND_FLOAT
#define BTF_KIND_FLOAT		16
#endif
#ifndef BTF_KIND_DECL_TAG
#define BTF_KIND_DECL_TAG	17
#endif
#ifndef BTF_KIND_TYPE_TAG
#define BTF_KIND_TYPE_TAG	18
#endif
#ifndef BTF_KIND_ENUM64
#define BTF_KIND_ENUM64		19
struct btf_enum64 {
	__u32	name_off;
	__u32	val_lo32;
	__u32	val_hi32;
};
#endif
#undef BTF_INFO_KIND
#define BTF_INFO_KIND(info)	(((info) >> 24) & 0x1f)
#endif

#endif
