#!/bin/bash
# boot-fleet-overlay-clients-refuse-replaced-image: boot-refuses-replaced-image for a fleet: 2 guests with
# nbdroot.overlay=tmpfs on one nbdkit -r export; during an outage another ext4 image of the same size is served in its
# place. Both refuse it by its fingerprint (console line, LAST_ERROR in the status `nbdroot --status` prints), retry,
# and resume with zero I/O errors once the original is back: their RAM-layer data and the image's own files (re-read
# from the device) intact, the export's sha256 unchanged, no write in nbdkit's log.
# shellcheck source-path=SCRIPTDIR source=fleet-lib.sh
. "$(dirname "$0")/fleet-lib.sh"
img_re='image ext:[0-9a-f]{16}, not ext:[0-9a-f]{16}'
"$FLEET" --initrd "$INITRD" --case boot-fleet-overlay-clients-refuse-replaced-image --server nbdkit --guests 2 \
	--timeout 300 --append "$FLEET_ROOT_ARGS lab.test=refused-export" --marker 'refused done' \
	--hook ". '$BOOT_HERE/tests/boot/reconnect-lib.sh'; replaced_image" \
	--expect "$(overlay_marker_re)" \
	--expect "NBDROOT-TEST: refused state=refused error=\"export changed: [0-9]+ bytes, flags 0x[0-9a-f]+, $img_re" \
	--expect "nbdroot: supervise: /dev/nbd0: export changed: .*$img_re" \
	--expect 'NBDROOT-TEST: refused done fails=0 state=up reconnects=1 lower-checked=[1-9]' \
	--expect 'NBDROOT-TEST: test refused-export exit=0' \
	--reject 'NBDROOT-TEST: refused FAIL' --reject 'I/O error|EXT4-fs error|Buffer I/O error' "$@"
