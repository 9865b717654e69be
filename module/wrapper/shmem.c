// SPDX-License-Identifier: GPL-2.0
/* memacct compat: shmem mappings (see shmem.h). */
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/err.h>
#include <linux/mm.h>
#include "shmem.h"

#ifdef MEMACCT_SHMEM_AOPS_LEARNED
const struct address_space_operations *memacct_shmem_aops __ro_after_init;

/*
 * &shmem_aops, from the mapping of a shmem file made for the purpose
 * (VM_NORESERVE: nothing is charged; it is never written). Without it no
 * mapping counts as shmem: Swap of shmem mappings is then not counted,
 * which the load log says.
 */
int __init memacct_shmem_init(void)
{
	struct file *file;

	if (!IS_ENABLED(CONFIG_SHMEM))
		return 0;
	file = shmem_file_setup("memacct", 0, VM_NORESERVE);
	if (IS_ERR(file)) {
		pr_info("memacct: shmem_file_setup() failed (%ld): shmem swap not counted\n",
			PTR_ERR(file));
		return PTR_ERR(file);
	}
	memacct_shmem_aops = file_inode(file)->i_mapping->a_ops;
	fput(file);
	return 0;
}
#endif
