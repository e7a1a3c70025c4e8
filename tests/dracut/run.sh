#!/bin/bash
# run.sh: runs every dracut test (each executable tests/dracut/*.sh, or those named): images built by Debian's dracut from this checkout's module, booted in the lab; prints a summary with boot-to-root times.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 2
# shellcheck source-path=SCRIPTDIR source=../boot/suite.sh
. tests/boot/suite.sh

[ -x build/nbdroot ] || { echo "dracut: build/nbdroot missing: run make" >&2; exit 2; }
command -v dracut >/dev/null || { echo "dracut: dracut is not installed: run ./qemu/deps.sh" >&2; exit 2; }
./qemu/mkroot.sh >/dev/null || exit 2

suite_tests tests/dracut "$@"
suite_run dracut
