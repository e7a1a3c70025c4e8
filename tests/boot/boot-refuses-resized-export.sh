#!/bin/bash
# boot-refuses-resized-export: a server that comes back with an export of another size is refused (status file
# "refused", kmsg line, device size and data untouched), and the right export, once back, is reconnected.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC2016 # expanded by the hook's shell
hook=". '$BOOT_HERE/tests/boot/reconnect-lib.sh'
wait_console 'NBDROOT-TEST: refused start' 120 || exit 1
say 'server stop; a 100 MiB export instead'
\"\$LAB_SERVER_STOP\"
setsid nbdkit --foreground --ipaddr \"\$LAB_HOST_IP\" --port \"\$LAB_PORT\" memory 100M </dev/null >>\"\$LAB_LOGDIR/server.log\" 2>&1 &
wait_console 'NBDROOT-TEST: refused seen' 120 || exit 1
say 'the right export again'
restart_server 0"
lab --case boot-refuses-resized-export --server nbdkit --timeout 240 \
	--append "nbdroot=$SERVER_IP:10809/root $STATIC_IP root=/dev/nbd0 lab.test=refused-export" \
	--hook "$hook" \
	--expect 'NBDROOT-TEST: refused state=refused error="export changed: 104857600 bytes' \
	--expect 'NBDROOT-TEST: refused done fails=0 state=up reconnects=1' \
	--expect 'NBDROOT-TEST: test refused-export exit=0' \
	--reject 'NBDROOT-TEST: refused FAIL' --reject 'I/O error|EXT4-fs error|Buffer I/O error' "$@"
