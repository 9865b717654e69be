#!/bin/bash
# `memacct top` in a real terminal: tmux runs it over a captured tree; the
# screen must show the process table in the order of each sort key (the
# order computed here from the fixture file, not from the reader), and the
# program must end on 'q'. A file that turns bad while top runs must end it
# with its message readable on the normal screen. Exit status 0 when all of
# that held.
set -u
bin=${MEMACCT_BIN:?}
sock=memacct-top-test-$$
fx=fixtures/6.12
tmp=$(mktemp -d /tmp/memacct-top.XXXXXX)
t() { tmux -L "$sock" "$@"; }
cleanup() { t kill-server 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "top_tmux: FAIL: $*"; t capture-pane -p -t top 2>/dev/null; exit 1; }
wait_for() { # text, what
	for _ in $(seq 50); do
		t capture-pane -p -t top 2>/dev/null | grep -q -- "$1" && return 0
		sleep 0.1
	done
	fail "$2: '$1' not on the screen"
}

# The pids in the order top must show for a sort column of the fixture:
# numbers largest first, ties by pid; pid itself ascending. res is top's
# RES: rss_anon + rss_file + rss_shmem (the mm's counters, not rss).
expected() { # column name
	awk -v col="$1" 'NR == 1 { for (i = 1; i <= NF; i++) n[$i] = i; next }
		{ print $1, col == "res" || col == "mem" ? $n["rss_anon"] + $n["rss_file"] + $n["rss_shmem"] : $n[col] }' \
		"$fx/processes" |
		if [ "$1" = pid ]; then sort -k1,1n; else sort -k2,2nr -k1,1n; fi | cut -d' ' -f1
}

# The pids on the screen, top to bottom.
shown() {
	t capture-pane -p -t top | awk '/^ *PID USER/ { on = 1; next } on && $1 ~ /^[0-9]+$/ { print $1 }'
}

check_order() { # key, column
	t send-keys -t top "$1"
	wait_for "sort $2 " "$1 sorts by $2"
	for _ in $(seq 20); do
		[ "$(shown)" = "$(expected "$2")" ] && return 0
		sleep 0.1
	done
	fail "$1: rows not in $2 order: $(shown | tr '\n' ' ') instead of $(expected "$2" | tr '\n' ' ')"
}

[ "$(expected pid | wc -l)" -gt 10 ] || fail "fixture too small"
t new-session -d -s top -x 120 -y 40 \
	"TERM=xterm $bin --root $fx top -d 0.3; echo top-exited-\$?; sleep 30" ||
	fail "tmux did not start"
wait_for "memacct top" "header"
wait_for "PID USER" "table header"
wait_for "memhelper" "process rows"
wait_for "sort pss" "default sort"
[ "$(shown)" = "$(expected pss)" ] || fail "default: rows not in pss order: $(shown | tr '\n' ' ')"
# the fixture must tell RES from RSS apart, or R proves nothing
[ "$(expected res)" != "$(expected rss)" ] || fail "fixture: RES and RSS orders are the same"
check_order R res
check_order M mem
check_order S swap
check_order V vss
check_order U uss
check_order N pid
check_order P pss
t send-keys -t top q
wait_for "top-exited-0" "q quits with status 0"
t kill-session -t top

# A malformed file while top runs: status 7, the message on the screen.
cp -r "$fx" "$tmp/tree"
t new-session -d -s top -x 120 -y 40 \
	"TERM=xterm $bin --root $tmp/tree top -d 0.3; echo top-exited-\$?; sleep 30" ||
	fail "tmux did not start"
wait_for "memhelper" "process rows"
echo "garbage" >"$tmp/tree/processes"
wait_for "top-exited-7" "a malformed file ends top with status 7"
wait_for "memacct: processes: no column" "the error message after leaving the screen"
echo "top_tmux: ok"
