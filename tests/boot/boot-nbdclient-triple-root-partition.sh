#!/bin/bash
# boot-nbdclient-triple-root-partition: nbd-client's nbdroot=<server>,<export>,nbd1 with root=/dev/nbd1p1 attaches /dev/nbd1 (not nbd0) and mounts its first partition, the case bookworm's nbd-client cannot boot.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
disk=$work/disk.img
partitioned_disk "$disk"
lab --case boot-nbdclient-triple-root-partition --server nbdkit --timeout 60 --image "$disk" \
	--append "nbdroot=$SERVER_IP,root,nbd1 $STATIC_IP root=/dev/nbd1p1 lab.test=poweroff" \
	--expect 'nbdroot: attach: /dev/nbd1: [0-9]+ bytes' \
	--expect 'nbdroot-init: root /dev/nbd1p1 mounted \(ext4, rw\)' \
	--expect 'NBDROOT-TEST: root-init uptime=[0-9.]+ root="/dev/nbd1p1 / ext4 rw,[^"]*" pid1=yes rw-probe=ok nbd0-ro=0'
