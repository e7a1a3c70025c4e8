#!/bin/bash
# boot-overlay-tmpfs-writes-stay-local: a read-only ext4 export with nbdroot.overlay=tmpfs boots to a writable
# overlay root whose writes land in RAM (the served image's sha256 is unchanged), both layers visible under
# /run/nbdroot; with nbdroot.overlay_size=4m an 8 MiB write gets ENOSPC and the guest keeps running.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
img=$("$BOOT_HERE/qemu/mkroot.sh" --print)
rc=0
overlay_boot boot-overlay-tmpfs-writes-stay-local "$img" ext4 "" \
	--expect 'NBDROOT-TEST: overlay done fails=0 big-write=ok alive=yes' \
	--expect 'NBDROOT-TEST: test overlay-writes exit=0' "$@" || rc=1
overlay_boot boot-overlay-tmpfs-full-upper-enospc "$img" ext4 "nbdroot.overlay_size=4m" \
	--expect 'nbdroot-init: root: overlay tmpfs size=4m on /dev/nbd0' \
	--expect 'NBDROOT-TEST: overlay root=overlay lower="[^"]*" upper="tmpfs size=4096k"' \
	--expect 'NBDROOT-TEST: overlay done fails=0 big-write=enospc alive=yes' \
	--expect 'NBDROOT-TEST: test overlay-writes exit=0' "$@" || rc=1
exit "$rc"
