#!/bin/bash
# Run the selftests in a VM for each kernel given, collect their KTAP output
# from the second serial port, and check the kernel console log.
# A kernel's run fails on any "not ok", a missing or unmet plan, a test
# program's non-zero exit, a timeout, or an oops/BUG/WARN/Call Trace/lockup
# in its console log. Prints one closing line: N passed, N failed, N skipped.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
results=${RESULTS:-$top/.cache/results}
# promtool as deps.sh unpacks it (no prometheus server installed)
promtool=${PROMTOOL:-$top/.cache/bin/promtool}
[ -x "$promtool" ] || promtool=promtool
total_pass=0 total_fail=0 total_skip=0 reboots=0
no_result=

kernel_tests() { # abi -> the tests column of kernels.list
	"$top/scripts/kversions.sh" --table | awk -v k="$1" '$1 == k { print $4 }'
}

# Kernel console lines that fail a run, whatever the tests said.
bad_console='(BUG:|WARNING:|Oops|Call Trace|general protection|Kernel panic|soft lockup|hard LOCKUP|rcu_sched self-detected stall|rcu: INFO|blocked for more than|UBSAN:|KASAN:|kmemleak|list_add corruption|list_del corruption|bad page state|BUG kmalloc|Bad page)'

# The reader's JSON, as the VM test frames it: every view has columns and
# rows, each row every column with a value of its column's kind, and the
# totals the sums of the rows (ps: each mm once).
json_check='
def jtype: {"text": "string", "id": "number", "bytes": "number", "count": "number",
	    "ratio": "number", "addr": "string"}[.];
def rows_typed: (.columns | map({key: .name, value: (.kind | jtype)}) | from_entries) as $t
	| (.columns | map(.name)) as $names
	| all(.rows[]; (keys_unsorted == $names)
		and all(to_entries[]; .value == null or (.value | type) == $t[.key]));
def total_is_sum(col; rows): (.total[col]) == (rows | map(.[col]) | add);
(.memacct.abi | type) == "number"
and (.views | type) == "array" and (.views | length) > 0
and all(.views[]; (.columns | length) > 0 and (.rows | length) > 0 and rows_typed)
and all(.views[] | select(.name == "process");
	total_is_sum("pss"; [.rows[] | select(.mm_owner == .pid)])
	and total_is_sum("swap"; [.rows[] | select(.mm_owner == .pid)]))
and all(.views[] | select(.name == "user" or .name == "program" or .name == "cgroup");
	total_is_sum("pss"; .rows) and total_is_sum("processes"; .rows))
and all(.views[] | select(.name == "vma"); total_is_sum("rss"; .rows) and total_is_sum("vss"; .rows))
'

# Outputs framed by the VM tests between "@@@ begin NAME" and "@@@ end",
# checked here: the reader's JSON (jq, above) and Prometheus (promtool,
# with its lint) outputs, and the list of debugfs files and columns
# against Documentation/abi.rst. Prints "pass fail".
check_outputs() { # ktap text file, directory for the outputs
	local dir=$2 f pass=0 fail=0
	rm -rf "$dir"
	mkdir -p "$dir"
	awk -v dir="$dir" '/^@@@ end/ { f = ""; next }
		/^@@@ begin / { f = dir "/" $3; printf "" > f; next }
		f { print >> f }' "$1"
	for f in "$dir"/*; do
		[ -e "$f" ] || continue
		case $f in
		*.json) jq -e "$json_check" "$f" >/dev/null ;;
		*.prometheus) "$promtool" check metrics <"$f" >&2 ;;
		*.files) "$top/scripts/check-abi-doc.sh" "$f" >&2 ;;
		*) true ;;
		esac
		if [ $? = 0 ]; then pass=$((pass + 1)); else
			fail=$((fail + 1)); echo "FAIL: $(basename "$f") rejected (the output: $f)" >&2; fi
	done
	echo "$pass $fail"
}

# The console without the OOM reports a test provokes on purpose: inside
# one, only its expected stack dump ("Call Trace" and the lines around it)
# is dropped; any other bad line stays. A report ends at its "Killed
# process" line, at the next OOM report, or after 200 lines at most, so a
# report cut short cannot hide what follows it.
filter_console() {
	awk '/invoked oom-killer:/ { oom = 1; n = 0 }
		oom && n++ > 200 { oom = 0 }
		oom && /(Memory cgroup out of memory|Out of memory): Killed process/ { oom = 0; next }
		oom && /(BUG:|WARNING:|Oops|general protection|Kernel panic|KASAN:|UBSAN:|soft lockup|hard LOCKUP|rcu_sched self-detected stall|rcu: INFO|blocked for more than|kmemleak|corruption|[Bb]ad page)/ { print; next }
		oom { next }
		{ print }' "$1"
}

check_ktap() { # file -> prints "pass fail skip", lists failures on stderr
	awk '
	/^# selftest: / { prog = $3; plan[prog] = -1; seen[prog] = 0; order[++n] = prog; next }
	/^# selftest-exit: / { ex[$3] = $4; next }
	/^1\.\.[0-9]+/ { if (prog != "") plan[prog] = substr($1, 4) + 0; next }
	/^ok [0-9]+/ {
		seen[prog]++
		if ($0 ~ /# SKIP/) skip++; else pass++
		next
	}
	/^not ok [0-9]+/ {
		seen[prog]++
		if ($0 ~ /# SKIP/) skip++; else { fail++; print "FAIL: " prog ": " $0 > "/dev/stderr" }
		next
	}
	END {
		for (i = 1; i <= n; i++) {
			p = order[i]
			if (plan[p] < 0) { fail++; print "FAIL: " p ": no KTAP plan" > "/dev/stderr" }
			else if (plan[p] != seen[p]) { fail += plan[p] - seen[p] > 0 ? plan[p] - seen[p] : 1;
				print "FAIL: " p ": plan " plan[p] ", results " seen[p] > "/dev/stderr" }
			if (!(p in ex)) { fail++; print "FAIL: " p ": did not finish" > "/dev/stderr" }
			else if (ex[p] != 0 && seen[p] == plan[p] && fail == 0) { fail++; print "FAIL: " p ": exit " ex[p] > "/dev/stderr" }
		}
		if (n == 0) { fail++; print "FAIL: no test program ran" > "/dev/stderr" }
		printf "%d %d %d\n", pass, fail, skip
	}' "$1"
}

# Sourced (the host tests of these functions): no run.
[ "${BASH_SOURCE[0]}" = "$0" ] || return 0
mkdir -p "$results"

for kver in "$@"; do
	out=$results/$kver.ktap
	con=$results/$kver.console
	echo "=== selftests on $kver"
	start=$(date +%s)
	# the programs this kernel runs (kernels.list): all, or the PREEMPT_RT set
	tests=${MEMACCT_TESTS:-}
	if [ -z "$tests" ] && [ "$(kernel_tests "$kver")" = rt ]; then
		tests="module_test procs_test hardening_test"
	fi
	for boot in 1 2 3; do
		rm -f "$out" "$out.txt" "$con"	# a failed boot must not reuse old results
		"$top/scripts/vm.sh" -t "${VM_TIMEOUT:-1500}" -o "$out" -l "$con" "$kver" \
			"MEMACCT_TESTS='$tests' /selftests/run_all.sh"
		rc=$?
		# A kernel that died before memacct was ever loaded (seen under
		# TCG: an int3 oops in boot-time text patching, 7.3 twice in
		# a row once) is booted again, up to three boots, and said so;
		# anything after the first insmod counts.
		if [ "$boot" != 3 ] && { [ "$rc" = 124 ] || [ "$rc" = 125 ]; } &&
			! grep -aq memacct "$con" 2>/dev/null; then
			echo "=== $kver: the kernel died before memacct was loaded; booting it once more (console: $con.boot$boot)"
			cp "$con" "$con.boot$boot" 2>/dev/null
			reboots=$((reboots + 1))
			continue
		fi
		break
	done
	tr -d '\r' <"$out" >"$out.txt" 2>/dev/null || : >"$out.txt"
	cat "$out.txt" | grep -E '^(ok|not ok|#  RUN|# selftest|# +(FAIL|OK)|#.*(Expected|==|!=|\.c:))' | grep -v '^#  RUN' || true
	read -r pass fail skip < <(check_ktap "$out.txt")
	read -r opass ofail < <(check_outputs "$out.txt" "$results/$kver.outputs")
	echo "# outputs checked on the host (jq, promtool, abi.rst): $opass good, $ofail rejected"
	pass=$((pass + opass)) fail=$((fail + ofail))
	if [ "$rc" = 124 ] || [ "$rc" = 125 ]; then
		echo "FAIL: $kver: VM timed out or died (status $rc)"
		fail=$((fail + 1))
	fi
	if [ "$pass" = 0 ]; then
		no_result="$no_result $kver"
		fail=$((fail + 1))
	fi
	if filter_console "$con" | grep -aE "$bad_console" >/dev/null; then
		echo "FAIL: $kver: kernel console shows:"
		filter_console "$con" | grep -aE -A12 "$bad_console" | head -n 60
		fail=$((fail + 1))
	fi
	[ "$fail" = 0 ] || echo "=== $kver logs: $out.txt (tests), $con (kernel console), $con.qemu (QEMU), $results/$kver.outputs (reader outputs)"
	echo "=== $kver: $pass passed, $fail failed, $skip skipped ($(($(date +%s) - start)) s)"
	total_pass=$((total_pass + pass)) total_fail=$((total_fail + fail)) total_skip=$((total_skip + skip))
done
[ -z "$no_result" ] || echo "FAIL: no result from:$no_result"
[ "$reboots" = 0 ] || echo "note: $reboots kernel(s) booted a second time after dying before memacct was loaded"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" = 0 ]
