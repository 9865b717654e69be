# SPDX-License-Identifier: GPL-2.0
#
# Build-time feature probes, as ZFS's configure checks do: a few lines
# compiled against the headers of the kernel being built for, with that
# kernel's compiler and flags. Where a distribution backports a change
# (Debian's 6.12 got get_mm_counter_sum() in 6.12.39), a probe is right
# where a version number is not. Each probe that compiles adds
# -DMEMACCT_HAVE_<NAME> to ccflags-y; wrapper/ headers test those macros.
#
# Read by Kbuild, so these run in the kernel's build directory with its
# $(CC), include paths and flags, on the host or in a suite's chroot.

memacct_probe_cc = $(CC) $(NOSTDINC_FLAGS) $(LINUXINCLUDE) $(KBUILD_CPPFLAGS) \
	$(KBUILD_CFLAGS) -include $(srctree)/include/linux/compiler_types.h \
	-Werror=implicit-function-declaration -Werror=incompatible-pointer-types \
	-Werror=int-conversion -c -x c - -o /dev/null

# $(call memacct_probe,NAME,headers,function body of p): -DMEMACCT_HAVE_NAME
# if the body compiles after an #include of each header, else nothing
memacct_probe = $(shell { printf '\043include <%s>\n' $(2); \
	printf 'void memacct_probe(void *p);\nvoid memacct_probe(void *p)\n{\n%s\n}\n' '$(3)'; } | \
	$(memacct_probe_cc) >/dev/null 2>&1 && echo -DMEMACCT_HAVE_$(1))

# A probe that must compile: if it does not, the probes themselves are
# broken on this kernel (flags, paths) and every answer would be "no".
ifeq ($(call memacct_probe,SANITY,linux/mm.h,(void)((struct mm_struct *)p)->mmap_base;),)
$(error memacct: the feature probes (module/probes.mk) cannot compile against these headers)
endif

# get_mm_counter_sum(): "mm: fix the inaccurate memory statistics issue
# for users" (6.16, backported to 6.12.39) added it and made status use it.
ccflags-y += $(call memacct_probe,GET_MM_COUNTER_SUM,linux/mm.h,\
	(void)get_mm_counter_sum((struct mm_struct *)p, MM_ANONPAGES);)

# get_mm_rss_sum(): came (7.x) with oom_badness() reading the per-CPU sums.
ccflags-y += $(call memacct_probe,GET_MM_RSS_SUM,linux/mm.h,\
	(void)get_mm_rss_sum((struct mm_struct *)p);)

# mm_flags_test(): 6.18 made mm->flags a bitmap read through it.
ccflags-y += $(call memacct_probe,MM_FLAGS_TEST,linux/mm.h,\
	(void)mm_flags_test(MMF_OOM_SKIP, (struct mm_struct *)p);)

# <linux/leafops.h>: the softleaf API (6.19) that replaced the swap-entry
# helpers for reading non-present page table entries.
ccflags-y += $(call memacct_probe,LEAFOPS,linux/swap.h linux/leafops.h,\
	(void)softleaf_from_pte(*(pte_t *)p);)

# Per-VMA locks, in the two forms the targets have (wrapper/vmalock.h):
# 6.4-6.12's rwsem in a struct vma_lock, taken by the inline
# vma_start_read(); 7.x's vm_refcnt, with lock_vma_under_rcu() exported.
ccflags-y += $(call memacct_probe,VMA_LOCK_RWSEM,linux/mm.h,\
	struct vm_area_struct *v = p; \
	if (vma_start_read(v) && !v->detached && !rwsem_is_contended(&v->vm_lock->lock)) \
		vma_end_read(v);)
ccflags-y += $(call memacct_probe,VMA_LOCK_REFCNT,linux/mm.h linux/mmap_lock.h,\
	struct vm_area_struct *v = lock_vma_under_rcu((struct mm_struct *)p, 0); \
	if (vma_start_read_locked(v) && \
	    (refcount_read(&v->vm_refcnt) & VM_REFCNT_EXCLUDE_READERS_FLAG)) \
		vma_end_read(v);)

$(info memacct: feature probes found: $(patsubst -DMEMACCT_HAVE_%,%,$(filter -DMEMACCT_HAVE_%,$(ccflags-y))))
