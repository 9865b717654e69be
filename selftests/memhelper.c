// SPDX-License-Identifier: GPL-2.0
/*
 * memhelper: sets up one memory scenario in one or more processes for the
 * memacct selftests. Every process prints "P <pid>" and stops itself
 * (SIGSTOP) once its memory is in place; the first process prints "END"
 * after all the others are stopped, then stops too.
 *
 *   memhelper MODE [N] [PATH]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_FREE
#define MADV_FREE 8
#endif
#ifndef MADV_MERGEABLE
#define MADV_MERGEABLE 12
#endif
#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif
#define MB (1024UL * 1024)
#define PG 4096UL

static pid_t kids[4096];
static int nkids;

static void die(const char *what)
{
	dprintf(2, "memhelper: %s: %s\n", what, strerror(errno));
	dprintf(1, "END\n");
	exit(1);
}

static char *map_anon(size_t len, int extra)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | extra, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

static void touch(char *p, size_t len, size_t step)
{
	size_t i;

	for (i = 0; i < len; i += step)
		p[i] = (char)(i / PG + 1);
}

/* 2 MiB-aligned anonymous range of @len, for THP */
static char *map_aligned(size_t len)
{
	char *p = map_anon(len + 2 * MB, 0);
	char *a = (char *)(((unsigned long)p + 2 * MB - 1) & ~(2 * MB - 1));

	return a;
}

/*
 * A memfd of @len with every page written, half of them (every other
 * 64 KiB) then paged out to swap through a shared mapping of it.
 */
static int memfd_half_swapped(size_t len)
{
	int fd = memfd_create("memacct-shmswap", 0);
	size_t off;
	char *p;

	if (fd < 0 || ftruncate(fd, len))
		die("memfd");
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap memfd");
	touch(p, len, PG);
	for (off = 0; off < len; off += 128 * 1024)
		if (madvise(p + off, 64 * 1024, MADV_PAGEOUT))
			die("MADV_PAGEOUT memfd");
	munmap(p, len);
	return fd;
}

/*
 * Swapped shmem behind a private writable mapping (counted in page-table
 * holes) and behind a shared one (counted whole), each 24 MiB: several
 * chunks of the walk.
 */
static void shmem_swap_mappings(void)
{
	const size_t len = 24 * MB;
	int priv = memfd_half_swapped(len), shared = memfd_half_swapped(len);
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, priv, 0);
	char *q = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, shared, 0);

	if (p == MAP_FAILED || q == MAP_FAILED)
		die("mmap shmswap");
	touch(p, len, 1 * MB);		/* a few COW copies */
	touch(q + 4 * MB, 4 * MB, PG);	/* some swapped in */
}

static void on_sigbus(int sig)
{
}

/*
 * 16 anonymous pages, the 4th poisoned (a hwpoison entry in its PTE). The
 * kernel may signal the poisoning with SIGBUS (6.12 does): caught.
 */
static void hwpoisoned_page(void)
{
	char *p = map_anon(16 * PG, 0);

	signal(SIGBUS, on_sigbus);
	touch(p, 16 * PG, PG);
	if (madvise(p + 3 * PG, PG, MADV_HWPOISON))
		die("MADV_HWPOISON");
}

static char *disk_map;
static const char *disk_path;

/*
 * A 4 MiB file on a disk filesystem at @path, written and synced (clean
 * page cache), mapped shared: 1 MiB read (clean), 1 MiB written through
 * the mapping (dirty PTEs), 1 MiB read and then written with pwrite()
 * (dirty page cache behind clean PTEs); a child maps the first 2 MiB
 * too (shared clean, shared dirty) and part of the last MiB alone.
 */
static void disk_file(const char *path)
{
	const size_t len = 4 * MB;
	char *buf = malloc(len);
	volatile char sum = 0;
	size_t off;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || !buf)
		die("disk file");
	memset(buf, 0x11, len);
	if (write(fd, buf, len) != (ssize_t)len || fsync(fd))
		die("write disk file");
	disk_map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (disk_map == MAP_FAILED)
		die("mmap disk file");
	for (off = 0; off < MB; off += PG)
		sum += disk_map[off];
	touch(disk_map + MB, MB, PG);
	for (off = 2 * MB; off < 3 * MB; off += PG)
		sum += disk_map[off];
	if (pwrite(fd, buf, MB, 2 * MB) != (ssize_t)MB)
		die("pwrite disk file");
	free(buf);
}

/* The child's own part of the disk file: 512 KiB read, 256 KiB written. */
static void disk_file_child(void)
{
	volatile char sum = 0;
	size_t off;

	for (off = 0; off < 2 * MB; off += PG)
		sum += disk_map[off];	/* shared with the parent */
	for (off = 3 * MB; off < 3 * MB + 512 * 1024; off += PG)
		sum += disk_map[off];
	touch(disk_map + 3 * MB + 512 * 1024, 256 * 1024, PG);
}

/* /proc/self/ksm_merging_pages (5.19+), or the system's pages_sharing */
static long ksm_merged(void)
{
	char buf[64] = "";
	int fd = open("/proc/self/ksm_merging_pages", O_RDONLY);

	if (fd < 0)
		fd = open("/sys/kernel/mm/ksm/pages_sharing", O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = '\0';
	if (fd >= 0)
		close(fd);
	return atol(buf);
}

/*
 * 2 MiB of identical pages and 256 KiB of distinct ones, madvised
 * mergeable; waits (at most 30 s) until ksmd has merged at least half of
 * the identical ones and the count stays put for a second. The test stops
 * ksmd before comparing.
 */
static void ksm_pages(void)
{
	char *p = map_anon(2 * MB, 0), *q = map_anon(256 * 1024, 0);
	long merged, last = -1;
	int i;

	memset(p, 0x5a, 2 * MB);
	touch(q, 256 * 1024, PG);
	if (madvise(p, 2 * MB, MADV_MERGEABLE) || madvise(q, 256 * 1024, MADV_MERGEABLE))
		die("MADV_MERGEABLE");
	for (i = 0; i < 30; i++) {	/* merged, and no more for a second */
		sleep(1);
		merged = ksm_merged();
		if (merged >= 256 && merged == last)
			return;
		last = merged;
	}
}

/* Threads that fault anon and file pages and exit; two stay. */
static void *fault_thread(void *arg)
{
	char *p = map_anon(256 * 1024, 0);
	volatile char sum = 0;
	size_t off;
	int fd;

	touch(p, 256 * 1024, PG);	/* minor faults */
	if (disk_path) {	/* major faults: file pages not in the cache */
		fd = open(disk_path, O_RDONLY);
		if (fd < 0)
			die("open disk file");
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		p = mmap(NULL, 256 * 1024, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED)
			die("mmap disk file");
		madvise(p, 256 * 1024, MADV_RANDOM);
		for (off = 0; off < 256 * 1024; off += PG)
			sum += p[off];
		munmap(p, 256 * 1024);
		close(fd);
	}
	return NULL;
}

static void *idle_thread(void *arg)
{
	pthread_barrier_t *b = arg;

	fault_thread(NULL);
	pthread_barrier_wait(b);
	for (;;)
		pause();
	return NULL;
}

static void faulting_threads(int n, const char *path)
{
	pthread_barrier_t b;
	pthread_t t;
	int i, fd;
	char *buf;

	if (path) {
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		buf = malloc(MB);
		if (fd < 0 || !buf)
			die("fault file");
		memset(buf, 0x22, MB);
		if (write(fd, buf, MB) != (ssize_t)MB || fsync(fd))
			die("write fault file");
		close(fd);
		free(buf);
		disk_path = path;
	}
	for (i = 0; i < n; i++) {
		if (pthread_create(&t, NULL, fault_thread, NULL))
			die("pthread_create");
		if (pthread_join(t, NULL))
			die("pthread_join");
	}
	pthread_barrier_init(&b, NULL, 3);
	for (i = 0; i < 2; i++)
		if (pthread_create(&t, NULL, idle_thread, &b))
			die("pthread_create");
	pthread_barrier_wait(&b);
}

static void set_oom_score_adj(const char *v)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY);

	if (fd < 0 || write(fd, v, strlen(v)) != (ssize_t)strlen(v))
		die("oom_score_adj");
	close(fd);
}

static void oom_adj_500(void)
{
	set_oom_score_adj("500");
}

static void oom_adj_0(void)
{
	touch(map_anon(8 * MB, 0), 8 * MB, PG);
	set_oom_score_adj("0");
}

static void report_and_stop(void)
{
	dprintf(1, "P %d\n", getpid());
	raise(SIGSTOP);
	for (;;)
		pause();
}

/* fork a child that reports and stops; the parent goes on */
static void spawn_sharer(void (*child_fn)(void))
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (child_fn)
			child_fn();
		report_and_stop();
	}
	kids[nkids++] = pid;
}

static void finish(int wait_flags)
{
	int i, st;

	for (i = 0; i < nkids; i++)
		if (waitpid(kids[i], &st, WUNTRACED | wait_flags) < 0)
			die("waitpid");
	dprintf(1, "P %d\nEND\n", getpid());
	raise(SIGSTOP);
	for (;;)
		pause();
}

static char *thp_area;

static void unmap_in_huge_page(void)
{
	munmap(thp_area + 16 * PG, PG);	/* splits the PMD mapping here */
}

static void *thread_fn(void *arg)
{
	pthread_barrier_t *b = arg;
	char *p = malloc(MB);

	touch(p, MB, PG);
	pthread_barrier_wait(b);
	for (;;)
		pause();
	return NULL;
}

static char clone_stack[64 * 1024] __attribute__((aligned(16)));
static char *clone_area;

static int clone_fn(void *arg)
{
	touch(clone_area, MB, PG);
	report_and_stop();
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int n = argc > 2 ? atoi(argv[2]) : 1, i, fd;
	char *p, *q;

	if (!strcmp(mode, "anon")) {
		p = map_anon(8 * MB, 0);
		touch(p, 4 * MB, PG);		/* the rest stays untouched */
	} else if (!strcmp(mode, "zero")) {
		volatile char sum = 0;

		p = map_anon(4 * MB, 0);
		for (i = 0; i < (int)(4 * MB / PG); i++)
			sum += p[i * PG];	/* read faults: zero page */
		p = map_anon(MB, 0);
		touch(p, MB, PG);
	} else if (!strcmp(mode, "pfnmap")) {
		/*
		 * A private writable map of /dev/mem (the legacy VGA window,
		 * allowed under STRICT_DEVMEM): a VM_PFNMAP VMA whose written
		 * pages are COWed into anonymous pages (smaps counts them
		 * since 6.2 only).
		 */
		fd = open("/dev/mem", O_RDWR);
		if (fd < 0)
			die("open /dev/mem");
		p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0xa0000);
		if (p == MAP_FAILED)
			die("mmap /dev/mem");
		touch(p, 4 * PG, PG);
		p = map_anon(MB, 0);
		touch(p, MB, PG);
	} else if (!strcmp(mode, "cow")) {
		p = map_anon(4 * MB, 0);
		touch(p, 4 * MB, PG);
		for (i = 1; i < n; i++)
			spawn_sharer(NULL);
	} else if (!strcmp(mode, "shm")) {
		fd = memfd_create("memacct-shm", 0);
		if (fd < 0 || ftruncate(fd, 4 * MB))
			die("memfd");
		p = mmap(NULL, 4 * MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			die("mmap memfd");
		touch(p, 4 * MB, PG);
		for (i = 1; i < n; i++)
			spawn_sharer(NULL);
	} else if (!strcmp(mode, "filepriv")) {
		fd = open("/memhelper.data", O_RDWR | O_CREAT | O_TRUNC, 0600);
		p = malloc(MB);
		touch(p, MB, 1);
		if (fd < 0 || write(fd, p, MB) != (ssize_t)MB)
			die("data file");
		q = mmap(NULL, MB, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
		if (q == MAP_FAILED)
			die("mmap file");
		for (i = 0; i < (int)(MB / PG); i++)
			if (i % 4 == 0)
				q[i * PG] = 1;	/* written: private COW copy */
			else
				p[0] += q[i * PG];	/* read: page cache */
		spawn_sharer(NULL);
	} else if (!strncmp(mode, "thp", 3)) {
		thp_area = map_aligned(4 * MB);
		if (madvise(thp_area, 4 * MB, MADV_HUGEPAGE))
			die("MADV_HUGEPAGE");
		touch(thp_area, 4 * MB, PG);
		if (!strcmp(mode, "thpfork"))
			spawn_sharer(NULL);
		if (!strcmp(mode, "thpsplit"))
			spawn_sharer(unmap_in_huge_page);
	} else if (!strncmp(mode, "swap", 4)) {
		p = map_anon(4 * MB, 0);
		touch(p, 4 * MB, PG);
		if (madvise(p, 2 * MB, MADV_PAGEOUT))
			die("MADV_PAGEOUT");
		if (!strcmp(mode, "swapfork"))
			spawn_sharer(NULL);
	} else if (!strcmp(mode, "shmswap")) {
		shmem_swap_mappings();
	} else if (!strcmp(mode, "hwpoison")) {
		hwpoisoned_page();
	} else if (!strcmp(mode, "mlock")) {
		p = map_anon(2 * MB, 0);
		if (mlock(p, 2 * MB))
			die("mlock");
		touch(p, 2 * MB, PG);
		q = map_anon(2 * MB, 0);
		touch(q, 2 * MB, PG);
		spawn_sharer(NULL);	/* locks are not inherited */
	} else if (!strcmp(mode, "hugetlb")) {
		p = map_anon(4 * MB, MAP_HUGETLB);
		touch(p, 4 * MB, PG);
		q = mmap(NULL, 4 * MB, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
		if (q == MAP_FAILED)
			die("mmap shared hugetlb");
		touch(q, 4 * MB, PG);
		spawn_sharer(NULL);
	} else if (!strcmp(mode, "threads")) {
		pthread_barrier_t b;
		pthread_t t;

		pthread_barrier_init(&b, NULL, n + 1);
		for (i = 0; i < n; i++)
			if (pthread_create(&t, NULL, thread_fn, &b))
				die("pthread_create");
		pthread_barrier_wait(&b);
	} else if (!strcmp(mode, "clonevm")) {
		pid_t pid;

		clone_area = map_anon(MB, 0);
		pid = clone(clone_fn, clone_stack + sizeof(clone_stack),
			    CLONE_VM | SIGCHLD, NULL);
		if (pid < 0)
			die("clone");
		kids[nkids++] = pid;
		finish(__WALL);
	} else if (!strcmp(mode, "many")) {
		for (i = 1; i < n; i++) {
			pid_t pid = fork();

			if (pid < 0)
				die("fork");
			if (pid == 0) {
				p = map_anon(64 * 1024, 0);
				touch(p, 64 * 1024, PG);
				report_and_stop();
			}
			kids[nkids++] = pid;
		}
	} else if (!strcmp(mode, "diskfile")) {
		if (argc < 4)
			die("diskfile needs a path");
		disk_file(argv[3]);
		spawn_sharer(disk_file_child);
	} else if (!strcmp(mode, "lazyfree")) {
		p = map_anon(2 * MB, 0);
		touch(p, 2 * MB, PG);
		if (madvise(p, 2 * MB, MADV_FREE))
			die("MADV_FREE");
		touch(p, 512 * 1024, PG);	/* written again: not lazyfree */
	} else if (!strcmp(mode, "ksm")) {
		ksm_pages();
	} else if (!strcmp(mode, "refs")) {
		volatile char sum = 0;

		p = map_anon(2 * MB, 0);
		touch(p, 2 * MB, PG);
		fd = open("/proc/self/clear_refs", O_WRONLY);
		if (fd < 0 || write(fd, "1", 1) != 1)
			die("clear_refs");
		close(fd);
		/*
		 * clear_refs does not flush the TLB: an access through a
		 * cached translation would not set the accessed bit again.
		 * mprotect() flushes this range's translations.
		 */
		if (mprotect(p, 2 * MB, PROT_READ) ||
		    mprotect(p, 2 * MB, PROT_READ | PROT_WRITE))
			die("mprotect");
		for (i = 0; i < (int)(512 * 1024 / PG); i++)
			sum += p[i * PG];	/* read again: young again */
		touch(p + MB, 256 * 1024, PG);	/* written again */
	} else if (!strcmp(mode, "shmthp")) {
		if (argc < 4)
			die("shmthp needs a path");
		fd = open(argv[3], O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || ftruncate(fd, 4 * MB))
			die("shmthp file");
		p = map_aligned(4 * MB);
		p = mmap(p, 4 * MB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
		if (p == MAP_FAILED)
			die("mmap shmthp");
		touch(p, 4 * MB, PG);
		spawn_sharer(NULL);
	} else if (!strcmp(mode, "faults")) {
		faulting_threads(n, argc > 3 ? argv[3] : NULL);
	} else if (!strcmp(mode, "oomadj")) {
		p = map_anon(4 * MB, 0);
		touch(p, 4 * MB, PG);
		spawn_sharer(oom_adj_500);
		spawn_sharer(oom_adj_0);
		set_oom_score_adj("-1000");
	} else {
		errno = EINVAL;
		die(mode);
	}
	finish(0);
	return 0;
}
