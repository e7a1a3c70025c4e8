#!/bin/bash
# boot-refuses-replaced-image: during an outage the export's file is replaced by another ext4 image of the very same
# size (what an operator does to a shared image under running clients); the supervisor refuses it by its fingerprint
# (console line and LAST_ERROR naming both images), keeps retrying, and resumes with zero I/O errors and the data
# intact once the original image is served again.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC2016 # expanded by the hook's shell
hook=". '$BOOT_HERE/tests/boot/reconnect-lib.sh'
wait_console 'NBDROOT-TEST: refused start' 120 || exit 1
other=\"\$LAB_LOGDIR/other.img\"
rm -f \"\$other\"
truncate -s \"\$(stat -c %s \"\$LAB_IMAGE\")\" \"\$other\"
mkfs.ext4 -q -F -L nbdroot-test \"\$other\"
say \"server stop; another ext4 image of the same size (\$(stat -c %s \"\$other\") bytes) instead\"
\"\$LAB_SERVER_STOP\"
setsid nbdkit --foreground --ipaddr \"\$LAB_HOST_IP\" --port \"\$LAB_PORT\" file \"\$other\" </dev/null >>\"\$LAB_LOGDIR/server.log\" 2>&1 &
wait_console 'NBDROOT-TEST: refused seen' 120 || exit 1
say 'the original image again'
restart_server 0
rm -f \"\$other\""
img_re='image ext:[0-9a-f]{16}, not ext:[0-9a-f]{16}'
lab --case boot-refuses-replaced-image --server nbdkit --timeout 240 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP root=/dev/nbd0 lab.test=refused-export" \
	--hook "$hook" \
	--expect "NBDROOT-TEST: refused state=refused error=\"export changed: [0-9]+ bytes, flags 0x[0-9a-f]+, $img_re" \
	--expect "nbdroot: supervise: /dev/nbd0: export changed: .*$img_re" \
	--expect 'NBDROOT-TEST: refused done fails=0 state=up reconnects=1' \
	--expect 'NBDROOT-TEST: test refused-export exit=0' \
	--reject 'NBDROOT-TEST: refused FAIL' --reject 'I/O error|EXT4-fs error|Buffer I/O error' "$@"
