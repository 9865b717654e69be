// SPDX-License-Identifier: GPL-2.0
/*
 * memacct: reads the memacct module's debugfs files and shows them the way
 * procrank, ps_mem, smem, pmap -X, slabtop and free do, or as JSON, CSV
 * and Prometheus metrics. See Documentation/memacct.1.rst.
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "reader.h"

#ifndef MEMACCT_VERSION
#define MEMACCT_VERSION "unknown"
#endif

#define F_FILTERS 1	/* -p -u -c --cgroup */
#define F_SORT 2	/* -s */
#define F_TOP 4		/* -n: the first N rows */
#define F_DELAY 8	/* -d */
#define F_BATCH 16	/* top: -b, and -n as the number of refreshes */
#define F_SIZES 32	/* -H -b */
#define F_WIDE 64	/* -w */
#define F_FORMAT 128	/* -f */
#define F_COLUMNS 256	/* -o */

struct command {
	const char *name;
	int flags;
	const char *usage;
	const char *summary;	/* one line in the list of commands */
	const char *help;
	int (*views)(const struct source *src, const struct opts *o, struct view **out);
	int (*run)(const struct source *src, struct opts *o);
};

#define F_VIEW (F_FORMAT | F_SIZES | F_WIDE)

static const struct command commands[] = {
	{ "ps", F_VIEW | F_FILTERS | F_SORT | F_TOP | F_COLUMNS,
	  "ps [-o COL,...] [-s KEY] [-n N] [-p PID,...] [-u USER] [-c TEXT] [--cgroup PATH]",
	  "Processes sorted by PSS (procrank).",
	  "Processes sorted by PSS (procrank). -w adds every column of the module\n"
	  "and top's res and shr; -o shows the columns named, in that order.\n"
	  "Columns: pid ppid user vss rss pss pss_anon pss_file pss_shmem uss\n"
	  "shared anon anon_huge swap swap_pss locked hugetlb_shared hugetlb_private\n"
	  "private_clean private_dirty shared_clean shared_dirty pss_dirty\n"
	  "referenced lazyfree ksm shmem_pmd_mapped file_pmd_mapped mm_owner\n"
	  "rss_anon rss_file rss_shmem vm_peak vm_hwm vm_data vm_stk vm_exe vm_lib\n"
	  "vm_pte vm_swap vm_pin threads minflt majflt oom_score oom_score_adj\n"
	  "res shr mem (%mem: RES / MemTotal) cgroup comm.\n"
	  "Sort keys: any column, e.g. pid rss pss uss swap vss. The TOTAL line\n"
	  "adds PSS, USS, swap and their parts over every selected process,\n"
	  "counting an mm shared with CLONE_VM once; VSS, RSS and shared count a\n"
	  "shared page once per process, so they have no total.", views_ps, NULL },
	{ "users", F_VIEW | F_FILTERS | F_SORT | F_TOP, "users [-s KEY] [-n N] [filters]",
	  "Processes summed by user (smem -u).",
	  "Processes summed by user (smem -u): process count, RSS, PSS, USS, swap.",
	  views_users, NULL },
	{ "programs", F_VIEW | F_FILTERS | F_SORT | F_TOP, "programs [-s KEY] [-n N] [filters]",
	  "Processes summed by program name (ps_mem).",
	  "Processes summed by program name (ps_mem): private (USS) plus shared\n"
	  "share (PSS - USS) is the RAM the program uses (PSS).", views_programs, NULL },
	{ "cgroups", F_VIEW | F_FILTERS | F_SORT | F_TOP, "cgroups [-s KEY] [-n N] [filters]",
	  "Processes summed by cgroup v2 path.",
	  "Processes summed by cgroup v2 path (containers, services).", views_cgroups, NULL },
	{ "vmas", F_VIEW | F_SORT | F_TOP, "vmas PID [-s KEY] [-n N]",
	  "The mappings of one process (pmap -X).",
	  "The mappings of one process with pmap -X's columns in pmap -X's order\n"
	  "(sizes in bytes, not kB) and a TOTAL line; -w adds the others.",
	  views_vmas, NULL },
	{ "buddy", F_VIEW, "buddy",
	  "Free blocks per zone, migratetype and order (buddyinfo).",
	  "Free blocks per zone, migratetype and block order (buddyinfo and\n"
	  "pagetypeinfo) with the free memory they hold, then each zone's size,\n"
	  "watermarks and fragmentation indexes (unusable free space and extfrag\n"
	  "index per order).", views_buddy, NULL },
	{ "slab", F_VIEW | F_SORT | F_TOP, "slab [-s KEY] [-n N]",
	  "Slab caches by memory (slabtop).",
	  "Slab caches by memory (slabtop), then the kernel's slab totals.", views_slab, NULL },
	{ "summary", F_FORMAT | F_SIZES, "summary",
	  "Where the memory is, like free but explained.",
	  "Where the memory is: MemTotal split into process anonymous memory,\n"
	  "page cache, slab, kernel stacks, page tables, per-cpu, the hugetlb pool\n"
	  "and free, with what none of them explains shown as 'unexplained'\n"
	  "(negative when something is counted twice); MemAvailable and swap.",
	  views_summary, NULL },
	{ "top", F_FILTERS | F_SORT | F_DELAY | F_BATCH | F_FORMAT | F_WIDE,
	  "top [-d SECONDS] [-s KEY] [-b [-n N]] [filters]",
	  "The process table, refreshed.",
	  "The process table refreshed every -d seconds (default 2), with top's\n"
	  "VIRT, RES, SHR and %MEM next to PSS, USS and swap. Keys: P R M U S V N\n"
	  "sort by pss res mem uss swap vss pid; q quits. -b (batch) prints the\n"
	  "table (or -f json, csv, prometheus) every -d seconds instead, -n times\n"
	  "(default: until killed); without -b, top needs a terminal.",
	  NULL, run_top },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* Each option's help line, shown by the commands that take it. */
static const struct { int flag; const char *text; } option_help[] = {
	{ F_FORMAT, "  -f, --format FMT   table (default), json, csv or prometheus\n" },
	{ F_SIZES, "  -H, --human        sizes in K/M/G (default for a terminal)\n"
		   "  -b, --bytes        sizes in exact bytes (default otherwise)\n" },
	{ F_BATCH, "  -b, --batch        print the table every -d seconds, no screen\n"
		   "  -n, --iterations N with -b: stop after N tables\n" },
	{ F_WIDE, "  -w, --wide         every column in the table format\n" },
	{ F_COLUMNS, "  -o, --output COLS  these columns, in this order (comma separated)\n" },
	{ F_SORT, "  -s, --sort KEY     sort by this column\n" },
	{ F_TOP, "  -n, --top N        only the first N rows\n" },
	{ F_FILTERS, "  -p, --pid LIST     only these pids (comma separated)\n"
		     "  -u, --user USER    only processes of this user (name or uid)\n"
		     "  -c, --comm TEXT    only processes whose name contains TEXT\n"
		     "      --cgroup PATH  only processes in this cgroup or below it\n" },
	{ F_DELAY, "  -d, --delay SEC    refresh interval (0.1 to 3600, default 2)\n" },
	{ ~0, "      --root DIR     the module's directory (default /sys/kernel/debug/memacct,\n"
	      "                     or $MEMACCT_ROOT)\n"
	      "      --proc DIR     where meminfo is read (default /proc, or $MEMACCT_PROC)\n"
	      "  -V, --version      reader version\n"
	      "  -h, --help         this help, or a command's with COMMAND --help\n" },
};

static const char exit_help[] =
	"Exit status: 0 ok, 1 usage, 2 module not loaded, 3 debugfs not mounted,\n"
	"4 permission denied, 5 no such process, 6 ABI mismatch, 7 malformed file,\n"
	"8 not available on this kernel, 9 other I/O error.\n";

static void options_help(FILE *f, int flags)
{
	unsigned int i;

	fprintf(f, "Options:\n");
	for (i = 0; i < sizeof(option_help) / sizeof(option_help[0]); i++)
		if (option_help[i].flag & flags)
			fputs(option_help[i].text, f);
	fputs(exit_help, f);
}

static void usage(FILE *f, const struct command *cmd)
{
	unsigned int i;

	if (cmd) {
		fprintf(f, "Usage: memacct %s\n%s\n\n", cmd->usage, cmd->help);
		options_help(f, cmd->flags);
		return;
	}
	fprintf(f, "Usage: memacct [COMMAND] [OPTIONS]\nCommands (default ps):\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n");
	options_help(f, ~(F_BATCH | F_DELAY));
	fprintf(f, "'memacct COMMAND --help' lists the options of each command.\n");
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
	{ "batch", no_argument, NULL, 'b' },
	{ "wide", no_argument, NULL, 'w' },
	{ "sort", required_argument, NULL, 's' },
	{ "output", required_argument, NULL, 'o' },
	{ "top", required_argument, NULL, 'n' },
	{ "iterations", required_argument, NULL, 'n' },
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
	int human;		/* -1 unset, 0 -b, 1 -H: the last one counts */
	bool H;			/* -H given (top: -b is batch, not bytes) */
	bool b;			/* -b: bytes, or top's batch mode */
	bool help;
	long n;			/* -n: rows, or top's refreshes */
	const char *root;
	const char *proc;
};

static void parse_option(struct args *a, int ch)
{
	switch (ch) {
	case 'f': a->o.format = parse_format(optarg); a->used |= F_FORMAT; break;
	case 'H': a->human = 1; a->H = true; a->used |= F_SIZES; break;
	case 'b': a->b = true; a->human = 0; break;
	case 'w': a->o.wide = true; a->used |= F_WIDE; break;
	case 's': a->o.sort = optarg; a->used |= F_SORT; break;
	case 'o': a->o.columns = optarg; a->used |= F_COLUMNS; break;
	case 'n': a->n = parse_long(optarg, "-n", 1, 100000000); break;
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

/* -b and -n mean one thing for top (batch mode) and another elsewhere. */
static void resolve_options(const struct command *cmd, struct args *a)
{
	bool top = cmd->run != NULL;

	if (a->b)
		a->used |= top ? F_BATCH : F_SIZES;
	if (a->n > 0)
		a->used |= top ? F_BATCH : F_TOP;
	if (top) {
		a->o.batch = a->b;
		a->o.iterations = a->n > 0 ? a->n : -1;
		if (a->n > 0 && !a->b)
			die(EXIT_USAGE, "top: -n counts the refreshes of batch mode: use it with -b");
	} else {
		a->o.top_n = a->n > 0 ? a->n : -1;
	}
	if (a->used & ~cmd->flags)
		die(EXIT_USAGE, "%s: option not used by this command (memacct %s --help)",
		    cmd->name, cmd->name);
	if (top && a->H)
		a->o.human = true;
	else if (!top && a->human >= 0)
		a->o.human = a->human;
	else
		a->o.human = a->o.format == FMT_TABLE && isatty(STDOUT_FILENO);
}

static int run(const struct command *cmd, struct args *a, int argc, char **argv)
{
	struct view *views[4];
	struct source src;
	int n, i;

	if (!strcmp(cmd->name, "vmas")) {
		if (argc != 1)
			die(EXIT_USAGE, "vmas: expected one PID (memacct vmas --help)");
		a->o.pid = parse_long(argv[0], "PID", 1, 0x7fffffff);
	} else if (argc) {
		die(EXIT_USAGE, "%s: unexpected argument '%s'", cmd->name, argv[0]);
	}
	resolve_options(cmd, a);
	if (a->o.pids)	/* checked before anything is read */
		for (i = 0; a->o.pids[i]; i++)
			if ((a->o.pids[i] < '0' || a->o.pids[i] > '9') && a->o.pids[i] != ',')
				die(EXIT_USAGE, "-p %s: not a list of pids", a->o.pids);
	ps_check_columns(&a->o);	/* an unknown column: no output at all */
	source_open(&src, a->root, a->proc);
	if (cmd->run)
		return cmd->run(&src, &a->o);
	n = cmd->views(&src, &a->o, views);
	output(stdout, &a->o, &src, views, n);
	if (fflush(stdout) || ferror(stdout))
		die(EXIT_IO, "writing the output: %s", strerror(errno));
	return 0;
}

int main(int argc, char **argv)
{
	struct args a = { .n = -1, .human = -1, .o = { .top_n = -1, .delay = 2.0 } };
	const struct command *cmd = &commands[0];
	int ch;

	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");	/* the module's numbers and JSON use '.' */
	a.root = getenv("MEMACCT_ROOT");
	a.proc = getenv("MEMACCT_PROC");
	while ((ch = getopt_long(argc, argv, "f:Hbws:o:n:p:u:c:d:Vh", long_opts, NULL)) != -1)
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
	return run(cmd, &a, argc - optind, argv + optind);
}
