#!/bin/bash
# boot-reconnect-alt-server: with the root spec's server unreachable, nbdroot.alt_server= names the one that
# answers: the boot attaches through it, and after a server restart the supervisor, trying both in turn, reconnects.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
lab --case boot-reconnect-alt-server --server nbdkit --timeout 200 \
	--append "nbdroot=10.77.0.99:10809/root nbdroot.alt_server=$SERVER_IP $STATIC_IP root=/dev/nbd0 lab.test=reconnect-workload lab.reconnects=1" \
	--hook ". '$BOOT_HERE/tests/boot/reconnect-lib.sh'; restarts 2 3" \
	--expect 'nbdroot: connect: 10.77.0.99 port 10809: ' \
	--expect 'nbdroot: supervise: /dev/nbd0: start -> up 10.77.0.1:10809' \
	--expect 'NBDROOT-TEST: workload rounds=[0-9]+ checked=[1-9][0-9]* mismatches=0 ioerrors=0 reconnects=1 state=up' \
	--expect 'NBDROOT-TEST: test reconnect-workload exit=0' \
	--reject 'I/O error|EXT4-fs error|Buffer I/O error' "$@"
