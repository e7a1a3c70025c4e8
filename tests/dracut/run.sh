#!/bin/bash
# run.sh: runs every dracut test (each executable tests/dracut/*.sh, or those named): images built by Debian's dracut from this checkout's module, booted in the lab, two at a time (tests/cases.sh); then a summary with boot-to-root times.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 2
# shellcheck source-path=SCRIPTDIR source=../cases.sh
. tests/cases.sh

suite_prereq dracut dracut

suite_tests tests/dracut "$@"
run_cases dracut "${suite[@]}"
