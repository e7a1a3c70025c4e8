#!/bin/bash
# boot-root-nbd-fstype: root=nbd:<server>:<export>:ext4 in a systemd initrd mounts the root as ext4 even against rootfstype=ext3 (which cannot mount this image): the spec's fstype reaches sysroot.mount.
# (dracut's non-systemd mount-root.sh trusts blkid's type over any given one,
# so only the systemd initrd can show the field at work.)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
img=$(dracut_image systemd) || exit 2
dracut_lab "$img" --case dracut-root-nbd-fstype \
	--append "root=nbd:$SERVER_IP:root:ext4 rootfstype=ext3 $DRACUT_STATIC_IP $DRACUT_ARGS" \
	--expect "$(dracut_marker_re '')" "$@"
