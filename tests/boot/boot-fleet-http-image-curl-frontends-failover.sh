#!/bin/bash
# boot-fleet-http-image-curl-frontends-failover: the image only on the lab's HTTP server (lighttpd, byte ranges), two
# nbdkit curl + cache front-ends, DHCP giving each overlay guest its own: both boot, one per front-end (seen on the
# host), the HTTP log shows 206 replies and no PUT or POST, the image's sha256 is unchanged; the front-end of guest 0
# is killed under its I/O and it goes on through nbdroot.alt_server, the other front-end, with zero I/O errors.
# shellcheck source-path=SCRIPTDIR source=fleet-lib.sh
. "$(dirname "$0")/fleet-lib.sh"
name=boot-fleet-http-image-curl-frontends-failover
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rc=0
"$FLEET" --initrd "$INITRD" --case "$name" --server nbdkit-curl --guests 2 --timeout 240 \
	--append "nbdroot.overlay=tmpfs lab.test=reconnect-workload lab.reconnects=0 lab.workload_min_s=20" \
	--hook ". '$BOOT_HERE/tests/boot/reconnect-lib.sh'; LAB_CONSOLE=\${LAB_CONSOLES%% *} frontend_failover 10.77.0.10 '$work/failover'" \
	--marker 'workload rounds=' \
	--expect "$(overlay_marker_re)" \
	--expect 'NBDROOT-TEST: workload rounds=[0-9]+ checked=[1-9][0-9]* mismatches=0 ioerrors=0 reconnects=[01] state=up .* lower-checked=[1-9][0-9]* lower-mismatches=0' \
	--expect 'NBDROOT-TEST: test reconnect-workload exit=0' \
	--reject 'I/O error|EXT4-fs error|Buffer I/O error' "$@" || rc=1
if [ ! -s "$work/failover" ]; then
	echo "fleet: FAIL $name: guest 0's failover: $(cat "$work/failover.why" 2>/dev/null || echo "the hook did not finish")"
	exit 1
fi
echo "fleet: $name: $(cat "$work/failover")"
exit "$rc"
