#!/bin/bash
# boot-dhcp-no-server: no DHCP server at all: each nbdroot run gives up within its 30 s bound with one line naming the interface, and the guest ends by itself.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# The init tries nbdroot 3 times on a temporary failure, then reboots after
# 5 s: about 100 s of guest time; a run that overstayed its bound would not fit.
lab --case boot-dhcp-no-server --server nbdkit --timeout 130 \
	--append "root=/dev/nbd0 lab.test=poweroff" \
	--expect 'nbdroot: dhcp: no lease on eth0 within 30 s' \
	--expect 'nbdroot-init: /sbin/nbdroot: temporary failure, trying again \(3 of 3\)' \
	--expect 'nbdroot-init: /sbin/nbdroot failed \(exit 2' \
	--expect 'reboot: Restarting system' \
	--reject 'NBDROOT-TEST'
