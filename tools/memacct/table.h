/* SPDX-License-Identifier: GPL-2.0 */
/* memacct reader: parsing the module's debugfs tables. */
#ifndef MEMACCT_TABLE_H
#define MEMACCT_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#define TABLE_MAX_COLS 128
#define TABLE_MAX_LINE (1 << 16)

/*
 * A table as the module prints it: a header line of column names, then
 * rows with exactly as many whitespace-separated fields. Text fields are
 * unescaped (\ooo octal) in place.
 */
struct table {
	int ncols;
	char *cols[TABLE_MAX_COLS];
	int nrows;
	char ***rows;
	char *buf;
};

/* Parses @text (taken over); 0, or -1 with a message in @err. */
int table_parse(struct table *t, char *text, char *err, size_t errlen);
void table_free(struct table *t);
int table_col(const struct table *t, const char *name);
/*
 * Unsigned number in column @col of @row: 0 and *out set; 1 if the field
 * is the "unavailable" marker "-"; -1 if it is not a number or overflows.
 */
int table_u64(const struct table *t, int row, int col, unsigned long long *out);
void unescape_octal(char *s);

#endif
