#!/bin/bash
# run.sh: runs every initramfs-tools test (each executable tests/initramfs-tools/*.sh, or those named, tests/initramfs-tools/long/*.sh too): images built by Debian's mkinitramfs with this checkout's initramfs-tools/, booted in the lab; prints a summary with boot-to-root times.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 2
# shellcheck source-path=SCRIPTDIR source=../boot/suite.sh
. tests/boot/suite.sh

[ -x build/nbdroot ] || { echo "initramfs-tools: build/nbdroot missing: run make" >&2; exit 2; }
command -v mkinitramfs >/dev/null || { echo "initramfs-tools: mkinitramfs is not installed: run ./qemu/deps.sh" >&2; exit 2; }
./qemu/mkroot.sh >/dev/null || exit 2

suite_tests tests/initramfs-tools "$@"
suite_run initramfs-tools
