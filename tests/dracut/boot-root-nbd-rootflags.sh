#!/bin/bash
# boot-root-nbd-rootflags: root=nbd:<server>:<export>:ext4:errors=panic,noatime: the real root reports both flags in /proc/mounts.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
img=$(dracut_image legacy) || exit 2
dracut_lab "$img" --case dracut-root-nbd-rootflags \
	--append "root=nbd:$SERVER_IP:root:ext4:errors=panic,noatime $DRACUT_STATIC_IP $DRACUT_ARGS" \
	--expect "$(dracut_marker_re 'noatime,[^"]*errors=panic')" "$@"
