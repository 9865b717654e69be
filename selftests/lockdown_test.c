// SPDX-License-Identifier: GPL-2.0
/*
 * memacct selftests: every file usable under kernel lockdown (integrity).
 *
 * Debian turns lockdown on under Secure Boot; debugfs then opens only files
 * of mode 0444 or less, and only for reading. Lockdown is raised here at
 * run time (securityfs), with memacct already loaded: booting with
 * lockdown=integrity would refuse the unsigned test module itself. It
 * cannot be lowered again, so this program runs last in the VM.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "lib.h"
#include "kselftest_harness.h"

#define LOCKDOWN "/sys/kernel/security/lockdown"
#define PID_PARAM "/sys/module/memacct/parameters/pid"

static const char *const readable[] = {
	"version", "processes", "summary", "buddy", "zones", "slab", "stats", "pid",
};

/* Raises lockdown to integrity; 0 if it is in force. */
static int lock_down(void)
{
	char *state;
	int ret;

	if (access(LOCKDOWN, F_OK))
		mount("none", "/sys/kernel/security", "securityfs", 0, NULL);
	write_file(LOCKDOWN, "integrity");
	state = read_file(LOCKDOWN, NULL);
	ret = state && strstr(state, "[integrity]") ? 0 : -1;
	free(state);
	return ret;
}

/* Sum of the vss column of the `vmas` table at @path, or -1. */
static long long vss_sum(const char *path)
{
	struct table t;
	long long sum = 0;
	int r, rows;

	if (table_load(&t, path))
		return -1;
	for (r = 0; r < t.nrows; r++)
		sum += table_num(&t, r, "vss");
	rows = t.nrows;
	table_free(&t);
	return rows ? sum : -1;
}

FIXTURE(lockdown) {
	pid_t child;
};

FIXTURE_SETUP(lockdown)
{
	int status;

	if (!module_loaded())
		ASSERT_EQ(0, module_load(NULL));
	self->child = fork();
	ASSERT_LE(0, self->child);
	if (self->child == 0) {
		raise(SIGSTOP);
		_exit(0);
	}
	ASSERT_EQ(self->child, waitpid(self->child, &status, WUNTRACED));
	ASSERT_EQ(0, lock_down()) TH_LOG("cannot raise lockdown to integrity");
}

FIXTURE_TEARDOWN(lockdown)
{
	kill(self->child, SIGKILL);
	waitpid(self->child, NULL, 0);
}

/*
 * Every file opens and reads (0400: within what debugfs allows), writes
 * through debugfs are refused, and the `pid` module parameter selects the
 * process `vmas` shows.
 */
TEST_F(lockdown, every_file_readable_pid_by_parameter)
{
	char path[128], pid[16], *text;
	unsigned int i;

	for (i = 0; i < sizeof(readable) / sizeof(readable[0]); i++) {
		snprintf(path, sizeof(path), MEMACCT_DIR "/%s", readable[i]);
		text = read_file(path, NULL);
		EXPECT_NE(NULL, text) TH_LOG("%s: %s", path, strerror(errno));
		if (text)	/* at least "-\n" (pid) */
			EXPECT_LE(2, (int)strlen(text)) TH_LOG("%s", path);
		free(text);
	}
	snprintf(pid, sizeof(pid), "%d", self->child);
	EXPECT_EQ(-EPERM, write_file(MEMACCT_DIR "/pid", pid));
	EXPECT_EQ(-EPERM, write_file(MEMACCT_DIR "/vmas", pid));
	EXPECT_EQ(-EPERM, write_file(MEMACCT_DIR "/stats", "0"));
	ASSERT_EQ(0, write_file(PID_PARAM, pid));
	text = read_file(MEMACCT_DIR "/pid", NULL);
	ASSERT_NE(NULL, text);
	EXPECT_EQ(self->child, atoi(text));
	free(text);
	EXPECT_EQ(status_kb(self->child, "VmSize") * 1024, vss_sum(MEMACCT_DIR "/vmas"));
	/* the reader selects through the parameter when debugfs refuses writes */
	snprintf(path, sizeof(path), "memacct -f csv vmas %d >/tmp/lockdown-vmas.csv", self->child);
	EXPECT_EQ(0, system(path));
	text = read_file("/tmp/lockdown-vmas.csv", NULL);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "[stack]")) TH_LOG("%s", text);
	free(text);
	/* the parameter refuses what the pid file refuses */
	EXPECT_EQ(-EINVAL, write_file(PID_PARAM, "2"));	/* kthreadd */
	EXPECT_EQ(-ESRCH, write_file(PID_PARAM, "4000000"));
	EXPECT_EQ(-EINVAL, write_file(PID_PARAM, "x"));
}

TEST_HARNESS_MAIN
