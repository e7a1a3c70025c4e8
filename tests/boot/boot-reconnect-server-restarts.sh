#!/bin/bash
# boot-reconnect-server-restarts: the root rides out 5 SIGKILL restarts of the NBD server (outages 1..15 s) under a
# write/fsync/re-read workload: every checksum matches, no I/O error reaches the kernel log, the status file counts 5 reconnects.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# nbdroot.timeout=10: a request in flight when the server dies is resent
# only when it times out (the kernel does not requeue it on a dead link), so
# the default 30 s would make each restart cost 30 s of wall time here.
lab --case boot-reconnect-server-restarts --server nbdkit --timeout 330 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP nbdroot.timeout=10 root=/dev/nbd0 lab.test=reconnect-workload lab.reconnects=5" \
	--hook ". '$BOOT_HERE/tests/boot/reconnect-lib.sh'; restarts 4 1 15 3 10 6" \
	--expect 'NBDROOT-TEST: workload rounds=[0-9]+ checked=[1-9][0-9]* mismatches=0 ioerrors=0 reconnects=5 state=up' \
	--expect 'NBDROOT-TEST: test reconnect-workload exit=0' \
	--reject 'NBDROOT-TEST: workload (mismatch|write)' --reject 'I/O error|EXT4-fs error|Buffer I/O error' "$@"
