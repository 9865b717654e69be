// SPDX-License-Identifier: GPL-2.0
/* memacct reader: a view is a table of typed cells, printed by output.c. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include "reader.h"

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		die(EXIT_IO, "out of memory");
	return p;
}

const char *keep(const char *s)
{
	char *copy = strdup(s);

	if (!copy)
		die(EXIT_IO, "out of memory");
	return copy;
}

struct view *view_new(const char *name, const struct col *cols, int ncols)
{
	struct view *v = xcalloc(1, sizeof(*v));

	v->name = name;
	v->cols = cols;
	v->ncols = ncols;
	return v;
}

struct cell *view_add_row(struct view *v)
{
	if ((v->nrows & (v->nrows - 1)) == 0) {	/* 0, 1, 2, 4, ...: grow */
		v->rows = realloc(v->rows, (v->nrows ? v->nrows * 2 : 1) * sizeof(*v->rows));
		if (!v->rows)
			die(EXIT_IO, "out of memory");
	}
	v->rows[v->nrows] = xcalloc(v->ncols, sizeof(struct cell));
	return v->rows[v->nrows++];
}

void view_free(struct view *v)
{
	int i;

	for (i = 0; i < v->nrows; i++)
		free(v->rows[i]);
	free(v->rows);
	free(v->total);
	if (v->source) {
		table_free(v->source);
		free(v->source);
	}
	if (v->own_cols)
		free((struct col *)v->cols);
	free(v);
}

int view_col(const struct view *v, const char *name)
{
	int i;

	for (i = 0; i < v->ncols; i++)
		if (!strcmp(v->cols[i].name, name))
			return i;
	return -1;
}

static int cmp_num(unsigned long long x, unsigned long long y)
{
	return x < y ? -1 : x > y;
}

/* Ascending order of two cells of column @c. */
static int cmp_cells(const struct col *c, const struct cell *x, const struct cell *y)
{
	switch (c->kind) {
	case COL_TEXT:
		return strcmp(x->text ? x->text : "", y->text ? y->text : "");
	case COL_RATIO:
		return x->ratio < y->ratio ? -1 : x->ratio > y->ratio;
	case COL_BYTES:
	case COL_COUNT:
		if (x->neg != y->neg)
			return x->neg ? -1 : 1;
		return x->neg ? cmp_num(y->num, x->num) : cmp_num(x->num, y->num);
	default:
		return cmp_num(x->num, y->num);
	}
}

/*
 * Sizes, counts and ratios largest first (unavailable last), names, ids
 * and addresses in increasing order; ties by the first column.
 */
static int cmp_rows(const void *a, const void *b, void *arg)
{
	const struct cell *x = *(struct cell * const *)a, *y = *(struct cell * const *)b;
	const struct view *v = arg;
	int idx = v->sort_col, r, i;
	enum col_kind kind = v->cols[idx].kind;

	if (kind == COL_BYTES || kind == COL_COUNT || kind == COL_RATIO) {
		if (x[idx].na != y[idx].na)
			return x[idx].na ? 1 : -1;
		r = -cmp_cells(&v->cols[idx], &x[idx], &y[idx]);
	} else {
		r = cmp_cells(&v->cols[idx], &x[idx], &y[idx]);
	}
	for (i = 0; !r && i < v->ncols; i++)	/* ties in a stable order */
		if (i != idx)
			r = cmp_cells(&v->cols[i], &x[i], &y[i]);
	return r;
}

int view_sort(struct view *v, const char *name)
{
	int idx = view_col(v, name);

	if (idx < 0)
		return -1;
	v->sort_col = idx;
	qsort_r(v->rows, v->nrows, sizeof(*v->rows), cmp_rows, v);
	return 0;
}

void view_truncate(struct view *v, long n)
{
	while (n >= 0 && v->nrows > n)
		free(v->rows[--v->nrows]);
}

void view_sum(struct view *v, const char *label_col, const char *label, bool all,
	      bool (*use)(const struct view *v, const struct cell *row))
{
	int r, c;

	free(v->total);
	v->total = xcalloc(v->ncols, sizeof(struct cell));
	for (c = 0; c < v->ncols; c++) {
		const struct col *col = &v->cols[c];

		v->total[c].none = true;
		if (col->kind != COL_BYTES && col->kind != COL_COUNT)
			continue;
		if (col->nototal && !all)
			continue;
		v->total[c].none = false;
		for (r = 0; r < v->nrows; r++) {
			if (use && !use(v, v->rows[r]))
				continue;
			v->total[c].num += v->rows[r][c].num;
			v->total[c].na |= v->rows[r][c].na;	/* incomplete */
		}
	}
	c = view_col(v, label_col);
	if (c >= 0) {
		v->total[c].none = false;
		v->total[c].text = label;
	}
}

int view_need(const struct view *v, const char *name)
{
	int c = view_col(v, name);

	if (c < 0)
		die(EXIT_IO, "internal error: view %s has no column %s", v->name, name);
	return c;
}

static struct cell *project_row(const struct cell *row, const int *idx, int n)
{
	struct cell *out = xcalloc(n, sizeof(*out));
	int i;

	for (i = 0; i < n; i++)
		out[i] = row[idx[i]];
	return out;
}

struct view *view_project(struct view *v, const int *idx, const bool *wide, int n)
{
	struct col *cols = xcalloc(n, sizeof(*cols));
	struct view *p;
	int i, r, cap;

	for (i = 0; i < n; i++) {
		cols[i] = v->cols[idx[i]];
		cols[i].wide = wide[i];
	}
	p = view_new(v->name, cols, n);
	p->own_cols = true;
	p->title = v->title;
	p->note = v->note;
	p->prom = v->prom;
	for (cap = 1; cap <= v->nrows; cap *= 2)	/* as view_add_row grows it */
		;
	p->rows = xcalloc(cap, sizeof(*p->rows));
	for (r = 0; r < v->nrows; r++)
		p->rows[r] = project_row(v->rows[r], idx, n);
	p->nrows = v->nrows;
	if (v->total)
		p->total = project_row(v->total, idx, n);
	p->source = v->source;	/* the text cells point into */
	v->source = NULL;
	view_free(v);
	return p;
}

struct col *cols_concat(const struct col *a, int na, const struct col *b, int nb,
			const struct col *c, int nc)
{
	struct col *cols = xcalloc(na + nb + nc, sizeof(*cols));

	memcpy(cols, a, na * sizeof(*cols));
	memcpy(cols + na, b, nb * sizeof(*cols));
	memcpy(cols + na + nb, c, nc * sizeof(*cols));
	return cols;
}
