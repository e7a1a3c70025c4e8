#!/bin/bash
# boot-bad-root: a root= that cannot be (a missing partition, a LABEL=) stops the boot with one clear line and the guest ends (reboot), not hangs.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
rc=0
lab --case boot-bad-root-partition --server nbdkit --timeout 60 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP root=/dev/nbd0p3 lab.test=poweroff" \
	--expect 'nbdroot-init: root device /dev/nbd0p3 did not appear within 10 s \(partitions on /dev/nbd0: none\)' \
	--expect 'reboot: Restarting system' \
	--reject 'NBDROOT-TEST: root-init' || rc=1
lab --case boot-bad-root-label --server nbdkit --timeout 60 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP root=LABEL=nbdroot-test lab.test=poweroff" \
	--expect 'nbdroot-init: root=LABEL=nbdroot-test: not supported here, expected /dev/<device>' \
	--expect 'reboot: Restarting system' \
	--reject 'NBDROOT-TEST: root-init' || rc=1
exit $rc
