#!/bin/bash
# boot-root-nbd: dracut's root=nbd:<server>:<export> in a dracut image (network-legacy, no systemd) with nbdroot: the real root is a rw ext4 /dev/nbd0.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
img=$(dracut_image legacy) || exit 2
dracut_lab "$img" --case dracut-root-nbd \
	--append "root=nbd:$SERVER_IP:root $DRACUT_STATIC_IP $DRACUT_ARGS" \
	--expect "$(dracut_marker_re '')" \
	--expect 'nbdroot: /dev/nbd0 attached over eth0' "$@"
