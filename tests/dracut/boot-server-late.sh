#!/bin/bash
# boot-server-late: the NBD server comes up only 45 s into the boot: the binary's own 30 s of retries end with exit 2, the handler queues itself in dracut's initqueue, and the next try attaches the root.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
img=$(dracut_image legacy) || exit 2
# shellcheck disable=SC2016 # the hook expands them, in the lab's netns
dracut_lab "$img" --case dracut-server-late \
	--append "root=nbd:$SERVER_IP:root $DRACUT_STATIC_IP $DRACUT_ARGS" \
	--hook '"$LAB_SERVER_STOP"; sleep 45; "$LAB_SERVER_START"' \
	--expect 'nbdroot: the NBD server is not reachable yet over eth0; retrying' \
	--expect "$(dracut_marker_re '')" "$@"
