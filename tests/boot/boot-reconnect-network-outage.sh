#!/bin/bash
# boot-reconnect-network-outage: the server's link (tap0) goes down for 60 s under a write/fsync/re-read workload
# (nbd-server, default timeouts): once it is back the supervisor reconnects, I/O resumes, no I/O error, checksums match.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
lab --case boot-reconnect-network-outage --server nbd-server --timeout 240 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP root=/dev/nbd0 lab.test=reconnect-workload lab.reconnects=1" \
	--hook ". '$BOOT_HERE/tests/boot/reconnect-lib.sh'; link_outage 60" \
	--expect 'NBDROOT-TEST: workload rounds=[0-9]+ checked=[1-9][0-9]* mismatches=0 ioerrors=0 reconnects=[1-9] state=up' \
	--expect 'NBDROOT-TEST: test reconnect-workload exit=0' \
	--reject 'NBDROOT-TEST: workload (mismatch|write)' --reject 'I/O error|EXT4-fs error|Buffer I/O error' "$@"
