#!/bin/bash
# boot-missing-fs-module: rootfstype= naming a filesystem with no module in the image stops the boot with one clear line and the guest ends (reboot), not hangs.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
lab --case boot-missing-fs-module --server nbdkit --timeout 60 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP rootfstype=xfs $ROOT_ARGS" \
	--expect 'nbdroot-init: root filesystem type "xfs" is unknown to this kernel and no module for it is in this initramfs \(build it with --fs xfs\)' \
	--expect 'reboot: Restarting system' \
	--reject 'NBDROOT-TEST: root-init'
