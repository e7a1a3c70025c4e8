#!/bin/bash
# boot-server-late: the NBD server comes up only 40 s after the binary first tries it: its own 30 s of retries end with exit 2, the handler queues itself in dracut's initqueue, and the next try attaches the root.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
img=$(dracut_image legacy) || exit 2
dracut_lab "$img" --case dracut-server-late \
	--append "root=nbd:$SERVER_IP:root $DRACUT_STATIC_IP $DRACUT_ARGS" \
	--hook ". '$BOOT_HERE/tests/boot/reconnect-lib.sh'; \"\$LAB_SERVER_STOP\";
		wait_console 'nbdroot: connect: .*refused' 120 && sleep 40; \"\$LAB_SERVER_START\"" \
	--expect 'nbdroot: the NBD server is not reachable yet over eth0; retrying' \
	--expect "$(dracut_marker_re '')" "$@"
