// SPDX-License-Identifier: GPL-2.0
/*
 * memacct selftests: hostile input, odd ways of reading, odd tasks,
 * permissions, scale, leaks and churn. The VM harness also fails the run
 * on any oops, WARN, lockup or RCU stall in the console.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "lib.h"
#include "kselftest_harness.h"

static int strcmp_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *const table_files[] = { "processes", "buddy", "zones", "slab" };
#define NTABLES (sizeof(table_files) / sizeof(table_files[0]))

/* Every line has as many fields as the header; 0 if so. */
static int well_formed(const char *text, char *why, size_t whylen)
{
	int header = -1, n, line = 0;
	const char *p = text;

	if (!strncmp(text, "unavailable:", 12))
		return 0;
	while (*p) {
		const char *end = strchr(p, '\n');
		bool in_field = false;

		if (!end) {
			snprintf(why, whylen, "line %d has no newline", line + 1);
			return -1;
		}
		for (n = 0; p < end; p++) {
			if (*p == ' ')
				in_field = false;
			else if (!in_field && ++n)
				in_field = true;
		}
		if (header < 0)
			header = n;
		else if (n != header) {
			snprintf(why, whylen, "line %d: %d fields, header %d", line + 1, n, header);
			return -1;
		}
		line++;
		p = end + 1;
	}
	return line > 0 ? 0 : -1;
}

static char *read_fd_pieces(int fd, size_t piece)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	ssize_t n;

	while ((n = read(fd, buf + len, piece)) > 0) {
		len += n;
		if (cap - len < piece + 1)
			buf = realloc(buf, cap *= 2);
	}
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

static char *read_pieces(const char *name, size_t piece)
{
	char path[128];
	char *text;
	int fd;

	snprintf(path, sizeof(path), MEMACCT_DIR "/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	text = read_fd_pieces(fd, piece);
	close(fd);
	return text;
}

FIXTURE(hard) {
	int unused;
};

FIXTURE_SETUP(hard)
{
	if (!module_loaded())
		ASSERT_EQ(0, module_load(NULL));
}

FIXTURE_TEARDOWN(hard)
{
}

/* Read 1, 7 and 4096 bytes at a time: the same well-formed tables. */
TEST_F(hard, small_reads_are_well_formed)
{
	static const size_t pieces[] = { 1, 7, 4096 };
	char why[128], *text, *whole, *v1;
	unsigned int f, i;

	for (f = 0; f < NTABLES; f++) {
		for (i = 0; i < 3; i++) {
			text = read_pieces(table_files[f], pieces[i]);
			ASSERT_NE(NULL, text);
			EXPECT_EQ(0, well_formed(text, why, sizeof(why)))
				TH_LOG("%s read %zu at a time: %s", table_files[f], pieces[i], why);
			free(text);
		}
	}
	/* a file that does not change: byte-identical */
	whole = read_pieces("version", 65536);
	v1 = read_pieces("version", 1);
	ASSERT_NE(NULL, whole);
	ASSERT_NE(NULL, v1);
	EXPECT_STREQ(whole, v1);
	free(whole);
	free(v1);
}

/* pread and lseek to odd offsets: data from there on, never an error. */
TEST_F(hard, pread_and_odd_offsets)
{
	char buf[512], *whole = read_pieces("version", 65536);
	unsigned int f;
	off_t off;
	int fd;

	ASSERT_NE(NULL, whole);
	fd = open(MEMACCT_DIR "/version", O_RDONLY);
	ASSERT_GE(fd, 0);
	ASSERT_LT(0, pread(fd, buf, 5, 3));
	EXPECT_EQ(0, memcmp(buf, whole + 3, 5));
	EXPECT_EQ(9, lseek(fd, 9, SEEK_SET));
	ASSERT_LT(0, read(fd, buf, 4));
	EXPECT_EQ(0, memcmp(buf, whole + 9, 4));
	EXPECT_EQ(0, pread(fd, buf, 10, 1 << 20));	/* past the end: EOF */
	close(fd);
	free(whole);
	for (f = 0; f < NTABLES; f++) {
		char path[128];

		snprintf(path, sizeof(path), MEMACCT_DIR "/%s", table_files[f]);
		fd = open(path, O_RDONLY);
		ASSERT_GE(fd, 0);
		for (off = 1; off < 100000; off = off * 3 + 1)
			EXPECT_LE(0, pread(fd, buf, sizeof(buf), off)) TH_LOG("%s @%ld", path, (long)off);
		EXPECT_LE(0, lseek(fd, 12345, SEEK_SET));
		EXPECT_LE(0, read(fd, buf, sizeof(buf)));
		EXPECT_EQ(-1, lseek(fd, -1, SEEK_SET));
		close(fd);
	}
}

struct shared_fd {
	int fd;
	int errors;
};

static void *read_shared(void *arg)
{
	struct shared_fd *s = arg;
	char buf[300];
	int i;

	for (i = 0; i < 200; i++) {
		if (read(s->fd, buf, sizeof(buf)) < 0)
			__atomic_add_fetch(&s->errors, 1, __ATOMIC_RELAXED);
		if (i % 20 == 0)
			lseek(s->fd, 0, SEEK_SET);
	}
	return NULL;
}

/* Four threads reading one open file at once (seq_file serialises them). */
TEST_F(hard, concurrent_reads_on_one_fd)
{
	struct shared_fd s = { .errors = 0 };
	pthread_t t[4];
	unsigned int f;
	int i;

	for (f = 0; f < NTABLES; f++) {
		char path[128];

		snprintf(path, sizeof(path), MEMACCT_DIR "/%s", table_files[f]);
		s.fd = open(path, O_RDONLY);
		ASSERT_GE(s.fd, 0);
		for (i = 0; i < 4; i++)
			ASSERT_EQ(0, pthread_create(&t[i], NULL, read_shared, &s));
		for (i = 0; i < 4; i++)
			pthread_join(t[i], NULL);
		close(s.fd);
		EXPECT_EQ(0, s.errors) TH_LOG("%s", path);
	}
}

/* write() at @off (after lseek() there); 0 or -errno. */
static int write_at(const char *path, const void *data, size_t len, off_t off)
{
	int fd = open(path, O_WRONLY);
	ssize_t r;

	if (fd < 0)
		return -errno;
	if (off && lseek(fd, off, SEEK_SET) != off) {
		close(fd);
		return -EIO;
	}
	r = write(fd, data, len);
	close(fd);
	return r < 0 ? -errno : r == (ssize_t)len ? 0 : -EIO;
}

static int pwrite_at(const char *path, const void *data, size_t len, off_t off)
{
	int fd = open(path, O_WRONLY);
	ssize_t r;

	if (fd < 0)
		return -errno;
	r = pwrite(fd, data, len, off);
	close(fd);
	return r < 0 ? -errno : 0;
}

/* Malformed, oversized, binary, negative, overflowing, partial writes. */
TEST_F(hard, hostile_writes_change_nothing)
{
	static const struct { const char *data; size_t len; off_t off; int err; } bad[] = {
		{ "abc", 3, 0, EINVAL }, { "-1", 2, 0, EINVAL }, { "0", 1, 0, EINVAL },
		{ " 1", 2, 0, EINVAL }, { "1 ", 2, 0, EINVAL }, { "0x1", 3, 0, EINVAL },
		{ "1\n2", 3, 0, EINVAL }, { "\0\377\001", 3, 0, EINVAL },
		{ "99999999999999999999", 20, 0, ERANGE }, { "2147483648", 10, 0, ERANGE },
		{ "1", 1, 3, EINVAL }, { "2", 1, 1, EINVAL }, { "999999", 6, 0, ESRCH },
	};
	static char big[100000];
	char want[32], *got;
	const char *files[] = { MEMACCT_DIR "/pid", MEMACCT_DIR "/vmas" };
	unsigned int i, f;

	snprintf(want, sizeof(want), "%d\n", getpid());
	ASSERT_EQ(0, write_file(MEMACCT_DIR "/pid", want));
	for (f = 0; f < 2; f++) {
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			EXPECT_EQ(-bad[i].err, write_at(files[f], bad[i].data, bad[i].len, bad[i].off))
				TH_LOG("%s: write %u", files[f], i);
		memset(big, '1', sizeof(big));
		EXPECT_EQ(-EINVAL, write_at(files[f], big, sizeof(big), 0));
		EXPECT_EQ(-EINVAL, write_at(files[f], "2", 1, 0));	/* kthreadd */
		EXPECT_EQ(-ESPIPE, pwrite_at(files[f], "1", 1, 0));	/* not for pwrite */
	}
	got = read_file(MEMACCT_DIR "/pid", NULL);
	ASSERT_NE(NULL, got);
	EXPECT_STREQ(want, got);	/* the selection survived it all */
	free(got);
	EXPECT_EQ(-EINVAL, write_at(MEMACCT_DIR "/stats", "1", 1, 0));
	EXPECT_EQ(-EINVAL, write_at(MEMACCT_DIR "/stats", "0", 1, 2));
	EXPECT_EQ(-ESPIPE, pwrite_at(MEMACCT_DIR "/stats", "0", 1, 0));
	for (i = 0; i < NTABLES; i++) {	/* read-only files refuse writes */
		char path[128];

		snprintf(path, sizeof(path), MEMACCT_DIR "/%s", table_files[i]);
		EXPECT_GT(0, write_at(path, "1", 1, 0));
	}
}

static int count_rows_with_ppid(pid_t ppid)
{
	struct table t;
	int r, n = 0;

	if (table_load(&t, MEMACCT_DIR "/processes"))
		return -1;
	for (r = 0; r < t.nrows; r++)
		n += table_num(&t, r, "ppid") == ppid;
	table_free(&t);
	return n;
}

/* Zombies and ptrace-stopped processes: no crash, rows as expected. */
TEST_F(hard, zombies_and_traced)
{
	pid_t zombie, traced;
	int status;

	zombie = fork();
	ASSERT_GE(zombie, 0);
	if (zombie == 0)
		_exit(0);
	traced = fork();
	ASSERT_GE(traced, 0);
	if (traced == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		_exit(0);
	}
	ASSERT_EQ(traced, waitpid(traced, &status, WUNTRACED));
	usleep(100000);	/* the zombie has exited by now (not reaped) */
	/* the zombie has no mm: no row; the traced process has one */
	EXPECT_EQ(1, count_rows_with_ppid(getpid()));
	EXPECT_EQ(-EINVAL, write_file(MEMACCT_DIR "/pid", "1x"));
	kill(traced, SIGKILL);
	waitpid(traced, &status, 0);
	waitpid(zombie, &status, 0);
}

/* A reader in a new pid namespace sees only that namespace, by its pids. */
TEST_F(hard, pid_namespace)
{
	pid_t child;
	int status;

	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {	/* pid 1 of the new namespace */
		struct table t;

		if (getpid() != 1 || table_load(&t, MEMACCT_DIR "/processes"))
			_exit(10);
		if (t.nrows != 1 || table_num(&t, 0, "pid") != 1 ||
		    table_num(&t, 0, "ppid") != 0)
			_exit(11);
		/* a pid of the parent namespace does not exist here */
		_exit(write_file(MEMACCT_DIR "/pid", "2") == -ESRCH ? 0 : 12);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* Root in a new user namespace has no CAP_SYS_ADMIN where it counts. */
TEST_F(hard, user_namespace_root_refused)
{
	pid_t child;
	int status;

	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		int fd;

		if (unshare(CLONE_NEWUSER))
			_exit(10);
		fd = open(MEMACCT_DIR "/processes", O_RDONLY);
		_exit(fd < 0 && (errno == EPERM || errno == EACCES) ? 0 : 11);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* 5,000 processes: every one has its row. */
TEST_F_TIMEOUT(hard, five_thousand_processes, 300)
{
	const int n = 5000;
	int i, status, ready[2];
	pid_t leader;
	char c;

	ASSERT_EQ(0, pipe(ready));
	leader = fork();
	ASSERT_GE(leader, 0);
	if (leader == 0) {
		setpgid(0, 0);
		for (i = 0; i < n; i++) {
			pid_t p = fork();

			if (p == 0) {
				close(ready[0]);
				close(ready[1]);
				pause();
				_exit(0);
			}
			if (p < 0)
				_exit(1);
		}
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	EXPECT_EQ(n, count_rows_with_ppid(leader));
	kill(-leader, SIGKILL);
	while (waitpid(-1, &status, 0) > 0)
		;
}

/* How one `processes` read used the mmap locks (from the `stats` file). */
struct lock_use {
	long long drops;	/* a walk let go of a lock before its end */
	double max_hold_ms;	/* the longest hold of one lock */
	double read_ms;		/* the whole read */
};

/* Starts measuring @use: the `stats` counters reset, the clock read. */
static void lock_use_begin(struct lock_use *use)
{
	write_file(MEMACCT_DIR "/stats", "0");
	use->read_ms = now_ms();
}

/*
 * A `processes` walk on a kernel with per-VMA locks holds each VMA's own
 * lock in turn: every such hold but a walk's last ended before the walk.
 */
static void lock_use_end(struct lock_use *use)
{
	long long mmap_ns = stats_value("max_mmap_lock_hold_ns");
	long long vma_ns = stats_value("max_vma_lock_hold_ns");
	long long vma_holds = stats_value("vma_lock_holds") - stats_value("walks");

	use->read_ms = now_ms() - use->read_ms;
	use->drops = stats_value("lock_drops") + (vma_holds > 0 ? vma_holds : 0);
	use->max_hold_ms = (mmap_ns > vma_ns ? mmap_ns : vma_ns) / 1e6;
}

/* Column @col of this process's `processes` row, or -1; and @use, unless NULL. */
static long long self_col(const char *col, struct lock_use *use)
{
	struct table t;
	long long v;
	int ret;

	if (use)
		lock_use_begin(use);
	ret = table_load(&t, MEMACCT_DIR "/processes");
	if (use)
		lock_use_end(use);
	if (ret)
		return -1;
	v = table_num(&t, table_find(&t, "pid", getpid()), col);
	table_free(&t);
	return v;
}

/*
 * The walk of a huge process let go of its mmap lock on the way: the lock
 * was dropped and no hold came near the read's whole length (chunks of
 * 2 MiB or 1 ms, design.rst; the reads here take 20 ms and more).
 */
#define EXPECT_LOCK_LET_GO(use) do {					\
	EXPECT_LE(1, (use).drops);					\
	EXPECT_GT((use).read_ms, 4 * (use).max_hold_ms)			\
		TH_LOG("longest hold %.2f ms of a %.2f ms read",	\
		       (use).max_hold_ms, (use).read_ms);		\
} while (0)

/*
 * One million VMAs in one process: its row is right, the read completes
 * and lets go of the mmap lock on the way. About 15 s in the VM; on the
 * debug kernel of `make check-debug` (KASAN, lockdep) making the VMAs takes
 * 350-450 s and unmapping them 130 s, hence the limit.
 */
TEST_F_TIMEOUT(hard, one_million_vmas, 1200)
{
	const size_t n = 1000000, page = 4096;
	long long before, vss, after;
	struct lock_use use;
	double t0, t1, t2;
	char *p;
	size_t i;

	write_file("/proc/sys/vm/max_map_count", "2100000");
	p = mmap(NULL, n * page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	t0 = now_ms();
	for (i = 0; i < n; i += 2)	/* every other page: n VMAs in all */
		ASSERT_EQ(0, mprotect(p + i * page, page, PROT_NONE)) TH_LOG("vma %zu", i);
	t1 = now_ms();
	/* the reads themselves may grow the heap: bracket ours by two */
	before = status_kb(getpid(), "VmSize");
	vss = self_col("vss", &use) / 1024;
	after = status_kb(getpid(), "VmSize");
	t2 = now_ms();
	EXPECT_LE(before, vss);
	EXPECT_GE(after, vss);
	EXPECT_LT((long long)(n * page / 1024), vss);
	EXPECT_LOCK_LET_GO(use);
	munmap(p, n * page);
	ksft_print_msg("timing: 1M VMAs made in %.0f ms, processes read %.0f ms (lock let go %lld times, longest hold %.2f ms), unmapped in %.0f ms\n",
		       t1 - t0, use.read_ms, use.drops, use.max_hold_ms, now_ms() - t2);
}

/* This process's `vmas` table, read through a file of its own; 0 or -1. */
static int own_vmas_table(struct table *t)
{
	char buf[32];
	int fd, ret;

	fd = open(MEMACCT_DIR "/vmas", O_RDWR);
	if (fd < 0)
		return -1;
	snprintf(buf, sizeof(buf), "%d", getpid());
	ret = write(fd, buf, strlen(buf)) < 0 || table_parse(t, read_fd_pieces(fd, 65536));
	close(fd);
	return ret ? -1 : 0;
}

/* The `vmas` row of this process's mapping at @addr: column @col, or -1. */
static long long own_vma_col(void *addr, const char *col)
{
	char start[32];
	struct table t;
	long long v = -1;
	int r;

	if (own_vmas_table(&t))
		return -1;
	snprintf(start, sizeof(start), "%lx", (unsigned long)addr);
	for (r = 0; r < t.nrows; r++)
		if (!strcmp(t.rows[r][table_col(&t, "start")], start))
			v = table_num(&t, r, col);
	table_free(&t);
	return v;
}

/*
 * 8 GiB of sparse mappings with 2 GiB resident (one page in four; the VM
 * has 4 GiB, scripts/vm.sh): the mapping's `vmas` row has exactly the
 * pages touched (the test process itself is not quiescent, so its whole
 * row is not compared with smaps_rollup read at another time), and the
 * walks for `vmas` and `processes` let go of the mmap lock on the way.
 */
TEST_F_TIMEOUT(hard, sparse_8g, 300)
{
	const size_t len = 8UL << 30, step = 4 * 4096;
	long long touched = (long long)(len / step) * 4096;
	struct lock_use use, vmas_use;
	char *p;
	size_t off;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	madvise(p, len, MADV_NOHUGEPAGE);
	/*
	 * Locked as they fault in: with zram swap on (procs_test) the 2 GiB
	 * would otherwise be partly swapped out by node reclaim before the
	 * rows are read.
	 */
	ASSERT_EQ(0, mlock2(p, len, MLOCK_ONFAULT));
	for (off = 0; off < len; off += step)
		p[off] = 1;
	EXPECT_EQ((long long)len, own_vma_col(p, "vss"));
	lock_use_begin(&vmas_use);
	EXPECT_EQ(touched, own_vma_col(p, "rss"));
	lock_use_end(&vmas_use);
	EXPECT_LOCK_LET_GO(vmas_use);
	EXPECT_EQ(touched, own_vma_col(p, "anon"));
	EXPECT_EQ(touched, own_vma_col(p, "uss"));
	EXPECT_LE(touched, self_col("rss", &use));
	EXPECT_LOCK_LET_GO(use);
	ksft_print_msg("timing: 2 GiB resident: vmas read %.0f ms (lock let go %lld times, longest hold %.2f ms), processes read %.0f ms (%lld, %.2f ms)\n",
		       vmas_use.read_ms, vmas_use.drops, vmas_use.max_hold_ms,
		       use.read_ms, use.drops, use.max_hold_ms);
	munmap(p, len);
}

/* Active objects per cache from /proc/slabinfo: names[i], counts[i]. */
struct slab_census {
	int n;
	char names[512][64];
	long long active[512];
};

static int slab_census(struct slab_census *c)
{
	char *text = read_file("/proc/slabinfo", NULL), *line, *save;
	char name[64];
	long long active;

	if (!text)
		return -1;
	c->n = 0;
	for (line = strtok_r(text, "\n", &save); line && c->n < 512;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%63s %lld", name, &active) != 2)
			continue;	/* the two header lines */
		snprintf(c->names[c->n], sizeof(c->names[0]), "%s", name);
		c->active[c->n++] = active;
	}
	free(text);
	return 0;
}

/* The cache that grew most from @a to @b: its growth, and its name in @name. */
static long long most_grown(const struct slab_census *a, const struct slab_census *b,
			    const char **name)
{
	long long most = 0;
	int i, j;

	*name = "-";
	for (j = 0; j < b->n; j++)
		for (i = 0; i < a->n; i++)
			if (!strcmp(a->names[i], b->names[j]) &&
			    b->active[j] - a->active[i] > most) {
				most = b->active[j] - a->active[i];
				*name = b->names[j];
			}
	return most;
}

static const char *const every_file[] = { "processes", "summary", "buddy", "zones",
					  "slab", "version", "pid", "stats", "vmas" };
#define NFILES (sizeof(every_file) / sizeof(every_file[0]))

/* Opens every file @times times, reading @len bytes (0: all) each time. */
static void open_every_file(int times, size_t len)
{
	char path[128], buf[1];
	unsigned int f;
	int i, fd;

	for (i = 0; i < times; i++)
		for (f = 0; f < NFILES; f++) {
			snprintf(path, sizeof(path), MEMACCT_DIR "/%s", every_file[f]);
			if (!len) {
				free(read_file(path, NULL));
				continue;
			}
			fd = open(path, O_RDONLY);
			if (fd >= 0 && read(fd, buf, len) < 0)
				ksft_print_msg("read %s: %s\n", path, strerror(errno));
			close(fd);
		}
}

/*
 * 4,000 opens of every file (each read one byte) and 100 whole reads leave
 * no object behind: a file that leaked even one object of any size per
 * open would grow some slab cache by 4,000 active objects. The bound is
 * half that: /proc/slabinfo counts free objects of per-CPU slabs as
 * active, up to a few slabs' worth per CPU of a small cache.
 */
TEST_F_TIMEOUT(hard, no_leak_over_4000_opens, 600)
{
	static struct slab_census before, after;
	const char *name;
	long long grown;
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", getpid());
	ASSERT_EQ(0, write_file(MEMACCT_DIR "/pid", pid));
	open_every_file(20, 0);	/* warm the caches up */
	write_file("/proc/sys/vm/drop_caches", "2");
	sleep(1);
	ASSERT_EQ(0, slab_census(&before));
	open_every_file(4000, 1);
	open_every_file(100, 0);
	write_file("/proc/sys/vm/drop_caches", "2");
	sleep(1);
	ASSERT_EQ(0, slab_census(&after));
	grown = most_grown(&before, &after, &name);
	EXPECT_GT(2000, grown) TH_LOG("slab cache %s grew by %lld objects", name, grown);
	ksft_print_msg("leak check: 36,900 opens, most grown cache %s +%lld objects\n", name, grown);
}

static volatile sig_atomic_t stop_flag;

static void on_term(int sig)
{
	stop_flag = 1;
}

static pid_t spawn(void (*fn)(void))
{
	pid_t p = fork();

	if (p == 0) {
		signal(SIGTERM, on_term);
		fn();
		_exit(0);
	}
	return p;
}

static void touch_range(char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i += 4096)
		p[i] = (char)i;
}

/* ---- defects found in review (issue 12): each test failed before its fix ---- */

#define PARAM_DIR "/sys/module/memacct/parameters/"
#define MB (1024UL * 1024)
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

static int set_param(const char *name, long long value)
{
	char path[128], v[32];

	snprintf(path, sizeof(path), PARAM_DIR "%s", name);
	snprintf(v, sizeof(v), "%lld", value);
	return write_file(path, v);
}

/* The number a sysfs file holds, or -1. */
static long long sysfs_number(const char *path)
{
	char *text = read_file(path, NULL);
	long long v = text ? atoll(text) : -1;

	free(text);
	return v;
}

/* Swap of this process from its smaps_rollup, in kB, or -1. */
static long long own_swap_kb(void)
{
	return file_kb("/proc/self/smaps_rollup", "Swap");
}

/* Shared with the stressor below: swap it saw, rounds it made. */
struct replace_report {
	long long swapped_kb;
	long long rounds;
};

static struct replace_report *replace_report;

/*
 * Until stopped: a private writable mapping of a 32 MiB memfd whose pages
 * are half swapped out (16 chunks of the walk) is replaced at the same
 * address by an anonymous one, then mapped back, as fast as it can.
 * Records the swap it saw and counts its rounds in *replace_report, if set.
 */
static void stress_shmem_fixed(void)
{
	const size_t len = 32 * MB;
	int fd = memfd_create("memacct-fixed", 0);
	char *p, *w;
	size_t off;

	if (fd < 0 || ftruncate(fd, len))
		_exit(2);
	w = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (w == MAP_FAILED)
		_exit(3);
	touch_range(w, len);
	for (off = 0; off < len; off += 2 * MB)
		madvise(w + off, MB, MADV_PAGEOUT);
	/*
	 * Seen through the shared mapping, which counts the swapped pages of
	 * the whole range on every kernel (5.10's smaps finds none in the page
	 * table holes of the private mapping below: see accounting.rst).
	 */
	if (replace_report)
		replace_report->swapped_kb = own_swap_kb();
	munmap(w, len);
	/* between two PROT_NONE pages: the anonymous mapping merges with nothing */
	p = mmap(NULL, len + 2 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		_exit(4);
	p += 4096;
	mmap(p, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0);
	while (!stop_flag) {
		mmap(p, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		p[0] = 1;
		mmap(p, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0);
		if (replace_report)
			__atomic_add_fetch(&replace_report->rounds, 1, __ATOMIC_RELAXED);
	}
}

/*
 * 1. After letting go of the mmap lock, the walk took a VMA with the same
 * vm_start for the one it had been walking and counted swapped shmem in
 * its holes through vma->vm_file: NULL for an anonymous mapping put in its
 * place (an oops within seconds). The lock is let go after every chunk
 * (test-only parameter) to make the window wide; 300 reads of each of
 * `processes` and `vmas` while the mapping is replaced.
 */
TEST_F_TIMEOUT(hard, mapping_replaced_while_walked, 300)
{
	long long rounds;
	int reads, status;
	char pid[16];
	pid_t s;

	ASSERT_EQ(0, zram_swap_on());
	replace_report = mmap(NULL, sizeof(*replace_report), PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, replace_report);
	ASSERT_EQ(0, set_param("test_let_go_every_chunk", 1));
	write_file(MEMACCT_DIR "/stats", "0");
	s = spawn(stress_shmem_fixed);
	snprintf(pid, sizeof(pid), "%d", s);
	ASSERT_EQ(0, write_file(MEMACCT_DIR "/pid", pid));
	/* the reads start once the mapping is being replaced (60 s at most) */
	for (reads = 0; reads < 6000 && !__atomic_load_n(&replace_report->rounds,
							  __ATOMIC_RELAXED); reads++)
		usleep(10000);
	for (reads = 0; reads < 300; reads++) {
		free(read_file(MEMACCT_DIR "/processes", NULL));
		free(read_file(MEMACCT_DIR "/vmas", NULL));
	}
	kill(s, SIGTERM);
	ASSERT_EQ(s, waitpid(s, &status, 0));
	set_param("test_let_go_every_chunk", 0);
	rounds = replace_report->rounds;
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_LT(1024, replace_report->swapped_kb) TH_LOG("the memfd was not swapped out");
	EXPECT_LE(1000, rounds);
	EXPECT_LT(reads, stats_value("lock_drops"));
	ksft_print_msg("mapping replaced %lld times during %d reads of processes and vmas\n",
		       rounds, reads);
	munmap(replace_report, sizeof(*replace_report));
	replace_report = NULL;
}

/* Runs `cat processes` into a table; exits 0 if it had no row for @pid. */
static void read_processes_without(pid_t pid)
{
	struct table t;

	if (table_load(&t, MEMACCT_DIR "/processes"))
		_exit(10);
	_exit(table_find(&t, "pid", pid) < 0 ? 0 : 11);
}

/*
 * 2. A process reaped while its row was being made, whose parent then
 * exited and was reaped too: its real_parent was read after it may have
 * been freed. Now a reaped process has no row. The row of the child is
 * delayed after its walk (test-only parameters) while both go.
 */
TEST_F_TIMEOUT(hard, reaped_during_walk_parent_gone, 60)
{
	int fds[2], status;
	pid_t parent, child, reader;
	double t0;

	ASSERT_EQ(0, pipe(fds));
	parent = fork();
	ASSERT_GE(parent, 0);
	if (parent == 0) {
		child = fork();
		if (child == 0) {
			for (;;)
				pause();
		}
		if (write(fds[1], &child, sizeof(child)) != sizeof(child))
			_exit(1);
		waitpid(child, NULL, 0);	/* reaps it once killed */
		_exit(0);
	}
	ASSERT_EQ((ssize_t)sizeof(child), read(fds[0], &child, sizeof(child)));
	ASSERT_EQ(0, set_param("test_delay_pid", child));
	ASSERT_EQ(0, set_param("test_delay_ms", 2000));
	t0 = now_ms();
	reader = fork();
	ASSERT_GE(reader, 0);
	if (reader == 0)
		read_processes_without(child);
	usleep(500000);		/* the reader is in the child's delay now */
	kill(child, SIGKILL);
	ASSERT_EQ(parent, waitpid(parent, &status, 0));	/* reaped the child, exited */
	ASSERT_EQ(reader, waitpid(reader, &status, 0));
	set_param("test_delay_ms", 0);
	EXPECT_LE(1900, now_ms() - t0) TH_LOG("the row was not delayed: not walked before the kill");
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("the reaped process still had a row (status %d)", status);
	close(fds[0]);
	close(fds[1]);
}

/*
 * 3. An open `vmas` file kept the whole address space of an exited
 * process (an mm_users reference): its mapped file kept a tmpfs busy.
 */
TEST_F(hard, vmas_fd_does_not_pin_exited_process)
{
	const char *mnt = "/mnt/memacct-pin";
	char buf[128], pid[16];
	int fd, vfd, status;
	pid_t child;

	mkdir(mnt, 0755);
	ASSERT_EQ(0, mount("none", mnt, "tmpfs", 0, "size=8m"));
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		char *p;

		fd = open("/mnt/memacct-pin/f", O_RDWR | O_CREAT, 0600);
		if (fd < 0 || ftruncate(fd, MB))
			_exit(1);
		p = mmap(NULL, MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			_exit(2);
		close(fd);
		touch_range(p, MB);
		raise(SIGSTOP);
		_exit(0);
	}
	ASSERT_EQ(child, waitpid(child, &status, WUNTRACED));
	ASSERT_TRUE(WIFSTOPPED(status));
	vfd = open(MEMACCT_DIR "/vmas", O_RDWR);
	ASSERT_LE(0, vfd);
	snprintf(pid, sizeof(pid), "%d", child);
	ASSERT_EQ((ssize_t)strlen(pid), write(vfd, pid, strlen(pid)));
	ASSERT_EQ((ssize_t)sizeof(buf), read(vfd, buf, sizeof(buf)));	/* a partial read */
	kill(child, SIGKILL);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_EQ(0, umount(mnt)) TH_LOG("umount: %s", strerror(errno));
	while (read(vfd, buf, sizeof(buf)) > 0)	/* the rest: to its end, no error */
		;
	close(vfd);
	umount(mnt);
}

/* Rows of a `vmas` table never overlap and add up to @vss bytes; 0 if so. */
static int vmas_rows_tile(char *text, long long vss, char *why, size_t whylen)
{
	unsigned long start, end, last_end = 0;
	long long sum = 0;
	struct table t;
	int r, bad = 0;

	if (table_parse(&t, text))
		return -1;
	for (r = 0; r < t.nrows && !bad; r++) {
		start = strtoul(t.rows[r][table_col(&t, "start")], NULL, 16);
		end = strtoul(t.rows[r][table_col(&t, "end")], NULL, 16);
		if (start < last_end) {
			snprintf(why, whylen, "row %d starts at %lx, before %lx", r, start, last_end);
			bad = 1;
		}
		sum += table_num(&t, r, "vss");
		last_end = end;
	}
	if (!bad && vss >= 0 && sum != vss) {
		snprintf(why, whylen, "rows add up to %lld bytes, VmSize %lld", sum, vss);
		bad = 1;
	}
	table_free(&t);
	return bad ? -1 : 0;
}

/*
 * 4. Between two reads of an open `vmas` file, the mapping after the last
 * row shown merged with the ones before it: the next row started at the
 * merged mapping's start, walking again what was shown. A process with
 * 400 alternating mappings merges them into one between two reads.
 */
TEST_F(hard, vmas_rows_never_overlap)
{
	const size_t pages = 400;
	static char text[1 << 20];
	char pid[16], why[160];
	size_t len = 0, i;
	ssize_t n;
	int fd, status;
	pid_t child;

	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		char *p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			_exit(1);
		touch_range(p, pages * 4096);
		for (i = 1; i < pages; i += 2)
			mprotect(p + i * 4096, 4096, PROT_READ);
		raise(SIGSTOP);
		mprotect(p, pages * 4096, PROT_READ | PROT_WRITE);	/* one VMA again */
		raise(SIGSTOP);
		_exit(0);
	}
	ASSERT_EQ(child, waitpid(child, &status, WUNTRACED));
	fd = open(MEMACCT_DIR "/vmas", O_RDWR);
	ASSERT_LE(0, fd);
	snprintf(pid, sizeof(pid), "%d", child);
	ASSERT_EQ((ssize_t)strlen(pid), write(fd, pid, strlen(pid)));
	n = read(fd, text, 4096);	/* ends inside the 400 mappings */
	ASSERT_LT(0, n);
	len = n;
	kill(child, SIGCONT);
	ASSERT_EQ(child, waitpid(child, &status, WUNTRACED));
	while ((n = read(fd, text + len, sizeof(text) - 1 - len)) > 0)
		len += n;
	text[len] = '\0';
	close(fd);
	why[0] = '\0';
	EXPECT_EQ(0, vmas_rows_tile(strdup(text), status_kb(child, "VmSize") * 1024,
				    why, sizeof(why))) TH_LOG("%s", why);
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
}

/* The names of a `slab` table, newline-separated and sorted, via sort(1). */
static int slab_names(const char *text, char *out, size_t outlen, int *dups)
{
	struct table t;
	int r, i, n = 0;
	size_t off = 0;
	char **names;

	if (table_parse(&t, strdup(text)))
		return -1;
	names = calloc(t.nrows + 1, sizeof(*names));
	for (r = 0; r < t.nrows; r++)
		if (strncmp(t.rows[r][0], "total", 5) && strcmp(t.rows[r][0], "large_kmalloc") &&
		    strcmp(t.rows[r][0], "memacct_test"))
			names[n++] = t.rows[r][0];
	qsort(names, n, sizeof(*names), strcmp_ptr);
	*dups = 0;
	for (i = 0; i < n; i++) {
		if (i && !strcmp(names[i], names[i - 1]))
			(*dups)++;
		off += snprintf(out + off, off < outlen ? outlen - off : 0, "%s\n", names[i]);
	}
	free(names);
	table_free(&t);
	return 0;
}

/* Reads `slab` in two parts, running @between after the first one. */
static char *slab_read_across(const char *between)
{
	size_t cap = 1 << 20, len;
	char *text = malloc(cap);
	int fd = open(MEMACCT_DIR "/slab", O_RDONLY);
	ssize_t n;

	if (fd < 0 || (n = read(fd, text, 4096)) <= 0)
		return NULL;
	len = n;
	if (system(between))
		return NULL;
	while ((n = read(fd, text + len, cap - 1 - len)) > 0)
		len += n;
	text[len] = '\0';
	close(fd);
	return text;
}

/*
 * 6. A read that went on after a cache was created (at the head of the
 * list) or destroyed found its place again by position: a row shown twice
 * (with another cache's figures) or not at all. Each cache present
 * throughout must have exactly one row.
 */
TEST_F(hard, slab_rows_survive_cache_changes)
{
	static char want[1 << 16], got[1 << 16];
	static const char *const between[] = {
		"insmod /lib/modules/extra/memacct_slabtest.ko count=10",
		"rmmod memacct_slabtest",
	};
	char *text;
	int dups, i;

	for (i = 0; i < 2; i++) {
		text = read_file(MEMACCT_DIR "/slab", NULL);
		ASSERT_NE(NULL, text);
		ASSERT_EQ(0, slab_names(text, want, sizeof(want), &dups));
		free(text);
		text = slab_read_across(between[i]);
		ASSERT_NE(NULL, text) TH_LOG("%s", between[i]);
		ASSERT_EQ(0, slab_names(text, got, sizeof(got), &dups));
		EXPECT_EQ(0, dups) TH_LOG("after %s: %d names twice", between[i], dups);
		EXPECT_STREQ(want, got) TH_LOG("after %s", between[i]);
		free(text);
	}
}

/*
 * 8. A hugetlb mapping was walked in one piece, holding the mmap lock and
 * the file's i_mmap_rwsem across all of it. With the lock let go after
 * every chunk (test-only parameter), a 64 MiB hugetlb mapping's row lets
 * it go at least 31 times (2 MiB chunks), and its figures stay exact.
 */
TEST_F(hard, hugetlb_walked_in_chunks)
{
	const size_t len = 64 * MB;
	struct lock_use use;
	char *p;

	ASSERT_EQ(0, write_file("/proc/sys/vm/nr_hugepages", "40"));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	touch_range(p, len);
	ASSERT_EQ(0, set_param("test_let_go_every_chunk", 1));
	lock_use_begin(&use);
	EXPECT_EQ((long long)len, own_vma_col(p, "hugetlb_private"));
	lock_use_end(&use);
	set_param("test_let_go_every_chunk", 0);
	EXPECT_LE(31, use.drops);
	munmap(p, len);
	write_file("/proc/sys/vm/nr_hugepages", "0");
}

static int cmp_pid(const void *a, const void *b)
{
	return *(const pid_t *)a - *(const pid_t *)b;
}

/*
 * 9. A reader killed during a read went on walking every other process
 * (each walk failed at once, without a row, and the next was tried). The
 * row of the 11th (by pid) of 60 stopped processes is delayed (test-only
 * parameters) and the reader killed there: no more walks after it.
 */
TEST_F_TIMEOUT(hard, killed_reader_stops, 120)
{
	pid_t pids[64], reader;
	long long walks;
	struct table t;
	int n, status;

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	n = helper_start("/selftests/memhelper many 60", pids, 64);
	ASSERT_EQ(60, n);
	ASSERT_EQ(0, table_load(&t, MEMACCT_DIR "/processes"));
	qsort(pids, n, sizeof(pids[0]), cmp_pid);	/* the 11th lowest pid */
	ASSERT_EQ(0, set_param("test_delay_pid", pids[10]));
	ASSERT_EQ(0, set_param("test_delay_ms", 5000));
	write_file(MEMACCT_DIR "/stats", "0");
	reader = fork();
	ASSERT_GE(reader, 0);
	if (reader == 0) {
		free(read_file(MEMACCT_DIR "/processes", NULL));
		_exit(0);
	}
	usleep(500000);
	kill(reader, SIGKILL);
	ASSERT_EQ(reader, waitpid(reader, &status, 0));
	walks = stats_value("walks");
	set_param("test_delay_ms", 0);
	helper_stop_all();
	EXPECT_TRUE(WIFSIGNALED(status));
	/* at most the processes up to the delayed one were walked */
	EXPECT_GT(t.nrows - 40, walks) TH_LOG("%lld walks of %d processes", walks, t.nrows);
	table_free(&t);
}

/* The `buddy` rows: the largest order-0 count and whether a row is capped. */
static int buddy_scan(long long *max_o0, int *capped_rows)
{
	struct table t;
	int r;

	if (table_load(&t, MEMACCT_DIR "/buddy"))
		return -1;
	*max_o0 = 0;
	*capped_rows = 0;
	for (r = 0; r < t.nrows; r++) {
		if (!strcmp(t.rows[r][table_col(&t, "type")], "total"))
			continue;
		if (table_num(&t, r, "o0") > *max_o0)
			*max_o0 = table_num(&t, r, "o0");
		*capped_rows += table_num(&t, r, "capped") == 1;
	}
	table_free(&t);
	return 0;
}

/*
 * 11. Each free list was walked under zone->lock with interrupts off for
 * up to a million entries, ten times the cap mm/vmstat.c uses. Memory is
 * fragmented into hundreds of thousands of free order-0 blocks (all the
 * available memory but 384 MiB faulted in as order-0 pages, every other
 * page freed), then `buddy` read
 * in a loop: lists are counted to 100,000 and marked capped.
 */
TEST_F_TIMEOUT(hard, buddy_fragmented_lists_capped, 600)
{
	const size_t page = 4096;
	size_t len;
	long long max_o0 = 0, irqoff;
	int capped = 0, i;
	size_t off;
	char *p;

	write_file("/proc/sys/vm/drop_caches", "3");
	/* all the memory there is, but 384 MiB */
	len = ((size_t)file_kb("/proc/meminfo", "MemAvailable") * 1024 - 384 * MB) & ~(2 * MB - 1);
	ASSERT_LT(1024 * MB, len);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	madvise(p, len, MADV_NOHUGEPAGE);
	touch_range(p, len);
	for (off = 0; off < len; off += 2 * page)
		madvise(p + off, page, MADV_DONTNEED);
	write_file(MEMACCT_DIR "/stats", "0");
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, buddy_scan(&max_o0, &capped));
		if (capped)
			break;
	}
	irqoff = stats_value("max_irqs_off_ns");
	munmap(p, len);
	EXPECT_LE(1, capped) TH_LOG("largest order-0 list %lld", max_o0);
	EXPECT_GE(100000, max_o0);
	EXPECT_LT(0, irqoff);
	ksft_print_msg("buddy: largest order-0 list %lld, capped rows %d, longest interrupts-off hold %.2f ms\n",
		       max_o0, capped, irqoff / 1e6);
}

static volatile int writer_stop;

static void *map_unmap_loop(void *arg)
{
	long *rounds = arg;

	while (!writer_stop) {
		void *q = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (q != MAP_FAILED)
			munmap(q, 4096);
		(*rounds)++;
	}
	return NULL;
}

/* How many of this process's `vmas` rows are over @size bytes, or -1. */
static int own_rows_over(long long size)
{
	struct table t;
	int r, n = 0;

	if (own_vmas_table(&t))
		return -1;
	for (r = 0; r < t.nrows; r++)
		n += table_num(&t, r, "vss") > size;
	table_free(&t);
	return n;
}

/* The `vmas` rows of this process in [@addr, @addr + @len): column @col summed, or -1. */
static long long own_range_col(char *addr, size_t len, const char *col)
{
	unsigned long lo = (unsigned long)addr, hi = lo + len, start;
	struct table t;
	long long sum = 0;
	int r;

	if (own_vmas_table(&t))
		return -1;
	for (r = 0; r < t.nrows; r++) {
		start = strtoul(t.rows[r][table_col(&t, "start")], NULL, 16);
		if (start >= lo && start < hi)
			sum += table_num(&t, r, col);
	}
	table_free(&t);
	return sum;
}

/*
 * Issue 17: with a writer waiting for the mmap lock (a thread mapping and
 * unmapping a page in a loop), reads of 512 MiB resident in 2 MiB
 * mappings (every other one read-only: 256 `vmas` rows of one chunk, which
 * are walked under the mmap lock on every kernel, memacct_walk_row()) let
 * go of the lock for the writer (lock_drops_contended grows), and no walk
 * yields the CPU while it holds the lock (yields_under_lock stays 0: the
 * only shmem mapping here is the harness's one-page results page, whose
 * swap scan is below the 1024 entries after which a scan may yield; with
 * a check at every entry, as before, a writer on the same CPU made this
 * fail on 5.10 in CI).
 */
TEST_F_TIMEOUT(hard, writer_waiting_gets_the_lock, 300)
{
	const size_t len = 512 * MB, piece = 2 * MB;
	long rounds = 0;
	pthread_t writer;
	size_t off;
	char *p;
	int i;

	/* between two PROT_NONE pages: merged with nothing around */
	p = mmap(NULL, len + 2 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	p += 4096;
	ASSERT_EQ(0, mprotect(p, len, PROT_READ | PROT_WRITE));
	madvise(p, len, MADV_NOHUGEPAGE);
	touch_range(p, len);
	for (off = 0; off < len; off += 2 * piece)
		ASSERT_EQ(0, mprotect(p + off, piece, PROT_READ));
	write_file(MEMACCT_DIR "/stats", "0");
	writer_stop = 0;
	ASSERT_EQ(0, pthread_create(&writer, NULL, map_unmap_loop, &rounds));
	for (i = 0; i < 5; i++)
		EXPECT_EQ((long long)len, own_range_col(p, len, "rss"));
	writer_stop = 1;
	pthread_join(writer, NULL);
	EXPECT_LT(0, stats_value("lock_drops_contended"));
	EXPECT_EQ(0, stats_value("yields_under_lock"));
	ksft_print_msg("writer waiting: %ld map/unmap rounds, lock let go %lld times (%lld for the writer), longest hold %.2f ms, %lld holds over 2 ms\n",
		       rounds, stats_value("lock_drops"), stats_value("lock_drops_contended"),
		       stats_value("max_mmap_lock_hold_ns") / 1e6, stats_value("holds_over_budget"));
	munmap(p - 4096, len + 2 * 4096);
}

/* Per-VMA locks (6.4), which a `processes` walk uses where they exist. */
static bool kernel_has_vma_locks(void)
{
	int major, minor;

	kernel_version(&major, &minor);
	return major > 6 || (major == 6 && minor >= 4);
}

/* A 512 MiB resident mapping between PROT_NONE pages, merged with nothing. */
static char *big_own_mapping(size_t len)
{
	char *p = mmap(NULL, len + 2 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	p += 4096;
	if (mprotect(p, len, PROT_READ | PROT_WRITE))
		return NULL;
	madvise(p, len, MADV_NOHUGEPAGE);
	touch_range(p, len);
	return p;
}

/*
 * Issue 17: where the kernel has per-VMA locks, a `processes` walk holds
 * only the walked VMA's own lock, never the mmap lock: a thread mapping
 * and unmapping pages of its own never waits for it (lock_drops_contended
 * stays 0, where the mmap lock walk of hard.writer_waiting_gets_the_lock
 * lets go for it), and the walks were done under VMA locks
 * (vma_lock_holds). A `vmas` row longer than one chunk is walked under
 * its VMA's lock too (the other rows are read under the mmap lock, so
 * the writer does wait for those).
 */
TEST_F_TIMEOUT(hard, processes_walk_leaves_mmap_lock_free, 300)
{
	const size_t len = 512 * MB;
	long long holds, misses, contended;
	long rounds = 0;
	int big_rows;
	pthread_t writer;
	char *p;
	int i;

	if (!kernel_has_vma_locks())
		SKIP(return, "no per-VMA locks before 6.4");
	p = big_own_mapping(len);
	ASSERT_NE(NULL, p);
	write_file(MEMACCT_DIR "/stats", "0");
	writer_stop = 0;
	ASSERT_EQ(0, pthread_create(&writer, NULL, map_unmap_loop, &rounds));
	for (i = 0; i < 5; i++)
		EXPECT_LE((long long)len, self_col("rss", NULL));
	holds = stats_value("vma_lock_holds");
	misses = stats_value("vma_lock_misses");
	contended = stats_value("lock_drops_contended");
	big_rows = own_rows_over(2 * MB);
	write_file(MEMACCT_DIR "/stats", "0");
	for (i = 0; i < 5; i++)
		EXPECT_EQ((long long)len, own_vma_col(p, "rss"));
	writer_stop = 1;
	pthread_join(writer, NULL);
	ksft_print_msg("writer mapping: %ld map/unmap rounds; processes: %lld VMA lock holds, %lld misses, lock let go %lld times for a writer; vmas: %lld VMA lock holds for %d rows over 2 MiB\n",
		       rounds, holds, misses, contended, stats_value("vma_lock_holds"), big_rows);
	EXPECT_LT(5, holds);
	EXPECT_EQ(0, contended);
	/* every row over one chunk, the 512 MiB one too, under its VMA lock */
	EXPECT_LE(1, big_rows);
	EXPECT_LE(5 * big_rows, stats_value("vma_lock_holds"));
	EXPECT_LT(0, rounds);
	munmap(p - 4096, len + 2 * 4096);
}

/* Changes the protection of one page in the middle of @p in a loop. */
static void *mprotect_loop(void *arg)
{
	char *mid = (char *)arg + 256 * MB;

	while (!writer_stop) {
		mprotect(mid, 4096, PROT_READ);
		mprotect(mid, 4096, PROT_READ | PROT_WRITE);
	}
	return NULL;
}

/*
 * Issue 17: a writer of the walked VMA itself (mprotect() of a page in
 * the middle splits it and merges it back, vma_start_write()) waits for
 * the walk's VMA lock, so the walk lets go of it for the writer
 * (lock_drops_contended grows), and the mapping is still counted whole.
 */
TEST_F_TIMEOUT(hard, vma_writer_waiting_gets_the_vma_lock, 300)
{
	const size_t len = 512 * MB;
	pthread_t writer;
	char *p;
	int i;

	if (!kernel_has_vma_locks())
		SKIP(return, "no per-VMA locks before 6.4");
	p = big_own_mapping(len);
	ASSERT_NE(NULL, p);
	write_file(MEMACCT_DIR "/stats", "0");
	writer_stop = 0;
	ASSERT_EQ(0, pthread_create(&writer, NULL, mprotect_loop, p));
	for (i = 0; i < 5; i++)
		EXPECT_LE((long long)len, self_col("rss", NULL));
	writer_stop = 1;
	pthread_join(writer, NULL);
	ksft_print_msg("writer of the VMA: %lld VMA lock holds, %lld misses; lock let go %lld times (%lld for a writer)\n",
		       stats_value("vma_lock_holds"), stats_value("vma_lock_misses"),
		       stats_value("lock_drops"), stats_value("lock_drops_contended"));
	EXPECT_LT(0, stats_value("lock_drops_contended"));
	munmap(p - 4096, len + 2 * 4096);
}

/* PREEMPT_RT kernels say so in /sys/kernel/realtime (kernel/ksysfs.c). */
static bool kernel_is_preempt_rt(void)
{
	char *s = read_file("/sys/kernel/realtime", NULL);
	bool rt = s && s[0] == '1';

	free(s);
	return rt;
}

/* A process spinning on CPU 0 until killed (or its parent dies). */
static pid_t cpu0_hog(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			;
	}
	return pid;
}

/*
 * Issue 17: a CPU hog on the reader's CPU. A preemptible kernel (7.x's
 * PREEMPT_LAZY) preempts a walk at a tick anywhere, so the walk would be
 * scheduled out holding a mmap lock, its process's writers waiting for
 * the hog's time slice. The walk holds the lock with preemption off and
 * lets go of it when the CPU is wanted, so the reader is switched out
 * (its ru_nivcsw grows) but never within a hold (switched_out_under_lock
 * stays 0). Not asserted on PREEMPT_RT, where the PTE locks sleep and the
 * walk stays preemptible (module/wrapper/preempt.h): there the count is
 * only printed.
 */
TEST_F_TIMEOUT(hard, walk_not_switched_out_holding_the_lock, 300)
{
	const size_t len = 256 * MB;
	struct rusage before, after;
	cpu_set_t cpus, cpu0;
	pid_t hog;
	char *p;
	int i;

	ASSERT_EQ(0, sched_getaffinity(0, sizeof(cpus), &cpus));
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(cpu0), &cpu0));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	madvise(p, len, MADV_NOHUGEPAGE);
	touch_range(p, len);
	hog = cpu0_hog();
	ASSERT_LT(0, hog);
	write_file(MEMACCT_DIR "/stats", "0");
	getrusage(RUSAGE_THREAD, &before);
	for (i = 0; i < 10; i++)
		EXPECT_EQ((long long)len, own_vma_col(p, "rss"));
	getrusage(RUSAGE_THREAD, &after);
	kill(hog, SIGKILL);
	waitpid(hog, NULL, 0);
	sched_setaffinity(0, sizeof(cpus), &cpus);
	munmap(p, len);
	ksft_print_msg("CPU hog: reader preempted %ld times, %lld of them holding the lock; lock let go %lld times, longest hold %.2f ms, %lld holds over 2 ms\n",
		       after.ru_nivcsw - before.ru_nivcsw, stats_value("switched_out_under_lock"),
		       stats_value("lock_drops"), stats_value("max_mmap_lock_hold_ns") / 1e6,
		       stats_value("holds_over_budget"));
	EXPECT_LT(before.ru_nivcsw, after.ru_nivcsw);
	if (kernel_is_preempt_rt())
		SKIP(return, "PREEMPT_RT: the walk is preemptible there");
	EXPECT_EQ(0, stats_value("switched_out_under_lock"));
}

/* ---- churn: readers of every file while everything changes ---- */

static void stress_fork(void)
{
	while (!stop_flag) {
		pid_t c = fork();

		if (c == 0) {
			char *m = malloc(64 << 10);

			if (m)
				touch_range(m, 64 << 10);
			_exit(0);
		}
		if (c > 0)
			waitpid(c, NULL, 0);
	}
}

static void stress_maps(void)
{
	const size_t len = 8 << 20;

	while (!stop_flag) {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q;

		if (p == MAP_FAILED)
			continue;
		touch_range(p, len);
		mprotect(p + (1 << 20), 1 << 20, PROT_READ);
		q = mremap(p, len, 2 * len, MREMAP_MAYMOVE);
		if (q != MAP_FAILED)
			p = q;
		munmap(p + (2 << 20), 1 << 20);
		munmap(p, 2 * len);
	}
}

/* THP faulted in, then split by unmapping half of it. */
static void stress_thp(void)
{
	const size_t huge = 2 << 20;

	while (!stop_flag) {
		char *raw = mmap(NULL, 3 * huge, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *p;

		if (raw == MAP_FAILED)
			continue;
		p = (char *)(((unsigned long)raw + huge - 1) & ~(huge - 1));
		madvise(p, huge, MADV_HUGEPAGE);
		touch_range(p, huge);
		munmap(p + huge / 2, 4096);
		touch_range(p, huge / 2);
		munmap(raw, 3 * huge);
	}
}

/*
 * Out to zram swap and back in, and KSM merging identical pages. Exits 0
 * only if it saw both happen: pages_sharing above 0 (it is the only
 * mergeable process) and Swap in its own smaps_rollup after a pageout.
 */
static void stress_swap_ksm(void)
{
	const size_t len = 4 << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bool merged = false, swapped = false;

	if (p == MAP_FAILED || madvise(p, len, MADV_MERGEABLE))
		_exit(2);
	while (!stop_flag) {
		memset(p, 0x5a, len);	/* identical pages: KSM merges them */
		usleep(200000);
		merged |= sysfs_number("/sys/kernel/mm/ksm/pages_sharing") > 0;
		if (madvise(p, len, MADV_PAGEOUT))
			_exit(3);
		swapped |= own_swap_kb() > 0;
		touch_range(p, len);	/* swap in, unmerge */
	}
	_exit(merged && swapped ? 0 : 10 + merged + 2 * swapped);
}

/*
 * Pages moving between the two NUMA nodes (move_pages). Exits 0 only if
 * move_pages() worked and pages were seen on the node they were sent to.
 */
static void stress_migrate(void)
{
	const int n = 256;
	char *p = mmap(NULL, n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *pages[256];
	int nodes[256], status[256], i, to = 1, moved = 0;

	if (p == MAP_FAILED)
		_exit(2);
	touch_range(p, n * 4096);
	for (i = 0; i < n; i++)
		pages[i] = p + i * 4096;
	while (!stop_flag) {
		for (i = 0; i < n; i++)
			nodes[i] = to;
		if (syscall(SYS_move_pages, 0, n, pages, nodes, status, 0) < 0)
			_exit(3);
		for (i = 0; i < n; i++)
			moved += status[i] == to;
		to = !to;
	}
	_exit(moved ? 0 : 4);
}

/*
 * Parents that exit while their children are walked: each round a parent
 * with 1 MiB forks a child with 1 MiB and exits at once; the child lives a
 * little longer. This process is their subreaper and reaps both.
 */
static void stress_orphans(void)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	while (!stop_flag) {
		pid_t parent = fork();

		if (parent == 0) {
			char *m = malloc(MB);

			touch_range(m, MB);
			if (fork() == 0) {
				char *c = malloc(MB);

				touch_range(c, MB);
				usleep(20000);
				_exit(0);
			}
			_exit(0);
		}
		usleep(5000);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
	while (waitpid(-1, NULL, 0) > 0)
		;
}

/* The heap grows and shrinks (brk), merging into and out of its VMA. */
static void stress_brk(void)
{
	char *base = sbrk(0);

	while (!stop_flag) {
		int i;

		for (i = 0; i < 64; i++) {
			char *p = sbrk(64 * 1024);

			if (p == (void *)-1)
				break;
			touch_range(p, 64 * 1024);
		}
		if (brk(base))
			break;
	}
}

/*
 * 7. Every `slab` row holds together, however its cache grows or shrinks
 * while it is read: active objects within all objects, active bytes within
 * the slabs' bytes, waste their difference (it underflowed to ~1.8e19).
 */
static int slab_consistent(const char *text, char *why, size_t whylen)
{
	struct table t;
	int r, bad = 0;

	if (!strncmp(text, "unavailable:", 12) || table_parse(&t, strdup(text)))
		return 0;
	for (r = 0; r < t.nrows && !bad; r++) {
		long long total = table_num(&t, r, "total_bytes");
		long long active = table_num(&t, r, "active_bytes");

		bad = table_num(&t, r, "active_objs") > table_num(&t, r, "num_objs") ||
		      active > total || active < 0 ||
		      table_num(&t, r, "waste_bytes") != total - active;
		if (bad)
			snprintf(why, whylen, "slab row %s inconsistent", t.rows[r][0]);
	}
	table_free(&t);
	return bad;
}

/* The stressors, whose `vmas` the readers read in turn while they churn. */
#define NSTRESS 8
static pid_t churn_targets[NSTRESS];

/* Reads every file in a loop; exits 1 on a malformed table or a bad read. */
static void reader_loop(void)
{
	unsigned int turn = 0;

	static const char *const files[] = { "processes", "summary", "buddy", "zones",
					     "slab", "stats", "version" };
	char why[128], path[128], pid[16];
	unsigned int i;
	int bad = 0, fd;

	while (!stop_flag) {
		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			char *text = read_pieces(files[i], i * 997 + 1);

			if (!text || (i < 5 && i != 1 && well_formed(text, why, sizeof(why))))
				bad++;
			else if (i == 4 && slab_consistent(text, why, sizeof(why)))
				bad++;
			free(text);
		}
		snprintf(path, sizeof(path), MEMACCT_DIR "/vmas");
		fd = open(path, O_RDWR);
		snprintf(pid, sizeof(pid), "%d", churn_targets[turn % NSTRESS]);
		if (fd < 0 || write(fd, pid, strlen(pid)) <= 0) {
			bad++;	/* the stressors live until the end */
		} else {
			/* small pieces too: rows computed in many reads */
			char *text = read_fd_pieces(fd, turn % 2 ? 4096 : 61);

			if (!text || well_formed(text, why, sizeof(why)) ||
			    vmas_rows_tile(strdup(text), -1, why, sizeof(why)))
				bad++;
			free(text);
		}
		turn++;
		if (fd >= 0)
			close(fd);
	}
	_exit(bad ? 1 : 0);
}

/*
 * 60 seconds of 4 readers of every file against fork/exit, map/unmap/
 * mprotect/mremap, THP fault and split, swap out and in, KSM and NUMA
 * migration; then every reader saw only well-formed tables and the module
 * unloads.
 */
TEST_F_TIMEOUT(hard, churn_60s, 300)
{
	void (*stressors[NSTRESS])(void) = { stress_fork, stress_maps, stress_thp,
					     stress_swap_ksm, stress_migrate,
					     stress_shmem_fixed, stress_orphans, stress_brk };
	pid_t s[NSTRESS], r[4];
	int i, status;
	int secs = getenv("CHURN_SECONDS") ? atoi(getenv("CHURN_SECONDS")) : 60;

	write_file("/sys/kernel/mm/transparent_hugepage/enabled", "madvise");
	write_file("/sys/kernel/mm/ksm/sleep_millisecs", "10");
	write_file("/sys/kernel/mm/ksm/run", "1");
	ASSERT_EQ(0, zram_swap_on());
	for (i = 0; i < NSTRESS; i++)
		churn_targets[i] = s[i] = spawn(stressors[i]);
	for (i = 0; i < 4; i++)
		r[i] = spawn(reader_loop);
	sleep(secs);
	for (i = 0; i < 4; i++)
		kill(r[i], SIGTERM);
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(r[i], waitpid(r[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("reader %d: status %#x (malformed output, or killed)", i, status);
	}
	for (i = 0; i < NSTRESS; i++) {
		kill(s[i], SIGTERM);
		ASSERT_EQ(s[i], waitpid(s[i], &status, 0));
		/* each stressor checks that it did what it is there for */
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("stressor %d: status %#x", i, status);
	}
	write_file("/sys/kernel/mm/ksm/run", "2");	/* unmerge everything */
	ASSERT_EQ(0, module_unload());
	ASSERT_EQ(0, module_load(NULL));
}

/* Reads `processes` until told to stop; exits 1 on a malformed table. */
static void processes_reader(void)
{
	char why[128];
	int bad = 0;

	while (!stop_flag) {
		char *text = read_pieces("processes", 4096);

		if (!text || well_formed(text, why, sizeof(why)))
			bad++;
		free(text);
	}
	_exit(bad ? 1 : 0);
}

/*
 * Processes OOM-killed (in a 32 MiB memory cgroup) while two readers walk
 * every process: the victims die, the readers see only whole tables. The
 * kernel's OOM report (with its stack dump) is expected in the console;
 * scripts/run-selftests.sh lets exactly that through.
 */
TEST_F_TIMEOUT(hard, oom_killed_during_walks, 300)
{
	const char *cg = "/sys/fs/cgroup/memacct-oom";
	pid_t r[2], victim;
	int i, status;
	char pid[16];

	/* the VM mounts cgroup2 and Debian has the memory controller */
	ASSERT_EQ(0, write_file("/sys/fs/cgroup/cgroup.subtree_control", "+memory"));
	ASSERT_TRUE(!mkdir(cg, 0755) || errno == EEXIST);
	ASSERT_EQ(0, write_file("/sys/fs/cgroup/memacct-oom/memory.max", "32M"));
	write_file("/sys/fs/cgroup/memacct-oom/memory.swap.max", "0");
	for (i = 0; i < 2; i++)
		r[i] = spawn(processes_reader);
	for (i = 0; i < 5; i++) {
		victim = fork();
		ASSERT_GE(victim, 0);
		if (victim == 0) {
			snprintf(pid, sizeof(pid), "%d", getpid());
			if (write_file("/sys/fs/cgroup/memacct-oom/cgroup.procs", pid))
				_exit(2);
			for (;;) {	/* until the OOM killer comes */
				char *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
					       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

				if (m != MAP_FAILED)
					touch_range(m, 1 << 20);
			}
		}
		ASSERT_EQ(victim, waitpid(victim, &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	}
	for (i = 0; i < 2; i++) {
		kill(r[i], SIGTERM);
		ASSERT_EQ(r[i], waitpid(r[i], &status, 0));
		EXPECT_EQ(0, WEXITSTATUS(status));
	}
	rmdir(cg);
}

TEST_HARNESS_MAIN
