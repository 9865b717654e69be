#!/bin/bash
# Host tests of the test harness itself: run-selftests.sh's console filter
# and JSON check, check-abi-doc.sh, and vm.sh's handling of a QEMU that
# fails (with a stand-in qemu-system-x86_64 and a stand-in cache, no VM).
# Exit status 0 when every check held.
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
bin=${MEMACCT_BIN:?}
tmp=$(mktemp -d /tmp/memacct-harness.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "harness_test: FAIL: $*"; fails=$((fails + 1)); }
# shellcheck source=../../../scripts/run-selftests.sh
. "$top/scripts/run-selftests.sh"
top=$(cd "$(dirname "$0")/../../.." && pwd)	# the sourced script set its own

# ---- filter_console: an OOM report hides its own stack dump, nothing else
oom_report() { # complete?
	echo "[  10.0] memhelper invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0"
	echo "[  10.0] Call Trace:"
	echo "[  10.0]  <TASK>"
	echo "[  10.0]  dump_stack_lvl+0x44/0x5c"
	echo "[  10.0]  </TASK>"
	[ "$1" = complete ] &&
		echo "[  10.1] Memory cgroup out of memory: Killed process 123 (memhelper) total-vm:1kB"
	return 0
}
bad() { filter_console "$1" | grep -aEq "$bad_console"; }

oom_report complete >"$tmp/c1"
bad "$tmp/c1" && fail "a provoked OOM report's Call Trace fails the run"
{ oom_report complete; echo "[  30.0] watchdog: BUG: soft lockup - CPU#1 stuck for 22s!"; } >"$tmp/c2"
bad "$tmp/c2" || fail "a lockup after an OOM report is hidden"
{ oom_report cut; for i in $(seq 250); do echo "[  11.$i] some line $i"; done
  echo "[  40.0] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:"; } >"$tmp/c3"
bad "$tmp/c3" || fail "an RCU stall 250 lines after an OOM report cut short is hidden"
{ oom_report cut; echo "[  50.0] INFO: task kworker:1 blocked for more than 120 seconds."; } >"$tmp/c4"
bad "$tmp/c4" || fail "a hung task inside an unfinished OOM report is hidden"
{ oom_report cut; echo "[  51.0] watchdog: BUG: soft lockup - CPU#0 stuck for 23s!"; } >"$tmp/c5"
bad "$tmp/c5" || fail "a soft lockup inside an OOM report is hidden"

# ---- the JSON check: shape, kinds and totals, not just a key
json_ok() { jq -e "$json_check" "$1" >/dev/null 2>&1; }
fx=$top/tools/memacct/tests/fixtures/6.12
for cmd in ps users programs cgroups "vmas 1" buddy slab summary; do
	# shellcheck disable=SC2086
	"$bin" --root "$fx" --proc "$fx" -f json $cmd >"$tmp/good.json" || fail "memacct $cmd"
	json_ok "$tmp/good.json" || fail "the JSON check rejects a good '$cmd'"
done
"$bin" --root "$fx" -f json ps >"$tmp/ps.json"
jq '.views[0].total.pss += 1' "$tmp/ps.json" >"$tmp/bad1.json"
json_ok "$tmp/bad1.json" && fail "the JSON check accepts a wrong ps total"
jq '.views[0].total.swap = 0' "$tmp/ps.json" >"$tmp/bad2.json"
json_ok "$tmp/bad2.json" && fail "the JSON check accepts swap left out of the ps total"
jq '.views = []' "$tmp/ps.json" >"$tmp/bad3.json"
json_ok "$tmp/bad3.json" && fail "the JSON check accepts no views"
jq '.views[0].rows[0].pss = "12"' "$tmp/ps.json" >"$tmp/bad4.json"
json_ok "$tmp/bad4.json" && fail "the JSON check accepts a size as a string"
jq '.views[0].rows = []' "$tmp/ps.json" >"$tmp/bad5.json"
json_ok "$tmp/bad5.json" && fail "the JSON check accepts a view without rows"
jq 'del(.views[0].rows[0].comm)' "$tmp/ps.json" >"$tmp/bad6.json"
json_ok "$tmp/bad6.json" && fail "the JSON check accepts a row without a column"

# ---- check-abi-doc.sh: a column counts only under its own file
printf 'processes pid uss comm\nbuddy node o7 free_bytes\nvmas start vss file_pmd_mapped name\n' >"$tmp/ok.files"
"$top/scripts/check-abi-doc.sh" "$tmp/ok.files" >/dev/null || fail "check-abi-doc rejects documented columns"
printf 'buddy node uss\n' >"$tmp/bad.files"
"$top/scripts/check-abi-doc.sh" "$tmp/bad.files" >/dev/null &&
	fail "check-abi-doc accepts a buddy column documented only under processes"
printf 'vmas start mm_owner\n' >"$tmp/bad2.files"
"$top/scripts/check-abi-doc.sh" "$tmp/bad2.files" >/dev/null &&
	fail "check-abi-doc accepts a processes column outside the range vmas takes"

# ---- vm.sh: QEMU's stderr shown with the log locations; -i leaves no temp dir
cache=$tmp/cache
mkdir -p "$cache/kernels/fake/modules/kernel" "$cache/build/fake/module" "$tmp/bin" "$tmp/t"
touch "$cache/kernels/fake/.done" "$cache/kernels/fake/vmlinuz" "$cache/build/fake/module/memacct.ko"
cat >"$tmp/bin/qemu-system-x86_64" <<'QEMU'
#!/bin/sh
echo "qemu-system-x86_64: -kernel: could not load kernel: stand-in failure" >&2
exit 1
QEMU
chmod +x "$tmp/bin/qemu-system-x86_64"
PATH=$tmp/bin:$PATH MEMACCT_CACHE=$cache TMPDIR=$tmp/t \
	"$top/scripts/vm.sh" -t 60 -l "$tmp/console" fake true >/dev/null 2>"$tmp/vm.err"
rc=$?
[ "$rc" = 125 ] || fail "vm.sh with a failing QEMU: status $rc, not 125"
grep -q "stand-in failure" "$tmp/vm.err" || fail "vm.sh does not show QEMU's stderr: $(cat "$tmp/vm.err")"
grep -q "$tmp/console" "$tmp/vm.err" || fail "vm.sh does not say where the console log is"
grep -q "stand-in failure" "$tmp/console.qemu" 2>/dev/null || fail "vm.sh does not keep QEMU's stderr next to the console log"
printf '#!/bin/sh\nexit 0\n' >"$tmp/bin/qemu-system-x86_64"
PATH=$tmp/bin:$PATH MEMACCT_CACHE=$cache TMPDIR=$tmp/t \
	"$top/scripts/vm.sh" -i fake true >/dev/null 2>&1 </dev/null
left=$(find "$tmp/t" -maxdepth 1 -name 'memacct-vm.*' -type d)
[ -z "$left" ] || fail "vm.sh -i leaves its temp directory: $left"

# ---- deps.sh fetch(): the cached .deb of the exact candidate version
mkdir -p "$tmp/dl" "$tmp/apt"
touch "$tmp/dl/pkg_1.0-1_amd64.deb" "$tmp/dl/pkg_2.0-1_amd64.deb"
cat >"$tmp/apt/apt-cache" <<'APT'
#!/bin/sh
printf 'pkg:\n  Installed: (none)\n  Candidate: 2.0-1\n'
APT
printf '#!/bin/sh\nexit 1\n' >"$tmp/apt/apt-get"
chmod +x "$tmp/apt/apt-cache" "$tmp/apt/apt-get"
got=$(PATH=$tmp/apt:$PATH bash -c 'apt_update() { :; }; dl=$1
	eval "$(sed -n "/^fetch() {/,/^}/p" "$2")"; fetch pkg' _ "$tmp/dl" "$top/scripts/deps.sh")
[ "$got" = "$tmp/dl/pkg_2.0-1_amd64.deb" ] ||
	fail "deps.sh fetch takes '$got', not the candidate version's .deb"

[ "$fails" = 0 ] && echo "harness_test: ok"
exit $((fails > 0))
