#!/bin/bash
# boot-root-ro-cmdline: the kernel's `ro` mounts the root read-only (writes get EROFS) while the NBD device itself stays writable.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
lab --case boot-root-ro-cmdline --server nbdkit --timeout 60 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP ro $ROOT_ARGS" \
	--expect 'nbdroot-init: root /dev/nbd0 mounted \(ext4, ro\)' \
	--expect "$(marker_re ro erofs 0)"
