#!/bin/bash
# boot-overlay-bad-size: nbdroot.overlay_size= that is not a tmpfs size stops the boot with one line naming the value and what was expected, and the guest ends (reboot), not hangs.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
lab --case boot-overlay-bad-size --server nbdkit --readonly --timeout 60 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP nbdroot.overlay=tmpfs nbdroot.overlay_size=lots $ROOT_ARGS" \
	--expect 'nbdroot: cmdline: nbdroot.overlay_size=: size "lots" is not a tmpfs size, expected ' \
	--expect 'reboot: Restarting system' \
	--reject 'NBDROOT-TEST: root-init'
