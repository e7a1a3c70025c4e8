#!/bin/bash
# boot-erofs-root: the test root as an erofs image (qemu/mkroot.sh --erofs), served read-only, is told by its
# superblock and boots as the lower layer of nbdroot.overlay=tmpfs; writes stay in RAM (the image is unchanged).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
img=$("$BOOT_HERE/qemu/mkroot.sh" --erofs --print)
overlay_boot boot-erofs-root "$img" erofs "" \
	--expect 'NBDROOT-TEST: overlay done fails=0 big-write=ok alive=yes' \
	--expect 'NBDROOT-TEST: test overlay-writes exit=0' "$@"
