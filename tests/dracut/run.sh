#!/bin/bash
# run.sh: runs every dracut test (each executable tests/dracut/*.sh, or those named): images built by Debian's dracut from this checkout's module, booted in the lab, two at a time (tests/cases.sh); then a summary with boot-to-root times.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 2

[ -x build/nbdroot ] || { echo "dracut: build/nbdroot missing: run make" >&2; exit 2; }
command -v dracut >/dev/null || { echo "dracut: dracut is not installed: run ./qemu/deps.sh" >&2; exit 2; }
./qemu/mkroot.sh >/dev/null || exit 2

tests=()
if [ $# -gt 0 ]; then
	for t in "$@"; do
		t=${t##*/}
		tests+=("tests/dracut/${t%.sh}.sh")
	done
else
	# The checks that boot nothing first: they are quick and say most.
	for t in tests/dracut/*.sh; do
		case ${t##*/} in run.sh | boot-*) ;; *) [ -x "$t" ] && tests+=("$t") ;; esac
	done
	for t in tests/dracut/boot-*.sh; do
		[ -x "$t" ] && tests+=("$t")
	done
fi

# shellcheck source=../cases.sh
. tests/cases.sh
run_cases dracut "${tests[@]}"
