#!/bin/bash
# run.sh: the arm64 boot cases (make ARCH=arm64 boot, part of make check): tests/arm64/boot-arm64-*.sh, or
# those named; --long: every tests/boot case listed in tests/arm64/long.list, on arm64 (make ARCH=arm64 check-long).
# Two at a time (tests/cases.sh), then the summary.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 2
# shellcheck source-path=SCRIPTDIR source=../cases.sh
. tests/cases.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
. tests/arm64/lib.sh

for f in build/arm64/nbdroot build/arm64/initramfs.cpio.gz; do
	[ -e "$f" ] || { echo "arm64: $f missing: run make ARCH=arm64 all initramfs" >&2; exit 2; }
done
./qemu/mkroot.sh --arch arm64 >/dev/null || exit 2

if [ "${1:-}" = --long ]; then
	suite=()
	while read -r t _; do
		case $t in '' | '#'*) continue ;; esac
		[ -x "tests/boot/$t.sh" ] || { echo "arm64: tests/arm64/long.list: no tests/boot/$t.sh" >&2; exit 2; }
		suite+=("tests/boot/$t.sh")
	done <tests/arm64/long.list
	run_cases arm64-long "${suite[@]}"
	exit
fi
suite_tests tests/arm64 "$@"
run_cases arm64 "${suite[@]}"
