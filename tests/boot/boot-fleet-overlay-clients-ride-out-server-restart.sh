#!/bin/bash
# boot-fleet-overlay-clients-ride-out-server-restart: 2 guests with nbdroot.overlay=tmpfs on one nbdkit -r export run
# I/O on both layers (checksummed files written, fsynced and re-read in the RAM layer; the lower layer's files re-read
# from the device, caches dropped, against the image's manifest) when the server is SIGKILLed and restarted under them
# (a barrier starts both workloads together; a round waits out the outage): both resume with no mismatch and no I/O error (their kernel logs and
# the workload's own counts), the export's sha256 is unchanged and nbdkit logged no write.
# shellcheck source-path=SCRIPTDIR source=fleet-lib.sh
. "$(dirname "$0")/fleet-lib.sh"
# nbdroot.timeout=10: a request in flight when the server dies is resent when it times out (see boot-reconnect-server-restarts).
"$FLEET" --initrd "$INITRD" --case boot-fleet-overlay-clients-ride-out-server-restart --server nbdkit --guests 2 \
	--timeout 300 --append "$FLEET_ROOT_ARGS nbdroot.timeout=10 lab.test=reconnect-workload lab.reconnects=1" \
	--barrier 'NBDROOT-TEST: workload ready lower=/run/nbdroot/lower' --marker 'workload rounds=' \
	--hook ". '$BOOT_HERE/tests/boot/reconnect-lib.sh'; restarts 4 5" \
	--expect "$(overlay_marker_re)" \
	--expect 'NBDROOT-TEST: workload barrier=passed' \
	--expect 'NBDROOT-TEST: workload rounds=[0-9]+ checked=[1-9][0-9]* mismatches=0 ioerrors=0 reconnects=1 state=up seconds=[0-9]+ longest-round=([3-9]|[1-9][0-9]+)[.][0-9] lower-checked=[1-9][0-9]* lower-mismatches=0 lower-read-kib=[1-9]' \
	--expect 'NBDROOT-TEST: test reconnect-workload exit=0' \
	--reject 'NBDROOT-TEST: workload (mismatch|write|FAIL)' --reject 'I/O error|EXT4-fs error|Buffer I/O error' "$@"
