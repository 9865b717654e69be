// SPDX-License-Identifier: GPL-2.0
/* memacct reader: parsing the module's debugfs tables. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "table.h"

void unescape_octal(char *s)
{
	char *out = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

static int split_line(char *line, char **out, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return n;
		if (n == max)
			return -1;
		out[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

int table_parse(struct table *t, char *text, char *err, size_t errlen)
{
	char *line, *next, *fields[TABLE_MAX_COLS];
	int cap = 0, n, lineno = 1, i;

	memset(t, 0, sizeof(*t));
	t->buf = text;
	if (!text || !*text) {
		snprintf(err, errlen, "empty file");
		return -1;
	}
	next = strchr(text, '\n');
	if (!next) {
		snprintf(err, errlen, "no complete header line");
		return -1;
	}
	*next++ = '\0';
	if (strlen(text) > TABLE_MAX_LINE) {
		snprintf(err, errlen, "header line too long");
		return -1;
	}
	t->ncols = split_line(text, t->cols, TABLE_MAX_COLS);
	if (t->ncols <= 0) {
		snprintf(err, errlen, "bad header line");
		return -1;
	}
	for (line = next; line && *line; line = next) {
		lineno++;
		next = strchr(line, '\n');
		if (!next) {
			snprintf(err, errlen, "line %d: truncated (no newline)", lineno);
			return -1;
		}
		*next++ = '\0';
		if (next - line > TABLE_MAX_LINE) {
			snprintf(err, errlen, "line %d: too long", lineno);
			return -1;
		}
		n = split_line(line, fields, TABLE_MAX_COLS);
		if (n != t->ncols) {
			snprintf(err, errlen, "line %d: %d fields, the header has %d",
				 lineno, n < 0 ? TABLE_MAX_COLS : n, t->ncols);
			return -1;
		}
		if (t->nrows == cap) {
			cap = cap ? cap * 2 : 64;
			t->rows = realloc(t->rows, cap * sizeof(*t->rows));
			if (!t->rows) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
		}
		t->rows[t->nrows] = malloc(n * sizeof(char *));
		if (!t->rows[t->nrows]) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		for (i = 0; i < n; i++) {
			unescape_octal(fields[i]);
			t->rows[t->nrows][i] = fields[i];
		}
		t->nrows++;
	}
	return 0;
}

void table_free(struct table *t)
{
	int i;

	for (i = 0; i < t->nrows; i++)
		free(t->rows[i]);
	free(t->rows);
	free(t->buf);
	memset(t, 0, sizeof(*t));
}

int table_col(const struct table *t, const char *name)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i], name))
			return i;
	return -1;
}

int table_u64(const struct table *t, int row, int col, unsigned long long *out)
{
	const char *s;
	char *end;

	if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
		return -1;
	s = t->rows[row][col];
	if (!strcmp(s, "-"))
		return 1;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	return 0;
}
