#!/bin/bash
# boot-root-partition: root=/dev/nbd0p1 mounts ext4 from the first partition of a partitioned export (the init triggers nbd's partition scan).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
disk=$work/disk.img
partitioned_image "$disk" || exit 2
lab --case boot-root-partition --server nbdkit --timeout 60 --image "$disk" \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP root=/dev/nbd0p1 lab.test=poweroff" \
	--expect 'nbdroot-init: root /dev/nbd0p1 mounted \(ext4, rw\)' \
	--expect 'NBDROOT-TEST: root-init uptime=[0-9.]+ root="/dev/nbd0p1 / ext4 rw,[^"]*" pid1=yes rw-probe=ok nbd0-ro=0'
