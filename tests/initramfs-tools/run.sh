#!/bin/bash
# run.sh: runs every initramfs-tools test (each executable tests/initramfs-tools/*.sh, or those named, tests/initramfs-tools/long/*.sh too): images built by Debian's mkinitramfs with this checkout's initramfs-tools/, booted in the lab; two at a time (tests/cases.sh); then a summary with boot-to-root times.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 2
# shellcheck source-path=SCRIPTDIR source=../cases.sh
. tests/cases.sh

suite_prereq initramfs-tools mkinitramfs

suite_tests tests/initramfs-tools "$@"
run_cases initramfs-tools "${suite[@]}"
