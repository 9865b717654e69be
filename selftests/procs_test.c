// SPDX-License-Identifier: GPL-2.0
/*
 * memacct selftests: the `processes` and `vmas` tables against the kernel's
 * own /proc/PID/smaps_rollup and /proc/PID/status, on stopped processes.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <time.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <signal.h>
#include "lib.h"
#include "kselftest_harness.h"

#define HELPER "/selftests/memhelper"

static pid_t pids[MAX_PROCS];

/* Asserts every one of @n stopped processes equals the oracle. */
static void check_pids(struct __test_metadata *_metadata, const char *args, int n)
{
	char why[2048];
	int i;

	for (i = 0; i < n; i++) {
		why[0] = '\0';
		EXPECT_EQ(0, compare_process(pids[i], why, sizeof(why))) {
			TH_LOG("%s: %s", args, why);
		}
		if (i < 8) {	/* the per-VMA sums, for a few processes */
			EXPECT_EQ(0, compare_vmas_sum(pids[i], why, sizeof(why))) {
				TH_LOG("%s: %s", args, why);
			}
			EXPECT_EQ(0, compare_vmas_ids(pids[i], why, sizeof(why))) {
				TH_LOG("%s: %s", args, why);
			}
		}
	}
}

/* Runs a scenario and asserts every stopped process equals the oracle. */
static void check_scenario(struct __test_metadata *_metadata, const char *args,
			   int expect_procs)
{
	int n;

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	n = helper_start(args, pids, MAX_PROCS);
	ASSERT_EQ(expect_procs, n) {
		helper_stop_all();
	}
	check_pids(_metadata, args, n);
	helper_stop_all();
}

/* A column of the processes row of @pid, or -1. */
static long long proc_col(pid_t pid, const char *col)
{
	struct table t;
	long long v;

	if (table_load(&t, MEMACCT_DIR "/processes"))
		return -1;
	v = table_num(&t, table_find(&t, "pid", pid), col);
	table_free(&t);
	return v;
}

/*
 * Column @col of @pid's processes row, and in *@kernel_kb the kernel's
 * @field of its smaps_rollup (kB; -1 if it cannot be read).
 */
static long long col_and_rollup_kb(pid_t pid, const char *col, const char *field,
				   long long *kernel_kb)
{
	char path[64], *rollup;
	long long v = proc_col(pid, col);

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
	rollup = read_file(path, NULL);
	*kernel_kb = rollup ? rollup_kb(rollup, field) : -1;
	free(rollup);
	return v;
}

FIXTURE(procs) {
	int unused;
};

FIXTURE_SETUP(procs)
{
	if (!module_loaded())
		ASSERT_EQ(0, module_load(NULL));
	/*
	 * Keep khugepaged from changing stopped processes between the two
	 * reads: THP only where madvised, never collapsing over holes.
	 */
	write_file("/sys/kernel/mm/transparent_hugepage/enabled", "madvise");
	write_file("/sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_none", "0");
}

FIXTURE_TEARDOWN(procs)
{
	helper_stop_all();
}

TEST_F(procs, anon_touched_and_untouched)
{
	check_scenario(_metadata, HELPER " anon", 1);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	ASSERT_EQ(1, helper_start(HELPER " anon", pids, MAX_PROCS));
	/* 4 of the 8 MiB touched: at least those are resident and private */
	EXPECT_LE(4 * 1024 * 1024, proc_col(pids[0], "uss"));
	EXPECT_LE(8 * 1024 * 1024, proc_col(pids[0], "vss"));
	helper_stop_all();
}

TEST_F(procs, zero_page_not_counted)
{
	check_scenario(_metadata, HELPER " zero", 1);
}

/*
 * Pages COWed in a private PFN map (/dev/mem): smaps counts them since
 * 6.2 and not before (walk_page_vma() stopped testing VM_PFNMAP); memacct
 * must do as the running kernel does (it counted them on 5.10 and 6.1).
 */
TEST_F(procs, pfnmap_cow_pages_as_smaps)
{
	if (access("/dev/mem", R_OK | W_OK))
		SKIP(return, "no /dev/mem");
	check_scenario(_metadata, HELPER " pfnmap", 1);
}

TEST_F(procs, cow_shared_by_4)
{
	check_scenario(_metadata, HELPER " cow 4", 4);
}

TEST_F(procs, cow_pss_is_quarter)
{
	long long pss_alone, pss_shared;
	int n;

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	n = helper_start(HELPER " cow 1", pids, MAX_PROCS);
	ASSERT_EQ(1, n);
	pss_alone = proc_col(pids[0], "pss_anon");
	helper_stop_all();
	n = helper_start(HELPER " cow 4", pids, MAX_PROCS);
	ASSERT_EQ(4, n);
	pss_shared = proc_col(pids[3], "pss_anon");
	helper_stop_all();
	/* 4 MiB written before fork: each of the 4 gets a quarter of it */
	ASSERT_GE(pss_alone - pss_shared, 3 * 1024 * 1024 - 64 * 1024);
	ASSERT_LE(pss_alone - pss_shared, 3 * 1024 * 1024 + 64 * 1024);
}

TEST_F(procs, memfd_shared_by_5)
{
	check_scenario(_metadata, HELPER " shm 5", 5);
}

TEST_F(procs, file_private_partly_written)
{
	check_scenario(_metadata, HELPER " filepriv", 2);
}

/* PREEMPT_RT kernels are built without THP (it depends on !PREEMPT_RT). */
#define SKIP_WITHOUT_THP()						\
	do {								\
		if (access("/sys/kernel/mm/transparent_hugepage", F_OK))	\
			SKIP(return, "kernel built without THP");	\
	} while (0)

TEST_F(procs, thp)
{
	long long huge, kernel_kb;

	SKIP_WITHOUT_THP();
	check_scenario(_metadata, HELPER " thp", 1);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	ASSERT_EQ(1, helper_start(HELPER " thp", pids, MAX_PROCS));
	huge = col_and_rollup_kb(pids[0], "anon_huge", "AnonHugePages", &kernel_kb);
	helper_stop_all();
	/* whether THPs were had is the kernel's word, not ours */
	if (kernel_kb == 0)
		SKIP(return, "the kernel allocated no THP (AnonHugePages 0)");
	ASSERT_EQ(4 * 1024, kernel_kb);
	ASSERT_EQ(4 * 1024 * 1024, huge);
}

TEST_F(procs, thp_forked)
{
	SKIP_WITHOUT_THP();
	check_scenario(_metadata, HELPER " thpfork", 2);
}

TEST_F(procs, thp_forked_then_pte_mapped)
{
	SKIP_WITHOUT_THP();
	check_scenario(_metadata, HELPER " thpsplit", 2);
}

TEST_F(procs, swap_zram_pageout)
{
	ASSERT_EQ(0, zram_swap_on());
	check_scenario(_metadata, HELPER " swap", 1);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	ASSERT_EQ(1, helper_start(HELPER " swap", pids, MAX_PROCS));
	EXPECT_EQ(2 * 1024 * 1024, proc_col(pids[0], "swap"));
	EXPECT_EQ(2 * 1024 * 1024, proc_col(pids[0], "swap_pss"));
	helper_stop_all();
}

TEST_F(procs, swap_then_fork_swap_pss)
{
	ASSERT_EQ(0, zram_swap_on());
	check_scenario(_metadata, HELPER " swapfork", 2);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	ASSERT_EQ(2, helper_start(HELPER " swapfork", pids, MAX_PROCS));
	EXPECT_EQ(2 * 1024 * 1024, proc_col(pids[0], "swap"));
	EXPECT_EQ(1024 * 1024, proc_col(pids[0], "swap_pss"));
	helper_stop_all();
}

/*
 * Swapped shmem behind private and shared mappings of several chunks each,
 * walked with the lock let go after every chunk (a test-only module
 * parameter): resuming a mapping after a lock drop counts its swap as an
 * unbroken walk does, neither twice nor not at all.
 */
TEST_F(procs, shmem_swap_across_lock_drops)
{
	const char *knob = "/sys/module/memacct/parameters/test_let_go_every_chunk";
	long long swap;

	ASSERT_EQ(0, zram_swap_on());
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	ASSERT_EQ(1, helper_start(HELPER " shmswap", pids, MAX_PROCS));
	swap = proc_col(pids[0], "swap");
	helper_stop_all();
	/* half of each 24 MiB memfd went out, less what was touched since */
	ASSERT_LT(8 * 1024 * 1024, swap);
	ASSERT_EQ(0, write_file(knob, "1"));
	write_file(MEMACCT_DIR "/stats", "0");
	check_scenario(_metadata, HELPER " shmswap", 1);
	EXPECT_LT(2 * 11, stats_value("lock_drops"));	/* 2 x 24 MiB in 2 MiB chunks */
	ASSERT_EQ(0, write_file(knob, "0"));
}

/*
 * A hwpoisoned page (MADV_HWPOISON: its PTE becomes a hwpoison entry) is
 * counted as the running kernel's smaps counts it: 6.12 as "maybe shared"
 * (full PSS, shared), 6.1 by its mapcount.
 */
TEST_F(procs, hwpoison_entry)
{
	long long before = file_kb("/proc/meminfo", "HardwareCorrupted");

	ASSERT_LE(0, before) TH_LOG("no CONFIG_MEMORY_FAILURE");
	check_scenario(_metadata, HELPER " hwpoison", 1);
	ASSERT_EQ(before + 4, file_kb("/proc/meminfo", "HardwareCorrupted"));
}

TEST_F(procs, mlock)
{
	check_scenario(_metadata, HELPER " mlock", 2);
}

TEST_F(procs, hugetlb)
{
	long long priv, shared;
	char path[64], *rollup;

	ASSERT_EQ(0, write_file("/proc/sys/vm/nr_hugepages", "8"));
	check_scenario(_metadata, HELPER " hugetlb", 2);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	ASSERT_EQ(2, helper_start(HELPER " hugetlb", pids, MAX_PROCS));
	/*
	 * The child maps the parent's 4 MiB shared and 4 MiB private hugetlb
	 * pages. Whether a private page not yet written since fork counts as
	 * private (6.1 on) or shared (5.10: page_mapcount() >= 2) is the
	 * running kernel's smaps' call: memacct must follow it, and both
	 * together are all 8 MiB.
	 */
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pids[1]);
	rollup = read_file(path, NULL);
	priv = proc_col(pids[1], "hugetlb_private");
	shared = proc_col(pids[1], "hugetlb_shared");
	helper_stop_all();
	ASSERT_NE(NULL, rollup);
	EXPECT_EQ(rollup_kb(rollup, "Private_Hugetlb") * 1024, priv);
	EXPECT_EQ(rollup_kb(rollup, "Shared_Hugetlb") * 1024, shared);
	free(rollup);
	ASSERT_EQ(8 * 1024 * 1024, priv + shared);
	ASSERT_LE(4 * 1024 * 1024, shared);
}

TEST_F(procs, multithreaded)
{
	check_scenario(_metadata, HELPER " threads 4", 1);
}

TEST_F(procs, clone_vm_child_has_own_row)
{
	long long owner;

	check_scenario(_metadata, HELPER " clonevm", 2);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	ASSERT_EQ(2, helper_start(HELPER " clonevm", pids, MAX_PROCS));
	/* pids[0] is the CLONE_VM child, pids[1] the owner of the mm */
	owner = proc_col(pids[0], "mm_owner");
	EXPECT_EQ(pids[1], proc_col(pids[1], "mm_owner"));
	helper_stop_all();
	ASSERT_EQ(pids[1], owner);
}

/*
 * A disk filesystem for file pages that are not shmem: ext4 (which also
 * mounts ext2; it needs crc32c) on a loop device over an image in /tmp,
 * made with busybox mke2fs (scripts/vm.sh loads the modules). Periodic writeback is turned off so that dirty page cache stays
 * dirty between memacct's read and the kernel's. NULL if this VM cannot.
 */
#define DISK_DIR "/mnt/memacct-disk"

static const char *disk_mount(void)
{
	if (!system("grep -q ' " DISK_DIR " ' /proc/mounts"))
		return DISK_DIR;
	mkdir(DISK_DIR, 0755);
	if (system("dd if=/dev/zero of=/tmp/memacct-disk.img bs=1M count=48 2>/dev/null &&"
		   " mke2fs -F -q /tmp/memacct-disk.img >/dev/null 2>&1 &&"
		   " mount -t ext4 -o loop /tmp/memacct-disk.img " DISK_DIR " 2>/dev/null"))
		return NULL;
	write_file("/proc/sys/vm/dirty_writeback_centisecs", "0");
	write_file("/proc/sys/vm/dirty_expire_centisecs", "360000");
	return DISK_DIR;
}

/* ext4's page cache holds only order-0 folios: kernels before 6.16. */
static bool order0_page_cache(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return false;
	return major < 6 || (major == 6 && minor < 16);
}

/*
 * Clean and dirty file pages of a real disk file, private and shared
 * (parent and child map 2 MiB of it), dirty through the PTE and through
 * the page cache only (pwrite() behind a clean PTE).
 */
TEST_F(procs, disk_file_clean_dirty_split)
{
	long long parent[6], child[6];
	const char *cols[6] = { "private_clean", "private_dirty", "shared_clean",
				"shared_dirty", "pss_dirty", "pss_file" };
	int i;

	if (!disk_mount())
		SKIP(return, "no disk filesystem (loop, crc32c and ext4 modules, busybox mke2fs)");
	check_scenario(_metadata, HELPER " diskfile 1 " DISK_DIR "/f", 2);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	ASSERT_EQ(2, helper_start(HELPER " diskfile 1 " DISK_DIR "/f", pids, MAX_PROCS));
	for (i = 0; i < 6; i++) {
		child[i] = proc_col(pids[0], cols[i]);
		parent[i] = proc_col(pids[1], cols[i]);
	}
	helper_stop_all();
	TH_LOG("parent %lld %lld %lld %lld %lld %lld, child %lld %lld %lld %lld %lld %lld",
	       parent[0], parent[1], parent[2], parent[3], parent[4], parent[5],
	       child[0], child[1], child[2], child[3], child[4], child[5]);
	/* every kernel: clean and dirty pages of the file, in both */
	EXPECT_LT(0, parent[0] + parent[2] + child[0] + child[2]);
	EXPECT_LE(1024 * 1024, parent[1] + parent[3]);
	EXPECT_LE(1024 * 1024, child[1] + child[3]);
	if (!order0_page_cache())
		return;
	/*
	 * Where ext4's page cache is order-0 (before 6.16; since, a large
	 * folio is private or shared, clean or dirty as a whole), each part:
	 * fault-around maps up to 16 cached pages around a faulting one, in
	 * windows aligned in the address space, not in the file: up to 60
	 * KiB at the edge of each part may be mapped by the other process
	 * too (shared instead of private). The bounds leave 128 KiB for it.
	 */
	/* parent: 1 MiB read and 1 MiB written shared with the child */
	EXPECT_LE(1024 * 1024, parent[2]);
	EXPECT_LE(1024 * 1024, parent[3]);
	/* parent alone: 1 MiB dirtied by pwrite() behind clean PTEs */
	EXPECT_LE(896 * 1024, parent[1]);
	EXPECT_LE(1792 * 1024, parent[5]);	/* 1 MiB alone, 2 MiB halved */
	/* child alone: 512 KiB read, 256 KiB written */
	EXPECT_LE(384 * 1024, child[0]);
	EXPECT_LE(128 * 1024, child[1]);
	EXPECT_LE(1024 * 1024, child[3]);
	/* Pss_Dirty, where the kernel has it: 1 MiB alone, 1 MiB halved */
	if (parent[4] >= 0)
		EXPECT_LE(1280 * 1024, parent[4]);
}

/*
 * MADV_FREE'd anonymous memory, a quarter written again since. A page
 * still in a CPU's lazyfree batch (not drained yet) stays swap-backed, so
 * the helper's figure is 1.5 MiB less up to such a batch.
 */
TEST_F(procs, lazyfree_after_madv_free)
{
	long long lazy;

	check_scenario(_metadata, HELPER " lazyfree", 1);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	ASSERT_EQ(1, helper_start(HELPER " lazyfree", pids, MAX_PROCS));
	lazy = proc_col(pids[0], "lazyfree");
	helper_stop_all();
	ASSERT_LE(1024 * 1024, lazy);
	ASSERT_GE(1536 * 1024, lazy);
}

/*
 * clear_refs (1: every page's accessed state) then a quarter of 2 MiB read
 * and an eighth written again: referenced is what was touched since.
 */
TEST_F(procs, referenced_after_clear_refs)
{
	long long rss, ref;

	check_scenario(_metadata, HELPER " refs", 1);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	ASSERT_EQ(1, helper_start(HELPER " refs", pids, MAX_PROCS));
	rss = proc_col(pids[0], "rss");
	ref = proc_col(pids[0], "referenced");
	helper_stop_all();
	EXPECT_LE(768 * 1024, ref);
	EXPECT_LE(1024 * 1024, rss - ref);
}

/* Pages merged by KSM, ksmd stopped before the two reads. */
TEST_F_TIMEOUT(procs, ksm_merged_pages, 120)
{
	long long ksm;
	int n;

	if (access("/sys/kernel/mm/ksm/run", F_OK))
		SKIP(return, "kernel built without KSM");
	write_file("/sys/kernel/mm/ksm/sleep_millisecs", "10");
	write_file("/sys/kernel/mm/ksm/pages_to_scan", "5000");
	ASSERT_EQ(0, write_file("/sys/kernel/mm/ksm/run", "1"));
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	n = helper_start(HELPER " ksm", pids, MAX_PROCS);
	write_file("/sys/kernel/mm/ksm/run", "0");	/* merged pages stay */
	ASSERT_EQ(1, n) {
		helper_stop_all();
	}
	check_pids(_metadata, "ksm", 1);
	ksm = proc_col(pids[0], "ksm");
	helper_stop_all();
	write_file("/sys/kernel/mm/ksm/run", "2");	/* unmerge what is left */
	if (file_kb("/proc/self/smaps_rollup", "KSM") < 0) {
		ASSERT_EQ(-1, ksm);	/* "-": this kernel's smaps has no KSM */
	} else {
		ASSERT_LE(1024 * 1024, ksm);
	}
}

/* A tmpfs huge=always file mapped by PMD: ShmemPmdMapped. */
TEST_F(procs, shmem_thp_pmd_mapped)
{
	long long pmd, kernel_kb;

	SKIP_WITHOUT_THP();
	mkdir("/tmp/memacct-huge", 0755);
	if (system("grep -q ' /tmp/memacct-huge ' /proc/mounts") &&
	    system("mount -t tmpfs -o huge=always none /tmp/memacct-huge"))
		SKIP(return, "cannot mount tmpfs with huge=always");
	check_scenario(_metadata, HELPER " shmthp 1 /tmp/memacct-huge/f", 2);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	ASSERT_EQ(2, helper_start(HELPER " shmthp 1 /tmp/memacct-huge/f", pids, MAX_PROCS));
	pmd = col_and_rollup_kb(pids[1], "shmem_pmd_mapped", "ShmemPmdMapped", &kernel_kb);
	helper_stop_all();
	unlink("/tmp/memacct-huge/f");
	if (kernel_kb == 0)
		SKIP(return, "the kernel allocated no shmem THP (ShmemPmdMapped 0)");
	ASSERT_EQ(4 * 1024, kernel_kb);
	ASSERT_EQ(4 * 1024 * 1024, pmd);
}

/*
 * Threads that fault (anon pages: minor; pages of a disk file dropped
 * from the cache: major) and exit, two left alive: the whole group's
 * counts, exited threads included, and Threads.
 */
TEST_F(procs, threads_faults_exited_included)
{
	const char *disk = disk_mount();
	char args[128];
	long long threads, minflt, majflt;

	snprintf(args, sizeof(args), HELPER " faults 16%s%s", disk ? " " : "",
		 disk ? DISK_DIR "/faults" : "");
	check_scenario(_metadata, args, 1);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	ASSERT_EQ(1, helper_start(args, pids, MAX_PROCS));
	threads = proc_col(pids[0], "threads");
	minflt = proc_col(pids[0], "minflt");
	majflt = proc_col(pids[0], "majflt");
	helper_stop_all();
	EXPECT_EQ(3, threads);
	/* 18 threads x 64 pages touched, 16 of them exited */
	EXPECT_LE(18 * 64, minflt);
	if (!disk)
		SKIP(return, "no disk filesystem: majflt not made non-zero");
	EXPECT_LE(16, majflt);
}

/* oom_score_adj -1000 (oom_score 0), 0 and 500, and their oom_score. */
TEST_F(procs, oom_score_and_adj)
{
	long long adj[3], score[3];
	int i;

	check_scenario(_metadata, HELPER " oomadj", 3);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	ASSERT_EQ(3, helper_start(HELPER " oomadj", pids, MAX_PROCS));
	for (i = 0; i < 3; i++) {
		struct table t;
		int row;

		ASSERT_EQ(0, table_load(&t, MEMACCT_DIR "/processes"));
		row = table_find(&t, "pid", pids[i]);
		ASSERT_LE(0, row);
		adj[i] = atoll(t.rows[row][table_col(&t, "oom_score_adj")]);
		score[i] = table_num(&t, row, "oom_score");
		table_free(&t);
	}
	helper_stop_all();
	/* one process each at -1000 (the parent), 0 (8 MiB more) and 500 */
	for (i = 0; i < 3; i++) {
		if (adj[i] == -1000) {
			EXPECT_EQ(0, score[i]);
		} else if (adj[i] == 0) {	/* (1000 + rss share) * 2 / 3 */
			EXPECT_LE(666, score[i]);
		} else {	/* 500: (1000 + 500 + rss share) * 2 / 3 */
			EXPECT_EQ(500, adj[i]);
			EXPECT_LE(1000, score[i]);
		}
	}
	EXPECT_EQ(-1000 + 0 + 500, adj[0] + adj[1] + adj[2]);
	EXPECT_EQ(-1000, adj[2]);	/* the parent reports last */
}

/* Reads every /proc/PID/smaps_rollup once: what `cat /proc/[0-9]*\/smaps_rollup` does. */
static void read_all_rollups(void)
{
	struct dirent *de;
	char path[300];
	DIR *d = opendir("/proc");

	while (d && (de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/smaps_rollup", de->d_name);
		free(read_file(path, NULL));
	}
	if (d)
		closedir(d);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* A measurement for the record, not an assertion: median of 5 of each. */
static void time_full_reads(void)
{
	double ours[5], rollups[5], t;
	int i;

	for (i = 0; i < 5; i++) {
		t = now_ms();
		free(read_file(MEMACCT_DIR "/processes", NULL));
		ours[i] = now_ms() - t;
		t = now_ms();
		read_all_rollups();
		rollups[i] = now_ms() - t;
	}
	qsort(ours, 5, sizeof(double), cmp_double);
	qsort(rollups, 5, sizeof(double), cmp_double);
	ksft_print_msg("timing: processes file %.1f ms, all smaps_rollup %.1f ms (median of 5)\n",
		       ours[2], rollups[2]);
}

TEST_F_TIMEOUT(procs, five_hundred_processes, 300)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	ASSERT_EQ(500, helper_start(HELPER " many 500", pids, MAX_PROCS));
	time_full_reads();
	helper_stop_all();
	check_scenario(_metadata, HELPER " many 500", 500);
}

/* Rows stay well-formed while processes fork and exit fast. */
TEST_F(procs, churn_20_reads)
{
	struct table t;
	pid_t churner;
	int i, r;

	churner = fork();
	ASSERT_GE(churner, 0);
	if (churner == 0) {
		for (;;) {
			pid_t c = fork();

			if (c == 0) {
				char *p = malloc(256 * 1024);

				memset(p, 1, 256 * 1024);
				_exit(0);
			}
			if (c > 0)
				waitpid(c, NULL, 0);
		}
	}
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, table_load(&t, MEMACCT_DIR "/processes"));
		ASSERT_GT(t.nrows, 0);
		for (r = 0; r < t.nrows; r++) {
			EXPECT_EQ(t.ncols, t.row_ncols[r]);
			EXPECT_GE(table_num(&t, r, "pid"), 1);
			EXPECT_GE(table_num(&t, r, "pss"), 0);
			EXPECT_LE(table_num(&t, r, "pss"), table_num(&t, r, "rss"));
		}
		table_free(&t);
	}
	kill(churner, SIGKILL);
	waitpid(churner, NULL, 0);
}

TEST_F(procs, kernel_threads_absent)
{
	struct table t;
	int r;

	ASSERT_EQ(0, table_load(&t, MEMACCT_DIR "/processes"));
	/* kthreadd is pid 2 and has no mm */
	EXPECT_EQ(-1, table_find(&t, "pid", 2));
	for (r = 0; r < t.nrows; r++)
		EXPECT_GT(table_num(&t, r, "vss"), 0);
	table_free(&t);
}

TEST_F(procs, vmas_bad_input)
{
	EXPECT_EQ(-EINVAL, write_file(MEMACCT_DIR "/pid", "garbage"));
	EXPECT_EQ(-EINVAL, write_file(MEMACCT_DIR "/pid", "-5"));
	EXPECT_EQ(-ERANGE, write_file(MEMACCT_DIR "/pid", "99999999999999999999"));
	EXPECT_EQ(-ESRCH, write_file(MEMACCT_DIR "/pid", "4000000"));
	EXPECT_EQ(-EINVAL, write_file(MEMACCT_DIR "/pid", "2"));	/* kthreadd */
	EXPECT_EQ(-EINVAL, write_file(MEMACCT_DIR "/vmas", "1 2 3"));
}

/* Sum of the vss column of the vmas table read from @fd at offset 0. */
static long long vmas_vss_sum(int fd, int *rows)
{
	static char buf[1 << 20];
	struct table t;
	long long sum = 0;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	int r;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (table_parse(&t, strdup(buf)))
		return -1;
	for (r = 0; r < t.nrows; r++)
		sum += table_num(&t, r, "vss");
	*rows = t.nrows;
	table_free(&t);
	return sum;
}

/* Two open files, one selected by a write to it, one by the pid file. */
TEST_F(procs, vmas_per_fd_selection)
{
	int a = open(MEMACCT_DIR "/vmas", O_RDWR);
	int b = open(MEMACCT_DIR "/vmas", O_RDWR);
	int rows_a = 0, rows_b = 0;
	char want[32];

	ASSERT_GE(a, 0);
	ASSERT_GE(b, 0);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	ASSERT_EQ(1, helper_start(HELPER " anon", pids, MAX_PROCS));
	snprintf(want, sizeof(want), "%d", pids[0]);
	ASSERT_EQ((ssize_t)strlen(want), write(a, want, strlen(want)));
	ASSERT_EQ(0, write_file(MEMACCT_DIR "/pid", "1"));
	/* interleaved reads: each file keeps its own process */
	EXPECT_EQ(status_kb(pids[0], "VmSize") * 1024, vmas_vss_sum(a, &rows_a));
	EXPECT_EQ(status_kb(1, "VmSize") * 1024, vmas_vss_sum(b, &rows_b));
	EXPECT_EQ(status_kb(pids[0], "VmSize") * 1024, vmas_vss_sum(a, &rows_a));
	EXPECT_GT(rows_a, 0);
	EXPECT_GT(rows_b, 0);
	/* the pid file names the process of plain shell reads */
	ASSERT_EQ(0, write_file(MEMACCT_DIR "/pid", want));
	EXPECT_EQ(status_kb(pids[0], "VmSize") * 1024, vmas_vss_sum(b, &rows_b));
	helper_stop_all();
	close(a);
	close(b);
}

TEST_HARNESS_MAIN
