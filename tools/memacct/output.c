// SPDX-License-Identifier: GPL-2.0
/*
 * memacct reader: printing views as an aligned table, JSON (jansson), CSV
 * or the Prometheus text exposition format.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>
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
	/* the next unit as soon as one decimal would round up to 1024.0 */
	while (v >= 1023.95 && u < 5) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f%c", v, units[u]);
}

/* Length of the valid UTF-8 sequence at @s, or 0 if there is none. */
static int utf8_seq(const unsigned char *s)
{
	int n, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;	/* overlong, out of range, surrogate */
	return n;
}

char *utf8_clean(const char *s)
{
	char *copy = strdup(s);
	size_t i = 0;
	int n;

	if (!copy)
		die(EXIT_IO, "out of memory");
	while (copy[i]) {
		n = utf8_seq((const unsigned char *)copy + i);
		if (!n)
			copy[i++] = '?';
		else
			i += n;
	}
	return copy;
}

/*
 * Walks @s as the table shows it: each printable character, or '?' for a
 * control character or a byte that is not a character in the locale.
 * Prints to @f if it is not NULL, at most @max display cells (-1: all).
 * Returns the display cells; *@bytes (if given) the bytes of @s used.
 */
int text_cells(FILE *f, const char *s, int max, size_t *bytes)
{
	const char *p = s;
	mbstate_t st;
	wchar_t wc;
	size_t n;
	int w, cells = 0;

	memset(&st, 0, sizeof(st));
	while (*p) {
		n = mbrtowc(&wc, p, MB_CUR_MAX, &st);
		w = n == (size_t)-1 || n == (size_t)-2 || iswcntrl(wc) ? -1 : wcwidth(wc);
		if (w < 0) {
			memset(&st, 0, sizeof(st));
			n = 1;
		}
		if (max >= 0 && cells + (w < 0 ? 1 : w) > max)
			break;
		if (f && w < 0)
			fputc('?', f);
		else if (f)
			fwrite(p, 1, n, f);
		cells += w < 0 ? 1 : w;
		p += n;
	}
	if (bytes)
		*bytes = p - s;
	return cells;
}

static int put_text(FILE *f, const char *s)
{
	return text_cells(f, s, -1, NULL);
}

int text_width(const char *s)
{
	return text_cells(NULL, s, -1, NULL);
}

/* The text of one cell as the table and CSV formats print it. */
static void cell_text(char *buf, const struct col *c, const struct cell *cell,
		      bool human, bool csv)
{
	size_t off = 0;

	buf[0] = '\0';
	if (cell->none)
		return;
	if (cell->na) {
		snprintf(buf, CELL_MAX, "%s", csv ? "" : "-");
		return;
	}
	switch (c->kind) {
	case COL_TEXT:
		snprintf(buf, CELL_MAX, "%s", cell->text ? cell->text : "");
		break;
	case COL_RATIO:
		if (csv)
			snprintf(buf, CELL_MAX, "%.15g", cell->ratio);
		else if (c->percent)	/* under "%MEM" as top has it: no sign */
			snprintf(buf, CELL_MAX, "%.1f%s", 100 * cell->ratio,
				 c->header && c->header[0] == '%' ? "" : "%");
		else
			snprintf(buf, CELL_MAX, "%.3f", cell->ratio);
		break;
	case COL_ADDR:
		snprintf(buf, CELL_MAX, csv ? "0x%llx" : "%llx", cell->num);
		break;
	case COL_BYTES:
		if (cell->neg)
			buf[off++] = '-';
		format_bytes(buf + off, CELL_MAX - off, cell->num, human);
		break;
	default:
		snprintf(buf, CELL_MAX, "%s%llu", cell->neg ? "-" : "", cell->num);
	}
}

/* Column @c of @v has a value in some row (or @v has no rows). */
static bool has_values(const struct view *v, int c)
{
	int r;

	for (r = 0; r < v->nrows; r++)
		if (!v->rows[r][c].na)
			return true;
	return !v->nrows;
}

static bool shown(const struct opts *o, const struct view *v, int c)
{
	const struct col *col = &v->cols[c];

	if (o->format != FMT_TABLE)
		return true;
	if (col->wide && !o->wide)
		return false;
	return !col->hide_na || has_values(v, c);
}

static void pad(FILE *f, int n)
{
	for (; n > 0; n--)
		fputc(' ', f);
}

static void table_row(FILE *f, const struct opts *o, const struct view *v,
		      const struct cell *row, const int *width)
{
	char buf[CELL_MAX];
	bool first = true;
	int c, last = v->ncols - 1;

	while (last > 0 && !shown(o, v, last))
		last--;
	for (c = 0; c < v->ncols; c++) {
		const struct col *col = &v->cols[c];

		if (!shown(o, v, c))
			continue;
		if (!first)
			fputc(' ', f);
		first = false;
		cell_text(buf, col, &row[c], o->human, false);
		if (col->kind == COL_TEXT) {
			int w = put_text(f, buf);

			if (c != last)
				pad(f, width[c] - w);
		}
		else
			fprintf(f, "%*s", width[c], buf);
	}
	fputc('\n', f);
}

/* A column's name in the table's header: in capitals unless it has its own. */
static void header_name(char *buf, size_t len, const struct col *c)
{
	size_t i;

	snprintf(buf, len, "%s", c->header ? c->header : c->name);
	for (i = 0; !c->header && buf[i]; i++)
		buf[i] = toupper((unsigned char)buf[i]);
}

/* Column names in capitals, aligned like the column's values. */
static void print_header(FILE *f, const struct opts *o, const struct view *v,
			 const int *width)
{
	char name[64];
	bool first = true;
	int c, last = v->ncols - 1;

	while (last > 0 && !shown(o, v, last))
		last--;
	for (c = 0; c < v->ncols; c++) {
		if (!shown(o, v, c))
			continue;
		header_name(name, sizeof(name), &v->cols[c]);
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
		header_name(buf, sizeof(buf), &v->cols[c]);
		width[c] = strlen(buf);
		for (r = -1; r < v->nrows; r++) {
			const struct cell *row = r < 0 ? v->total : v->rows[r];

			if (!row)
				continue;
			cell_text(buf, &v->cols[c], &row[c], o->human, false);
			len = v->cols[c].kind == COL_TEXT ? text_width(buf) : (int)strlen(buf);
			if (len > width[c])
				width[c] = len;
		}
	}
	if (v->title)
		fprintf(f, "%s\n", v->title);
	print_header(f, o, v, width);
	for (r = 0; r < v->nrows; r++)
		table_row(f, o, v, v->rows[r], width);
	if (v->total)
		table_row(f, o, v, v->total, width);
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
			cell_text(buf, &v->cols[c], &v->rows[r][c], false, true);
			csv_field(f, buf);
		}
		fputc('\n', f);
	}
}

/* jansson calls that fail only when memory runs out. */
static json_t *jnew(json_t *j)
{
	if (!j)
		die(EXIT_IO, "out of memory (JSON)");
	return j;
}

static void jset(json_t *obj, const char *key, json_t *val)
{
	if (json_object_set_new(obj, key, jnew(val)))
		die(EXIT_IO, "out of memory (JSON)");
}

static void jappend(json_t *arr, json_t *val)
{
	if (json_array_append_new(arr, jnew(val)))
		die(EXIT_IO, "out of memory (JSON)");
}

/* JSON strings must be UTF-8: bytes that are not become '?'. */
static json_t *json_text(const char *s)
{
	char *clean = utf8_clean(s);
	json_t *j = json_string(clean);

	free(clean);
	return jnew(j);
}

static json_t *json_cell(const struct col *c, const struct cell *cell)
{
	char addr[32];

	if (cell->na)
		return json_null();
	switch (c->kind) {
	case COL_TEXT:
		return json_text(cell->text ? cell->text : "");
	case COL_RATIO:
		return json_real(cell->ratio);
	case COL_ADDR:
		snprintf(addr, sizeof(addr), "0x%llx", cell->num);
		return json_string(addr);
	default:
		if (cell->num > LLONG_MAX)
			return json_integer(cell->neg ? LLONG_MIN : LLONG_MAX);
		return json_integer(cell->neg ? -(json_int_t)cell->num : (json_int_t)cell->num);
	}
}

static json_t *json_row(const struct view *v, const struct cell *row)
{
	json_t *obj = jnew(json_object());
	int c;

	for (c = 0; c < v->ncols; c++)
		if (!row[c].none)
			jset(obj, v->cols[c].name, json_cell(&v->cols[c], &row[c]));
	return obj;
}

static json_t *json_view(const struct view *v)
{
	static const char * const kinds[] = { "text", "id", "bytes", "count", "ratio", "addr" };
	json_t *obj = jnew(json_object()), *cols = jnew(json_array()), *rows = jnew(json_array());
	int r, c;

	for (c = 0; c < v->ncols; c++) {
		json_t *col = jnew(json_object());

		jset(col, "name", json_string(v->cols[c].name));
		jset(col, "kind", json_string(kinds[v->cols[c].kind]));
		jappend(cols, col);
	}
	for (r = 0; r < v->nrows; r++)
		jappend(rows, json_row(v, v->rows[r]));
	jset(obj, "name", json_string(v->name));
	jset(obj, "columns", cols);
	jset(obj, "rows", rows);
	jset(obj, "total", v->total ? json_row(v, v->total) : json_null());
	return obj;
}

static void print_json(FILE *f, const struct opts *o, const struct source *src,
		       struct view **views, int n)
{
	json_t *top = jnew(json_object()), *arr = jnew(json_array());
	json_t *meta = jnew(json_object());
	size_t flags = JSON_PRESERVE_ORDER | (o->batch ? JSON_COMPACT : JSON_INDENT(1));
	int i;

	jset(meta, "version", json_text(src->version));
	jset(meta, "abi", json_integer(src->abi));
	jset(meta, "kernel", json_text(src->kernel));
	jset(top, "memacct", meta);
	for (i = 0; i < n; i++)
		jappend(arr, json_view(views[i]));
	jset(top, "views", arr);
	if (json_dumpf(top, f, flags))
		die(EXIT_IO, "writing JSON: %s", strerror(errno));
	fputc('\n', f);
	json_decref(top);
}

/* A label value or HELP text: UTF-8, with \ " and newline escaped. */
static void prom_escape(FILE *f, const char *s, bool quote)
{
	char *clean = utf8_clean(s), *p;

	for (p = clean; *p; p++) {
		if (*p == '\\' || (quote && *p == '"'))
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else
			fputc(*p, f);
	}
	free(clean);
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
		else if (v->cols[l].kind == COL_ADDR)
			fprintf(f, "0x%llx", row[l].num);
		else
			prom_escape(f, row[l].text ? row[l].text : "", true);
		fputc('"', f);
		first = false;
	}
	if (!first)
		fputc('}', f);
	if (v->cols[c].kind == COL_RATIO)
		fprintf(f, " %.17g\n", row[c].ratio);
	else
		fprintf(f, " %s%llu\n", row[c].neg ? "-" : "", row[c].num);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && !strcmp(s + ls - lx, suffix);
}

/*
 * memacct_<view>_<column>, in base units: _bytes for sizes, _ratio for
 * fractions, _total for counters (Prometheus' naming practices).
 */
static void prom_name(char *buf, size_t len, const struct view *v, const struct col *c)
{
	const char *name = c->prom ? c->prom : c->name;
	const char *unit = c->kind == COL_BYTES ? "_bytes" : c->kind == COL_RATIO ? "_ratio" :
			   c->counter ? "_total" : "";

	if (*unit && (!strcmp(name, unit + 1) || ends_with(name, unit)))
		unit = "";
	snprintf(buf, len, "memacct_%s_%s%s", v->prom ? v->prom : v->name, name, unit);
}

static void print_prometheus(FILE *f, const struct view *v)
{
	char metric[256];
	int r, c, n;

	for (c = 0; c < v->ncols; c++) {
		const struct col *col = &v->cols[c];

		if (col->label || col->kind == COL_TEXT || col->kind == COL_ID ||
		    col->kind == COL_ADDR)
			continue;
		for (r = 0, n = 0; r < v->nrows; r++)
			n += !v->rows[r][c].na && !v->rows[r][c].none;
		if (!n)
			continue;	/* no samples: no metric */
		prom_name(metric, sizeof(metric), v, col);
		fprintf(f, "# HELP %s ", metric);
		prom_escape(f, col->help ? col->help : col->name, false);
		fprintf(f, "\n# TYPE %s %s\n", metric, col->counter ? "counter" : "gauge");
		for (r = 0; r < v->nrows; r++)
			if (!v->rows[r][c].na && !v->rows[r][c].none)
				prom_sample(f, metric, v, v->rows[r], c);
	}
}

void output(FILE *f, const struct opts *o, const struct source *src,
	    struct view **views, int nviews)
{
	int i;

	if (o->format == FMT_JSON) {
		print_json(f, o, src, views, nviews);
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
