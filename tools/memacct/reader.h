/* SPDX-License-Identifier: GPL-2.0 */
/* memacct reader: declarations shared by its parts. */
#ifndef MEMACCT_READER_H
#define MEMACCT_READER_H

#include <stdbool.h>
#include <stdio.h>
#include "table.h"

/* The module ABI this reader understands (module/memacct.h MEMACCT_ABI). */
#define READER_ABI 1

/* Exit codes; documented in Documentation/memacct.1.rst. */
enum {
	EXIT_USAGE = 1,
	EXIT_NOMODULE = 2,
	EXIT_NODEBUGFS = 3,
	EXIT_PERM = 4,
	EXIT_NOPID = 5,
	EXIT_ABI = 6,
	EXIT_MALFORMED = 7,
	EXIT_UNAVAILABLE = 8,
	EXIT_IO = 9,
};

/* Where the data comes from: the module's debugfs directory and /proc. */
struct source {
	const char *root;
	const char *proc;
	bool is_debugfs;	/* false for a captured (fixture) tree */
	char version[64];
	char kernel[128];
	int abi;
};

/* Reports @msg on stderr and exits with @code. */
void die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
/* Called by die() before the message (top leaves its screen there). */
extern void (*die_hook)(void);

void source_open(struct source *src, const char *root, const char *proc);
/* The whole file @name of the tree, NUL-terminated; dies on error. */
char *source_read(const struct source *src, const char *name);
/* @name parsed as a table; dies with EXIT_MALFORMED naming the file. */
void source_table(const struct source *src, const char *name, struct table *t);
/* The vmas table of @pid (selected through a write on debugfs). */
void source_vmas(const struct source *src, int pid, struct table *t);
/* Column @name of a table of file @file; dies (malformed) if missing. */
int source_col(const struct table *t, const char *file, const char *name);
/* The number at @row, @col; *@na (if given) set for "-"; dies if not one. */
unsigned long long source_u64(const struct table *t, const char *file, int row, int col,
			      bool *na);
/* "key value" lines (summary, /proc/meminfo): value of @key or -1. */
long long kv_get(const char *text, const char *key);

/* A column of a view: what it holds decides how each format prints it. */
enum col_kind {
	COL_TEXT,	/* free text; a label in Prometheus */
	COL_ID,		/* a number that names something (pid, node) */
	COL_BYTES,	/* a size in bytes */
	COL_COUNT,	/* a count of things */
	COL_RATIO,	/* a fraction (0.25); the table may show it as a percentage */
	COL_ADDR,	/* an address or offset: hex, 0x-prefixed outside the table */
};

struct col {
	const char *name;
	enum col_kind kind;
	bool label;	/* Prometheus label (text, id and address columns) */
	bool wide;	/* shown in the table format only with -w */
	const char *help;
	bool nototal;	/* not additive over rows: left out of TOTAL lines */
	bool percent;	/* COL_RATIO shown as a percentage in the table */
	const char *prom;	/* the name in Prometheus, if not @name */
	const char *header;	/* the table's header, if not @name in capitals */
	bool optional;	/* an older module's file may lack it: then unavailable */
	bool hide_na;	/* left out of the table when no row has a value */
	bool is_signed;	/* may be negative ("-1000"): the cell's neg is set */
	bool counter;	/* only ever grows: a Prometheus counter, _total */
};

/* A column: name, kind, label, wide, help, then optional .field = value. */
#define COL(n, k, l, w, h, ...) \
	{ .name = (n), .kind = (k), .label = (l), .wide = (w), .help = (h), __VA_ARGS__ }

struct cell {
	const char *text;	/* COL_TEXT */
	unsigned long long num;	/* COL_ID, COL_BYTES, COL_COUNT, COL_ADDR */
	double ratio;		/* COL_RATIO */
	bool neg;		/* COL_BYTES, COL_COUNT: the value is -num */
	bool na;		/* the module marked it unavailable ("-") */
	bool none;		/* no value (a TOTAL of a non-additive column) */
};

/* A table to print: the same data in every output format. */
struct view {
	const char *name;	/* also the Prometheus metric prefix */
	const char *title;	/* heading in the table format, or NULL */
	int ncols;
	const struct col *cols;
	int nrows;
	struct cell **rows;
	struct cell *total;	/* totals row, or NULL */
	const char *note;	/* a line printed under the table, or NULL */
	const char *prom;	/* Prometheus metric prefix, if not @name */
	struct table *source;	/* the text the cells point into, or NULL */
	bool own_cols;		/* @cols was made for this view: freed with it */
	int sort_col;		/* while sorting */
};

enum format { FMT_TABLE, FMT_JSON, FMT_CSV, FMT_PROMETHEUS };

struct opts {
	enum format format;
	bool human;
	bool wide;
	const char *sort;
	long top_n;
	const char *pids;
	const char *user;
	const char *comm;
	const char *cgroup;
	double delay;
	int pid;		/* vmas */
	const char *columns;	/* ps -o: the columns to show, comma separated */
	bool batch;		/* top -b: print instead of drawing */
	long iterations;	/* top -b -n: this many refreshes (-1: forever) */
};

struct view *view_new(const char *name, const struct col *cols, int ncols);
struct cell *view_add_row(struct view *v);
void view_free(struct view *v);
int view_col(const struct view *v, const char *name);
/* Sorts rows by column @name (numbers descending, text/ids ascending). */
int view_sort(struct view *v, const char *name);
void view_truncate(struct view *v, long n);
/*
 * Fills the totals row with the sums of the byte and count columns (only
 * of those without nototal unless @all), over rows for which @use (if
 * given) is true.
 */
void view_sum(struct view *v, const char *label_col, const char *label, bool all,
	      bool (*use)(const struct view *v, const struct cell *row));
/* Column @name of @v; dies if there is none (a bug in the view). */
int view_need(const struct view *v, const char *name);
/* A new column array: @a then @b then @c (each @n* long). */
struct col *cols_concat(const struct col *a, int na, const struct col *b, int nb,
			const struct col *c, int nc);
/*
 * A new view of @v's columns @idx (@n of them; each shown only with -w if
 * @wide[i]), rows and total; @v is consumed.
 */
struct view *view_project(struct view *v, const int *idx, const bool *wide, int n);
/* A copy of @s that lives as long as the program. */
const char *keep(const char *s);

/* output.c */
void output(FILE *f, const struct opts *o, const struct source *src,
	    struct view **views, int nviews);
void format_bytes(char *buf, size_t len, unsigned long long b, bool human);
/* @s with every byte that is not part of valid UTF-8 replaced by '?'. */
char *utf8_clean(const char *s);
/* Display cells @s takes in the table (as put_text prints it). */
int text_width(const char *s);
/*
 * @s as the table shows it (each character that is not printable in the
 * locale as '?'), to @f unless NULL, in at most @max display cells (-1:
 * all); returns the cells, and in *@bytes (if given) the bytes of @s used.
 */
int text_cells(FILE *f, const char *s, int max, size_t *bytes);

/* views.c: each builds one or more views; returns how many. */
int views_ps(const struct source *src, const struct opts *o, struct view **out);
int views_users(const struct source *src, const struct opts *o, struct view **out);
int views_programs(const struct source *src, const struct opts *o, struct view **out);
int views_cgroups(const struct source *src, const struct opts *o, struct view **out);
int views_vmas(const struct source *src, const struct opts *o, struct view **out);
/* The process table as top shows it (VIRT RES SHR %MEM next to PSS). */
int views_top(const struct source *src, const struct opts *o, struct view **out);
/* Dies (usage) unless every column of ps -o is one. */
void ps_check_columns(const struct opts *o);
int views_buddy(const struct source *src, const struct opts *o, struct view **out);
int views_slab(const struct source *src, const struct opts *o, struct view **out);
int views_summary(const struct source *src, const struct opts *o, struct view **out);

/* top.c */
int run_top(const struct source *src, struct opts *o);

#endif
