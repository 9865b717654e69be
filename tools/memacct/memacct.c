// SPDX-License-Identifier: GPL-2.0
/*
 * memacct: reads the memacct module's debugfs files and shows them the way
 * procrank, ps_mem, smem, pmap -X, slabtop and free do, or as JSON, CSV
 * and Prometheus metrics. See Documentation/memacct.1.rst.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "reader.h"

#ifndef MEMACCT_VERSION
#define MEMACCT_VERSION "unknown"
#endif

#define F_FILTERS 1	/* -p -u -c --cgroup */
#define F_SORT 2	/* -s -n */
#define F_DELAY 4	/* -d */

struct command {
	const char *name;
	int flags;
	const char *usage;
	const char *help;
};

static const struct command commands[] = {
	{ "ps", F_FILTERS | F_SORT, "ps [-s KEY] [-n N] [-p PID,...] [-u USER] [-c TEXT] [--cgroup PATH]",
	  "Processes sorted by PSS (procrank). -w adds every column of the module.\n"
	  "Sort keys: any column, e.g. pid rss pss uss swap vss. The TOTAL line\n"
	  "adds every selected process, counting an mm shared with CLONE_VM once." },
	{ "users", F_FILTERS | F_SORT, "users [-s KEY] [-n N] [filters]",
	  "Processes summed by user (smem -u): process count, RSS, PSS, USS, swap." },
	{ "programs", F_FILTERS | F_SORT, "programs [-s KEY] [-n N] [filters]",
	  "Processes summed by program name (ps_mem): private (USS) plus shared\n"
	  "share (PSS - USS) is the RAM the program uses (PSS)." },
	{ "cgroups", F_FILTERS | F_SORT, "cgroups [-s KEY] [-n N] [filters]",
	  "Processes summed by cgroup v2 path (containers, services)." },
	{ "vmas", F_SORT, "vmas PID [-s KEY] [-n N]",
	  "The mappings of one process with their sizes (pmap -X) and a TOTAL line." },
	{ "buddy", 0, "buddy",
	  "Free memory per zone, migratetype and block order (buddyinfo and\n"
	  "pagetypeinfo), then each zone's size, watermarks and fragmentation\n"
	  "indexes (unusable free space and extfrag index per order)." },
	{ "slab", F_SORT, "slab [-s KEY] [-n N]",
	  "Slab caches by memory (slabtop), then the kernel's slab totals." },
	{ "summary", 0, "summary",
	  "Where the memory is: MemTotal split into process anonymous memory,\n"
	  "page cache, slab, kernel stacks, page tables, per-cpu and free, with\n"
	  "what none of them explains shown as 'unexplained'." },
	{ "top", F_FILTERS | F_DELAY, "top [-d SECONDS] [filters]",
	  "The process table refreshed every -d seconds (default 2). Keys: P R U S\n"
	  "V N sort by pss rss uss swap vss pid; q quits." },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char common_help[] =
	"Options:\n"
	"  -f, --format FMT   table (default), json, csv or prometheus\n"
	"  -H, --human        sizes in K/M/G (default for a terminal)\n"
	"  -b, --bytes        sizes in exact bytes (default otherwise)\n"
	"  -w, --wide         every column in the table format\n"
	"  -s, --sort KEY     sort by this column\n"
	"  -n, --top N        only the first N rows\n"
	"  -p, --pid LIST     only these pids (comma separated)\n"
	"  -u, --user USER    only processes of this user (name or uid)\n"
	"  -c, --comm TEXT    only processes whose name contains TEXT\n"
	"      --cgroup PATH  only processes in this cgroup or below it\n"
	"  -d, --delay SEC    refresh interval of top\n"
	"      --root DIR     the module's directory (default /sys/kernel/debug/memacct,\n"
	"                     or $MEMACCT_ROOT)\n"
	"      --proc DIR     where meminfo is read (default /proc, or $MEMACCT_PROC)\n"
	"  -V, --version      reader version\n"
	"  -h, --help         this help, or a command's with COMMAND --help\n"
	"Exit status: 0 ok, 1 usage, 2 module not loaded, 3 debugfs not mounted,\n"
	"4 permission denied, 5 no such process, 6 ABI mismatch, 7 malformed file,\n"
	"8 not available on this kernel, 9 other I/O error.\n";

static void usage(FILE *f, const struct command *cmd)
{
	unsigned int i;

	if (cmd) {
		fprintf(f, "Usage: memacct %s\n%s\n\n%s", cmd->usage, cmd->help, common_help);
		return;
	}
	fprintf(f, "Usage: memacct [COMMAND] [OPTIONS]\nCommands (default ps):\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-9s %.*s\n", commands[i].name,
			(int)strcspn(commands[i].help, "\n"), commands[i].help);
	fprintf(f, "\n%s", common_help);
}

static const struct command *find_command(const char *name)
{
	unsigned int i;

	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	die(EXIT_USAGE, "unknown command '%s' (memacct --help lists them)", name);
}

static long parse_long(const char *s, const char *what, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		die(EXIT_USAGE, "%s '%s': expected a whole number from %ld to %ld", what, s,
		    min, max);
	return v;
}

static enum format parse_format(const char *s)
{
	static const char *const names[] = { "table", "json", "csv", "prometheus" };
	unsigned int i;

	for (i = 0; i < 4; i++)
		if (!strcmp(s, names[i]))
			return (enum format)i;
	die(EXIT_USAGE, "--format %s: expected table, json, csv or prometheus", s);
}

static double parse_delay(const char *s)
{
	char *end;
	double d = strtod(s, &end);

	if (end == s || *end || !(d >= 0.1 && d <= 3600))
		die(EXIT_USAGE, "-d %s: expected seconds from 0.1 to 3600", s);
	return d;
}

enum { OPT_CGROUP = 256, OPT_ROOT, OPT_PROC };

static const struct option long_opts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "human", no_argument, NULL, 'H' },
	{ "bytes", no_argument, NULL, 'b' },
	{ "wide", no_argument, NULL, 'w' },
	{ "sort", required_argument, NULL, 's' },
	{ "top", required_argument, NULL, 'n' },
	{ "pid", required_argument, NULL, 'p' },
	{ "user", required_argument, NULL, 'u' },
	{ "comm", required_argument, NULL, 'c' },
	{ "cgroup", required_argument, NULL, OPT_CGROUP },
	{ "delay", required_argument, NULL, 'd' },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "proc", required_argument, NULL, OPT_PROC },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct args {
	struct opts o;
	int used;		/* F_* of the options given */
	int human;		/* -1 unset, 0 -b, 1 -H */
	bool help;
	const char *root;
	const char *proc;
};

static void parse_option(struct args *a, int ch)
{
	switch (ch) {
	case 'f': a->o.format = parse_format(optarg); break;
	case 'H': a->human = 1; break;
	case 'b': a->human = 0; break;
	case 'w': a->o.wide = true; break;
	case 's': a->o.sort = optarg; a->used |= F_SORT; break;
	case 'n': a->o.top_n = parse_long(optarg, "-n", 1, 100000000); a->used |= F_SORT; break;
	case 'p': a->o.pids = optarg; a->used |= F_FILTERS; break;
	case 'u': a->o.user = optarg; a->used |= F_FILTERS; break;
	case 'c': a->o.comm = optarg; a->used |= F_FILTERS; break;
	case OPT_CGROUP: a->o.cgroup = optarg; a->used |= F_FILTERS; break;
	case 'd': a->o.delay = parse_delay(optarg); a->used |= F_DELAY; break;
	case OPT_ROOT: a->root = optarg; break;
	case OPT_PROC: a->proc = optarg; break;
	case 'V': printf("memacct reader %s (ABI %d)\n", MEMACCT_VERSION, READER_ABI); exit(0);
	case 'h': a->help = true; break;
	default: usage(stderr, NULL); exit(EXIT_USAGE);
	}
}

static int run(const struct command *cmd, struct args *a, int argc, char **argv)
{
	struct view *views[4];
	struct source src;
	int n, pid = 0, i;

	if (!strcmp(cmd->name, "vmas")) {
		if (argc != 1)
			die(EXIT_USAGE, "vmas: expected one PID (memacct vmas --help)");
		pid = parse_long(argv[0], "PID", 1, 0x7fffffff);
	} else if (argc) {
		die(EXIT_USAGE, "%s: unexpected argument '%s'", cmd->name, argv[0]);
	}
	if (a->used & ~cmd->flags)
		die(EXIT_USAGE, "%s: option not used by this command (memacct %s --help)",
		    cmd->name, cmd->name);
	if (a->o.pids)	/* checked before anything is read */
		for (i = 0; a->o.pids[i]; i++)
			if ((a->o.pids[i] < '0' || a->o.pids[i] > '9') && a->o.pids[i] != ',')
				die(EXIT_USAGE, "-p %s: not a list of pids", a->o.pids);
	source_open(&src, a->root, a->proc);
	if (!strcmp(cmd->name, "top"))
		return run_top(&src, &a->o);
	if (!strcmp(cmd->name, "ps"))
		n = views_ps(&src, &a->o, views);
	else if (!strcmp(cmd->name, "vmas"))
		n = views_vmas(&src, &a->o, pid, views);
	else if (!strcmp(cmd->name, "buddy"))
		n = views_buddy(&src, &a->o, views);
	else if (!strcmp(cmd->name, "slab"))
		n = views_slab(&src, &a->o, views);
	else if (!strcmp(cmd->name, "summary"))
		n = views_summary(&src, &a->o, views);
	else	/* users programs cgroups */
		n = views_group(&src, &a->o, !strcmp(cmd->name, "users") ? "user" :
				!strcmp(cmd->name, "programs") ? "program" : "cgroup", views);
	output(stdout, &a->o, &src, views, n);
	if (fflush(stdout) || ferror(stdout))
		die(EXIT_IO, "writing the output: %s", strerror(errno));
	return 0;
}

int main(int argc, char **argv)
{
	struct args a = { .human = -1, .o = { .top_n = -1, .delay = 2.0 } };
	const struct command *cmd = &commands[0];
	int ch;

	a.root = getenv("MEMACCT_ROOT");
	a.proc = getenv("MEMACCT_PROC");
	while ((ch = getopt_long(argc, argv, "f:Hbws:n:p:u:c:d:Vh", long_opts, NULL)) != -1)
		parse_option(&a, ch);
	if (optind < argc && strcmp(argv[optind], "help") == 0) {
		a.help = true;
		optind++;
	}
	if (optind < argc)
		cmd = find_command(argv[optind++]);
	else if (a.help)
		cmd = NULL;
	if (a.help) {
		usage(stdout, cmd);
		return 0;
	}
	if (a.human < 0)
		a.o.human = a.o.format == FMT_TABLE && isatty(STDOUT_FILENO);
	else
		a.o.human = a.human;
	return run(cmd, &a, argc - optind, argv + optind);
}
