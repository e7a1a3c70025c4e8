#!/bin/bash
# long.sh: make check-long: the cases that take minutes each (tests/boot/long/*.sh and tests/initramfs-tools/long/*.sh, or those named), in one run NBDROOT_JOBS at a time (tests/cases.sh): they mostly wait on lease timers, so two side by side cost little more than one.
set -uo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 2
# shellcheck source-path=SCRIPTDIR source=cases.sh
. tests/cases.sh

suite_prereq check-long mkinitramfs
./initramfs/build.sh -o build/initramfs.cpio.gz || exit 2
[ $# -gt 0 ] || set -- tests/boot/long/*.sh tests/initramfs-tools/long/*.sh
run_cases check-long "$@"
