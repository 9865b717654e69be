// SPDX-License-Identifier: GPL-2.0
/* memacct reader: a view is a table of typed cells, printed by output.c. */
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

static const struct view *sort_view;
static int sort_idx;

static int cmp_rows(const void *a, const void *b)
{
	const struct cell *x = *(struct cell * const *)a, *y = *(struct cell * const *)b;
	enum col_kind kind = sort_view->cols[sort_idx].kind;
	const struct cell *cx = &x[sort_idx], *cy = &y[sort_idx];
	int r;

	if (kind == COL_TEXT || kind == COL_RATIO) {
		r = strcmp(cx->text ? cx->text : "", cy->text ? cy->text : "");
	} else if (kind == COL_ID) {
		r = cx->num < cy->num ? -1 : cx->num > cy->num;
	} else {	/* sizes and counts: largest first, unavailable last */
		if (cx->na != cy->na)
			return cx->na ? 1 : -1;
		r = cx->num > cy->num ? -1 : cx->num < cy->num;
	}
	/* ties in a stable order: by the first column */
	if (!r && sort_idx != 0 && sort_view->cols[0].kind == COL_ID)
		r = x[0].num < y[0].num ? -1 : x[0].num > y[0].num;
	else if (!r && sort_idx != 0 && sort_view->cols[0].kind == COL_TEXT)
		r = strcmp(x[0].text, y[0].text);
	return r;
}

int view_sort(struct view *v, const char *name)
{
	int idx = view_col(v, name);

	if (idx < 0)
		return -1;
	sort_view = v;
	sort_idx = idx;
	qsort(v->rows, v->nrows, sizeof(*v->rows), cmp_rows);
	return 0;
}

void view_truncate(struct view *v, long n)
{
	while (n >= 0 && v->nrows > n)
		free(v->rows[--v->nrows]);
}

void view_sum(struct view *v, const char *label_col, const char *label)
{
	int r, c;

	free(v->total);
	v->total = xcalloc(v->ncols, sizeof(struct cell));
	for (c = 0; c < v->ncols; c++) {
		if (v->cols[c].kind != COL_BYTES && v->cols[c].kind != COL_COUNT)
			continue;
		for (r = 0; r < v->nrows; r++) {
			v->total[c].num += v->rows[r][c].num;
			v->total[c].na |= v->rows[r][c].na;	/* incomplete */
		}
	}
	c = view_col(v, label_col);
	if (c >= 0)
		v->total[c].text = label;
}
