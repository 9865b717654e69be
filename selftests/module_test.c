// SPDX-License-Identifier: GPL-2.0
/*
 * memacct selftests: loading, unloading, the debugfs directory, the
 * version file and permissions.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "lib.h"
#include "kselftest_harness.h"

static const char *const ro_files[] = { "version", "processes", "summary", "buddy", "zones",
					 "slab" };
static const char *const rw_files[] = { "pid", "vmas", "stats" };

/* rmmod, retrying while a reader briefly holds a file open */
static int unload_retry(void)
{
	int i, ret = -1;

	for (i = 0; i < 500; i++) {
		ret = module_unload();
		if (ret != -EAGAIN && ret != -EBUSY)
			return ret;
		usleep(10000);
	}
	return ret;
}

FIXTURE(mod) {
	int unused;
};

FIXTURE_SETUP(mod)
{
	if (module_loaded())
		ASSERT_EQ(0, unload_retry());
}

FIXTURE_TEARDOWN(mod)
{
}

TEST_F(mod, load_creates_and_unload_removes_dir)
{
	struct stat st;

	ASSERT_NE(0, stat(MEMACCT_DIR, &st));
	ASSERT_EQ(0, module_load(NULL));
	ASSERT_EQ(0, stat(MEMACCT_DIR, &st));
	ASSERT_TRUE(S_ISDIR(st.st_mode));
	ASSERT_EQ(0, unload_retry());
	ASSERT_NE(0, stat(MEMACCT_DIR, &st));
	ASSERT_EQ(ENOENT, errno);
}

TEST_F(mod, load_twice_fails_cleanly)
{
	struct stat st;

	ASSERT_EQ(0, module_load(NULL));
	ASSERT_NE(0, module_load(NULL));
	ASSERT_EQ(0, stat(MEMACCT_DIR "/version", &st));
	ASSERT_EQ(0, unload_retry());
}

TEST_F(mod, version_contents)
{
	struct utsname u;
	char want[512], *got;

	ASSERT_EQ(0, module_load(NULL));
	ASSERT_EQ(0, uname(&u));
	got = read_file(MEMACCT_DIR "/version", NULL);
	ASSERT_NE(NULL, got);
	snprintf(want, sizeof(want), "abi 1\nkernel %s\n", u.release);
	EXPECT_EQ(0, strncmp(got, "memacct ", 8));
	EXPECT_NE(NULL, strstr(got, want)) {
		TH_LOG("version file: %s", got);
	}
	free(got);
	ASSERT_EQ(0, unload_retry());
}

/* The names a file defines: its header's columns, or its keys. */
static void print_names(const char *name, char *text)
{
	char *line, *save = NULL;
	bool keyed = !strcmp(name, "summary") || !strcmp(name, "version") ||
		     !strcmp(name, "stats");

	printf("%s", name);
	if (!keyed) {
		line = strtok_r(text, "\n", &save);
		printf(" %s", line ? line : "");
	}
	for (line = keyed ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save))
		printf(" %.*s", (int)strcspn(line, " "), line);
	printf("\n");
}

/*
 * Every file of the directory and the names it defines, framed for the
 * host, which checks each against Documentation/abi.rst
 * (scripts/check-abi-doc.sh): a file or column nobody documented fails.
 */
TEST_F(mod, abi_surface_printed_for_doc_check)
{
	struct dirent *de;
	char path[320], *text;
	int fd, n = 0;
	DIR *d;

	ASSERT_EQ(0, module_load(NULL));
	d = opendir(MEMACCT_DIR);
	ASSERT_NE(NULL, d);
	printf("@@@ begin abi.files\n");
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), MEMACCT_DIR "/%s", de->d_name);
		if (!strcmp(de->d_name, "pid")) {
			printf("pid\n");
			n++;
			continue;
		}
		if (!strcmp(de->d_name, "vmas")) {
			fd = open(path, O_RDWR);
			ASSERT_GE(fd, 0);
			ASSERT_EQ(2, write(fd, "1\n", 2));
			text = calloc(1, 65536);
			ASSERT_LT(0, read(fd, text, 65535));
			close(fd);
		} else {
			text = read_file(path, NULL);
		}
		ASSERT_NE(NULL, text) TH_LOG("%s", path);
		print_names(de->d_name, text);
		free(text);
		n++;
	}
	printf("@@@ end\n");
	fflush(stdout);
	closedir(d);
	EXPECT_LE(9, n);
	ASSERT_EQ(0, unload_retry());
}

/*
 * stats counts walks and the longest lock hold (of the mmap lock, or on
 * kernels with per-VMA locks of a VMA's own); "0" resets, nothing else.
 */
TEST_F(mod, stats_counts_and_resets)
{
	static const char *const bad[] = { "1", "00", "abc", "0 ", "-0" };
	unsigned int i;

	ASSERT_EQ(0, module_load(NULL));
	free(read_file(MEMACCT_DIR "/processes", NULL));
	EXPECT_LT(0, stats_value("walks"));
	EXPECT_LT(0, stats_value("max_mmap_lock_hold_ns") + stats_value("max_vma_lock_hold_ns"));
	EXPECT_LE(0, stats_value("lock_drops"));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, write_file(MEMACCT_DIR "/stats", bad[i])) TH_LOG("'%s'", bad[i]);
		EXPECT_LT(0, stats_value("walks"));
	}
	EXPECT_EQ(0, write_file(MEMACCT_DIR "/stats", "0\n"));
	EXPECT_EQ(0, stats_value("walks"));
	EXPECT_EQ(0, stats_value("max_mmap_lock_hold_ns"));
	EXPECT_EQ(0, stats_value("max_vma_lock_hold_ns"));
	EXPECT_EQ(0, stats_value("vma_lock_holds"));
	EXPECT_EQ(0, stats_value("lock_drops"));
	ASSERT_EQ(0, unload_retry());
}

/* Reads @path whole into @buf (NUL-terminated) with read(2) alone. */
static ssize_t read_into(const char *path, char *buf, size_t size)
{
	ssize_t n, len = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return n < 0 ? -1 : len;
}

/* The number after "@key " at the start of a line of @text, or -1. */
static long long keyed_value(const char *text, const char *key)
{
	size_t kl = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, kl) && p[kl] == ' ')
			return atoll(p + kl + 1);
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return -1;
}

#define SUMMARY_BUF (1 << 16)
#define ROWS_BUF (1 << 21)

/*
 * `summary` totals equal the sums of the `processes` rows (each mm once, at
 * its owner) read right after it. Both reads are made by a child into
 * shared memory touched beforehand, so that it allocates nothing between
 * them; with every other process idle, both see the same memory.
 */
TEST_F(mod, summary_equals_sum_of_rows)
{
	static const char *const cols[] = { "rss", "pss", "uss", "swap" };
	char *shared, *sum_text, *rows_text;
	long long sum, owner_rows = 0;
	struct table t;
	unsigned int c;
	int r, status;
	pid_t child;

	ASSERT_EQ(0, module_load(NULL));
	shared = mmap(NULL, SUMMARY_BUF + ROWS_BUF, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, shared);
	memset(shared, 1, SUMMARY_BUF + ROWS_BUF);
	sum_text = shared;
	rows_text = shared + SUMMARY_BUF;
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		memset(shared, 0, SUMMARY_BUF + ROWS_BUF);	/* its own PTEs */
		_exit(read_into(MEMACCT_DIR "/summary", sum_text, SUMMARY_BUF) < 0 ||
		      read_into(MEMACCT_DIR "/processes", rows_text, ROWS_BUF) < 0);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ASSERT_EQ(0, table_parse(&t, strdup(rows_text)));
	EXPECT_EQ(t.nrows, keyed_value(sum_text, "processes"));
	for (c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
		sum = 0;
		for (r = 0; r < t.nrows; r++)
			if (table_num(&t, r, "mm_owner") == table_num(&t, r, "pid"))
				sum += table_num(&t, r, cols[c]);
		EXPECT_EQ(sum, keyed_value(sum_text, cols[c])) TH_LOG("summary %s", cols[c]);
	}
	for (r = 0; r < t.nrows; r++)
		owner_rows += table_num(&t, r, "mm_owner") == table_num(&t, r, "pid");
	EXPECT_LT(0, owner_rows);
	EXPECT_LT(0, keyed_value(sum_text, "walk_ns"));
	table_free(&t);
	munmap(shared, SUMMARY_BUF + ROWS_BUF);
	ASSERT_EQ(0, unload_retry());
}

TEST_F(mod, files_are_root_only)
{
	char path[128];
	struct stat st;
	unsigned int i;
	pid_t child;
	int status;

	ASSERT_EQ(0, module_load(NULL));
	for (i = 0; i < sizeof(ro_files) / sizeof(ro_files[0]); i++) {
		snprintf(path, sizeof(path), MEMACCT_DIR "/%s", ro_files[i]);
		ASSERT_EQ(0, stat(path, &st));
		EXPECT_EQ(0100400U, st.st_mode) TH_LOG("%s", path);
		EXPECT_EQ(0U, st.st_uid);
	}
	/* 0400 too, so that lockdown lets them be read (lockdown_test) */
	for (i = 0; i < sizeof(rw_files) / sizeof(rw_files[0]); i++) {
		snprintf(path, sizeof(path), MEMACCT_DIR "/%s", rw_files[i]);
		ASSERT_EQ(0, stat(path, &st));
		EXPECT_EQ(0100400U, st.st_mode) TH_LOG("%s", path);
	}
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		int bad = 0;

		if (setgid(65534) || setuid(65534))
			_exit(100);
		for (i = 0; i < sizeof(ro_files) / sizeof(ro_files[0]); i++) {
			snprintf(path, sizeof(path), MEMACCT_DIR "/%s", ro_files[i]);
			if (open(path, O_RDONLY) >= 0 || errno != EACCES)
				bad++;
		}
		_exit(bad);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, unload_retry());
}

TEST_F(mod, unload_refused_while_file_open)
{
	char buf[64];
	int fd;

	ASSERT_EQ(0, module_load(NULL));
	fd = open(MEMACCT_DIR "/version", O_RDONLY);
	ASSERT_GE(fd, 0);
	EXPECT_NE(0, module_unload());
	EXPECT_TRUE(module_loaded());
	EXPECT_GT(read(fd, buf, sizeof(buf)), 0);
	close(fd);
	ASSERT_EQ(0, unload_retry());
	EXPECT_FALSE(module_loaded());
}

TEST_F(mod, load_without_debugfs_mounted)
{
	struct stat st;

	ASSERT_EQ(0, umount("/sys/kernel/debug"));
	EXPECT_EQ(0, module_load(NULL));
	ASSERT_EQ(0, mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL));
	EXPECT_EQ(0, stat(MEMACCT_DIR "/version", &st));
	ASSERT_EQ(0, unload_retry());
}

/*
 * rmmod while a read is in progress (the file is open, half read): refused;
 * the read completes; then rmmod succeeds and the file is gone. Opens are
 * not raced against the final rmmod on purpose: an open() landing in the
 * instant rmmod drops the last module reference, before the module is
 * marked GOING, makes the debugfs core WARN (fs/debugfs/file.c,
 * full_proxy_open) for any module's file; see Documentation/design.rst.
 */
TEST_F_TIMEOUT(mod, reload_50_times_with_read_in_progress, 300)
{
	char buf[128], *rest;
	int i, fd;

	for (i = 0; i < 50; i++) {
		ASSERT_EQ(0, module_load(NULL)) TH_LOG("load %d", i);
		fd = open(MEMACCT_DIR "/processes", O_RDONLY);
		ASSERT_GE(fd, 0);
		ASSERT_EQ((ssize_t)sizeof(buf), read(fd, buf, sizeof(buf)));
		EXPECT_NE(0, module_unload()) TH_LOG("unloaded mid-read %d", i);
		rest = malloc(1 << 20);
		ASSERT_NE(NULL, rest);
		EXPECT_LT(0, read(fd, rest, 1 << 20));	/* the rest of the table */
		free(rest);
		close(fd);
		ASSERT_EQ(0, unload_retry()) TH_LOG("unload %d", i);
		EXPECT_EQ(-1, open(MEMACCT_DIR "/processes", O_RDONLY));
		EXPECT_EQ(ENOENT, errno);
	}
	EXPECT_FALSE(module_loaded());
}

TEST_HARNESS_MAIN
