#!/bin/bash
# boot-systemd-server-restart: in a systemd initrd image, the supervisor nbdroot leaves behind survives systemd's switch-root (its '@' mark, and dracut-initqueue.service's KillMode=process) and rides out a SIGKILL restart of the NBD server under the real root's write/fsync/re-read workload.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
img=$(dracut_image systemd) || exit 2
# nbdroot.timeout=10: the request in flight when the server dies is resent
# only once it times out (see tests/boot/boot-reconnect-server-restarts.sh).
dracut_lab "$img" --case dracut-systemd-server-restart --timeout 300 \
	--append "root=nbd:$SERVER_IP:root $DRACUT_STATIC_IP rw rd.shell=0 init=/sbin/init nbdroot.timeout=10 lab.test=reconnect-workload lab.reconnects=1" \
	--hook ". '$BOOT_HERE/tests/boot/reconnect-lib.sh'; restarts 4 5" \
	--expect 'Switch Root' --expect "$(dracut_marker_re '')" \
	--expect 'NBDROOT-TEST: workload start want=1 supervisor-pid=[0-9]+ state=up' \
	--expect 'NBDROOT-TEST: workload rounds=[0-9]+ checked=[1-9][0-9]* mismatches=0 ioerrors=0 reconnects=1 state=up' \
	--expect 'NBDROOT-TEST: test reconnect-workload exit=0' \
	--reject 'NBDROOT-TEST: workload (mismatch|write)' --reject 'I/O error|EXT4-fs error|Buffer I/O error' "$@"
