#!/bin/bash
# run.sh: runs every boot test (each executable tests/boot/*.sh, or those named), prints a summary with boot-to-root times.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 2
# shellcheck source-path=SCRIPTDIR source=suite.sh
. tests/boot/suite.sh

[ -x build/nbdroot ] || { echo "boot: build/nbdroot missing: run make" >&2; exit 2; }
./initramfs/build.sh -o build/initramfs.cpio.gz || exit 2
./qemu/mkroot.sh >/dev/null || exit 2

suite_tests tests/boot "$@"
suite_run boot
