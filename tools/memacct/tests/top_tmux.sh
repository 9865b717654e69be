#!/bin/bash
# `memacct top` in a real terminal: tmux runs it over a captured tree; the
# screen must show the process table, change sort on a key, and the
# program must end on 'q'. Exit status 0 when all of that held.
set -u
bin=${MEMACCT_BIN:?}
sock=memacct-top-test-$$
t() { tmux -L "$sock" "$@"; }
fail() { echo "top_tmux: FAIL: $*"; t capture-pane -p -t top 2>/dev/null; t kill-server 2>/dev/null; exit 1; }
wait_for() { # text, what
	for _ in $(seq 50); do
		t capture-pane -p -t top 2>/dev/null | grep -q -- "$1" && return 0
		sleep 0.1
	done
	fail "$2: '$1' not on the screen"
}

t new-session -d -s top -x 120 -y 30 \
	"TERM=xterm $bin --root fixtures/6.12 top -d 0.3; echo top-exited-\$?; sleep 30" ||
	fail "tmux did not start"
wait_for "memacct top" "header"
wait_for "PID USER" "table header"
wait_for "memhelper" "process rows"
wait_for "sort pss" "default sort"
t send-keys -t top R
wait_for "sort rss" "R sorts by rss"
t send-keys -t top q
wait_for "top-exited-0" "q quits with status 0"
t kill-server
echo "top_tmux: ok"
