#!/bin/bash
# boot-refuses-replaced-image: during an outage the export's file is replaced by another ext4 image of the very same
# size (what an operator does to a shared image under running clients); the supervisor refuses it by its fingerprint
# (console line and LAST_ERROR naming both images), keeps retrying, and resumes with zero I/O errors and the data
# intact once the original image is served again.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
img_re='image ext:[0-9a-f]{16}, not ext:[0-9a-f]{16}'
lab --case boot-refuses-replaced-image --server nbdkit --timeout 240 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP root=/dev/nbd0 lab.test=refused-export" \
	--hook ". '$BOOT_HERE/tests/boot/reconnect-lib.sh'; replaced_image" \
	--expect "NBDROOT-TEST: refused state=refused error=\"export changed: [0-9]+ bytes, flags 0x[0-9a-f]+, $img_re" \
	--expect "nbdroot: supervise: /dev/nbd0: export changed: .*$img_re" \
	--expect 'NBDROOT-TEST: refused done fails=0 state=up reconnects=1' \
	--expect 'NBDROOT-TEST: test refused-export exit=0' \
	--reject 'NBDROOT-TEST: refused FAIL' --reject 'I/O error|EXT4-fs error|Buffer I/O error' "$@"
