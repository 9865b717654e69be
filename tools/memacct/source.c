// SPDX-License-Identifier: GPL-2.0
/*
 * memacct reader: finding and reading the module's debugfs files, and
 * telling a person what is wrong when that fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "reader.h"

#define DEBUGFS_DIR "/sys/kernel/debug"
#define DEFAULT_ROOT DEBUGFS_DIR "/memacct"
#define DEBUGFS_MAGIC 0x64626720
#define MAX_FILE (256L << 20)

void (*die_hook)(void);

void die(int code, const char *fmt, ...)
{
	va_list ap;

	if (die_hook)
		die_hook();
	fputs("memacct: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static bool on_debugfs(const char *path)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && sfs.f_type == DEBUGFS_MAGIC;
}

static void die_errno(int err, const char *path)
{
	if (err == EACCES || err == EPERM)
		die(EXIT_PERM, "%s: permission denied: memacct's files are root-only, run as root",
		    path);
	if (err == ENOENT)
		die(EXIT_NOMODULE, "%s: no such file: is the memacct module loaded (and as new as this reader)?",
		    path);
	die(EXIT_IO, "%s: %s", path, strerror(err));
}

/* Fills the version fields from the `version` file and checks the ABI. */
static void check_version(struct source *src)
{
	char *text = source_read(src, "version");
	char *line, *save = NULL;
	bool have_version = false;

	src->abi = -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "memacct %63s", src->version) == 1)
			have_version = true;
		else if (sscanf(line, "abi %d", &src->abi) == 1)
			continue;
		else
			sscanf(line, "kernel %127s", src->kernel);
	}
	free(text);
	if (!have_version || src->abi < 0)
		die(EXIT_MALFORMED, "%s/version: malformed (no memacct or abi line)", src->root);
	if (src->abi != READER_ABI)
		die(EXIT_ABI, "the module speaks ABI %d (memacct %s), this reader ABI %d: use the reader built with that module",
		    src->abi, src->version, READER_ABI);
}

void source_open(struct source *src, const char *root, const char *proc)
{
	struct stat st;

	memset(src, 0, sizeof(*src));
	src->proc = proc ? proc : "/proc";
	src->root = root ? root : DEFAULT_ROOT;
	if (!root && !on_debugfs(DEBUGFS_DIR))
		die(EXIT_NODEBUGFS, "debugfs is not mounted: mount -t debugfs none %s", DEBUGFS_DIR);
	if (stat(src->root, &st)) {
		if (errno == ENOENT && !root)
			die(EXIT_NOMODULE, "the memacct module is not loaded (no %s): modprobe memacct",
			    src->root);
		die_errno(errno, src->root);
	}
	if (!S_ISDIR(st.st_mode))
		die(EXIT_NOMODULE, "%s is not a directory", src->root);
	src->is_debugfs = on_debugfs(src->root);
	check_version(src);
}

static char *read_fd(int fd, const char *path)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	ssize_t n;

	if (!buf)
		die(EXIT_IO, "out of memory");
	while ((n = read(fd, buf + len, cap - len - 1)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die_errno(errno, path);
		}
		len += n;
		if (len + 1 == cap) {
			if (cap >= MAX_FILE)
				die(EXIT_MALFORMED, "%s: larger than %ld MiB", path, MAX_FILE >> 20);
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				die(EXIT_IO, "out of memory");
		}
	}
	buf[len] = '\0';
	if (strlen(buf) != len)
		die(EXIT_MALFORMED, "%s: contains a NUL byte", path);
	return buf;
}

static char *read_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *text;

	if (fd < 0)
		die_errno(errno, path);
	text = read_fd(fd, path);
	close(fd);
	return text;
}

char *source_read(const struct source *src, const char *name)
{
	char path[4096];

	if (name[0] == '/')	/* a /proc file */
		snprintf(path, sizeof(path), "%s%s", src->proc, name);
	else
		snprintf(path, sizeof(path), "%s/%s", src->root, name);
	return read_path(path);
}

static void parse_or_die(const struct source *src, const char *name, char *text,
			 struct table *t)
{
	char err[256];

	if (!strncmp(text, "unavailable", 11)) {
		text[strcspn(text, "\n")] = '\0';
		die(EXIT_UNAVAILABLE, "%s: %s", name, text);
	}
	if (table_parse(t, text, err, sizeof(err)))
		die(EXIT_MALFORMED, "%s/%s: malformed: %s", src->root, name, err);
}

void source_table(const struct source *src, const char *name, struct table *t)
{
	parse_or_die(src, name, source_read(src, name), t);
}

#define PID_PARAM "/sys/module/memacct/parameters/pid"

/* The errno of a refused pid selection, said the user's way. */
static void die_selecting(int err, int pid, const char *path)
{
	if (err == ESRCH)
		die(EXIT_NOPID, "no process with pid %d", pid);
	if (err == EINVAL)
		die(EXIT_NOPID, "pid %d is not a user process (a kernel thread has no mappings)",
		    pid);
	die_errno(err, path);
}

/*
 * Under kernel lockdown debugfs refuses every open for writing (EPERM):
 * the process is then selected through the module's `pid` parameter in
 * sysfs (the selection plain reads of `vmas` use) and `vmas` read only.
 */
static int open_vmas_locked_down(const char *path, int pid)
{
	char buf[32];
	int fd, len;

	fd = open(PID_PARAM, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		die_errno(errno, PID_PARAM);
	len = snprintf(buf, sizeof(buf), "%d\n", pid);
	if (write(fd, buf, len) != len)
		die_selecting(errno, pid, PID_PARAM);
	close(fd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die_errno(errno, path);
	return fd;
}

/*
 * On debugfs, a pid written to an open `vmas` file selects the process for
 * that file. A captured tree (not debugfs) holds one file vmas.PID each.
 */
void source_vmas(const struct source *src, int pid, struct table *t)
{
	char path[4096], buf[32];
	int fd, len;

	if (!src->is_debugfs) {
		snprintf(buf, sizeof(buf), "vmas.%d", pid);
		snprintf(path, sizeof(path), "%s/%s", src->root, buf);
		if (access(path, F_OK))
			die(EXIT_NOPID, "no process with pid %d", pid);
		source_table(src, buf, t);
		return;
	}
	snprintf(path, sizeof(path), "%s/vmas", src->root);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == EPERM) {
		fd = open_vmas_locked_down(path, pid);
	} else if (fd < 0) {
		die_errno(errno, path);
	} else {
		len = snprintf(buf, sizeof(buf), "%d\n", pid);
		if (write(fd, buf, len) != len)
			die_selecting(errno, pid, path);
	}
	parse_or_die(src, "vmas", read_fd(fd, path), t);
	close(fd);
}

int source_col(const struct table *t, const char *file, const char *name)
{
	int c = table_col(t, name);

	if (c < 0)
		die(EXIT_MALFORMED, "%s: no column '%s'", file, name);
	return c;
}

unsigned long long source_u64(const struct table *t, const char *file, int row, int col,
			      bool *na)
{
	unsigned long long v = 0;
	int ret = table_u64(t, row, col, &v);

	if (ret < 0)
		die(EXIT_MALFORMED, "%s: line %d: '%s' in column %s is not a number",
		    file, row + 2, t->rows[row][col], t->cols[col]);
	if (na)
		*na = ret == 1;
	return v;
}

long long kv_get(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *p = text;
	long long v;

	while (p && *p) {
		if (!strncmp(p, key, klen) && (p[klen] == ' ' || p[klen] == ':' ||
					       p[klen] == '\t')) {
			p += klen + (p[klen] == ':');
			return sscanf(p, "%lld", &v) == 1 ? v : -1;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}
