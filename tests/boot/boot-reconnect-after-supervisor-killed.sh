#!/bin/bash
# boot-reconnect-after-supervisor-killed: SIGKILL of the supervisor's worker, then of its keeper, each restarted
# (the status file counts SUPERVISOR_RESTARTS=2, two '@nbdroot' processes remain); then two SIGKILL restarts of the
# NBD server under a write/fsync/re-read workload: every checksum matches, no I/O error, 2 reconnects counted.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
lab --case boot-reconnect-after-supervisor-killed --server nbdkit --timeout 240 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP nbdroot.timeout=10 root=/dev/nbd0 lab.test=supervisor-kill lab.reconnects=2" \
	--hook ". '$BOOT_HERE/tests/boot/reconnect-lib.sh'; restarts 3 2 5" \
	--expect 'NBDROOT-TEST: supervisor-kill worker [0-9]+ killed: restarted as [0-9]+' \
	--expect 'NBDROOT-TEST: supervisor-kill keeper [0-9]+ killed' \
	--expect 'nbdroot: supervise: /dev/nbd0: supervisor died' \
	--expect 'NBDROOT-TEST: workload rounds=[0-9]+ checked=[1-9][0-9]* mismatches=0 ioerrors=0 reconnects=2 state=up' \
	--expect 'NBDROOT-TEST: supervisor-kill restarts=2 processes=2 workload-exit=0' \
	--expect 'NBDROOT-TEST: test supervisor-kill exit=0' \
	--reject 'NBDROOT-TEST: (workload (mismatch|write)|supervisor-kill FAIL)' --reject 'I/O error|EXT4-fs error|Buffer I/O error' "$@"
