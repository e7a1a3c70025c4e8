#!/bin/bash
# run.sh: runs every boot test (each executable tests/boot/*.sh, or those named), two at a time (tests/cases.sh), then a summary with boot-to-root times.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 2
# shellcheck source-path=SCRIPTDIR source=../cases.sh
. tests/cases.sh

suite_prereq boot
./initramfs/build.sh -o build/initramfs.cpio.gz || exit 2

suite_tests tests/boot "$@"
run_cases boot "${suite[@]}"
