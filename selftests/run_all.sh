#!/bin/sh
# Runs inside the VM: every selftest program, each framed for the host's
# KTAP collector (scripts/run-selftests.sh). lockdown_test raises kernel
# lockdown, which cannot be undone: it runs last.
cd /selftests || exit 1
rc=0
for t in ${MEMACCT_TESTS:-module_test procs_test allocator_test reader_test hardening_test lockdown_test}; do
	echo "# selftest: $t"
	./$t
	r=$?
	echo "# selftest-exit: $t $r"
	[ $r -eq 0 ] || rc=1
done
exit $rc
