#!/bin/bash
# boot-wrong-export: an export the server does not have stops the boot with one clear line and the guest ends (reboots) by itself.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# 30 s is well under nbdroot's retry window plus a boot: a permanent error
# that were retried as a temporary one would time out here.
lab --case boot-wrong-export --server nbdkit --timeout 30 \
	--append "nbdroot=$SERVER_IP:10809/nosuch $STATIC_IP $ROOT_ARGS" \
	--expect 'nbdroot: handshake: .*nosuch.*not found' \
	--expect 'nbdroot-init: /sbin/nbdroot failed' \
	--expect 'reboot: Restarting system' \
	--reject 'NBDROOT-TEST' \
	--reject 'EXT4-fs \(nbd'
