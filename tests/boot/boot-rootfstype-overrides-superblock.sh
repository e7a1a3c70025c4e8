#!/bin/bash
# boot-rootfstype-overrides-superblock: rootfstype= wins over the superblock: a squashfs image booted with rootfstype=erofs is mounted as erofs (and fails with one line naming both), and the guest ends (reboot).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
img=$("$BOOT_HERE/qemu/mkroot.sh" --squashfs --print)
lab --case boot-rootfstype-overrides-superblock --server nbdkit --readonly --image "$img" --timeout 60 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP nbdroot.overlay=tmpfs rootfstype=erofs $ROOT_ARGS" \
	--expect 'nbdroot-init: root /dev/nbd0: erofs \(rootfstype=erofs\)' \
	--expect 'nbdroot-init: mount /dev/nbd0 \(erofs\) on /run/nbdroot/lower: .* \(its superblock says squashfs\)' \
	--expect 'reboot: Restarting system' \
	--reject 'NBDROOT-TEST: root-init' --reject 'superblock: squashfs'
