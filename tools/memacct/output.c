// SPDX-License-Identifier: GPL-2.0
/*
 * memacct reader: printing views as an aligned table, JSON (jansson), CSV
 * or the Prometheus text exposition format.
 */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "reader.h"

#define CELL_MAX 4096

void format_bytes(char *buf, size_t len, unsigned long long b, bool human)
{
	static const char units[] = "KMGTPE";
	double v = b;
	int u = -1;

	if (!human || b < 1024) {
		snprintf(buf, len, human ? "%lluB" : "%llu", b);
		return;
	}
	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f%c", v, units[u]);
}

/* The text of one cell as the table and CSV formats print it. */
static void cell_text(char *buf, const struct col *c, const struct cell *cell,
		      bool human, bool is_total)
{
	buf[0] = '\0';
	if (cell->na) {
		snprintf(buf, CELL_MAX, "-");
	} else if (c->kind == COL_TEXT || c->kind == COL_RATIO) {
		snprintf(buf, CELL_MAX, "%s", cell->text ? cell->text : "");
	} else if (c->kind == COL_BYTES) {
		format_bytes(buf, CELL_MAX, cell->num, human);
	} else if (!is_total || c->kind == COL_COUNT) {
		snprintf(buf, CELL_MAX, "%llu", cell->num);
	}
}

static bool shown(const struct opts *o, const struct col *c)
{
	return o->format != FMT_TABLE || o->wide || !c->wide;
}

/* Control characters would move the cursor: show them as '?'. */
static void put_printable(FILE *f, const char *s, int width)
{
	int n = 0;

	for (; *s; s++, n++)
		fputc(iscntrl((unsigned char)*s) ? '?' : *s, f);
	for (; n < width; n++)
		fputc(' ', f);
}

static void table_row(FILE *f, const struct opts *o, const struct view *v,
		      const struct cell *row, const int *width, bool is_total)
{
	char buf[CELL_MAX];
	bool first = true;
	int c, last = v->ncols - 1;

	while (last > 0 && !shown(o, &v->cols[last]))
		last--;
	for (c = 0; c < v->ncols; c++) {
		const struct col *col = &v->cols[c];

		if (!shown(o, col))
			continue;
		if (!first)
			fputc(' ', f);
		first = false;
		cell_text(buf, col, &row[c], o->human, is_total);
		if (col->kind == COL_TEXT)
			put_printable(f, buf, c == last ? 0 : width[c]);
		else
			fprintf(f, "%*s", width[c], buf);
	}
	fputc('\n', f);
}

/* Column names in capitals, aligned like the column's values. */
static void print_header(FILE *f, const struct opts *o, const struct view *v,
			 const int *width)
{
	char name[64];
	bool first = true;
	int c, last = v->ncols - 1;
	size_t i;

	while (last > 0 && !shown(o, &v->cols[last]))
		last--;
	for (c = 0; c < v->ncols; c++) {
		if (!shown(o, &v->cols[c]))
			continue;
		snprintf(name, sizeof(name), "%s", v->cols[c].name);
		for (i = 0; name[i]; i++)
			name[i] = toupper((unsigned char)name[i]);
		if (!first)
			fputc(' ', f);
		first = false;
		if (v->cols[c].kind != COL_TEXT)
			fprintf(f, "%*s", width[c], name);
		else
			fprintf(f, "%-*s", c == last ? 0 : width[c], name);
	}
	fputc('\n', f);
}

static void print_table(FILE *f, const struct opts *o, const struct view *v)
{
	int *width = calloc(v->ncols, sizeof(int));
	char buf[CELL_MAX];
	int r, c, len;

	if (!width)
		die(EXIT_IO, "out of memory");
	for (c = 0; c < v->ncols; c++) {
		width[c] = strlen(v->cols[c].name);
		for (r = -1; r < v->nrows; r++) {
			const struct cell *row = r < 0 ? v->total : v->rows[r];

			if (!row)
				continue;
			cell_text(buf, &v->cols[c], &row[c], o->human, r < 0);
			len = strlen(buf);
			if (len > width[c])
				width[c] = len;
		}
	}
	if (v->title)
		fprintf(f, "%s\n", v->title);
	print_header(f, o, v, width);
	for (r = 0; r < v->nrows; r++)
		table_row(f, o, v, v->rows[r], width, false);
	if (v->total)
		table_row(f, o, v, v->total, width, true);
	if (v->note)
		fprintf(f, "%s\n", v->note);
	free(width);
}

static void csv_field(FILE *f, const char *s)
{
	if (!s[strcspn(s, ",\"\n\r")] && s[0] != ' ') {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void print_csv(FILE *f, const struct view *v)
{
	char buf[CELL_MAX];
	int r, c;

	for (c = 0; c < v->ncols; c++)
		fprintf(f, "%s%s", c ? "," : "", v->cols[c].name);
	fputc('\n', f);
	for (r = 0; r < v->nrows; r++) {
		for (c = 0; c < v->ncols; c++) {
			if (c)
				fputc(',', f);
			if (v->rows[r][c].na)
				continue;	/* unavailable: an empty field */
			cell_text(buf, &v->cols[c], &v->rows[r][c], false, false);
			csv_field(f, buf);
		}
		fputc('\n', f);
	}
}

/* JSON strings must be UTF-8; a name that is not gets '?' for bad bytes. */
static json_t *json_text(const char *s)
{
	json_t *j = json_string(s);
	char *copy;
	size_t i;

	if (j)
		return j;
	copy = strdup(s);
	if (!copy)
		die(EXIT_IO, "out of memory");
	for (i = 0; copy[i]; i++)
		if ((unsigned char)copy[i] >= 0x80)
			copy[i] = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

static json_t *json_cell(const struct col *c, const struct cell *cell)
{
	if (cell->na)
		return json_null();
	if (c->kind == COL_TEXT)
		return json_text(cell->text ? cell->text : "");
	if (c->kind == COL_RATIO)
		return json_real(strtod(cell->text ? cell->text : "0", NULL));
	return json_integer(cell->num > LLONG_MAX ? LLONG_MAX : (json_int_t)cell->num);
}

static json_t *json_row(const struct view *v, const struct cell *row, bool is_total)
{
	json_t *obj = json_object();
	int c;

	for (c = 0; c < v->ncols; c++) {
		enum col_kind k = v->cols[c].kind;

		if (is_total && k != COL_BYTES && k != COL_COUNT)
			continue;
		json_object_set_new(obj, v->cols[c].name, json_cell(&v->cols[c], &row[c]));
	}
	return obj;
}

static json_t *json_view(const struct view *v)
{
	static const char * const kinds[] = { "text", "id", "bytes", "count", "ratio" };
	json_t *obj = json_object(), *cols = json_array(), *rows = json_array();
	int r, c;

	for (c = 0; c < v->ncols; c++) {
		json_t *col = json_object();

		json_object_set_new(col, "name", json_string(v->cols[c].name));
		json_object_set_new(col, "kind", json_string(kinds[v->cols[c].kind]));
		json_array_append_new(cols, col);
	}
	for (r = 0; r < v->nrows; r++)
		json_array_append_new(rows, json_row(v, v->rows[r], false));
	json_object_set_new(obj, "name", json_string(v->name));
	json_object_set_new(obj, "columns", cols);
	json_object_set_new(obj, "rows", rows);
	json_object_set_new(obj, "total", v->total ? json_row(v, v->total, true) : json_null());
	return obj;
}

static void print_json(FILE *f, const struct source *src, struct view **views, int n)
{
	json_t *top = json_object(), *arr = json_array(), *meta = json_object();
	int i;

	json_object_set_new(meta, "version", json_string(src->version));
	json_object_set_new(meta, "abi", json_integer(src->abi));
	json_object_set_new(meta, "kernel", json_text(src->kernel));
	json_object_set_new(top, "memacct", meta);
	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_view(views[i]));
	json_object_set_new(top, "views", arr);
	json_dumpf(top, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	json_decref(top);
}

static void prom_label_value(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void prom_sample(FILE *f, const char *metric, const struct view *v,
			const struct cell *row, int c)
{
	bool first = true;
	int l;

	fputs(metric, f);
	for (l = 0; l < v->ncols; l++) {
		if (!v->cols[l].label)
			continue;
		fprintf(f, "%s%s=\"", first ? "{" : ",", v->cols[l].name);
		if (v->cols[l].kind == COL_ID)
			fprintf(f, "%llu", row[l].num);
		else
			prom_label_value(f, row[l].text ? row[l].text : "");
		fputc('"', f);
		first = false;
	}
	if (!first)
		fputc('}', f);
	if (v->cols[c].kind == COL_RATIO)
		fprintf(f, " %s\n", row[c].text);
	else
		fprintf(f, " %llu\n", row[c].num);
}

static void print_prometheus(FILE *f, const struct view *v)
{
	char metric[256];
	int r, c;

	for (c = 0; c < v->ncols; c++) {
		const struct col *col = &v->cols[c];
		size_t len = strlen(col->name);

		if (col->label || col->kind == COL_TEXT || col->kind == COL_ID)
			continue;
		snprintf(metric, sizeof(metric), "memacct_%s_%s%s", v->name, col->name,
			 col->kind == COL_BYTES && strcmp(col->name, "bytes") &&
			 (len < 6 || strcmp(col->name + len - 6, "_bytes")) ? "_bytes" : "");
		fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", metric,
			col->help ? col->help : col->name, metric);
		for (r = 0; r < v->nrows; r++)
			if (!v->rows[r][c].na)
				prom_sample(f, metric, v, v->rows[r], c);
	}
}

void output(FILE *f, const struct opts *o, const struct source *src,
	    struct view **views, int nviews)
{
	int i;

	if (o->format == FMT_JSON) {
		print_json(f, src, views, nviews);
		return;
	}
	for (i = 0; i < nviews; i++) {
		if (i && o->format != FMT_PROMETHEUS)
			fputc('\n', f);
		if (o->format == FMT_TABLE)
			print_table(f, o, views[i]);
		else if (o->format == FMT_CSV)
			print_csv(f, views[i]);
		else
			print_prometheus(f, views[i]);
	}
}
