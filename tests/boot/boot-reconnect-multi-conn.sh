#!/bin/bash
# boot-reconnect-multi-conn: with nbdroot.connections=4 on a multi-conn export, a server restart kills all four
# sockets at once; the supervisor replaces all four in one RECONFIGURE, twice, under the write/verify workload.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
lab --case boot-reconnect-multi-conn --server nbdkit --timeout 200 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP nbdroot.connections=4 nbdroot.timeout=10 root=/dev/nbd0 lab.test=reconnect-workload lab.reconnects=2" \
	--hook ". '$BOOT_HERE/tests/boot/reconnect-lib.sh'; restarts 3 2 4" \
	--expect 'NBDROOT-TEST: workload rounds=[0-9]+ checked=[1-9][0-9]* mismatches=0 ioerrors=0 reconnects=2 state=up' \
	--expect 'NBDROOT-TEST: test reconnect-workload exit=0' \
	--reject 'server does not advertise multi-conn' \
	--reject 'I/O error|EXT4-fs error|Buffer I/O error' "$@"
