#!/bin/bash
# boot-root-partition: root=/dev/nbd0p1 mounts ext4 from the first partition of a partitioned export (the init triggers nbd's partition scan).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
fs=$("$BOOT_HERE/qemu/mkroot.sh" --print)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# No loop devices: an MBR with one partition at 1 MiB, the test root's ext4
# image copied into it.
disk=$work/disk.img
truncate -s $(($(stat -c %s "$fs") + 2 * 1048576)) "$disk"
echo 'start=2048, type=83' | sfdisk -q "$disk"
dd if="$fs" of="$disk" bs=1M seek=1 conv=notrunc,sparse status=none
lab --case boot-root-partition --server nbdkit --timeout 60 --image "$disk" \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP root=/dev/nbd0p1 lab.test=poweroff" \
	--expect 'nbdroot-init: root /dev/nbd0p1 mounted \(ext4, rw\)' \
	--expect 'NBDROOT-TEST: root-init uptime=[0-9.]+ root="/dev/nbd0p1 / ext4 rw,[^"]*" pid1=yes rw-probe=ok nbd0-ro=0'
