#!/bin/bash
# run.sh: runs every boot test (each executable tests/boot/*.sh, or those named), two at a time (tests/cases.sh), then a summary with boot-to-root times.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 2

[ -x build/nbdroot ] || { echo "boot: build/nbdroot missing: run make" >&2; exit 2; }
./initramfs/build.sh -o build/initramfs.cpio.gz || exit 2
./qemu/mkroot.sh >/dev/null || exit 2

tests=()
if [ $# -gt 0 ]; then
	for t in "$@"; do
		# a path as given (tests/boot/long/...), else a name in tests/boot
		if [ -f "$t" ]; then
			tests+=("$t")
		else
			t=${t##*/}
			tests+=("tests/boot/${t%.sh}.sh")
		fi
	done
else
	for t in tests/boot/*.sh; do
		[ "${t##*/}" = run.sh ] || [ ! -x "$t" ] || tests+=("$t")
	done
fi

# shellcheck source=../cases.sh
. tests/cases.sh
run_cases boot "${tests[@]}"
