// SPDX-License-Identifier: GPL-2.0
/* memacct reader: `memacct top`, the process table refreshed in ncurses. */
#define _GNU_SOURCE
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include "reader.h"

static const struct { int key; const char *sort; } sort_keys[] = {
	{ 'P', "pss" }, { 'R', "rss" }, { 'U', "uss" }, { 'S', "swap" },
	{ 'V', "vss" }, { 'N', "pid" },
};

/* Renders the table the `ps` view prints into a string, then the screen. */
static void draw(const struct source *src, struct opts *o)
{
	struct view *v[1];
	char *text = NULL, *line, *save = NULL, size[32];
	size_t len = 0;
	FILE *f;
	int y = 2;

	o->top_n = LINES > 4 ? LINES - 4 : 1;
	views_ps(src, o, v);
	format_bytes(size, sizeof(size), v[0]->total[view_col(v[0], "pss")].num, true);
	erase();
	mvprintw(0, 0, "memacct top  %s  pss total %s  sort %s  every %.1fs", src->version,
		 size, o->sort, o->delay);
	mvprintw(1, 0, "keys: P pss  R rss  U uss  S swap  V vss  N pid  q quit");
	f = open_memstream(&text, &len);
	if (!f)
		die(EXIT_IO, "out of memory");
	output(f, o, src, v, 1);
	fclose(f);
	for (line = strtok_r(text, "\n", &save); line && y < LINES;
	     line = strtok_r(NULL, "\n", &save))
		mvaddnstr(y++, 0, line, COLS);
	free(text);
	view_free(v[0]);
	refresh();
}

/* Reads keys until the delay has passed; false when the user quits. */
static bool handle_keys(struct opts *o)
{
	int ch = getch();
	unsigned int i;

	if (ch == 'q' || ch == 'Q')
		return false;
	for (i = 0; i < sizeof(sort_keys) / sizeof(sort_keys[0]); i++)
		if (ch == sort_keys[i].key || ch == sort_keys[i].key + 32)
			o->sort = sort_keys[i].sort;
	return true;
}

static void restore_terminal(void)
{
	if (!isendwin())
		endwin();
}

int run_top(const struct source *src, struct opts *o)
{
	if (!o->sort)
		o->sort = "pss";
	o->format = FMT_TABLE;
	o->human = true;
	if (!initscr())
		die(EXIT_IO, "cannot initialise the terminal (TERM=%s)", getenv("TERM"));
	atexit(restore_terminal);	/* also when a read fails and we die */
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	timeout((int)(o->delay * 1000));
	do
		draw(src, o);
	while (handle_keys(o));
	restore_terminal();
	return 0;
}
