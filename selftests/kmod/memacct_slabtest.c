// SPDX-License-Identifier: GPL-2.0
/*
 * memacct_slabtest: a selftest helper module. Creates the slab cache
 * "memacct_test" with objects of @objsize bytes and allocates @count of
 * them; unloading frees them and destroys the cache. The constructor keeps
 * SLUB from merging the cache with another one of the same size.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/mm.h>

static unsigned int objsize = 200;
module_param(objsize, uint, 0444);
static unsigned int count = 1000;
module_param(count, uint, 0444);

static struct kmem_cache *cache;
static void **objs;

static void test_ctor(void *obj)
{
	memset(obj, 0x5a, objsize);
}

static void free_all(void)
{
	unsigned int i;

	for (i = 0; i < count && objs[i]; i++)
		kmem_cache_free(cache, objs[i]);
	kvfree(objs);
	kmem_cache_destroy(cache);
}

static int __init slabtest_init(void)
{
	unsigned int i;

	if (!objsize || objsize > PAGE_SIZE || !count || count > 1000000)
		return -EINVAL;
	cache = kmem_cache_create("memacct_test", objsize, 0, 0, test_ctor);
	if (!cache)
		return -ENOMEM;
	objs = kvcalloc(count, sizeof(*objs), GFP_KERNEL);
	if (!objs) {
		kmem_cache_destroy(cache);
		return -ENOMEM;
	}
	for (i = 0; i < count; i++) {
		objs[i] = kmem_cache_alloc(cache, GFP_KERNEL);
		if (!objs[i]) {
			free_all();
			return -ENOMEM;
		}
	}
	return 0;
}

static void __exit slabtest_exit(void)
{
	free_all();
}

module_init(slabtest_init);
module_exit(slabtest_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("memacct selftest helper: a slab cache of known size");
