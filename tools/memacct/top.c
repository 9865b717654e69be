// SPDX-License-Identifier: GPL-2.0
/*
 * memacct reader: `memacct top`, the process table refreshed in ncurses,
 * or printed every few seconds in batch mode (-b).
 */
#define _GNU_SOURCE
#include <curses.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "reader.h"

static const struct { int key; const char *sort; } sort_keys[] = {
	{ 'P', "pss" }, { 'R', "res" }, { 'M', "mem" }, { 'U', "uss" }, { 'S', "swap" },
	{ 'V', "vss" }, { 'N', "pid" },
};

/* The first line: what is shown, and how. */
static void heading(char *buf, size_t len, const struct source *src, const struct opts *o,
		    const struct view *v)
{
	char size[32];

	format_bytes(size, sizeof(size), v->total[view_need(v, "pss")].num, true);
	snprintf(buf, len, "memacct top  %s  pss total %s  sort %s  every %.1fs", src->version,
		 size, o->sort, o->delay);
}

/* The bytes of @line that fit in @cols display cells. */
static int fit(const char *line, int cols)
{
	size_t bytes;

	text_cells(NULL, line, cols, &bytes);
	return bytes;
}

/* Renders the table the `ps` view prints into a string, then the screen. */
static void draw(const struct source *src, struct opts *o)
{
	struct view *v[1];
	char *text = NULL, *line, *save = NULL, head[256];
	size_t len = 0;
	FILE *f;
	int y = 2;

	o->top_n = LINES > 4 ? LINES - 4 : 1;
	views_top(src, o, v);
	heading(head, sizeof(head), src, o, v[0]);
	erase();
	mvaddnstr(0, 0, head, fit(head, COLS));
	mvprintw(1, 0, "keys: P pss  R res  M %%mem  U uss  S swap  V virt  N pid  q quit");
	f = open_memstream(&text, &len);
	if (!f)
		die(EXIT_IO, "out of memory");
	output(f, o, src, v, 1);
	fclose(f);
	for (line = strtok_r(text, "\n", &save); line && y < LINES;
	     line = strtok_r(NULL, "\n", &save))
		mvaddnstr(y++, 0, line, fit(line, COLS));
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

/* Back to the normal screen: also before die() prints its message. */
static void restore_terminal(void)
{
	if (!isendwin())
		endwin();
}

static void sleep_seconds(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* top -b: the table (or another format) every delay, n times or forever. */
static int run_batch(const struct source *src, struct opts *o)
{
	struct view *v[1];
	char head[256];
	long i;

	for (i = 0; o->iterations < 0 || i < o->iterations; i++) {
		if (i)
			sleep_seconds(o->delay);
		views_top(src, o, v);
		if (i && o->format != FMT_JSON)
			putchar('\n');	/* JSON: one line each */
		if (o->format == FMT_TABLE) {
			heading(head, sizeof(head), src, o, v[0]);
			printf("%s\n", head);
		}
		output(stdout, o, src, v, 1);
		view_free(v[0]);
		if (fflush(stdout) || ferror(stdout))
			die(EXIT_IO, "writing the output: %s", strerror(errno));
	}
	return 0;
}

int run_top(const struct source *src, struct opts *o)
{
	if (!o->sort)
		o->sort = "pss";
	if (o->batch)
		return run_batch(src, o);
	if (o->format != FMT_TABLE)
		die(EXIT_USAGE, "top: -f needs batch mode (-b)");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		die(EXIT_USAGE, "top: not a terminal (use -b for batch mode)");
	o->human = true;
	if (!initscr())
		die(EXIT_IO, "cannot initialise the terminal (TERM=%s)", getenv("TERM"));
	die_hook = restore_terminal;	/* a read fails: its message after endwin */
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
