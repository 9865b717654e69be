/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pmap -X's columns (procps 4.0.2 on a 6.12 kernel), in its order, each
 * with the memacct vmas column that holds the same figure. Shared by the
 * reader's fixture test (test_reader.c) and the VM test that runs procps'
 * pmap (reader_test.c).
 */
#ifndef MEMACCT_PMAP_X_COLUMNS_H
#define MEMACCT_PMAP_X_COLUMNS_H

static const char *const pmap_x_columns[][2] = {
	{ "Address", "start" }, { "Perm", "perms" }, { "Offset", "offset" },
	{ "Device", "dev" }, { "Inode", "inode" }, { "Size", "vss" }, { "Rss", "rss" },
	{ "Pss", "pss" }, { "Pss_Dirty", "pss_dirty" }, { "Referenced", "referenced" },
	{ "Anonymous", "anon" }, { "KSM", "ksm" }, { "LazyFree", "lazyfree" },
	{ "ShmemPmdMapped", "shmem_pmd_mapped" }, { "FilePmdMapped", "file_pmd_mapped" },
	{ "Shared_Hugetlb", "hugetlb_shared" }, { "Private_Hugetlb", "hugetlb_private" },
	{ "Swap", "swap" }, { "SwapPss", "swap_pss" }, { "Locked", "locked" },
	{ "THPeligible", "thp_eligible" }, { "Mapping", "name" },
};

#define PMAP_X_NCOLUMNS (sizeof(pmap_x_columns) / sizeof(pmap_x_columns[0]))

#endif
